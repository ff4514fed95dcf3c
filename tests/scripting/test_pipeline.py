"""The compile pipeline: validation rules, the rewriter's hooks, caching, version pinning."""

from __future__ import annotations

import ast
import sys

from twisted.trial import unittest

from scripting import hooks, policy
from scripting.compiler import ScriptError, check, compile_script
from scripting.hooks import DATA_NAMES, GUARD_VALUES, HOOK_NAMES
from scripting.rewrite import (
    ATTR_PREFIX,
    BUILTIN_PREFIX,
    EMITTED,
    FAST_BUILTINS,
    GUARDS,
    TEMPS,
    is_inner,
    rewrite,
)
from scripting.validate import validate
from tests.scripting.corpus_compat import COMPAT

# Every binding and use site where an identifier appears; {n} is the name under test.
BINDING_FORMS = {
    "name load": "x = {n}",
    "name store": "{n} = 1",
    "augassign": "{n} += 1",
    "delete": "del {n}",
    "for target": "for {n} in (): pass",
    "comprehension target": "[1 for {n} in ()]",
    "walrus": "({n} := 1)",
    "walrus in comprehension": "[({n} := y) for y in ()]",
    "function name": "def {n}(): pass",
    "class name": "class {n}: pass",
    "positional-only parameter": "def f({n}, /): pass",
    "positional-only default (GHSA-ffg3)": "def f({n}=1, /): x.y",
    "parameter": "def f({n}): pass",
    "vararg": "def f(*{n}): pass",
    "kwonly": "def f(*, {n}): pass",
    "kwarg": "def f(**{n}): pass",
    "lambda parameter": "lambda {n}: 1",
    "lambda default": "lambda {n}=1: 1",
    "call keyword": "f({n}=1)",
    "except name": "try:\n    pass\nexcept Exception as {n}:\n    pass",
    "import": "import {n}",
    "import alias": "import math as {n}",
    "from import": "from math import {n}",
    "from import alias": "from math import pi as {n}",
    "from module": "from {n} import x",
    "global": "def f():\n    global {n}",
    "attribute load": "x.{n}",
    "attribute store": "x.{n} = 1",
    "attribute delete": "del x.{n}",
    "class attribute": "class A:\n    {n} = 1",
    "method name": "class A:\n    def {n}(self): pass",
}


class ValidatorNameTests(unittest.TestCase):
    """A name starting with '_' is refused at every binding and use site (rule 3, 5)."""

    def test_private_names_refused_everywhere(self) -> None:
        """Every binding form x {_x, __x, __x__, __class__} is refused with a line and reason."""
        for form, template in BINDING_FORMS.items():
            for name in ("_x", "__x", "__x__", "__class__", "__globals__"):
                source = template.format(n=name)
                problems = check(source)
                self.assertTrue(problems, f"{form} with {name!r} was accepted: {source!r}")
                self.assertTrue(all(p.line >= 1 for p in problems))

    def test_same_forms_accepted_with_public_names(self) -> None:
        """The table above is not vacuous: each form compiles with an ordinary name."""
        for form, template in BINDING_FORMS.items():
            source = template.format(n="name")
            if form in ("from module",):
                source = "from math import pi"
            self.assertEqual(check(source), [], f"{form}: {source!r}")

    def test_fullwidth_identifiers_normalise_to_private(self) -> None:
        """NFKC: U+FF3F FULLWIDTH LOW LINE becomes '_', so '＿＿class＿＿' is '__class__'."""
        for source in ("().\uff3f\uff3fclass\uff3f\uff3f", "\uff3fx = 1", "def f(\uff3fa): pass",
                       "f(\uff3f\uff3fx=1)", "x.\ufe4d\ufe4dclass\ufe4d\ufe4d",
                       "\ufe34\ufe34import\ufe34\ufe34('os')",
                       "x.\ufe4e\ufe4eglobals\ufe4f\ufe4f"):
            self.assertTrue(check(source), repr(source))

    def test_fullwidth_public_identifiers_are_ordinary(self) -> None:
        """Fullwidth letters are just letters after NFKC."""
        self.assertEqual(check("\uff41 = 1"), [])

    def test_single_underscore_is_a_throwaway(self) -> None:
        """'_' alone may be a loop variable, but never an attribute."""
        self.assertEqual(check("for _ in range(3): pass"), [])
        self.assertTrue(check("x._"))

    def test_super_init_only(self) -> None:
        """'__init__' may be reached only as super().__init__(...)."""
        self.assertEqual(check("class A(B):\n    def __init__(self):\n"
                               "        super().__init__()"), [])
        self.assertTrue(check("x.__init__()"))
        self.assertTrue(check("super().__init__ = 1"))


REFUSED = {
    "match (class pattern reads attributes)": "match x:\n    case C(token=t):\n        pass",
    "except* (CVE-2025-22153)": "try:\n    pass\nexcept* ValueError:\n    pass",
    "async def": "async def f(): pass",
    "await": "async def f():\n    await g()",
    "async for": "async def f():\n    async for x in y: pass",
    "async with": "async def f():\n    async with y: pass",
    "async comprehension": "async def f():\n    [x async for x in y]",
    "with": "with x: pass",
    "metaclass keyword": "class A(metaclass=M): pass",
    "class keyword": "class A(foo=1): pass",
    "star import": "from math import *",
    "relative import": "from . import x",
    "dotted import": "import os.path",
    "__del__": "class A:\n    def __del__(self): pass",
    "__getattr__": "class A:\n    def __getattr__(self, n): pass",
    "__getattribute__": "class A:\n    def __getattribute__(self, n): pass",
    "__reduce__": "class A:\n    def __reduce__(self): pass",
    "__format__": "class A:\n    def __format__(self, s): pass",
    "__index__": "class A:\n    def __index__(self): return 10**10",
    "__hash__": "class A:\n    def __hash__(self): return 1",
    "__init_subclass__": "class A:\n    def __init_subclass__(cls): pass",
    "__set_name__": "class A:\n    def __set_name__(self, o, n): pass",
    "__get__ descriptor": "class A:\n    def __get__(self, o, t): pass",
    "__class_getitem__": "class A:\n    def __class_getitem__(cls, x): pass",
    "__exit__": "class A:\n    def __exit__(self, *a): return True",
    "__slots__": "class A:\n    __slots__ = ()",
    "dunder outside a class": "def __init__(self): pass",
    "dunder nested in an if": "class A:\n    if 1:\n        def __init__(self): pass",
    "matmul": "a @ b",
    "type parameters": "def f[T](x): pass" if sys.version_info >= (3, 12) else "with x: pass",
    "type alias": "type X = int" if sys.version_info >= (3, 12) else "with x: pass",
    "return in finally": "def f():\n    try:\n        pass\n    finally:\n        return 1",
    "continue in finally": "while True:\n    try:\n        pass\n    finally:\n        continue",
    "break in finally": "while True:\n    try:\n        pass\n    finally:\n        break",
    "starred target nested in a tuple": "for i, (a, *b) in x: pass",
    "starred target nested in an assignment": "i, (a, *b) = x",
    "__name__ assigned": "f.__name__ = 'g'",
    "__name__ deleted": "del f.__name__",
    "__qualname__ read": "f.__qualname__",
    "call in except clause": "try:\n    pass\nexcept f():\n    pass",
    "chained in": "a in b in c",
    "nonlocal of a private name": "def f():\n    _x = 1\n    def g():\n        nonlocal _x",
}


class ValidatorConstructTests(unittest.TestCase):
    """What cannot be guarded is refused (rules 8-11, DESIGN 4.4)."""

    def test_refused_constructs(self) -> None:
        """Each construct is refused with a plain-language reason."""
        for what, source in REFUSED.items():
            problems = check(source)
            self.assertTrue(problems, f"{what} was accepted")
            for p in problems:
                self.assertIsInstance(p.reason, str)
                self.assertGreater(len(p.reason), 10)

    def test_ordinary_python_accepted(self) -> None:
        """Constructs once refused and now guarded compile: 'nonlocal', annotations, slice
        assignment and deletion, starred 'for' and comprehension targets, '__name__'."""
        for source in ("def f():\n    n = 0\n    def g():\n        nonlocal n\n"
                       "        n += 1\n    return g\n",
                       "x: int = 1\ny: str\nclass A:\n    z: int = 0\n"
                       "def f(a: int, *b: str, c: 'x' = 1) -> None:\n    self.v: int = a\n",
                       "xs[1:3] = ys\ndel xs[::2]\nxs[:1] += [0]\n",
                       "for a, *b in rows:\n    pass\n[b for a, *b in rows]\n",
                       "print(type(x).__name__, f.__name__)\n"):
            self.assertEqual(check(source), [], source)

    def test_loops_inside_finally_may_break(self) -> None:
        """A loop wholly inside 'finally' may use break; only escaping the finally is refused."""
        self.assertEqual(check("try:\n    pass\nfinally:\n    for i in range(3):\n"
                               "        break"), [])

    def test_every_violation_reported_at_once(self) -> None:
        """All problems come back together, sorted, each with its own line and column."""
        source = "import os.path\nx = y._z\nclass A(metaclass=M):\n    pass\nasync def f(): pass\n"
        with self.assertRaises(ScriptError) as cm:
            compile_script(source, "multi")
        lines = [v.line for v in cm.exception.violations]
        self.assertEqual(lines, sorted(lines))
        self.assertEqual(set(lines), {1, 2, 3, 5})
        self.assertIn("line 2, column 5", cm.exception.text)

    def test_syntax_error_is_a_violation(self) -> None:
        """A syntax error is reported like any other violation."""
        problems = check("def f(:\n")
        self.assertEqual(len(problems), 1)
        self.assertIn("syntax error", problems[0].reason)

    def test_dollar_names_are_not_writable(self) -> None:
        """The tokenizer rejects '$', so no source can name a hook (rule 4)."""
        self.assertTrue(check("$getattr = 1"))
        self.assertTrue(check("x = $t"))

    def test_source_only(self) -> None:
        """Bytes, code objects and ASTs are refused; only source text compiles (rule 1)."""
        for bad in (b"x = 1", compile("x = 1", "<x>", "exec"), ast.parse("x = 1")):
            with self.assertRaises(TypeError):
                compile_script(bad)  # type: ignore[arg-type]

    def test_oversized_script_refused(self) -> None:
        """Scripts over the size limit are refused before parsing."""
        self.assertTrue(check("x = 1\n" * (policy.MAX_SOURCE_CHARS // 6 + 1)))

    def test_deep_nesting_refused_cleanly(self) -> None:
        """Pathologically nested source is a violation, not a crash."""
        self.assertTrue(check("x = " + "(" * 300 + "1" + ")" * 300))
        self.assertTrue(check("x = " + "[" * 2000 + "]" * 2000))


class PolicyPinningTests(unittest.TestCase):
    """The AST allowlist is pinned per CPython minor (rules 2 and 43)."""

    def test_running_python_matches_snapshot(self) -> None:
        """The audited field snapshot equals what this CPython reports."""
        policy.check_runtime_ast()

    def test_unknown_minor_refused(self) -> None:
        """An unaudited Python version refuses to compile scripts."""
        self.patch(policy.sys, "version_info", (3, 99, 0))
        with self.assertRaises(RuntimeError):
            policy.pinned_fields()

    def test_changed_field_refused(self) -> None:
        """A new field on an allowed node (the lazy-import lesson) stops compilation."""
        self.patch(ast.Import, "_fields", ("names", "is_lazy"))
        with self.assertRaises(RuntimeError):
            policy.check_runtime_ast()

    def test_unknown_field_with_value_refused(self) -> None:
        """A non-empty value in a field the policy does not list is a violation."""
        tree = ast.parse("for x in y: pass")
        tree.body[0].type_comment = None
        comp = ast.parse("[x for x in y]")
        comp.body[0].value.generators[0].is_async = 1
        self.assertTrue(validate(comp))

    def test_allowed_nodes_exist(self) -> None:
        """Every allowed node name is a real ast class with a pinned field set."""
        pinned = policy.pinned_fields()
        for name, fields in policy.ALLOWED_NODES.items():
            self.assertTrue(hasattr(ast, name), name)
            self.assertIn(name, pinned)
            self.assertLessEqual(fields, set(pinned[name]))


def _dollar_names(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id.startswith("$"):
            found.add(node.id)
        if isinstance(node, ast.Global):
            found.update(n for n in node.names if n.startswith("$"))
    return found


_BUILTIN_NAMES = {BUILTIN_PREFIX + n for n in FAST_BUILTINS}


class RewriterContractTests(unittest.TestCase):
    """The rewriter emits only hooks the runtime implements (STYLE: hook contract)."""

    def test_emitted_equals_implemented(self) -> None:
        """EMITTED (rewriter) and HOOK_NAMES (runtime) are the same set."""
        self.assertEqual(EMITTED, HOOK_NAMES)

    def test_corpus_uses_only_declared_names(self) -> None:
        """Rewriting the whole compatibility corpus emits only declared hook and data names."""
        seen: set[str] = set()
        for case in COMPAT:
            seen |= _dollar_names(rewrite(ast.parse(case.source)))
        self.assertTrue(seen)
        self.assertLessEqual({n for n in seen if not n.startswith(ATTR_PREFIX)
                              and not is_inner(n)},  # a generator function's inner one
                             HOOK_NAMES | DATA_NAMES | GUARDS | _BUILTIN_NAMES)

    def test_code_objects_name_only_declared_hooks(self) -> None:
        """Every '$' name in every compiled code object is declared (rule 4)."""
        for case in COMPAT:
            code = compile_script(case.source, case.name).code
            stack = [code]
            while stack:
                c = stack.pop()
                for n in c.co_names + c.co_varnames + c.co_cellvars + c.co_freevars:
                    if n.startswith(ATTR_PREFIX):
                        self.assertTrue(n[len(ATTR_PREFIX):].isidentifier(), n)
                        self.assertFalse(n[len(ATTR_PREFIX):].startswith("_"), n)
                    elif n.startswith("$") and not is_inner(n):
                        self.assertIn(n, HOOK_NAMES | DATA_NAMES | GUARDS | _BUILTIN_NAMES)
                stack.extend(k for k in c.co_consts if hasattr(k, "co_names"))

    def test_guards_and_temporaries_are_declared(self) -> None:
        """Every guard constant the rewriter names is given by the runtime; temporaries are
        data names; neither is a hook."""
        self.assertEqual(GUARDS, frozenset(GUARD_VALUES))
        self.assertLessEqual(TEMPS, DATA_NAMES)
        self.assertFalse(GUARDS & HOOK_NAMES)

    def test_fast_builtins_are_given(self) -> None:
        """Every C{$b.name} the rewriter may emit is given to each module by the runtime,
        as the real builtin of that name."""
        self.assertEqual(FAST_BUILTINS, frozenset(hooks.FAST_BUILTINS))
        self.assertEqual(set(hooks.builtin_values({})), _BUILTIN_NAMES)
        self.assertTrue(all(hooks.FAST_BUILTINS[n].__name__ == n for n in FAST_BUILTINS))

    def test_cache_by_source(self) -> None:
        """The same source compiles once."""
        a = compile_script("x = 1", "cached")
        b = compile_script("x = 1", "cached")
        self.assertIs(a, b)


class NoAsyncInterruptionTests(unittest.TestCase):
    """Rule 34: budgets are never enforced by signals or asynchronous exceptions."""

    def test_no_mention_in_the_sandbox_source(self) -> None:
        """No module under scripting/ mentions timers, signals or async exceptions."""
        import os

        import scripting
        root = os.path.dirname(scripting.__file__)
        banned = ("setitimer", "SIGALRM", "SetAsyncExc", "signal.alarm", "import signal",
                  "ctypes", "threading.Timer", "settrace", "setprofile")
        found = []
        for dirpath, _, files in os.walk(root):
            if os.sep + "facets" in dirpath:
                continue  # another package's code, with its own review
            for name in files:
                if name.endswith(".py"):
                    with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                        text = f.read()
                    found += [f"{name}: {b}" for b in banned if b in text]
        self.assertEqual(found, [])


class NumericLiteralShortcutTests(unittest.TestCase):
    """Operators with a numeric literal that rules out amplification stay native; others not."""

    def hooks_in(self, source: str) -> set[str]:
        return _dollar_names(rewrite(ast.parse(source))) - {"$t", "$least", "$tick", "$main",
                                                            "$cell"}

    def test_native_when_safe(self) -> None:
        """`x + 1`, `1 + x`, `2 % x`, `x * 1.5`, `n += 1` need no hook."""
        for source in ("x + 1", "1.5 + x", "2 % x", "x * 1.5", "n += 1", "n -= 2",
                       "2 * 3"):
            self.assertEqual(self.hooks_in(source), set(), source)

    def test_hooked_when_it_could_amplify(self) -> None:
        """`x % 2` (format widths), `x * 3` (repetition), `x ** 2`, `x << 65`, `s += 'a'`."""
        for source, hook in (("x % 2", "$mod"), ("x * 3", "$mul"), ("x ** 2", "$pow"),
                             ("x << 65", "$lshift"), ("x << 3", "$lshift"), ("s += 'a'", "$iadd"),
                             ("x + y", "$add"),
                             ("n *= 2", "$imul")):
            self.assertIn(hook, self.hooks_in(source), source)
