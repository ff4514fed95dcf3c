# -*- test-case-name: tests.scripting.test_pipeline -*-
"""The rewriter: insert calls to C{$}-named hooks into a tree that already passed validation.

C{$} cannot appear in a Python identifier, so no script can name, shadow or rebind a hook.
Every name this module emits is listed in C{EMITTED}; a contract test checks that the
runtime (C{scripting.hooks.HOOK_NAMES}) implements exactly these.
"""

from __future__ import annotations

import ast
import copy

COUNTER = "$t"

EMITTED = frozenset({
    "$getattr", "$write", "$iadd", "$imul", "$ipow", "$ilshift", "$imod", "$ior", "$augattr",
    "$augitem", "$mul", "$pow", "$lshift", "$add",
    "$mod", "$in", "$star", "$kwargs", "$dstar", "$citer", "$giter", "$tick", "$lam",
    "$import", "$importfrom", "$format", "$fjoin", "$slice", "$sub", "$or", "$and", "$xor",
    "$cmp", "$cv", "$hk",
})
_ORDERING = {ast.Eq: 0, ast.NotEq: 1, ast.Lt: 2, ast.LtE: 3, ast.Gt: 4, ast.GtE: 5}

_BINOP_HOOKS = {ast.Mult: "$mul", ast.Pow: "$pow", ast.LShift: "$lshift", ast.Add: "$add",
                ast.Mod: "$mod", ast.Sub: "$sub", ast.BitOr: "$or", ast.BitAnd: "$and",
                ast.BitXor: "$xor"}  # the last four copy sets and dicts
_INPLACE_HOOKS = {ast.Add: "$iadd", ast.Mult: "$imul", ast.Pow: "$ipow", ast.LShift: "$ilshift",
                  ast.Mod: "$imod", ast.BitOr: "$ior"}
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
    assert id in EMITTED or id == COUNTER, id
    return ast.Name(id=id, ctx=ctx or ast.Load())


def _call(hook: str, *args: ast.expr) -> ast.Call:
    return ast.Call(func=_name(hook), args=list(args), keywords=[])


# Nodes that may build a new object holding existing ones, i.e. add a nesting level: a
# call (any callable may wrap its arguments: a generator, an instance, `zip`...), a display,
# a comprehension, a function, lambda or class, a raise (exception context chains).
_BUILDERS = (ast.Call, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.ListComp, ast.SetComp,
             ast.DictComp, ast.GeneratorExp, ast.Lambda, ast.FunctionDef, ast.ClassDef,
             ast.Raise)
BUILD_COST = 2  # ticks per builder: one task nests at most half its ticks deep


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
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stack.extend(node.decorator_list)
            if isinstance(node, ast.FunctionDef):
                stack.extend(node.args.defaults)
                stack.extend(d for d in node.args.kw_defaults if d is not None)
            else:
                stack.extend(node.bases)
            continue
        if isinstance(node, ast.Lambda):
            stack.extend(node.args.defaults)
            stack.extend(d for d in node.args.kw_defaults if d is not None)
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


def _tick_stmts(declare_global: bool, cost: int = 1) -> list[ast.stmt]:
    """C{$t -= cost; if $t < 0: $tick()} -- the countdown; C{$tick} refills or aborts."""
    stmts: list[ast.stmt] = []
    if declare_global:
        stmts.append(ast.Global(names=[COUNTER]))
    stmts.append(ast.AugAssign(target=_name(COUNTER, ast.Store()), op=ast.Sub(),
                               value=ast.Constant(cost)))
    stmts.append(ast.If(
        test=ast.Compare(left=_name(COUNTER), ops=[ast.Lt()], comparators=[ast.Constant(0)]),
        body=[ast.Expr(_call("$tick"))], orelse=[]))
    return stmts


class _Rewriter(ast.NodeTransformer):
    def __init__(self) -> None:
        self.scope_global = [False]  # does the current scope need `global $t`?

    # -- scopes and ticks -----------------------------------------------------------------
    # Every tick point charges 1 plus BUILD_COST for each builder its straight-line code
    # holds (counted on the original tree, before hooks are inserted).
    def visit_Module(self, node: ast.Module) -> ast.Module:
        cost = _cost(node.body)
        self.generic_visit(node)
        node.body[0:0] = _tick_stmts(False, cost)
        return node

    def _visit_scope(self, node: ast.FunctionDef | ast.ClassDef) -> ast.AST:
        # A function or class body is a new scope: its first statements declare
        # `global $t` and charge the body's tick point.
        cost = _cost(node.body)
        self.scope_global.append(True)
        self.generic_visit(node)
        self.scope_global.pop()
        node.body[0:0] = _tick_stmts(True, cost)
        return node

    visit_FunctionDef = visit_ClassDef = _visit_scope

    def _ticks(self, cost: int = 1) -> list[ast.stmt]:
        return _tick_stmts(False, cost)  # the scope already declared `global $t` at its top

    def visit_For(self, node: ast.For) -> ast.For:
        cost = _cost(node.body)
        self.generic_visit(node)
        node.body[0:0] = self._ticks(cost)
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
        if node.finalbody:
            node.finalbody[0:0] = self._ticks(final)
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.Lambda:
        cost = _cost([node.body])
        self.generic_visit(node)
        node.body = ast.IfExp(test=_call("$lam", ast.Constant(cost)), body=node.body,
                              orelse=ast.Constant(None))
        return node

    def _comp(self, node: ast.AST, hook: str) -> ast.AST:
        cost = _element_cost(node)
        self.generic_visit(node)
        for gen in node.generators:  # type: ignore[attr-defined]
            gen.iter = _call(hook, gen.iter, ast.Constant(cost))
        return node

    def visit_ListComp(self, node: ast.ListComp) -> ast.AST:
        return self._comp(node, "$citer")

    def visit_SetComp(self, node: ast.SetComp) -> ast.AST:
        out = self._comp(node, "$citer")
        node.elt = _call("$hk", node.elt)
        return out

    def visit_DictComp(self, node: ast.DictComp) -> ast.AST:
        out = self._comp(node, "$citer")
        node.key = _call("$hk", node.key)
        return out

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> ast.AST:
        return self._comp(node, "$giter")

    def visit_YieldFrom(self, node: ast.YieldFrom) -> ast.AST:
        # `yield from range(10**12)` would let C feed a consumer with no tick in between
        self.generic_visit(node)
        node.value = _call("$giter", node.value, ast.Constant(1))
        return node

    # -- attributes and subscripts -----------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load):
            return _call("$getattr", node.value, ast.Constant(node.attr))
        node.value = _call("$write", node.value)  # Store / Del: only on your own objects
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.slice, (ast.Slice, ast.Constant)):
            node.slice = _call("$hk", node.slice)  # a dict hashes its key: charged
        if isinstance(node.slice, ast.Slice) and isinstance(node.ctx, ast.Load):
            s = node.slice
            none = ast.Constant(None)
            return _call("$slice", node.value, s.lower or none, s.upper or copy.copy(none),
                         s.step or copy.copy(none))
        return node

    # -- operators ---------------------------------------------------------------------------
    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        hook = _BINOP_HOOKS.get(type(node.op))
        if hook is None or _cannot_amplify(node.op, node.left, node.right):
            return node
        return _call(hook, node.left, node.right)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        op = ast.Constant(_AUG_NAMES[type(node.op)])
        target = node.target
        if isinstance(target, ast.Name):
            hook = _INPLACE_HOOKS.get(type(node.op))
            if hook is None or _cannot_amplify(node.op, target, node.value):
                # -= /= //= >>= &= ^= (and `n += 1`) cannot amplify: left native
                return node
            load = ast.Name(id=target.id, ctx=ast.Load())
            return ast.Assign(targets=[target], value=_call(hook, load, node.value))
        if isinstance(target, ast.Attribute):  # value already wrapped in $write by visit_Attribute
            obj = target.value
            return ast.Expr(_call("$augattr", obj, ast.Constant(target.attr), op, node.value))
        if isinstance(target, ast.Subscript):
            return ast.Expr(_call("$augitem", target.value, target.slice, op, node.value))
        raise AssertionError("validated trees only")

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        # `==`, `<`... on lists/tuples/dicts/sets walk both structures in C, aliases and
        # all (`t = (t, t)` doubles the walk per step): charged by `$cmp`/`$cv` unless a
        # side is a literal number or string (then C does O(1) work).
        self.generic_visit(node)
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            test = _call("$in", node.left, node.comparators[0])
            if isinstance(node.ops[0], ast.NotIn):
                return ast.UnaryOp(op=ast.Not(), operand=test)
            return test
        operands = [node.left, *node.comparators]
        if not any(type(op) in _ORDERING for op in node.ops) or any(
                isinstance(o, ast.Constant) for o in operands):
            return node
        if len(node.ops) == 1:
            return _call("$cmp", node.left, node.comparators[0],
                         ast.Constant(_ORDERING[type(node.ops[0])]))
        node.left = _call("$cv", node.left)
        node.comparators = [_call("$cv", c) for c in node.comparators]
        return node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        # f"{s}{s}{s}..." repeats one string many times: charge the parts before joining them
        self.generic_visit(node)
        parts = [v.value if isinstance(v, ast.FormattedValue) else v for v in node.values]
        return _call("$fjoin", ast.Tuple(elts=parts, ctx=ast.Load()))

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        self.generic_visit(node)
        spec = node.format_spec if node.format_spec is not None else ast.Constant("")
        node.value = _call("$format", node.value, ast.Constant(node.conversion), spec)
        node.conversion = -1
        node.format_spec = None
        return node

    # -- unpacking -----------------------------------------------------------------------------
    def visit_Starred(self, node: ast.Starred) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.ctx, ast.Load):
            node.value = _call("$star", node.value)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        for kw in node.keywords:
            if kw.arg is None:
                kw.value = _call("$kwargs", kw.value)
        return node

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

    def visit_Assign(self, node: ast.Assign) -> ast.AST:
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


def rewrite(tree: ast.Module) -> ast.Module:
    """Return a rewritten copy of a validated module tree, with locations filled in."""
    tree = copy.deepcopy(tree)
    tree = _Rewriter().visit(tree)
    return ast.fix_missing_locations(tree)
