# -*- test-case-name: tests.scripting.test_pipeline -*-
"""The compile-time policy, as data: what Python a player may write.

Everything here is a frozen table meant to be reviewed on one screen. The
checker (C{scripting.validate}) reads it; nothing else decides what syntax is
allowed. It is default-deny: a node type that is not listed is refused, and a
field of an allowed node that is not listed must hold its empty default.

The field sets are pinned per CPython minor version. When a new minor appears,
C{check_runtime_ast()} refuses to compile anything until someone audits the
AST diff and adds a row here (capability rule 2 and 43).
"""

from __future__ import annotations

import ast
import sys
from types import MappingProxyType


def public_name(name: object) -> bool:
    """
    Whether C{name} may be asked for by a string at run time (C{getattr},
    C{hasattr}, C{setattr}, a library's C{exports}, a module's attributes): an
    exact str that is an identifier not starting with C{_}. Everything the
    rewriter adds to a module (C{$tick}, C{$type}, the C{$a.} tables) is
    named outside this set, so no string reaches it.
    """
    return type(name) is str and name.isidentifier() and not name.startswith("_")


# Node type -> the fields a script may use. Fields not listed here must be empty.
# (`type_comment` is allowed because it is only ever a string the compiler ignores.)
_COMMON: dict[str, frozenset[str]] = {
    # statements
    "Module": frozenset({"body", "type_ignores"}),
    "Expr": frozenset({"value"}),
    "Assign": frozenset({"targets", "value", "type_comment"}),
    "AugAssign": frozenset({"target", "op", "value"}),
    "For": frozenset({"target", "iter", "body", "orelse", "type_comment"}),
    "While": frozenset({"test", "body", "orelse"}),
    "If": frozenset({"test", "body", "orelse"}),
    "Break": frozenset(),
    "Continue": frozenset(),
    "Pass": frozenset(),
    "Return": frozenset({"value"}),
    "Delete": frozenset({"targets"}),
    "FunctionDef": frozenset({"name", "args", "body", "decorator_list", "returns", "type_comment"}),
    "ClassDef": frozenset({"name", "bases", "body", "decorator_list"}),
    "Raise": frozenset({"exc", "cause"}),
    "Try": frozenset({"body", "handlers", "orelse", "finalbody"}),
    "ExceptHandler": frozenset({"type", "name", "body"}),
    "Assert": frozenset({"test", "msg"}),
    "Import": frozenset({"names"}),
    "ImportFrom": frozenset({"module", "names", "level"}),
    "alias": frozenset({"name", "asname"}),
    "Global": frozenset({"names"}),
    "Nonlocal": frozenset({"names"}),
    # `x: int = 1`: the rewriter drops the annotation (never evaluated) and keeps the assignment
    "AnnAssign": frozenset({"target", "annotation", "value", "simple"}),
    # expressions
    "BoolOp": frozenset({"op", "values"}),
    "NamedExpr": frozenset({"target", "value"}),
    "BinOp": frozenset({"left", "op", "right"}),
    "UnaryOp": frozenset({"op", "operand"}),
    "Lambda": frozenset({"args", "body"}),
    "IfExp": frozenset({"test", "body", "orelse"}),
    "Dict": frozenset({"keys", "values"}),
    "Set": frozenset({"elts"}),
    "ListComp": frozenset({"elt", "generators"}),
    "SetComp": frozenset({"elt", "generators"}),
    "DictComp": frozenset({"key", "value", "generators"}),
    "GeneratorExp": frozenset({"elt", "generators"}),
    "Yield": frozenset({"value"}),
    "YieldFrom": frozenset({"value"}),
    "Compare": frozenset({"left", "ops", "comparators"}),
    "Call": frozenset({"func", "args", "keywords"}),
    "FormattedValue": frozenset({"value", "conversion", "format_spec"}),
    "JoinedStr": frozenset({"values"}),
    "Constant": frozenset({"value", "kind"}),
    "Attribute": frozenset({"value", "attr", "ctx"}),
    "Subscript": frozenset({"value", "slice", "ctx"}),
    "Starred": frozenset({"value", "ctx"}),
    "Name": frozenset({"id", "ctx"}),
    "List": frozenset({"elts", "ctx"}),
    "Tuple": frozenset({"elts", "ctx"}),
    "Slice": frozenset({"lower", "upper", "step"}),
    # helpers (comprehension.is_async must stay 0)
    "comprehension": frozenset({"target", "iter", "ifs"}),
    "arguments": frozenset(
        {"posonlyargs", "args", "vararg", "kwonlyargs", "kw_defaults", "kwarg", "defaults"}
    ),
    "arg": frozenset({"arg", "annotation", "type_comment"}),
    "keyword": frozenset({"arg", "value"}),
    # operators and contexts (no fields). MatMult is deliberately absent.
    **{
        name: frozenset()
        for name in [
            "Load", "Store", "Del", "And", "Or", "Add", "Sub", "Mult", "Div", "FloorDiv", "Mod",
            "Pow", "LShift", "RShift", "BitOr", "BitXor", "BitAnd", "Invert", "Not", "UAdd", "USub",
            "Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn",
        ]
    },
}

# The complete `_fields` of every allowed node, as CPython reports them, per audited minor.
# A runtime whose fields differ from this snapshot is refused (a new field = a new bypass).
_FIELDS_311: dict[str, tuple[str, ...]] = {
    "Module": ("body", "type_ignores"), "Expr": ("value",),
    "Assign": ("targets", "value", "type_comment"), "AugAssign": ("target", "op", "value"),
    "For": ("target", "iter", "body", "orelse", "type_comment"),
    "While": ("test", "body", "orelse"),
    "If": ("test", "body", "orelse"), "Break": (), "Continue": (), "Pass": (), "Return": ("value",),
    "Delete": ("targets",),
    "FunctionDef": ("name", "args", "body", "decorator_list", "returns", "type_comment"),
    "ClassDef": ("name", "bases", "keywords", "body", "decorator_list"),
    "Raise": ("exc", "cause"), "Try": ("body", "handlers", "orelse", "finalbody"),
    "ExceptHandler": ("type", "name", "body"), "Assert": ("test", "msg"), "Import": ("names",),
    "ImportFrom": ("module", "names", "level"), "alias": ("name", "asname"), "Global": ("names",),
    "Nonlocal": ("names",), "AnnAssign": ("target", "annotation", "value", "simple"),
    "BoolOp": ("op", "values"), "NamedExpr": ("target", "value"), "BinOp": ("left", "op", "right"),
    "UnaryOp": ("op", "operand"), "Lambda": ("args", "body"), "IfExp": ("test", "body", "orelse"),
    "Dict": ("keys", "values"), "Set": ("elts",), "ListComp": ("elt", "generators"),
    "SetComp": ("elt", "generators"), "DictComp": ("key", "value", "generators"),
    "GeneratorExp": ("elt", "generators"), "Yield": ("value",), "YieldFrom": ("value",),
    "Compare": ("left", "ops", "comparators"), "Call": ("func", "args", "keywords"),
    "FormattedValue": ("value", "conversion", "format_spec"), "JoinedStr": ("values",),
    "Constant": ("value", "kind"), "Attribute": ("value", "attr", "ctx"),
    "Subscript": ("value", "slice", "ctx"), "Starred": ("value", "ctx"), "Name": ("id", "ctx"),
    "List": ("elts", "ctx"), "Tuple": ("elts", "ctx"), "Slice": ("lower", "upper", "step"),
    "comprehension": ("target", "iter", "ifs", "is_async"),
    "arguments": ("posonlyargs", "args", "vararg", "kwonlyargs", "kw_defaults", "kwarg",
                  "defaults"),
    "arg": ("arg", "annotation", "type_comment"), "keyword": ("arg", "value"),
}
_FIELDS_311.update({name: () for name in _COMMON if name not in _FIELDS_311})  # ops, contexts
_FIELDS_312 = {
    **_FIELDS_311,
    "FunctionDef": _FIELDS_311["FunctionDef"] + ("type_params",),
    "ClassDef": _FIELDS_311["ClassDef"] + ("type_params",),
}
_FIELDS_313 = dict(_FIELDS_312)  # audited: 3.13 changed no field of an allowed node

PINNED_FIELDS = MappingProxyType({
    (3, 11): MappingProxyType(_FIELDS_311),
    (3, 12): MappingProxyType(_FIELDS_312),
    (3, 13): MappingProxyType(_FIELDS_313),
})

ALLOWED_NODES = MappingProxyType(_COMMON)

# Dunder methods a class body may define. Each is only ever invoked by CPython from
# inside a running task (so it ticks), never by trusted code on its own.
ALLOWED_DUNDERS = frozenset({
    "__init__", "__str__", "__repr__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__",
    "__ge__", "__len__", "__contains__", "__bool__", "__iter__", "__next__", "__getitem__",
    "__setitem__", "__delitem__", "__call__", "__add__", "__sub__", "__mul__", "__truediv__",
    "__floordiv__", "__mod__", "__neg__", "__pos__", "__abs__", "__radd__", "__rsub__",
    "__rmul__",
})
# Deliberately absent: __hash__ (collision storms in every dict), __index__/__int__/__float__
# (sizes and conversions inside C), __format__, __getattr__/__getattribute__/__setattr__,
# descriptors (__get__/__set__/__set_name__), __del__, __reduce__*, __enter__/__exit__,
# __init_subclass__/__class_getitem__/__mro_entries__, __new__, __slots__.

# The exception names a generator's handler may catch around a `yield`: built-in `Exception`
# classes, none of which catches the `GeneratorExit` CPython raises in a paused generator
# when its last reference goes. Around a `yield`, a `finally` or any other handler (bare,
# `BaseException`, a script's class, a name the script rebinds) is refused: it would run
# script code whenever the generator is dropped, in the middle of whatever dropped it.
GENERATOR_CATCHABLE = frozenset({
    "Exception", "ArithmeticError", "AssertionError", "AttributeError", "ImportError",
    "IndexError", "KeyError", "LookupError", "MemoryError", "ModuleNotFoundError", "NameError",
    "NotImplementedError", "OverflowError", "RecursionError", "RuntimeError", "StopIteration",
    "TypeError", "UnboundLocalError", "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError",
    "ValueError", "ZeroDivisionError", "WorldError", "FacetError", "Revoked", "QuotaExceeded",
})

# Plain-language reasons, keyed by the construct. Shown to players.
REFUSED_NODES = MappingProxyType({
    "Match": "'match' statements are not allowed (class patterns read attributes unchecked)",
    "TryStar": "'except*' is not allowed",
    "AsyncFunctionDef": "'async def' is not allowed",
    "AsyncFor": "'async for' is not allowed",
    "AsyncWith": "'async with' is not allowed",
    "Await": "'await' is not allowed",
    "With": "'with' is not allowed; call the methods you need directly",
    "TypeAlias": "'type' statements are not allowed",
    "MatMult": "the '@' operator is not allowed",
})

MAX_SOURCE_CHARS = 100_000
# Checking, rewriting and compiling run on the reactor before any budget applies, in time
# proportional to the rewritten tree (up to about 12.5 nodes for one written, `a * b * c`):
# 12 000 nodes (a thousand lines of ordinary code, at 4 to 7 nodes a line) compile in
# about what a task may take (tests/redteam_sandbox/test_compile_cost.py).
MAX_AST_NODES = 12_000
MAX_NESTING = 60
# Places on CPython's stack of exception handlers within one function (or the top level),
# counted by validate._nested_blocks: CPython 3.12 and 3.13 compile a comprehension inline,
# on that fixed stack, which a `try` takes a place on around its body, and a handler's body
# one or two more (`except E as name`), a `finally` one, a generator's body one: nothing
# checks it for comprehensions, handlers' names or generators, and 21 places (3.12.1) or
# 23 (3.13.0) crash compile() (tests/redteam_sandbox/test_review5_compiler_blocks.py,
# test_r6_attack_compiler_blocks.py). The rewriter adds one `try` around the top level.
MAX_BLOCKS = 16

# What the rewriter makes of a node is what checking and compiling it cost, and it guards
# some kinds inline, tens of nodes apiece (`a.b` becomes a type test, a table lookup and a
# hook call): a script of 12 000 nodes of those rewrote to 270 000 and took over a second.
# So each node weighs 1, plus, for these kinds, the nodes the rewriter may add for it
# (measured, rounded up), and a script may weigh at most MAX_COMPILE_WEIGHT: about what its
# rewritten tree counts, checked and compiled in a quarter to half a second on a slow shared
# machine (what a task may take, and what a thousand lines of ordinary code take: they weigh
# 20 000 to 58 000; tests/scripting/test_compile_cost.py).
COMPILE_WEIGHTS = MappingProxyType({
    "Attribute": 30, "Subscript": 58, "Slice": 25, "FormattedValue": 35,
    # arithmetic, by operator (`/`, `//`, `**`, `<<`, `>>` are plain hook calls)
    "Add": 45, "Sub": 45, "Mod": 45, "BitOr": 45, "BitXor": 45, "BitAnd": 45, "Mult": 70,
    "Div": 5, "FloorDiv": 5, "Pow": 5, "LShift": 5, "RShift": 5,
    # comparisons, by operator (`is` compares nothing)
    "Eq": 30, "NotEq": 30, "Lt": 30, "LtE": 30, "Gt": 30, "GtE": 30, "In": 70, "NotIn": 70,
    # tick points, scopes, hooks around what C would iterate or hash
    "For": 15, "While": 15, "Try": 15, "FunctionDef": 20, "ClassDef": 20, "Lambda": 10,
    "comprehension": 10, "SetComp": 56, "DictComp": 56, "GeneratorExp": 5, "YieldFrom": 5,
    "Import": 10, "ImportFrom": 10, "alias": 5, "Dict": 5, "Set": 5, "Starred": 5,
    "keyword": 5,
})
# Each operator of a chained comparison (`a < b < c`) is guarded on its own, this much more.
CHAIN_WEIGHT = 40
# Calls guarded inline by the name called, when given arguments: `str(x)`, `int(x)`,
# `float(x)` (the real type for a number or short text) and the methods that hash their
# first argument (`d.get(k)`).
GUARDED_CALLS = frozenset({"str", "int", "float", "get", "pop", "setdefault", "add", "discard",
                           "remove"})
GUARDED_CALL_WEIGHT = 64
# An attribute read of a str method charged by length (`s.upper`, `s.strip()`, `s.zfill(6)`:
# scripting.guards' STR_*_LIMITS) is guarded for a short str too, its type and length tested:
# this much more than other attribute reads.
STR_GUARD_WEIGHT = 20
# The right side of an augmented assignment (`x += ...`) may be copied into both branches of
# its guard: it weighs this many times what it would elsewhere.
AUGMENTED_COPIES = 2
MAX_COMPILE_WEIGHT = 60_000


def pinned_fields() -> MappingProxyType:
    """The field snapshot for the running CPython, or raise if this minor is unaudited."""
    key = sys.version_info[:2]
    try:
        return PINNED_FIELDS[key]
    except KeyError:
        raise RuntimeError(
            f"Python {key[0]}.{key[1]} has not been audited for the script sandbox; "
            "add its AST field snapshot to scripting/policy.py"
        ) from None


def check_runtime_ast() -> None:
    """Refuse to run if CPython's AST differs from the audited snapshot."""
    pinned = pinned_fields()
    for name, fields in pinned.items():
        actual = getattr(ast, name)._fields
        if tuple(actual) != tuple(fields):
            raise RuntimeError(f"ast.{name} fields changed: {actual!r} != {fields!r}")
