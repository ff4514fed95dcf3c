# -*- test-case-name: tests.scripting.test_pipeline -*-
"""The checker: is this AST inside the policy? Pure; reports every violation at once.

It only reads C{scripting.policy}. It never rewrites; C{scripting.rewrite} runs only on trees
that passed here.
"""

from __future__ import annotations

import ast

import attrs

from scripting import policy
from scripting.guards import STR_FAST_LIMITS, STR_LITERAL_ARG_LIMITS, STR_WIDTH_LIMITS


@attrs.frozen(order=True)
class Violation:
    """One way a script breaks the rules, with where and why in words a player can act on."""

    line: int
    col: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.col + 1}: {self.reason}"


def _empty(value: object) -> bool:
    return value is None or value == [] or value == 0 or value == ()


def _bad_name(name: str) -> bool:
    """C{_} alone is an ordinary throwaway name; anything else starting with C{_} is private."""
    return name.startswith("_") and name != "_"


class _Checker:
    def __init__(self) -> None:
        self.allowed = policy.ALLOWED_NODES
        self.pinned = policy.pinned_fields()
        self.violations: list[Violation] = []
        self.count = 0
        self.weight = 0  # what rewriting and compiling it cost (policy.COMPILE_WEIGHTS)
        self.heavy = False  # past policy.MAX_COMPILE_WEIGHT (reported once, where it went)
        self.where: ast.AST = ast.Module(body=[], type_ignores=[])  # the last node with a position

    def add(self, node: ast.AST, reason: str) -> None:
        self.violations.append(
            Violation(getattr(node, "lineno", 1) or 1, getattr(node, "col_offset", 0) or 0, reason)
        )

    # -- the generic walk ---------------------------------------------------------------
    def visit(self, node: ast.AST, ctx: tuple, depth: int = 0, copies: int = 1) -> None:
        self.count += 1
        if self.count > policy.MAX_AST_NODES:
            if self.count == policy.MAX_AST_NODES + 1:
                self.add(node, "the script is too large")
            return
        if hasattr(node, "lineno"):
            self.where = node  # an operator has no position: its expression's is shown
        self.weight += copies * _weight(node)
        if self.weight > policy.MAX_COMPILE_WEIGHT and not self.heavy:
            self.heavy = True
            self.add(self.where, _TOO_HEAVY)
        if depth > policy.MAX_NESTING * 4:
            self.add(node, "the script is nested too deeply")
            return
        kind = type(node).__name__
        fields = self.allowed.get(kind)
        if fields is None or kind not in self.pinned:
            self.add(node, policy.REFUSED_NODES.get(kind, f"{_describe(kind)} is not allowed"))
            return
        for field in node._fields:
            value = getattr(node, field, None)
            if field not in fields:
                if not _empty(value):
                    self.add(node, _field_reason(kind, field))
                continue
            if isinstance(value, str) and kind != "Constant":
                self.identifier(node, kind, field, value, ctx)
        special = getattr(self, "check_" + kind, None)
        if special is not None:
            special(node, ctx)
        child_ctx = self.child_ctx(node, ctx)
        for field in node._fields:
            if field not in fields:
                continue
            value = getattr(node, field, None)
            times = copies * policy.AUGMENTED_COPIES if (
                kind == "AugAssign" and field == "value") else copies
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item, child_ctx(field), depth + 1, times)
                    elif isinstance(item, str):
                        self.identifier(node, kind, field, item, ctx)
            elif isinstance(value, ast.AST):
                self.visit(value, child_ctx(field), depth + 1, times)

    def child_ctx(self, node: ast.AST, ctx: tuple):
        """ctx = (in_class_body, finally_loop_depth or None, loop_depth)."""
        _, fin, loops = ctx
        if isinstance(node, (ast.FunctionDef, ast.Lambda)):
            return lambda field: (False, None, 0)
        if isinstance(node, ast.ClassDef):
            return lambda field: (field == "body", None, 0)
        if isinstance(node, ast.Try):
            def for_try(field):
                if field == "finalbody":
                    return (False, 0, loops)
                return (False, fin, loops)
            return for_try
        if isinstance(node, (ast.For, ast.While)):
            def for_loop(field):
                if field == "body":
                    return (False, None if fin is None else fin + 1, loops + 1)
                return (False, fin, loops)
            return for_loop
        return lambda field: (False, fin, loops)

    # -- identifiers: every string-valued field that is not a literal ---------------------
    def identifier(self, node: ast.AST, kind: str, field: str, name: str, ctx: tuple) -> None:
        if kind in ("alias", "ImportFrom") and field in ("name", "module"):
            parts = name.split(".")
            if len(parts) > 1:
                self.add(node, f"import plain module names only, not dotted names like {name!r}")
            if name == "*":
                return  # reported by check_ImportFrom
            if any(_bad_name(p) for p in parts):
                self.add(node, f"names starting with '_' are private: {name!r}")
            return
        if kind == "FunctionDef" and field == "name" and ctx[0] and name in policy.ALLOWED_DUNDERS:
            return
        if kind == "Attribute" and field == "attr" and name in ("__init__", "__name__"):
            return  # checked in check_Attribute
        if kind in ("Attribute", "keyword", "Global", "Nonlocal", "alias") and name == "_":
            self.add(node, "'_' may only be used as a throwaway variable")
            return
        if _bad_name(name):
            if kind == "FunctionDef" and name.startswith("__") and name.endswith("__"):
                self.add(node, f"the special method {name!r} is not allowed; allowed are: "
                         + ", ".join(sorted(policy.ALLOWED_DUNDERS)) + " (directly in a class)")
            else:
                self.add(node, f"names starting with '_' are private and cannot be used: {name!r}")

    # -- node-specific rules --------------------------------------------------------------
    def check_Attribute(self, node: ast.Attribute, ctx: tuple) -> None:
        if node.attr == "__init__":
            v = node.value
            ok = (isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == "super"
                  and isinstance(node.ctx, ast.Load))
            if not ok:
                self.add(node, "'__init__' may only be reached as super().__init__(...)")
        elif node.attr == "__name__" and not isinstance(node.ctx, ast.Load):
            self.add(node, "'__name__' can be read, not changed")

    def check_ImportFrom(self, node: ast.ImportFrom, ctx: tuple) -> None:
        if node.level:
            self.add(node, "relative imports are not allowed")
        if any(a.name == "*" for a in node.names):
            self.add(node, "'from ... import *' is not allowed; name what you import")
        if node.module is None:
            self.add(node, "say which module to import from")

    def check_ClassDef(self, node: ast.ClassDef, ctx: tuple) -> None:
        if node.keywords:
            self.add(node, "class keywords (such as metaclass=) are not allowed")

    def check_comprehension(self, node: ast.comprehension, ctx: tuple) -> None:
        if node.is_async:
            self.add(node, "async comprehensions are not allowed")

    def check_ExceptHandler(self, node: ast.ExceptHandler, ctx: tuple) -> None:
        if node.type is not None and not _simple_exc(node.type):
            self.add(node.type, "an 'except' clause may name exception classes only")

    def check_Compare(self, node: ast.Compare, ctx: tuple) -> None:
        if len(node.ops) > 1 and any(isinstance(o, (ast.In, ast.NotIn)) for o in node.ops):
            self.add(node, "chained comparisons with 'in' are not allowed; split them with 'and'")

    # A starred target (`a, *b = x`) unpacks a whole iterable in C: the rewriter charges
    # what it unpacks (`$star`, `$ustar`), which it can do for the value of an assignment
    # and for the items of a `for` or comprehension, not for a tuple nested in a target.
    def check_Assign(self, node: ast.Assign, ctx: tuple) -> None:
        for target in node.targets:
            self._starred_targets(target, top=True)

    def check_For(self, node: ast.For, ctx: tuple) -> None:
        self._starred_targets(node.target, top=True)

    def check_comprehension_targets(self, node: ast.comprehension) -> None:
        self._starred_targets(node.target, top=True)

    def _starred_targets(self, target: ast.AST, top: bool) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                if isinstance(elt, ast.Starred):
                    if not top:
                        self.add(elt, "a starred target may not be nested in another tuple "
                                      "(unpack in two steps)")
                    self._starred_targets(elt.value, top=False)
                else:
                    self._starred_targets(elt, top=False)

    def check_Starred(self, node: ast.Starred, ctx: tuple) -> None:
        pass  # store-context placement is checked by the assignment that holds it

    def check_Return(self, node: ast.Return, ctx: tuple) -> None:
        if ctx[1] is not None:
            self.add(node, "'return' inside 'finally' is not allowed (it would swallow errors)")

    def check_Break(self, node: ast.Break, ctx: tuple) -> None:
        if ctx[1] == 0:
            self.add(node, "'break' inside 'finally' is not allowed (it would swallow errors)")

    def check_Continue(self, node: ast.Continue, ctx: tuple) -> None:
        if ctx[1] == 0:
            self.add(node, "'continue' inside 'finally' is not allowed (it would swallow errors)")

    def check_Slice(self, node: ast.Slice, ctx: tuple) -> None:
        pass


_TOO_HEAVY = (
    f"the script is too big to compile: its checks weigh more than "
    f"{policy.MAX_COMPILE_WEIGHT} by here (each attribute read, index, comparison, sum, "
    "product or f-string field weighs 30 to 70 for the checks it gets, most other parts 1): "
    "shorten it, or move part of it into a library")


#: attributes the rewriter also reads natively on a short str (see C{_attribute_guard})
_STR_GUARDED = frozenset(STR_FAST_LIMITS) | frozenset(STR_LITERAL_ARG_LIMITS) \
    | frozenset(STR_WIDTH_LIMITS)


def _weight(node: ast.AST) -> int:
    """What C{node} adds to the rewritten tree, at most: itself and the guards the rewriter
    puts around it (C{policy.COMPILE_WEIGHTS})."""
    weight = 1 + policy.COMPILE_WEIGHTS.get(type(node).__name__, 0)
    if isinstance(node, ast.Compare) and len(node.ops) > 1:
        weight += policy.CHAIN_WEIGHT * len(node.ops)
    elif isinstance(node, ast.Attribute) and node.attr in _STR_GUARDED:
        weight += policy.STR_GUARD_WEIGHT
    elif isinstance(node, ast.Call) and node.args:
        func = node.func
        called = func.id if isinstance(func, ast.Name) else (
            func.attr if isinstance(func, ast.Attribute) else None)
        if called in policy.GUARDED_CALLS:
            weight += policy.GUARDED_CALL_WEIGHT
    return weight


def compile_weight(tree: ast.AST) -> int:
    """What checking and compiling C{tree} costs, in nodes of the tree the rewriter makes
    of it (about; see C{policy.COMPILE_WEIGHTS}): each node weighs 1 and its guards."""
    checker = _Checker()
    checker.visit(tree, (False, None, 0))
    return checker.weight


def _simple_exc(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        return _simple_exc(node.value)
    if isinstance(node, ast.Tuple):
        return all(isinstance(e, (ast.Name, ast.Attribute)) and _simple_exc(e) for e in node.elts)
    return False


def _describe(kind: str) -> str:
    return {
        "Match": "'match'", "With": "'with'",
    }.get(kind, f"the construct {kind!r}")


def _field_reason(kind: str, field: str) -> str:
    if field == "type_params":
        return "type parameters are not allowed"
    if field == "keywords" and kind == "ClassDef":
        return "class keywords (such as metaclass=) are not allowed"
    if field == "is_async":
        return "async comprehensions are not allowed"
    return f"{kind}.{field} is not allowed"


_FINALLY = ("'yield' inside a 'try' that has 'finally' is not allowed (the 'finally' would "
            "run whenever the generator is dropped): move the yield out of the try, or use "
            "try/except ValueError")
_CATCH_ALL = ("'yield' inside a 'try' whose 'except' is bare or names something other than a "
              "built-in Exception class is not allowed (it would run whenever the generator is "
              "dropped): move the yield out of the try, or use try/except ValueError")


def _bound_names(tree: ast.AST) -> set[str]:
    """Every name the script binds or declares anywhere, in any scope."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
    return names


def _catches_only(handler: ast.ExceptHandler, safe: frozenset[str]) -> bool:
    """Whether C{handler} names only built-in C{Exception} classes the script never rebinds
    (so the C{GeneratorExit} of a dropped generator passes through it, running nothing)."""
    kind = handler.type
    elts = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return all(isinstance(e, ast.Name) and e.id in safe for e in elts)


def _finalizing_yields(tree: ast.AST, checker: _Checker) -> None:
    """
    Refuse every C{yield} that a C{finally} or a catching handler of its own function
    encloses: CPython closes a paused generator when its last reference goes, raising
    C{GeneratorExit} at the C{yield}, and those would run script code right then, inside
    whatever trusted or rewritten code dropped the reference.
    """
    safe = policy.GENERATOR_CATCHABLE - _bound_names(tree)

    stack: list[tuple[ast.AST, tuple]] = [(tree, ())]  # a loop: any depth parses
    while stack:
        node, trys = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            for t, part in trys:
                if t.finalbody:
                    checker.add(node, _FINALLY)
                    break
                if part == "body" and not all(_catches_only(h, safe) for h in t.handlers):
                    checker.add(node, _CATCH_ALL)
                    break
        scoped = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                   ast.ClassDef))
        for field, value in ast.iter_fields(node):
            inner = trys
            if scoped and field == "body":
                inner = ()  # a new function: its own generator
            elif isinstance(node, ast.Try) and field in ("body", "handlers", "orelse"):
                inner = (*trys, (node, field))
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST):
                    stack.append((child, inner))


def validate(tree: ast.AST) -> list[Violation]:
    """Every violation of the policy in C{tree}, sorted by position (empty if it is allowed)."""
    checker = _Checker()
    checker.visit(tree, (False, None, 0))
    # slices may appear only as the direct index of a subscript
    for node in ast.walk(tree) if checker.count <= policy.MAX_AST_NODES else ():
        if isinstance(node, ast.Subscript):
            continue
        for field in getattr(node, "_fields", ()):
            value = getattr(node, field, None)
            children = value if isinstance(value, list) else [value]
            for child in children:
                if isinstance(child, ast.Slice):
                    checker.add(child, "a slice is only allowed inside [...]")
        if isinstance(node, ast.comprehension):
            checker.check_comprehension_targets(node)
    if checker.count <= policy.MAX_AST_NODES:
        _finalizing_yields(tree, checker)
        _nested_blocks(tree, checker)
    return sorted(set(checker.violations))


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPES = (ast.FunctionDef, ast.Lambda, ast.ClassDef)


def _is_generator_body(node: ast.AST) -> bool:
    """Does the function or lambda C{node} yield (not counting scopes nested in it)?"""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        if isinstance(child, (ast.Yield, ast.YieldFrom)):
            return True
        if not isinstance(child, (*_SCOPES, ast.GeneratorExp)):
            stack.extend(ast.iter_child_nodes(child))
    return False


def _nested_blocks(tree: ast.AST, checker: _Checker) -> None:
    """At most L{policy.MAX_BLOCKS} places on CPython's stack of exception handlers in one
    function, counted as CPython 3.12 and 3.13 compile them (measured: they overflow it,
    unchecked, past 20 and 22): a comprehension one (inlined; a generator expression and a
    class body are counted as if they were too, more than CPython needs, never less); a
    C{try} one around its body when it has handlers, one around a handler's body (two
    with C{as name}: its cleanup, and the name's), and one more around all of those when it
    has a C{finally}, whose own body has one; a generator function's body one, a C{yield
    from} one more. A function's
    or lambda's body starts again (its defaults and decorators are the enclosing
    function's)."""
    limit = policy.MAX_BLOCKS
    message = (f"the script is nested too deeply: at most {limit} comprehensions, 'try' "
               "blocks and handlers inside one another")
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (*_COMPREHENSIONS, ast.YieldFrom)):
            depth += 1
        if depth > limit:
            checker.add(node, message)
            continue
        if isinstance(node, ast.Try):
            outer = depth + 1 if node.finalbody else depth
            parts: list[tuple[list, int]] = [
                (node.body, outer + 1 if node.handlers else outer),
                (node.orelse, outer), (node.finalbody, depth + 1)]
            for handler in node.handlers:
                parts.append(([handler], outer + (2 if handler.name else 1)))
            if max(d for part, d in parts if part) > limit:
                checker.add(node, message)
                continue
            for part, d in parts:
                stack.extend((child, d) for child in part)
            continue
        for field, value in ast.iter_fields(node):
            inner = depth
            if isinstance(node, (ast.FunctionDef, ast.Lambda)) and field == "body":
                inner = 1 if _is_generator_body(node) else 0
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST):
                    stack.append((child, inner))
