# -*- test-case-name: tests.scripting.test_pipeline -*-
"""The rewriter: insert calls to C{$}-named hooks into a tree that already passed validation.

C{$} cannot appear in a Python identifier, so no script can name, shadow or rebind a hook.
Every name this module emits is listed in C{EMITTED}; a contract test checks that the
runtime (C{scripting.hooks.HOOK_NAMES}) implements exactly these.
"""

from __future__ import annotations

import ast
from types import CodeType
from typing import Any

from scripting.charge import SHORT_LEAF
from scripting.guards import (
    LITERAL_ARG_MAX,
    STR_FAST_LIMITS,
    STR_LITERAL_ARG_LIMITS,
    STR_WIDTH_LIMITS,
    WIDTH_LITERAL_MAX,
)
from scripting.task import LEAST, LEAST_MAX

COUNTER = "$t"
# Inline guards (see `_Rewriter._guard`): walrus temporaries, the constants the guards
# test against, and one table per attribute name read (`$a.append`: the exact types whose
# instances may have `append` read natively; kept by the runtime, see hooks.AttributeTypes).
TEMPS = frozenset({"$l", "$c", "$r", "$q"})
GUARDS = frozenset({"$type", "$len", "$int", "$float", "$str", "$tuple", "$dict", "$set",
                    "$LEAVES", "$HASHED", "$BIG", "$NBIG", "$DEC", "$NDEC"})
# Calls of builtins that skip the type facade (`_Rewriter._builtin_call`): `$b.range` is,
# per module, the real `range`, or whatever the module's `range` is bound to instead (an
# endowment; see hooks.builtin_values). A name the script binds anywhere is never one.
BUILTIN_PREFIX = "$b."
DIRECT_BUILTINS = frozenset({"range"})  # its facade only calls the real type
# real only for arguments the facade charges nothing (float() charges text as int() does)
GUARDED_BUILTINS = frozenset({"str", "int", "float"})
FAST_BUILTINS = DIRECT_BUILTINS | GUARDED_BUILTINS
# Methods that hash their first argument, and the exact type on which a call of one with
# that argument already through the key guard (`$hk` for tuples) runs natively.
HASHING_CALLS = {"get": "$dict", "pop": "$dict", "setdefault": "$dict", "add": "$set",
                 "discard": "$set", "remove": "$set"}
SHORT_STR = 64  # hooks.SHORT: a concatenation this short is not charged
STATEMENT_DUPLICABLE = 400  # nodes of a right side `x += <it>` may copy into both branches
#: a number guard whose left side is a number guard proved to give a number folds into it
#: (L{_Rewriter._folded}); tests turn it off to compare the charges
FOLD_NUMBERS = True
ATTR_PREFIX = "$a."

EMITTED = frozenset({
    "$getattr", "$write", "$iadd", "$imul", "$ipow", "$ilshift", "$imod", "$ior", "$augattr",
    "$isub", "$iand", "$ixor", "$augitem", "$mul", "$pow", "$lshift", "$add",
    "$mod", "$in", "$star", "$kwargs", "$dstar", "$citer", "$giter", "$tick", "$lam",
    "$import", "$importfrom", "$format", "$fjoin", "$slice", "$sub", "$or", "$and", "$xor",
    "$cmp", "$cc", "$hk", "$sset", "$augslice", "$ustar", "$cmark", "$ckept", "$caught",
    "$raise", "$gen", "$riter",
})
_ORDERING = {ast.Eq: 0, ast.NotEq: 1, ast.Lt: 2, ast.LtE: 3, ast.Gt: 4, ast.GtE: 5}
_CHAIN_CODES = {**_ORDERING, ast.Is: 6, ast.IsNot: 7}  # hooks.cc

_BINOP_HOOKS = {ast.Mult: "$mul", ast.Pow: "$pow", ast.LShift: "$lshift", ast.Add: "$add",
                ast.Mod: "$mod", ast.Sub: "$sub", ast.BitOr: "$or", ast.BitAnd: "$and",
                ast.BitXor: "$xor"}  # the last four copy sets and dicts
_INPLACE_HOOKS = {ast.Add: "$iadd", ast.Mult: "$imul", ast.Pow: "$ipow", ast.LShift: "$ilshift",
                  ast.Mod: "$imod", ast.BitOr: "$ior", ast.Sub: "$isub", ast.BitAnd: "$iand",
                  ast.BitXor: "$ixor"}
_AUG_NAMES = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
              ast.Mod: "%", ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|",
              ast.BitXor: "^", ast.BitAnd: "&"}


def _number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float, complex)


def _cannot_amplify(op: ast.operator, left: ast.AST, right: ast.AST) -> bool:
    """True when an operand is a numeric literal that rules out any amplification.

    C{x + 1}, C{2 % x} and C{x * 1.5} either work on numbers (bounded work) or raise
    TypeError for sequences; a script class cannot define the reflected methods. These stay
    native for speed. (C{x * 3} does not: a list times an int is a repetition; nor does
    C{x % 2}: x may be a format string with a huge width; nor C{x << 3}: repeated, it grows
    an int without bound.)
    """
    if isinstance(op, (ast.Add, ast.Sub, ast.BitOr, ast.BitAnd, ast.BitXor)):
        return _number(left) or _number(right)
    if isinstance(op, ast.Mod):
        return _number(left)
    if isinstance(op, ast.Mult):
        return (_number(left) and _number(right)) or any(
            isinstance(n, ast.Constant) and type(n.value) in (float, complex)
            for n in (left, right))
    return False


def _name(id: str, ctx: ast.expr_context | None = None) -> ast.Name:
    assert id in EMITTED or id == COUNTER or id in TEMPS or id in GUARDS or (
        id.startswith(BUILTIN_PREFIX) and id[len(BUILTIN_PREFIX):] in FAST_BUILTINS) or (
        id.startswith(ATTR_PREFIX) and not id[len(ATTR_PREFIX):].startswith("_")), id
    return ast.Name(id=id, ctx=ctx or ast.Load())


def _type_of(expr: ast.expr) -> ast.Call:
    return ast.Call(func=_name("$type"), args=[expr], keywords=[])


def _is(left: ast.expr, op: ast.cmpop, right: ast.expr) -> ast.Compare:
    return ast.Compare(left=left, ops=[op], comparators=[right])


def _bound_first(test: ast.expr) -> ast.NamedExpr:
    """The walrus that binds a guard's temporary: the first thing C{test} evaluates."""
    node: ast.AST = test
    while not isinstance(node, ast.NamedExpr):
        if isinstance(node, ast.BoolOp):
            node = node.values[0]
        elif isinstance(node, ast.Compare):
            node = node.left
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            node = node.args[0]
        else:
            raise AssertionError("a guard's test must bind its temporary first")
    return node


def _guard(test: ast.expr, body: ast.expr, orelse: ast.expr) -> ast.IfExp:
    """C{body if test else orelse}, for an inline guard whose C{test} binds its temporary
    first and tests its exact type, and whose C{body} reads the temporary again.

    Binding the temporary drops what it held; if that was the last reference to a paused
    script generator, closing it may run script code right then, before the test: code that
    can bind the same temporary again (a comprehension's C{$c} is shared by every
    comprehension and generator expression of its scope). So the test first checks that the
    temporary still holds what was bound, C{($t := v) is $t}, and every test after reads the
    temporary, not the value bound: from that check to the body's read nothing runs that
    could drop a script object (identity and exact-type tests, C{len} of a str), so what
    the body reads is what was tested. A temporary changed meanwhile goes to the hook,
    which takes any object."""
    bound = _bound_first(test)
    target = bound.target
    assert isinstance(target, ast.Name)

    class _Read(ast.NodeTransformer):
        def visit_NamedExpr(self, node: ast.NamedExpr) -> ast.AST:
            if node is bound:
                return ast.Name(id=target.id, ctx=ast.Load())
            return self.generic_visit(node)

    rest = _Read().visit(test)
    same = ast.Compare(left=bound, ops=[ast.Is()], comparators=[_name(target.id)])
    return ast.IfExp(test=ast.BoolOp(op=ast.And(), values=[same, rest]), body=body,
                     orelse=orelse)


def _is_generator(node: ast.FunctionDef | ast.ClassDef | ast.Lambda) -> bool:
    """Does C{node}'s own scope pause (C{yield}, C{yield from}, C{await})? A class body
    never does (Python refuses it there)."""
    if isinstance(node, ast.Lambda):
        stack: list[ast.AST] = [node.body]
    elif not isinstance(node, ast.FunctionDef):
        return False
    else:
        stack = list(node.body)
    while stack:
        inner = stack.pop()
        if isinstance(inner, (ast.Yield, ast.YieldFrom, ast.Await)):
            return True
        if isinstance(inner, _OWN_SCOPES):
            stack.extend(_run_outside(inner))
        else:
            stack.extend(ast.iter_child_nodes(inner))
    return False


def _run_outside(node: ast.AST) -> list[ast.AST]:
    """What of a nested scope C{node} (function, lambda, class, comprehension) runs in
    the scope around it: a yield there makes that scope a generator
    (C{def f(x=(yield)): ...}, C{[v for v in (yield)]}). Every field but a function's,
    lambda's or class's body and a comprehension's element and other loops."""
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return [node.generators[0].iter]
    parts: list[ast.AST] = []
    for field, value in ast.iter_fields(node):
        if field != "body":
            parts.extend(v for v in (value if isinstance(value, list) else [value])
                         if isinstance(v, ast.AST))
    return parts


def _number_literal(node: ast.AST) -> bool:
    """An int or float literal (not a bool): a number operation with it on the right and
    an int or a float on the left gives exactly an int or a float."""
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _simple(node: ast.AST) -> bool:
    """A name or a literal: evaluating it twice does what evaluating it once does."""
    return isinstance(node, ast.Name) or (
        isinstance(node, ast.Constant) and type(node.value) in (int, float, str, bool))


_NOT_DUPLICATED = (ast.NamedExpr, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                   ast.GeneratorExp, ast.Yield, ast.YieldFrom, ast.IfExp)


def _hashable_leaf(bound: ast.NamedExpr, temp: str) -> ast.BoolOp:
    """C{type(t) is str and len(t) <= SHORT_LEAF or type(t) is int or type(t) not in
    $LEAVES}, t bound first: a key that C hashes and compares with the key of equal hash
    it finds in bounded work (no tuple or frozenset; the other containers cannot be hashed:
    C refuses them at once; no long string or bytes: one equal to it but another object is
    compared byte by byte). Strings and ints, the usual keys, are told by identity tests,
    cheaper than a lookup."""
    return ast.BoolOp(op=ast.Or(), values=[
        _short_str(bound, temp),
        _is(_type_of(_name(temp)), ast.Is(), _name("$int")),
        _is(_type_of(_name(temp)), ast.NotIn(), _name("$LEAVES"))])


def _short_str(bound: ast.expr, temp: str) -> ast.BoolOp:
    """C{type(t) is str and len(t) <= SHORT_LEAF} (C{bound} evaluates t first): a string
    C compares with any other in about a step (their common length is no longer)."""
    return ast.BoolOp(op=ast.And(), values=[
        _is(_type_of(bound), ast.Is(), _name("$str")),
        _is(ast.Call(func=_name("$len"), args=[_name(temp)], keywords=[]), ast.LtE(),
            ast.Constant(SHORT_LEAF))])


def _ints(values: tuple[int, ...]) -> ast.Tuple:
    """A tuple of int literals (Python folds it into one constant)."""
    return ast.Tuple(elts=[ast.Constant(v) for v in values], ctx=ast.Load())


def _scalar_literal(node: ast.AST) -> bool:
    """A literal number, string, bytes, bool or None: what C compares with anything in
    bounded work (its own length at most)."""
    return isinstance(node, ast.Constant) and type(node.value) in _SCALARS


_SCALARS = (int, float, complex, str, bytes, bool, type(None))


def _duplicable(node: ast.AST) -> bool:
    """Small, and holding no guard of its own: it may appear in both branches of a guard
    (only one runs), and the copies cannot nest into exponential code."""
    count = 0
    for sub in ast.walk(node):
        count += 1
        if count > 40 or isinstance(sub, _NOT_DUPLICATED):
            return False
    return True


def _size(node: ast.AST) -> int:
    return sum(1 for _ in ast.walk(node))


def _short_literal(node: ast.AST) -> bool:
    """An int, None, or a str of at most LITERAL_ARG_MAX characters, written out."""
    if not isinstance(node, ast.Constant):
        return False
    value = node.value
    return value is None or type(value) is int or (
        type(value) is str and len(value) <= LITERAL_ARG_MAX)


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _int_or_none(node: ast.AST) -> bool:
    """None or an int written out (C{-1} too): a slice bound that runs no code."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and (node.value is None or type(node.value) is int)


def _width_literals(call: ast.Call) -> bool:
    """C{s.zfill(6)}, C{s.ljust(10, ".")}: no keywords, a width written out as an int of
    at most WIDTH_LITERAL_MAX, and at most a one-character str literal after it."""
    args = call.args
    if call.keywords or not 1 <= len(args) <= 2:
        return False
    width = args[0]
    if isinstance(width, ast.UnaryOp) and isinstance(width.op, ast.USub):
        width = width.operand  # a negative width pads nothing
    if not (isinstance(width, ast.Constant) and type(width.value) is int
            and width.value <= WIDTH_LITERAL_MAX):
        return False
    return len(args) == 1 or (isinstance(args[1], ast.Constant) and type(args[1].value) is str
                              and len(args[1].value) == 1)


_ABSENT = object()


def _clone(node: Any) -> Any:
    """A copy of an AST (sub)tree, several times faster than C{copy.deepcopy} (it runs on
    every guard, so it bounds how long a big script takes to compile).

    Only what the node's class declares is copied (its C{_fields} and C{_attributes}: the
    children and the location); anything else a caller hung on a node (a parent link, an
    analysis' notes) stays behind, so it can neither reach the rewritten tree nor make the
    copy walk back up the tree."""
    if isinstance(node, ast.AST):
        cls = node.__class__
        new = cls.__new__(cls)
        for name in cls._fields + cls._attributes:
            value = getattr(node, name, _ABSENT)
            if value is not _ABSENT:
                setattr(new, name, _clone(value))
        return new
    if type(node) is list:
        return [_clone(v) for v in node]
    return node


def _call(hook: str, *args: ast.expr) -> ast.Call:
    return ast.Call(func=_name(hook), args=list(args), keywords=[])


# Nodes that may build a new object holding existing ones, i.e. add a nesting level: a
# call (any callable may wrap its arguments: a generator, an instance, `zip`...), a display,
# a comprehension, a function, lambda or class, a raise (exception context chains).
_BUILDERS = (ast.Call, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.ListComp, ast.SetComp,
             ast.DictComp, ast.GeneratorExp, ast.Lambda, ast.FunctionDef, ast.ClassDef,
             ast.Raise)
BUILD_COST = 2  # ticks per builder: one task nests at most half its ticks deep
RESUME_COST = 1  # the tick point right after a yield (see `_Rewriter._resumed`)
# A generator's entry costs this much more: the step that first suspends it. C frees a chain
# of suspended generators (each holding the next) recursively, and Python 3.13 closes each
# inside the deallocation of the one before, at a few hundred bytes of C stack a level: a
# chain some 37 000 deep overflows an 8 MiB stack. So one task suspends at most a few
# thousand in a chain (16 ticks a level), far below that even on top of the 10 000 levels a
# module may keep between tasks (scripting.domain.STATE_MAX_DEPTH).
GENERATOR_COST = 10


# Every generator a script makes is counted while it lives (`hooks.gen`, `$gen`): a
# generator expression is made inside `$gen(...)`, and a generator function (or lambda)
# becomes a plain one with the same name, parameters, defaults and decorators whose body
# makes the generator of an inner one and hands it to `$gen`. A method's inner one is
# made inside it, named INNER (so that `super()` finds its class):
#
#     def walk(self, depth=1, *more):          def walk(self, depth=1, *more):
#         yield depth                  ->          def $inner(self, depth, more, /):
#                                                      yield depth
#                                                  return $gen($inner(self, depth, more))
#
# Anywhere else it is made once, right before the outer one, in the same scope (where
# its names mean what they meant), named `$inner<n>.<name>`, unique in the module:
#
#     def walk(depth=1):                       def $inner1.walk(depth, /):
#         yield depth                  ->          yield depth
#                                              def walk(depth=1):
#                                                  return $gen($inner1.walk(depth))
#
# The inner one takes every parameter positionally, as it was bound (the `*` tuple and
# the `**` dict as they are), so it binds them as the original did without running
# anything; its first is the original's first, for `super()`. `unmain` gives its code the
# outer one's name.
INNER = "$inner"


def is_inner(name: str) -> bool:
    """Is C{name} the name of a generator function's inner one (INNER, or
    C{$inner<n>.<name>})?"""
    number, dot, _ = name[len(INNER):].partition(".")
    return name.startswith(INNER) and (name == INNER or (number.isdigit() and dot == "."))


def _forwarded(args: ast.arguments) -> ast.arguments:
    """The inner function's parameters: each of C{args}, positional only, no defaults."""
    return ast.arguments(posonlyargs=[ast.arg(arg=name) for name in _parameters(args)],
                         args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None,
                         defaults=[])


def _parameters(args: ast.arguments) -> list[str]:
    names = [a.arg for a in (*args.posonlyargs, *args.args)]
    if args.vararg is not None:
        names.append(args.vararg.arg)
    names.extend(a.arg for a in args.kwonlyargs)
    if args.kwarg is not None:
        names.append(args.kwarg.arg)
    return names


def _counted(inner: str | ast.Lambda, args: ast.arguments) -> ast.Call:
    """C{$gen(inner(<every parameter of args>))}."""
    func = ast.Name(id=inner, ctx=ast.Load()) if isinstance(inner, str) else inner
    return _call("$gen", ast.Call(func=func, args=[ast.Name(id=name, ctx=ast.Load())
                                                   for name in _parameters(args)],
                                  keywords=[]))


def _builders(nodes: list) -> int:
    """How many builders the straight-line code in C{nodes} holds (an upper bound on what
    it executes between two tick points). Bodies with their own tick point are not counted:
    loop bodies, functions, lambdas, handlers, C{finally}, comprehension elements."""
    count = 0
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, _BUILDERS) and not (
                isinstance(node, (ast.Tuple, ast.List)) and not isinstance(node.ctx, ast.Load)):
            count += 1
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Lambda)):
            # Only the body runs later, behind its own tick point; every other field
            # (decorators, bases, defaults, annotations, whatever a later Python adds)
            # runs here and is counted.
            for field, value in ast.iter_fields(node):
                if field != "body":
                    stack.extend(v for v in (value if isinstance(value, list) else [value])
                                  if isinstance(v, ast.AST))
            continue
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            stack.append(node.generators[0].iter)
            continue
        if isinstance(node, ast.For):
            stack.append(node.iter)
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.While):
            stack.append(node.test)
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Try):
            stack.extend(node.body)
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return count


def _cost(nodes: list) -> int:
    return 1 + BUILD_COST * _builders(nodes)


def _element_cost(node: ast.AST) -> int:
    """Ticks per element of a comprehension: everything but the first iterable runs per
    element (a walrus or a mutating call can nest one level per element)."""
    parts: list = []
    for field in ("elt", "key", "value"):
        if hasattr(node, field):
            parts.append(getattr(node, field))
    for i, gen in enumerate(node.generators):  # type: ignore[attr-defined]
        parts.extend(gen.ifs)
        if i:
            parts.append(gen.iter)
    return _cost(parts)


def _tick_stmts(declare: bool, cost: int = 1, cell: bool = True) -> list[ast.stmt]:
    """C{$t -= cost; if $t < 0: $tick()} -- the countdown; C{$tick} refills or aborts.

    A scope's first tick point (C{declare}) declares C{$t} C{nonlocal}: the countdown is a
    closure cell of the function C{$cell} around the top level (see L{_as_function}),
    cheaper to count down than a global (no dict store); a module that cannot run as a
    function (C{cell} false) does not compile, and declares it global as Python expects.
    Without a location, they take the one of the node whose body they open (the C{def},
    C{for}, C{while} or C{except} line): L{scripting.errors} recognises a frame stopped at
    a function's first tick point by that."""
    stmts: list[ast.stmt] = []
    if declare:
        stmts.append(ast.Nonlocal(names=[COUNTER]) if cell else ast.Global(names=[COUNTER]))
    stmts.append(ast.AugAssign(target=_name(COUNTER, ast.Store()), op=ast.Sub(),
                               value=ast.Constant(cost)))
    stmts.append(ast.If(
        test=ast.Compare(left=_name(COUNTER), ops=[ast.Lt()], comparators=[ast.Constant(0)]),
        body=[ast.Expr(_call("$tick"))], orelse=[]))
    return stmts


_NUMERIC_FAST = (ast.Add, ast.Sub, ast.Mod, ast.BitOr, ast.BitAnd, ast.BitXor)


def _starred(target: ast.AST) -> bool:
    """A C{for}/comprehension target with a starred name (C{for a, *b in ...}): each item
    is unpacked whole in C, so the rewriter has it materialised (charged) first."""
    return isinstance(target, (ast.Tuple, ast.List)) and any(
        isinstance(e, ast.Starred) for e in target.elts)


def _slice_parts(s: ast.Slice) -> list[ast.expr]:
    return [part if part is not None else ast.Constant(None)
            for part in (s.lower, s.upper, s.step)]


class _Desugar(ast.NodeTransformer):
    """Annotations are never evaluated: C{x: int = 1} becomes C{x = 1} (C{x: int}, which
    binds nothing, becomes C{pass}), and parameters and returns lose theirs."""

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.stmt:
        self.generic_visit(node)
        if node.value is None:
            return ast.copy_location(ast.Pass(), node)
        return ast.copy_location(ast.Assign(targets=[node.target], value=node.value), node)

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.annotation = None
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        self.generic_visit(node)
        node.returns = None
        return node


class _Rewriter(ast.NodeTransformer):
    """Hooks, ticks and inline guards.

    An inline guard is C{(fast if <exact-type test> else $hook(...))}: the operand is bound
    once to a temporary (C{$l}; C{$c} inside comprehensions), its exact type (the real
    C{type()}, as C{$type}) is tested against constants no script can name or change, and
    only then does the operation run natively; anything else goes to the hook, as before.
    Temporaries are walrus targets, which Python refuses in class bodies and comprehension
    iterables: there the hooks are called directly (C{temp_ok}).
    """

    def __init__(self) -> None:
        self.cell = True  # is the countdown a closure cell (see `_tick_stmts`)?
        self.temp_ok = [True]  # may a walrus temporary be bound here?
        self.in_comp = [0]  # per scope: how deep inside comprehensions
        self.attributes: set[str] = set()  # names read through `$a.` tables
        # methods called with short literal arguments only (`line.strip()`)
        self.literal_calls: set[ast.Attribute] = set()
        # padding methods called with a small literal width (`s.zfill(6)`)
        self.width_calls: set[ast.Attribute] = set()
        # `d.get(k)`, `s.add(k)`...: the exact type on which the method runs natively
        self.hashing_calls: dict[ast.Attribute, str] = {}
        # builtins whose name the script never binds (set by rewrite_with_attributes)
        self.free_builtins: frozenset[str] = frozenset()
        # per scope: is it a generator's body (its frame is pushed again on every resume)?
        self.generator = [False]
        # per scope: is it a class body (a generator function defined there keeps its
        # inner one inside it, see INNER)?
        self.class_body = [False]
        self.inners = 0  # generator functions whose inner one was defined beside them
        # the cheapest tick point that may open a frame (see `_note`); None: none yet
        self.least: int | None = None
        # yields whose resume the statement after theirs ticks (see `_resumed`)
        self.statement_yields: set[ast.AST] = set()
        # number guards whose native branch gives exactly an int or a float (see `_folded`)
        self.numbers: set[ast.expr] = set()
        # `*` guards over a name: their float test and right side (see `_numeric`)
        self.float_branches: dict[ast.expr, tuple[ast.BoolOp, ast.expr]] = {}
        # per scope: names that hold exactly an int wherever they are read (see `_ranged`)
        self.known_ints: list[frozenset[str]] = [frozenset()]

    def _note(self, cost: int) -> None:
        """Note a tick point that may be the first a new frame runs: a function's, class
        body's, lambda's or the top level's entry, or any tick point of a generator's body
        (resuming one pushes its frame again, with no entry). The module's countdown is
        refilled by C{least} times L{scripting.task.REFILL} ticks at a time (see
        L{scripting.task.Task.refill}), so the depth probe still runs at most every
        C{REFILL} frames of the module."""
        if self.least is None or cost < self.least:
            self.least = cost

    def visit(self, node: ast.AST) -> ast.AST | list[ast.AST] | None:
        """Visit C{node}; what replaces it takes its place in the source (line and column),
        so a traceback through rewritten code shows the line the script wrote."""
        new = super().visit(node)
        if new is not node and isinstance(node, (ast.expr, ast.stmt)):
            for made in new if isinstance(new, list) else (new,):
                if isinstance(made, ast.AST) and not hasattr(made, "lineno"):
                    ast.copy_location(made, node)
        return new

    def _temp(self) -> str:
        return "$c" if self.in_comp[-1] else "$l"

    def _fields(self, node: ast.AST, fields: tuple[str, ...]) -> None:
        """generic_visit, restricted to C{fields}."""
        for field in fields:
            old = getattr(node, field, None)
            if isinstance(old, list):
                new: list = []
                for item in old:
                    if isinstance(item, ast.AST):
                        item = self.visit(item)
                        if item is None:
                            continue
                        if not isinstance(item, ast.AST):
                            new.extend(item)
                            continue
                    new.append(item)
                old[:] = new
            elif isinstance(old, ast.AST):
                setattr(node, field, self.visit(old))

    def _in_scope(self, node: ast.AST, fields: tuple[str, ...], temp_ok: bool) -> None:
        self.temp_ok.append(temp_ok)
        self.in_comp.append(0)
        self.known_ints.append(frozenset())  # a new scope: its names are its own
        self._fields(node, fields)
        self.known_ints.pop()
        self.in_comp.pop()
        self.temp_ok.pop()

    # -- scopes and ticks -----------------------------------------------------------------
    # Every tick point charges 1 plus BUILD_COST for each builder its straight-line code
    # holds (counted on the original tree, before hooks are inserted).
    def visit_Module(self, node: ast.Module) -> ast.Module:
        cost = _cost(node.body)
        self._note(cost)
        self.generic_visit(node)
        node.body[0:0] = _tick_stmts(False, cost)
        return node

    def _visit_scope(self, node: ast.FunctionDef | ast.ClassDef) -> ast.AST | list[ast.stmt]:
        # A function or class body is a new scope: its first statements declare
        # `nonlocal $t` (see `_tick_stmts`) and charge the body's tick point. Decorators,
        # defaults and bases run in the enclosing scope; a class body binds walrus targets
        # as class attributes, so no temporaries there.
        cost = _cost(node.body)
        generator = _is_generator(node)
        if generator:  # its entry suspends it, holding what it holds (see GENERATOR_COST)
            cost += GENERATOR_COST
        self._note(cost)
        outside = ("decorator_list", "args", "returns") if isinstance(node, ast.FunctionDef) \
            else ("decorator_list", "bases", "keywords")
        self._fields(node, outside)
        self.generator.append(generator)
        self.class_body.append(isinstance(node, ast.ClassDef))
        self._in_scope(node, ("body",), isinstance(node, ast.FunctionDef))
        self.class_body.pop()
        self.generator.pop()
        node.body[0:0] = _tick_stmts(True, cost, self.cell)
        if not generator:
            return node
        assert isinstance(node, ast.FunctionDef)
        if self.class_body[-1]:  # a method: its inner one inside it, for `super()`
            name = INNER
        else:  # beside it, made once (not at every call)
            self.inners += 1
            name = f"{INNER}{self.inners}.{node.name}"
        inner = ast.FunctionDef(name=name, args=_forwarded(node.args), body=node.body,
                                decorator_list=[], returns=None, type_comment=None)
        node.body = [ast.Return(value=_counted(name, node.args))]
        if name == INNER:
            node.body.insert(0, inner)
            return node
        return [ast.copy_location(inner, node), node]

    def visit_arguments(self, node: ast.arguments) -> ast.arguments:
        # defaults run in the enclosing scope (a class body, for methods)
        self.generic_visit(node)
        return node

    visit_FunctionDef = visit_ClassDef = _visit_scope

    def _ticks(self, cost: int = 1) -> list[ast.stmt]:
        if self.generator[-1]:
            self._note(cost)
        return _tick_stmts(False, cost)  # the scope declared `$t` at its top

    def visit_For(self, node: ast.For) -> ast.For:
        cost = _cost(node.body)
        self.generic_visit(node)
        node.body[0:0] = self._ticks(cost)
        if _starred(node.target):
            node.iter = _call("$ustar", node.iter)
        return node

    def visit_While(self, node: ast.While) -> ast.While:
        cost = _cost([node.test, *node.body])  # the test runs once per iteration too
        self.generic_visit(node)
        node.body[0:0] = self._ticks(cost)
        return node

    def visit_Try(self, node: ast.Try) -> ast.Try:
        costs = [_cost(h.body) for h in node.handlers]
        final = _cost(node.finalbody)
        self.generic_visit(node)
        for handler, cost in zip(node.handlers, costs, strict=True):
            handler.body[0:0] = self._ticks(cost)
        if node.handlers:
            # `$caught()` first, once an error arrives: a RecursionError is never the
            # script's to catch (see hooks.caught). Before the first clause reads the
            # classes it names (`except ($caught() or X.Y):`), for reading them can raise
            # too (a missing attribute: an error trusted code may swallow, hiding the
            # RecursionError, before any handler's body ran); every later clause and
            # handler is reached only through it. A bare `except:` (always the last, so
            # then the only one) calls it first thing in its body.
            first = node.handlers[0]
            if first.type is not None:
                first.type = ast.BoolOp(op=ast.Or(), values=[_call("$caught"), first.type])
            else:
                first.body.insert(0, ast.Expr(_call("$caught")))
        if node.finalbody:
            # `$caught()` first here too: a finally block that raises (StopIteration in a
            # `__next__`, AttributeError in a property) would replace a RecursionError with
            # an error C or trusted code swallows, no handler of the script's running
            node.finalbody[0:0] = [ast.Expr(_call("$caught")), *self._ticks(final)]
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.Lambda:
        cost = _cost([node.body])
        if _is_generator(node):  # a lambda that yields starts a generator too
            cost += GENERATOR_COST
        self._note(cost)
        self._fields(node, ("args",))
        self.generator.append(False)  # its one tick point is its entry, noted above
        self.class_body.append(False)
        self._in_scope(node, ("body",), True)
        self.class_body.pop()
        self.generator.pop()
        node.body = ast.IfExp(test=_call("$lam", ast.Constant(cost)), body=node.body,
                              orelse=ast.Constant(None))
        if _is_generator(node):
            inner = ast.Lambda(args=_forwarded(node.args), body=node.body)
            node.body = _counted(inner, node.args)
        return node

    def _comp(self, node: ast.AST, hook: str) -> ast.AST:
        cost = _element_cost(node)
        # Python refuses walrus targets in any iterable of a comprehension; elsewhere in
        # it they bind in the enclosing scope (`$c`, so `$l` stays a fast local there).
        outer = self.known_ints[-1]
        rebound = {n.id for gen in node.generators  # type: ignore[attr-defined]
                   for n in ast.walk(gen.target) if isinstance(n, ast.Name)}
        for i, gen in enumerate(node.generators):  # type: ignore[attr-defined]
            self.temp_ok.append(False)
            # the first iterable runs in the enclosing scope; the others in the
            # comprehension's, where its targets are its own names
            self.known_ints.append(outer if i == 0 else outer - rebound)
            self._fields(gen, ("iter",))
            self.known_ints.pop()
            self.temp_ok.pop()
        ranged = self._ranged(node.generators)  # type: ignore[attr-defined]
        self.known_ints.append((outer - rebound) | ranged)
        self.in_comp[-1] += 1
        for gen in node.generators:  # type: ignore[attr-defined]
            self._fields(gen, ("target", "ifs"))
        self._fields(node, ("elt", "key", "value"))
        # a set comprehension's element, a dict comprehension's key: the key guard (a
        # tuple is charged its walk), with the comprehension's temporary `$c`
        if isinstance(node, ast.SetComp):
            node.elt = self._key(node.elt)
        elif isinstance(node, ast.DictComp):
            node.key = self._key(node.key)
        self.in_comp[-1] -= 1
        self.known_ints.pop()
        for gen in node.generators:  # type: ignore[attr-defined]
            if isinstance(gen.target, ast.Name) and gen.target.id in ranged:
                gen.iter = _call("$riter", gen.iter)  # the real range, or ints checked
            gen.iter = _call(hook, gen.iter, ast.Constant(cost))
            if _starred(gen.target):
                gen.iter = _call("$ustar", gen.iter)
        return node

    @staticmethod
    def _ranged(generators: list[ast.comprehension]) -> frozenset[str]:
        """The names of a comprehension that hold exactly an int wherever its body reads
        them: a generator's target that is a bare name, over C{$b.range(...)} (the real
        C{range}: the script binds the name C{range} nowhere, see L{_builtin_call}), bound
        by no other generator of it. Nothing else can bind it there: Python refuses an
        assignment expression to a comprehension's iteration variable (in it and in any
        comprehension inside it), a nested comprehension's or lambda's names are its own
        (L{_in_scope}, L{_comp} take them out), and no statement runs inside an
        expression. Its body's number guards use that (L{_number_guard}, L{_key})."""
        counts: dict[str, int] = {}
        for gen in generators:
            for n in ast.walk(gen.target):
                if isinstance(n, ast.Name):
                    counts[n.id] = counts.get(n.id, 0) + 1
        return frozenset(
            gen.target.id for gen in generators
            if isinstance(gen.target, ast.Name) and counts[gen.target.id] == 1
            and isinstance(gen.iter, ast.Call) and isinstance(gen.iter.func, ast.Name)
            and gen.iter.func.id == BUILTIN_PREFIX + "range")

    @staticmethod
    def _kept(node: ast.expr) -> ast.expr:
        """C{$ckept($cmark(), <comprehension>)}: the slots C{$citer} reserved up front for
        the elements it walks become the slots the result keeps (see L{hooks.ckept})."""
        return _call("$ckept", _call("$cmark"), node)

    def visit_ListComp(self, node: ast.ListComp) -> ast.AST:
        return self._kept(self._comp(node, "$citer"))  # type: ignore[arg-type]

    def visit_SetComp(self, node: ast.SetComp) -> ast.AST:
        return self._kept(self._comp(node, "$citer"))  # type: ignore[arg-type]

    def visit_DictComp(self, node: ast.DictComp) -> ast.AST:
        return self._kept(self._comp(node, "$citer"))  # type: ignore[arg-type]

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> ast.AST:
        self._comp(node, "$giter")
        return _call("$gen", node)  # counted while it lives (see INNER)

    def visit_YieldFrom(self, node: ast.YieldFrom) -> ast.AST:
        # `yield from range(10**12)` would let C feed a consumer with no tick in between
        self.generic_visit(node)
        node.value = _call("$giter", node.value, ast.Constant(1))
        return self._resumed(node)

    def visit_Yield(self, node: ast.Yield) -> ast.AST:
        self.generic_visit(node)
        return self._resumed(node)

    # Resuming a generator pushes its frame again, with no entry: the code after a `yield`
    # may call straight into another resume (`x = next(inner)`), a frame per generator of a
    # chain with no tick point between them. So every resume is a tick point of its own,
    # right after the `yield` (or `yield from`) returns: the statement's next one when the
    # yield is a statement's whole value (`yield x`, `x = yield`), else `$lam` inside the
    # expression. Each may open a frame: noted for the stride (see `_note`).
    def _resumed(self, node: ast.Yield | ast.YieldFrom) -> ast.expr:
        self._note(RESUME_COST)
        if node in self.statement_yields:
            return node
        return ast.Subscript(value=ast.Tuple(elts=[node, _call("$lam", ast.Constant(RESUME_COST))],
                                             ctx=ast.Load()),
                             slice=ast.Constant(0), ctx=ast.Load())

    def _yield_statement(self, node: ast.Expr | ast.Assign) -> bool:
        """Is C{node}'s value a yield whose resume the next statement can tick (a plain
        statement of a function, assigning to names only)?"""
        if not isinstance(node.value, (ast.Yield, ast.YieldFrom)) or not self.generator[-1]:
            return False
        if isinstance(node, ast.Assign) and not all(
                isinstance(t, ast.Name) for t in node.targets):
            return False
        self.statement_yields.add(node.value)
        return True

    def visit_Expr(self, node: ast.Expr) -> ast.AST | list[ast.stmt]:
        if not self._yield_statement(node):
            self.generic_visit(node)
            return node
        self.generic_visit(node)
        return [node, *_tick_stmts(False, RESUME_COST)]

    def visit_Raise(self, node: ast.Raise) -> ast.Raise:
        # `raise $raise(exc[, cause])`: an error instance raised while another is handled
        # is raised by the hook, so that it never takes the handled one's chain of
        # contexts (see hooks.raise_); a bare `raise` re-raises, linking nothing.
        self.generic_visit(node)
        if node.exc is not None:
            args = [node.exc] if node.cause is None else [node.exc, node.cause]
            node.exc, node.cause = _call("$raise", *args), None
        return node

    # -- attributes and subscripts -----------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load):
            if self.temp_ok[-1] and not node.attr.startswith("_"):
                return self._attribute_guard(node.value, node.attr,
                                             node in self.literal_calls,
                                             self.hashing_calls.get(node),
                                             node in self.width_calls)
            return _call("$getattr", node.value, ast.Constant(node.attr))
        node.value = _call("$write", node.value)  # Store / Del: only on your own objects
        return node

    def _attribute_guard(self, value: ast.expr, attr: str, literal_args: bool = False,
                         hashing: str | None = None, literal_width: bool = False
                         ) -> ast.expr:
        """C{obj.name}: read natively when obj's exact type is in the table C{$a.name}
        (basic types whose C{name} is plain, and the domain's plain classes once the
        hook has seen them), or, for str methods charged by length, when obj is a str
        short enough that they are not charged (for methods charged by their
        arguments, only when called with short literals, C{literal_args}; for padding
        methods, only when called with a small literal width, C{literal_width}); for a call of
        a method that hashes its first argument (C{HASHING_CALLS}), when obj is exactly
        the type named by C{hashing} (the call's first argument went through the key
        guard, see C{visit_Call}); else C{$getattr}."""
        t = self._temp()
        self.attributes.add(attr)
        test: ast.expr = _is(_type_of(ast.NamedExpr(target=_name(t, ast.Store()), value=value)),
                             ast.In(), _name(ATTR_PREFIX + attr))
        limit = STR_FAST_LIMITS.get(attr)
        if limit is None and literal_args:
            limit = STR_LITERAL_ARG_LIMITS.get(attr)
        if limit is None and literal_width:
            limit = STR_WIDTH_LIMITS.get(attr)
        if limit is not None:
            short = ast.BoolOp(op=ast.And(), values=[
                _is(_type_of(_name(t)), ast.Is(), _name("$str")),
                _is(ast.Call(func=_name("$len"), args=[_name(t)], keywords=[]), ast.LtE(),
                    ast.Constant(limit))])
            test = ast.BoolOp(op=ast.Or(), values=[test, short])
        if hashing is not None:
            test = ast.BoolOp(op=ast.Or(), values=[
                test, _is(_type_of(_name(t)), ast.Is(), _name(hashing))])
        fast = ast.Attribute(value=_name(t), attr=attr, ctx=ast.Load())
        return _guard(test, fast, _call("$getattr", _name(t), ast.Constant(attr)))

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.slice, (ast.Slice, ast.Constant)):
            # a dict hashes its key: tuples are charged their walk
            node.slice = self._key(node.slice)
        if isinstance(node.slice, ast.Slice):
            if isinstance(node.ctx, ast.Load):
                return self._slice_guard(node.value, _slice_parts(node.slice))
            # `xs[a:b] = it`, `del xs[::2]`: the target is a charging stand-in for xs
            node.value = _call("$sset", node.value)
        return node

    def _slice_guard(self, value: ast.expr, parts: list[ast.expr]) -> ast.expr:
        """C{s[a:b:c]}: natively when s is exactly a str of at most C{SHORT_STR}
        characters (the slice is no longer, and C{$slice} would charge it nothing but
        its memory, as C{$add} does not for a concatenation that short) and every bound
        is None, an int literal, or a name holding exactly an int (read again in the
        native branch: nothing runs between the test and the slice); else C{$slice}."""
        if not self.temp_ok[-1] or not all(_int_or_none(p) or isinstance(p, ast.Name)
                                           for p in parts):
            return _call("$slice", value, *parts)
        t = self._temp()
        tests: list[ast.expr] = [
            _is(_type_of(ast.NamedExpr(target=_name(t, ast.Store()), value=value)), ast.Is(),
                _name("$str")),
            _is(ast.Call(func=_name("$len"), args=[_name(t)], keywords=[]), ast.LtE(),
                ast.Constant(SHORT_STR))]
        tests += [_is(_type_of(_clone(p)), ast.Is(), _name("$int"))
                  for p in parts if isinstance(p, ast.Name)]
        lower, upper, step = (None if _is_none(p) else _clone(p) for p in parts)
        fast = ast.Subscript(value=_name(t), slice=ast.Slice(lower=lower, upper=upper,
                                                               step=step), ctx=ast.Load())
        return _guard(ast.BoolOp(op=ast.And(), values=tests), fast,
                      _call("$slice", _name(t), *parts))

    def _key(self, key: ast.expr) -> ast.expr:
        """C{key}, charged its walk first if it is a tuple or frozenset (hashing a tuple walks
        it; a lookup that finds an equal hash compares either in depth)."""
        if self._int_name(key) or (key in self.numbers and not isinstance(key, ast.IfExp)):
            return key  # an int or a float: hashed natively, as the guard would
        if FOLD_NUMBERS and isinstance(key, ast.IfExp) and self._numeric(key):
            # its native branch gives an int or a float: the guard only in its hook branch
            return ast.IfExp(test=key.test, body=key.body, orelse=self._key(key.orelse))
        if not self.temp_ok[-1]:
            return _call("$hk", key)
        t = self._temp()
        return _guard(
            _hashable_leaf(ast.NamedExpr(target=_name(t, ast.Store()), value=key), t),
            _name(t), _call("$hk", _name(t)))

    # -- operators ---------------------------------------------------------------------------
    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        hook = _BINOP_HOOKS.get(type(node.op))
        if hook is None or _cannot_amplify(node.op, node.left, node.right):
            return node
        if isinstance(node.op, ast.Add):
            joined = self._short_concat(node.left, node.right)
            if joined is not None:
                return joined
        guarded = self._number_guard(node.left, node.op, node.right, hook)
        return guarded if guarded is not None else _call(hook, node.left, node.right)

    def _short_concat(self, left: ast.expr, right: ast.expr) -> ast.expr | None:
        """C{"w" + x}, C{x + "="}: natively when x is exactly a str and the result is
        short enough that C{$add} would not charge it (the literal is a str; else
        C{$add})."""
        if not self.temp_ok[-1]:
            return None
        literal_left = isinstance(left, ast.Constant) and type(left.value) is str
        literal = left if literal_left else right
        if not (isinstance(literal, ast.Constant) and type(literal.value) is str):
            return None
        room = SHORT_STR - len(literal.value)
        if room < 0:
            return None
        t = self._temp()
        bound = ast.NamedExpr(target=_name(t, ast.Store()), value=right if literal_left else left)
        test = ast.BoolOp(op=ast.And(), values=[
            _is(_type_of(bound), ast.Is(), _name("$str")),
            _is(ast.Call(func=_name("$len"), args=[_name(t)], keywords=[]), ast.LtE(),
                ast.Constant(room))])
        pair = (literal, _name(t)) if literal_left else (_name(t), literal)
        return _guard(test, ast.BinOp(left=pair[0], op=ast.Add(), right=pair[1]),
                      _call("$add", _clone(pair[0]), _clone(pair[1])))

    def _number_guard(self, left: ast.expr, op: ast.operator, right: ast.expr,
                      hook: str, statement: bool = False, fold: bool = True
                      ) -> ast.expr | None:
        """C{a op b} natively when a is exactly an int or a float (for C{*}: a float, or two
        ints below 2**2048, whose product stays within MAX_INT_BITS); else C{hook(a, b)}.
        With a number on the left, + - % | & ^ cannot amplify: a sequence on the right
        raises TypeError, and a script class's reflected method is script code.

        C{right} appears in both branches (only one runs), so it must be small and hold no
        guard, which could nest copies into exponential code; for the right side of an
        augmented assignment to a name (C{statement}), which nothing nests, one copy of a
        bigger side is made for + % |, whose guard tests the left side only: the left is
        bound (and pushed) before the right side runs, as Python evaluates them."""
        if not self.temp_ok[-1]:
            return None
        if not _duplicable(right) and not (statement and isinstance(op, _NUMERIC_FAST)
                                           and _size(right) <= STATEMENT_DUPLICABLE):
            return None
        known = self._known_number(left, op, right)
        if known is not None:
            return known
        if (fold and FOLD_NUMBERS and isinstance(op, _NUMERIC_FAST)
                and isinstance(left, ast.IfExp) and self._numeric(left)):
            return self._folded(left, op, right, hook)
        t = self._temp()
        bound = ast.NamedExpr(target=_name(t, ast.Store()), value=left)
        if isinstance(op, ast.Mult):
            if not _simple(right):
                return None

            def small(x: ast.expr) -> ast.expr:
                return ast.Compare(left=_name("$NBIG"), ops=[ast.Lt(), ast.Lt()],
                                   comparators=[x, _name("$BIG")])

            ints = [_is(_type_of(_name(t)), ast.Is(), _name("$int")), small(_name(t))]
            if not (isinstance(right, ast.Constant) and type(right.value) is int
                    and abs(right.value) < 1 << 64):
                ints += [_is(_type_of(_clone(right)), ast.Is(), _name("$int")),
                         small(_clone(right))]
            branches = ast.BoolOp(op=ast.Or(), values=[
                _is(_type_of(bound), ast.Is(), _name("$float")),
                ast.BoolOp(op=ast.And(), values=ints)])
            test: ast.expr = branches
        elif isinstance(op, _NUMERIC_FAST):
            # two identity tests, the int first: ~80 instructions a guard fewer than
            # membership in a frozenset of the two types (hashing the type)
            test = ast.BoolOp(op=ast.Or(), values=[
                _is(_type_of(bound), ast.Is(), _name("$int")),
                _is(_type_of(_name(t)), ast.Is(), _name("$float"))])
        else:
            return None
        guard = _guard(test, ast.BinOp(left=_name(t), op=op, right=right),
                       _call(hook, _name(t), _clone(right)))
        if _number_literal(right):
            self.numbers.add(guard)
        elif isinstance(op, ast.Mult):
            # a float times a script object runs its __rmul__, which may return anything:
            # a number only once the float branch tests the right side too (`_numeric`)
            self.float_branches[guard] = (branches, right)
        return guard

    def _numeric(self, node: ast.expr) -> bool:
        """Is C{node} a number guard whose native branch gives exactly an int or a float
        (L{numbers})? A C{*} guard over a name becomes one here: its float branch is made
        to test that the name holds exactly an int or a float (a float times anything
        else takes the hook). Only a guard being folded is changed so: a product that
        nothing folds keeps the smaller test (the largest scripts of products)."""
        if node in self.numbers:
            return True
        found = self.float_branches.pop(node, None)
        if found is None:
            return False
        branches, right = found
        branches.values[0] = ast.BoolOp(op=ast.And(), values=[
            branches.values[0], ast.BoolOp(op=ast.Or(), values=[
                _is(_type_of(_clone(right)), ast.Is(), _name("$int")),
                _is(_type_of(_clone(right)), ast.Is(), _name("$float"))])])
        self.numbers.add(node)
        return True

    def _int_name(self, node: ast.expr) -> bool:
        """Is C{node} a read of a name that holds exactly an int here (L{_ranged})?"""
        return (FOLD_NUMBERS and isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
                and node.id in self.known_ints[-1])

    def _known_number(self, left: ast.expr, op: ast.operator, right: ast.expr
                      ) -> ast.expr | None:
        """C{left op right} when C{left} is known to be exactly an int (a name over
        C{range}, L{_ranged}) or a number (a native operation of such, L{numbers}): for
        + - % | & ^ natively, untested (what the number guard's native branch does); for
        C{*} of a name known to be an int, only the size tests (the int branch of the
        number guard, without its type test). Else None. The name is read twice, with
        only comparisons of ints between: nothing can bind it in between."""
        plain = self._int_name(left) or (left in self.numbers
                                         and not isinstance(left, ast.IfExp))
        if not plain:
            return None
        if isinstance(op, _NUMERIC_FAST):
            out: ast.expr = ast.BinOp(left=left, op=op, right=right)
            if _number_literal(right):
                self.numbers.add(out)
            return out
        if not (isinstance(op, ast.Mult) and self._int_name(left) and _simple(right)):
            return None

        def small(x: ast.expr) -> ast.expr:
            return ast.Compare(left=_name("$NBIG"), ops=[ast.Lt(), ast.Lt()],
                               comparators=[x, _name("$BIG")])

        tests = [small(_clone(left))]
        if self._int_name(right):
            if right.id != left.id:  # type: ignore[attr-defined]
                tests.append(small(_clone(right)))
        elif not (isinstance(right, ast.Constant) and type(right.value) is int
                  and abs(right.value) < 1 << 64):
            tests += [_is(_type_of(_clone(right)), ast.Is(), _name("$int")),
                      small(_clone(right))]
        out = ast.IfExp(
            test=tests[0] if len(tests) == 1 else ast.BoolOp(op=ast.And(), values=tests),
            body=ast.BinOp(left=left, op=op, right=right),
            orelse=_call("$mul", _clone(left), _clone(right)))
        self.numbers.add(out)
        return out

    def _folded(self, inner: ast.IfExp, op: ast.operator, right: ast.expr,
                hook: str) -> ast.IfExp:
        """C{inner op right}, where C{inner} is a number guard whose native branch gives
        exactly an int or a float (L{numbers}) and C{op} is one of + - % | & ^, which the
        number guard runs natively on such a left side: the operation goes into C{inner}'s
        native branch, untested (C{inner}'s test already held; its native branch reads
        only its temporary, then C{right} runs, as Python evaluates them), and the whole
        number guard, unfolded, into its hook branch, where the hook's result may be
        anything. So the native path tests once where it tested twice, and the hook path
        is what it was. The hook branch never folds again: a chain of n operations stays
        O(n) code (folding there too would copy each step's right side into every level
        below it)."""
        slow = self._number_guard(inner.orelse, op, _clone(right), hook, fold=False)
        assert slow is not None  # same checks as passed for this guard
        out = ast.IfExp(test=inner.test, body=ast.BinOp(left=inner.body, op=op, right=right),
                        orelse=slow)
        if _number_literal(right):
            self.numbers.add(out)
        return out

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        op = ast.Constant(_AUG_NAMES[type(node.op)])
        target = node.target
        if isinstance(target, ast.Name):
            hook = _INPLACE_HOOKS.get(type(node.op))
            if hook is None or _cannot_amplify(node.op, target, node.value):
                # /= //= >>= (and `n += 1`) cannot amplify: left native (-= &= ^= can
                # compare a set's elements of equal hash in depth: charged by the hook)
                return node
            load = ast.Name(id=target.id, ctx=ast.Load())
            value = None
            if isinstance(node.op, (ast.Add, ast.Mod, ast.Sub, ast.BitAnd, ast.BitXor)):
                value = self._number_guard(load, node.op, node.value, hook, statement=True)
            if value is None:
                value = _call(hook, ast.Name(id=target.id, ctx=ast.Load()), node.value)
            return ast.Assign(targets=[target], value=value)
        if isinstance(target, ast.Attribute):  # value already wrapped in $write by visit_Attribute
            obj = target.value
            return ast.Expr(_call("$augattr", obj, ast.Constant(target.attr), op, node.value))
        if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Slice):
            # visit_Subscript wrapped the list in $sset: $augslice reads and writes it charged
            obj = target.value.args[0]  # type: ignore[attr-defined]
            return ast.Expr(_call("$augslice", obj, *_slice_parts(target.slice), op,
                                  node.value))
        if isinstance(target, ast.Subscript):
            return ast.Expr(_call("$augitem", target.value, target.slice, op, node.value))
        raise AssertionError("validated trees only")

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        # `==`, `<`... on lists/tuples/dicts/sets walk both structures in C, aliases and
        # all (`t = (t, t)` doubles the walk per step): charged by `$cmp`/`$cc`. A literal
        # number or string exempts one comparison alone, the literal's own: C tells it from
        # a container by type (O(1)) and compares it with a string or number in the
        # literal's length; a script object's method is script code, which ticks. In a
        # chain it exempts nothing: every pair goes through `$cc` unless both of its
        # operands are exactly ints or floats (`[a] == [b] == 1` compares `[a]` with `[b]`).
        self.generic_visit(node)
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            test = self._in_guard(node.left, node.comparators[0])
            if isinstance(node.ops[0], ast.NotIn):
                return ast.UnaryOp(op=ast.Not(), operand=test)
            return test
        if all(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            return node  # identity compares nothing
        if len(node.ops) == 1:
            right = node.comparators[0]
            if _scalar_literal(node.left) or _scalar_literal(right):
                return node
            hook = _call("$cmp", node.left, right, ast.Constant(_ORDERING[type(node.ops[0])]))
            if not self.temp_ok[-1] or not _duplicable(right):
                return hook
            # C walks both sides only when both are containers, and compares two strings
            # or bytes up to their common length: a left side that is neither a container
            # nor a long string or bytes compares natively
            t = self._temp()
            hook.args[0] = _name(t)
            hook.args[1] = _clone(right)
            return _guard(
                ast.BoolOp(op=ast.Or(), values=[
                    _is(_type_of(ast.NamedExpr(target=_name(t, ast.Store()),
                                               value=node.left)),
                        ast.NotIn(), _name("$LEAVES")),
                    _short_str(_name(t), t)]),
                ast.Compare(left=_name(t), ops=node.ops, comparators=[right]),
                hook)
        # a chain (`in` is refused in one by validate): each pair is compared through
        # `$cc` at the moment it is compared (both operands charged, and refused if they
        # hold a script object), so what a later operand's code does to an earlier one
        # is seen; `a < b < c` is `a < b and b < c`, b evaluated once
        operands = [node.left, *node.comparators]
        if not self.temp_ok[-1]:
            # no temporary here (a class body, a comprehension's iterable): every operand
            # is evaluated first, then the pairs are compared in order, as far as they hold
            codes = tuple(_CHAIN_CODES[type(op)] for op in node.ops)
            return _call("$cc", _ints(codes), *operands)
        return ast.BoolOp(op=ast.And(), values=[
            self._chained(i, operands[i] if i == 0 else None, op, operands[i + 1])
            for i, op in enumerate(node.ops)])

    def _chained(self, i: int, left: ast.expr | None, op: ast.cmpop,
                 right: ast.expr) -> ast.expr:
        """Pair C{i} of a chained comparison: C{left} (or, when None, the previous pair's
        right operand, held in a temporary) compared with C{right}, which is bound to the
        other temporary for the next pair (the two take turns). Natively when both are
        exactly ints or floats (inline, as in C{0 <= i < n}), or for C{is}; else through
        C{$cc}. The inline test binds both operands before it tests their types and reads
        them right after, so nothing runs between the test and the comparison; it is used
        only when C{right} binds no temporary itself (which could rebind the left one)."""
        one, other = ("$c", "$q") if self.in_comp[-1] else ("$l", "$r")
        lt, rt = (one, other) if i % 2 == 0 else (other, one)
        first = left if left is not None else _name(lt)
        bound = ast.NamedExpr(target=_name(rt, ast.Store()), value=right)
        if isinstance(op, (ast.Is, ast.IsNot)):
            return _is(first, op, bound)
        if not _duplicable(right):
            # the left operand is on the stack before the right one's guards run
            return _call("$cc", _ints((_ORDERING[type(op)],)), first, bound)

        def number(temp: str) -> ast.expr:
            return ast.BoolOp(op=ast.Or(), values=[
                _is(_type_of(_name(temp)), ast.Is(), _name("$int")),
                _is(_type_of(_name(temp)), ast.Is(), _name("$float"))])

        def literal(x: ast.expr) -> bool:
            return isinstance(x, ast.Constant) and type(x.value) in (int, float)

        tests: list[ast.expr]
        if left is None:  # held by the previous pair
            tests = [_is(bound, ast.Is(), _name(rt)), number(lt)]
            left_value: ast.expr = first
        elif literal(first):  # a number needs neither a temporary nor a test
            tests = [_is(bound, ast.Is(), _name(rt))]
            left_value = first
        else:
            tests = [ast.BoolOp(op=ast.Or(), values=[
                _is(ast.NamedExpr(target=_name(lt, ast.Store()), value=first), ast.Is(), bound),
                ast.Constant(True)])]  # binds the left, then the right: always true
            tests.append(number(lt))
            left_value = _name(lt)
        if not literal(right):
            tests.append(number(rt))
        return ast.IfExp(
            test=tests[0] if len(tests) == 1 else ast.BoolOp(op=ast.And(), values=tests),
            body=_is(_clone(left_value), op, _name(rt)),
            orelse=_call("$cc", _ints((_ORDERING[type(op)],)), _clone(left_value),
                         _name(rt)))

    def _in_guard(self, item: ast.expr, container: ast.expr) -> ast.expr:
        """C{item in container}: natively when the container is exactly a dict, set,
        frozenset or dict view and the item is no container (hashing a tuple walks it, and
        a frozenset or tuple found with an equal hash is compared in depth)."""
        if not self.temp_ok[-1] or not isinstance(container, ast.Name):
            return _call("$in", item, container)
        t = self._temp()
        test = ast.BoolOp(op=ast.And(), values=[
            _hashable_leaf(ast.NamedExpr(target=_name(t, ast.Store()), value=item), t),
            _is(_type_of(_clone(container)), ast.In(), _name("$HASHED"))])
        return _guard(test, _is(_name(t), ast.In(), _clone(container)),
                      _call("$in", _name(t), container))

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        # f"{s}{s}{s}..." repeats one string many times: charge the parts before joining them
        self.generic_visit(node)
        parts = [v.value if isinstance(v, ast.FormattedValue) else v for v in node.values]
        return _call("$fjoin", ast.Tuple(elts=parts, ctx=ast.Load()))

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        self.generic_visit(node)
        if node.conversion == -1 and node.format_spec is None and self.temp_ok[-1]:
            node.value = self._plain_format(node.value)
            return node
        spec = node.format_spec if node.format_spec is not None else ast.Constant("")
        node.value = _call("$format", node.value, ast.Constant(node.conversion), spec)
        node.conversion = -1
        node.format_spec = None
        return node

    def _plain_format(self, value: ast.expr) -> ast.expr:
        """C{f"{x}"}: x itself when it is exactly a str (what C{format(x, "")} gives, and
        what C{$format} charges nothing for); else C{$format}. (An int went natively too
        until the guard checked its temporary first: the bigger test made the largest
        script of f-strings rewrite past L{tests.redteam_sandbox}'s bound on compile work.)"""
        t = self._temp()
        return _guard(
            _is(_type_of(ast.NamedExpr(target=_name(t, ast.Store()), value=value)),
                ast.Is(), _name("$str")),
            _name(t),
            _call("$format", _name(t), ast.Constant(-1), ast.Constant("")))

    # -- unpacking -----------------------------------------------------------------------------
    def visit_Starred(self, node: ast.Starred) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load):
            node.value = _call("$star", node.value)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        func = node.func
        if isinstance(func, ast.Attribute) and not node.keywords and all(
                _short_literal(a) for a in node.args):
            self.literal_calls.add(func)
        if isinstance(func, ast.Attribute) and func.attr in STR_WIDTH_LIMITS \
                and _width_literals(node):
            self.width_calls.add(func)
        hashing = False
        if isinstance(func, ast.Attribute) and isinstance(func.ctx, ast.Load) \
                and func.attr in HASHING_CALLS and self.temp_ok[-1] and not node.keywords \
                and node.args and not isinstance(node.args[0], ast.Starred):
            hashing = True
            self.hashing_calls[func] = HASHING_CALLS[func.attr]
        self.generic_visit(node)
        if hashing:
            # The method (looked up first, as Python does) may be the real dict/set one,
            # which hashes its first argument: a tuple is charged its walk first, as a
            # subscript's key is (the method's value on the stack is safe from `$l`).
            node.args[0] = self._key(node.args[0])
        for kw in node.keywords:
            if kw.arg is None:
                kw.value = _call("$kwargs", kw.value)
        if isinstance(func, ast.Name) and func.id in self.free_builtins and not node.keywords \
                and not any(isinstance(a, ast.Starred) for a in node.args):
            return self._builtin_call(node, func.id)
        return node

    def _builtin_call(self, node: ast.Call, name: str) -> ast.expr:
        """C{range(a, b)}: the real type, which is all its facade calls.
        C{str(x)}: the real C{str} when x is exactly a float or an int of at most 64
        characters; C{int(x)}: the real C{int} when x is exactly a float or a str of at
        most 64 characters; C{float(x)}: the real C{float} when x is exactly a float, an
        int or a str of at most 64 characters (what the facades, L{scripting.safe_builtins},
        charge nothing for); else the name as written. The name is bound nowhere in the
        script, so it means the same before and after the argument runs: it is read after
        it here."""
        real = _name(BUILTIN_PREFIX + name)
        if name in DIRECT_BUILTINS:
            node.func = real
            return node
        if len(node.args) != 1 or not self.temp_ok[-1]:
            return node
        t = self._temp()
        bound = ast.NamedExpr(target=_name(t, ast.Store()), value=node.args[0])
        if name == "str":
            test: ast.expr = ast.BoolOp(op=ast.Or(), values=[
                ast.BoolOp(op=ast.And(), values=[
                    _is(_type_of(bound), ast.Is(), _name("$int")),
                    ast.Compare(left=_name("$NDEC"), ops=[ast.Lt(), ast.Lt()],
                                comparators=[_name(t), _name("$DEC")])]),
                _is(_type_of(_name(t)), ast.Is(), _name("$float"))])
        elif name == "float":
            test = ast.BoolOp(op=ast.Or(), values=[
                _is(_type_of(bound), ast.Is(), _name("$float")),
                _is(_type_of(_name(t)), ast.Is(), _name("$int")),
                ast.BoolOp(op=ast.And(), values=[
                    _is(_type_of(_name(t)), ast.Is(), _name("$str")),
                    _is(ast.Call(func=_name("$len"), args=[_name(t)], keywords=[]), ast.LtE(),
                        ast.Constant(SHORT_STR))])])
        else:
            test = ast.BoolOp(op=ast.Or(), values=[
                ast.BoolOp(op=ast.And(), values=[
                    _is(_type_of(bound), ast.Is(), _name("$str")),
                    _is(ast.Call(func=_name("$len"), args=[_name(t)], keywords=[]), ast.LtE(),
                        ast.Constant(SHORT_STR))]),
                _is(_type_of(_name(t)), ast.Is(), _name("$float"))])
        return _guard(test, ast.Call(func=real, args=[_name(t)], keywords=[]),
                      ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=[_name(t)],
                               keywords=[]))

    def visit_Dict(self, node: ast.Dict) -> ast.AST:
        self.generic_visit(node)
        node.values = [_call("$dstar", v) if k is None else v
                       for k, v in zip(node.keys, node.values, strict=True)]
        node.keys = [k if k is None or isinstance(k, ast.Constant) else _call("$hk", k)
                     for k in node.keys]
        return node

    def visit_Set(self, node: ast.Set) -> ast.AST:
        self.generic_visit(node)
        node.elts = [e if isinstance(e, (ast.Constant, ast.Starred)) else _call("$hk", e)
                     for e in node.elts]
        return node

    def visit_Assign(self, node: ast.Assign) -> ast.AST | list[ast.stmt]:
        if self._yield_statement(node):
            self.generic_visit(node)
            return [node, *_tick_stmts(False, RESUME_COST)]
        self.generic_visit(node)
        if any(isinstance(t, (ast.Tuple, ast.List))
               and any(isinstance(e, ast.Starred) for e in t.elts) for t in node.targets):
            node.value = _call("$star", node.value)
        return node

    # -- imports -------------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for alias in node.names:
            target = ast.Name(id=alias.asname or alias.name, ctx=ast.Store())
            out.append(ast.Assign(targets=[target],
                                  value=_call("$import", ast.Constant(alias.name))))
        return out

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.stmt:
        names = ast.Tuple(elts=[ast.Constant(a.name) for a in node.names], ctx=ast.Load())
        targets = ast.Tuple(elts=[ast.Name(id=a.asname or a.name, ctx=ast.Store())
                                  for a in node.names], ctx=ast.Store())
        return ast.Assign(targets=[targets],
                          value=_call("$importfrom", ast.Constant(node.module), names))


MAIN = "$main"  # the function the top level runs in (see `_as_function`)
CELL = "$cell"  # the function around it holding the countdown (see `_as_function`)
_MAIN_LOCALS = MAIN + ".<locals>."
_CELL_LOCALS = CELL + ".<locals>."
_TOP_LEVEL_ONLY = (ast.Return, ast.Yield, ast.YieldFrom, ast.Await, ast.Global, ast.Nonlocal)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _bound_names(tree: ast.AST) -> set[str]:
    """Every name any scope of C{tree} binds (more than the top level binds; declaring
    the others global in C{$main} changes nothing: their own scopes bind them)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).partition(".")[0])
    return {n for n in names if not is_inner(n)} - TEMPS - {LAMBDA}


_NOT_BINDING = {(ast.Attribute, "attr"), (ast.keyword, "arg"), (ast.Constant, "value"),
                (ast.Constant, "kind")}


def _maybe_bound(tree: ast.AST) -> set[str]:
    """Every name C{tree} might bind anywhere: each string in any field of any node but a
    name read, an attribute's or keyword's name and a constant (so a kind of binding no
    one thought of still counts)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        for field, value in ast.iter_fields(node):
            if (type(node), field) in _NOT_BINDING or (
                    isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
                continue
            if type(value) is str:
                names.add(value)
            elif type(value) is list:
                names.update(v for v in value if type(v) is str)
    return names


def _changes_meaning(body: list[ast.stmt]) -> bool:
    """Does the top level hold what means something else inside a function (C{return},
    C{yield}, C{global}...: all refused by Python at the top level, or no-ops there)?"""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, _TOP_LEVEL_ONLY):
            return True
        if not isinstance(node, _SCOPES):
            stack.extend(ast.iter_child_nodes(node))
    return False


def _no_top_level_globals(module: ast.Module) -> None:
    """Replace each C{global} statement of the top level (outside any function or class)
    by C{pass}: there it means nothing (every name is global already); inside C{$main}
    it would be refused where a name is used before it."""
    stack: list[ast.AST] = [module]
    while stack:
        node = stack.pop()
        for _field, value in ast.iter_fields(node):
            if type(value) is list:
                value[:] = [ast.copy_location(ast.Pass(), v) if isinstance(v, ast.Global)
                            else v for v in value]
                stack.extend(v for v in value if isinstance(v, ast.AST)
                             and not isinstance(v, _SCOPES))
            elif isinstance(value, ast.AST) and not isinstance(value, _SCOPES):
                stack.append(value)


LAMBDA = "<lambda>"  # the local a key lambda made a `def` is bound to (see `_hoist_keys`)
_SIMPLE_STMTS = (ast.Expr, ast.Assign, ast.AugAssign, ast.Return)
_OWN_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
               *_SCOPES)


def _key_lambda(stmt: ast.stmt) -> ast.keyword | None:
    """The first C{key=lambda ...} argument of a call in C{stmt}'s own scope (not inside a
    lambda, comprehension or generator expression of its own) whose lambda has no defaults
    and does not pause (C{yield}, C{await})."""
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.keyword) and node.arg == "key" \
                and isinstance(node.value, ast.Lambda):
            args = node.value.args
            if not args.defaults and not any(args.kw_defaults) and not any(
                    isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await))
                    for n in ast.walk(node.value.body)):
                return node
        if not isinstance(node, _OWN_SCOPES):
            stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return None


def _hoist_keys(body: list[ast.stmt], in_class: bool = False) -> None:
    """Make the first C{key=lambda args: body} of each simple statement (an expression,
    an assignment, a C{return}) in a function's or the top level's body a C{def} right
    before it, named C{<lambda>} and bound to a local of that name, which the statement
    reads instead: C{sorted(xs, key=lambda v: -v)} becomes::

        def <lambda>(v):
            return -v
        sorted(xs, key=<lambda>)

    A C{def} holds its tick point inline (the countdown's statements), where a lambda
    calls C{$lam} for it: one Python frame fewer for every key a sort, C{min} or C{max}
    computes. It means what the lambda meant: the same parameters, the same enclosing
    scope (the statement's own), the same name and qualified name, made just before the
    statement instead of during it (a lambda without defaults runs nothing when it is
    made). Class bodies are left alone (a C{def} there would bind a class attribute), and
    so are lambdas inside comprehensions, generator expressions and other lambdas, which
    are scopes of their own. The tick points cost what they did: a C{def} is a builder
    as a lambda is, and its body is the lambda's body."""
    out: list[ast.stmt] = []
    for stmt in body:
        if not in_class and isinstance(stmt, _SIMPLE_STMTS):
            found = _key_lambda(stmt)
            if found is not None:
                lam = found.value
                assert isinstance(lam, ast.Lambda)
                made = ast.FunctionDef(
                    name=LAMBDA, args=lam.args,
                    body=[ast.copy_location(ast.Return(value=lam.body), lam.body)],
                    decorator_list=[], returns=None, type_comment=None)
                out.append(ast.copy_location(made, lam))
                found.value = ast.copy_location(ast.Name(id=LAMBDA, ctx=ast.Load()), lam)
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(stmt, field, None)
            if type(inner) is not list:
                continue
            if field == "handlers":
                for handler in inner:
                    _hoist_keys(handler.body, in_class)
            else:
                _hoist_keys(inner, isinstance(stmt, ast.ClassDef) or (
                    in_class and not isinstance(stmt, ast.FunctionDef)))
        out.append(stmt)
    body[:] = out


def _function(name: str, body: list[ast.stmt]) -> ast.FunctionDef:
    return ast.FunctionDef(
        name=name, args=ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[],
                                      kw_defaults=[], kwarg=None, defaults=[]),
        body=body, decorator_list=[], returns=None, type_comment=None)


def _as_function(module: ast.Module, least: int = 1) -> ast.Module:
    """Run the rewritten top level as the body of a function C{$main} that declares global
    every name the module binds: the names mean what they meant (the module's globals),
    and the guards' temporaries (C{$l}, C{$c}) become fast locals instead of entries in
    the module's dict. C{$main} is made inside C{$cell}, whose one local is the countdown
    C{$t}: every scope of the script declares it C{nonlocal}, so each tick point counts
    down a closure cell. The module's own code is::

        def $cell():
            $t = 0
            def $main():
                nonlocal $t
                global <every name the module binds>
                <the top level>
            return $main
        $main = $cell()
        del $cell
        $t = $main.__closure__[0]   # the cell, for $tick and the task (see scripting.task)
        $least = <the cheapest tick point that opens a frame>   # (see _Rewriter._note)
        try:
            $main()
        finally:
            del $main

    L{scripting.errors} shows C{$main}'s frames as the top level and leaves out the
    call; L{scripting.task} counts it as one frame. The names of lambdas and generator
    expressions made at the top level do not say C{$main} (see L{unmain}). A module whose
    top level cannot be a function's body (C{return}, C{yield}...) is left as it is: it
    does not compile (L{scripting.compiler} refuses one that would)."""
    if _changes_meaning(module.body):
        return module
    bound = sorted(_bound_names(module) - {COUNTER})
    body: list[ast.stmt] = [ast.Nonlocal(names=[COUNTER])]
    if bound:
        body.append(ast.Global(names=bound))
    body.extend(module.body)
    main = _function(MAIN, body)
    cell = _function(CELL, [
        ast.Assign(targets=[ast.Name(id=COUNTER, ctx=ast.Store())], value=ast.Constant(0)),
        main, ast.Return(value=ast.Name(id=MAIN, ctx=ast.Load()))])
    made: list[ast.stmt] = [
        cell,
        ast.Assign(targets=[ast.Name(id=MAIN, ctx=ast.Store())],
                   value=ast.Call(func=ast.Name(id=CELL, ctx=ast.Load()), args=[],
                                  keywords=[])),
        ast.Delete(targets=[ast.Name(id=CELL, ctx=ast.Del())]),
        ast.Assign(targets=[ast.Name(id=COUNTER, ctx=ast.Store())],
                   value=ast.Subscript(value=ast.Attribute(
                       value=ast.Name(id=MAIN, ctx=ast.Load()), attr="__closure__",
                       ctx=ast.Load()), slice=ast.Constant(0), ctx=ast.Load())),
        ast.Assign(targets=[ast.Name(id=LEAST, ctx=ast.Store())],
                   value=ast.Constant(max(1, min(least, LEAST_MAX)))),
        ast.Try(body=[ast.Expr(ast.Call(func=ast.Name(id=MAIN, ctx=ast.Load()), args=[],
                                        keywords=[]))],
                handlers=[], orelse=[],
                finalbody=[ast.Delete(targets=[ast.Name(id=MAIN, ctx=ast.Del())])])]
    first = module.body[0] if module.body else None
    for stmt in (main, *made):
        if first is not None:
            ast.copy_location(stmt, first)
    module.body = made
    return module


_CO_GENERATOR = 0x20  # inspect.CO_GENERATOR


def unmain(code: CodeType, outer: tuple[str, str, bool, bool] | None = None,
           renamed: tuple[tuple[str, str], ...] = ()) -> CodeType:
    """C{code} with every nested code object's qualified name as it would be at the top
    level (C{<lambda>}, not C{$main.<locals>.<lambda>}): what tracebacks, reprs and
    error messages show. (Functions and classes C{$main} defines are declared global in
    it, so Python already names them as at the top level.) The inner function of a
    generator function or lambda (see L{INNER}) takes the name and qualified name of the
    outer one (C{outer}: the names of the code around it, whether that is a generator
    lambda's outer one, whether it calls C{$gen}), and what is made inside it is named as
    if made inside the outer one (C{renamed}: qualified names so changed, old and new):
    a generator's repr and a traceback through it name what the script named.

    @raise ValueError: a generator's code that is none of those inner functions nor a
        generator expression made inside C{$gen(...)}: one the rewriter did not count
        (a yield where L{_is_generator} did not look), refused rather than run."""
    name = code.co_name
    qualname = code.co_qualname
    if qualname.startswith(_CELL_LOCALS):
        qualname = qualname[len(_CELL_LOCALS):]
    if qualname.startswith(_MAIN_LOCALS):
        qualname = qualname[len(_MAIN_LOCALS):]
    for old, new in renamed:
        if qualname.startswith(old + "."):
            qualname = new + qualname[len(old):]
    if code.co_flags & _CO_GENERATOR:
        was = qualname
        if outer is not None and (name == INNER or (name == LAMBDA and outer[2])):
            name, qualname = outer[0], outer[1]
        elif name != INNER and is_inner(name):  # `$inner<n>.<name>`, made beside it
            name = name.partition(".")[2]
            qualname = qualname[:len(qualname) - len(code.co_name)] + name
        elif not (name == "<genexpr>" and outer is not None and outer[3]):
            raise ValueError(f"a generator the rewriter did not count: {qualname}")
        if was != qualname:
            renamed = (*renamed, (was, qualname))
    counts = "$gen" in code.co_names
    here = (name, qualname, name == LAMBDA and counts and not code.co_flags & _CO_GENERATOR,
            counts)
    consts = tuple(unmain(c, here, renamed) if isinstance(c, CodeType) else c
                   for c in code.co_consts)
    if name == code.co_name and qualname == code.co_qualname and all(
            a is b for a, b in zip(consts, code.co_consts, strict=True)):
        return code
    return code.replace(co_consts=consts, co_name=name, co_qualname=qualname)


def rewrite(tree: ast.Module) -> ast.Module:
    """Return a rewritten copy of a validated module tree, with locations filled in."""
    return rewrite_with_attributes(tree)[0]


def rewrite_with_attributes(tree: ast.Module, *, owned: bool = False
                            ) -> tuple[ast.Module, frozenset[str]]:
    """The rewritten tree, and the attribute names it reads through C{$a.} tables.

    @param owned: the caller made C{tree} for this and will not use it again, so it is
        rewritten in place instead of copied first.
    """
    if not owned:
        tree = _clone(tree)
    tree = _Desugar().visit(tree)
    _no_top_level_globals(tree)
    _hoist_keys(tree.body)
    rewriter = _Rewriter()
    rewriter.free_builtins = FAST_BUILTINS - _maybe_bound(tree)
    rewriter.cell = not _changes_meaning(tree.body)
    tree = rewriter.visit_Module(tree)
    tree = _as_function(tree, rewriter.least or 1)
    return ast.fix_missing_locations(tree), frozenset(rewriter.attributes)

