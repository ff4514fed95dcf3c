"""Every exception a script can meet is caught by name; nothing a script catches, an abort
included, lets it run code after its budget ran out (rules 21, 32)."""

from __future__ import annotations

import ast
import builtins
import importlib
import os

from twisted.trial import unittest

from scripting import Budget, Domain, ScriptError, run
from scripting.exceptions import NAMED_EXCEPTIONS, named_class
from scripting.facets.adapters import facet, revocable
from scripting.hooks import _Over
from scripting.task import Abort, Task
from tests.facets.helpers import build, task
from tests.scripting.test_finalizers import lift_generator_rule
from world.store import WorldStore

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: Exceptions the sandbox raises that scripts never catch, and why.
INTERNAL = {
    Abort: "the end of a task's budget: uncatchable by design (rule 32)",
    ScriptError: "a script that does not compile: reported as text, never raised in a task",
    _Over: "raised and caught inside hooks.raise_, which raises a script's error over it",
}


def raised_classes(module: str) -> set[type]:
    """The exception classes C{module} raises by name (C{raise X(...)}, C{raise X})."""
    mod = importlib.import_module(module)
    with open(mod.__file__, encoding="utf-8") as f:  # type: ignore[arg-type]
        tree = ast.parse(f.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name):
                value = getattr(mod, exc.id, None) or getattr(builtins, exc.id, None)
                if isinstance(value, type) and issubclass(value, BaseException):
                    found.add(value)
    return found


def sandbox_modules() -> list[str]:
    out = []
    for package in ("scripting", os.path.join("scripting", "facets")):
        for name in sorted(os.listdir(os.path.join(ROOT, package))):
            if name.endswith(".py") and name != "__init__.py":
                out.append(package.replace(os.sep, ".") + "." + name[:-3])
    return out


class NamedExceptionTests(unittest.TestCase):
    """What the sandbox, its tamed modules and the facets raise can be caught by name."""

    def test_every_raised_class_has_a_name_scripts_know(self) -> None:
        """Each exception class raised in scripting/ is nameable, or has a nameable base
        more specific than Exception (ForbiddenAttribute is an AttributeError), or is
        internal with a reason."""
        problems = []
        for module in sandbox_modules():
            for cls in raised_classes(module):
                if cls in INTERNAL or cls in NAMED_EXCEPTIONS:
                    continue
                known = named_class(cls)
                if known is None or known in (Exception, BaseException):
                    problems.append(f"{module} raises {cls.__name__}, which scripts can "
                                    f"catch only as {getattr(known, '__name__', 'nothing')}")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_the_audit_finds_raises(self) -> None:
        """The scan sees the classes the sandbox raises (it is not silently empty)."""
        self.assertIn(ImportError, raised_classes("scripting.domain"))
        self.assertIn(Abort, raised_classes("scripting.task"))

    def test_caught_by_name(self) -> None:
        """Imports, codecs, json and the rest raise what a script can name in 'except'."""
        source = (
            "out = []\n"
            "try:\n    import os\nexcept ModuleNotFoundError as e:\n    out.append('mnf')\n"
            "try:\n    from math import nope\nexcept ImportError as e:\n"
            "    out.append(str(e))\n"
            "try:\n    'é'.encode('ascii')\nexcept UnicodeEncodeError:\n    out.append('uee')\n"
            "try:\n    b'\\xff'.decode('utf-8')\nexcept UnicodeDecodeError:\n"
            "    out.append('ude')\n"
            "import json\n"
            "try:\n    json.loads('{x')\nexcept ValueError as e:\n"
            "    out.append(type(e).__name__)\n"
            "out\n")
        result = run(source, budget=Budget(ticks=200_000))
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.value, ["mnf", "cannot import name 'nope' from 'math'", "uee",
                                        "ude", "ValueError"])

    def test_world_errors_caught_by_name(self) -> None:
        """A revoked facet raises Revoked, a refused attribute an AttributeError; both are
        caught by name, and type() names them."""
        store = WorldStore()
        self.addCleanup(store.close)
        w = build(store)
        with task(store, w.bob.id):
            lamp, cell = revocable(facet(w.lamp, "view"))
            module = Domain("bob").load(
                "out = []\ndef refused(lamp):\n    try:\n        lamp.nope\n"
                "    except AttributeError as e:\n        out.append(type(e).__name__)\n"
                "    try:\n        lamp.name = 'x'\n    except AttributeError as e:\n"
                "        out.append(type(e).__name__)\n"
                "def revoked(lamp):\n    try:\n        lamp.name\n    except Revoked as e:\n"
                "        out.append(type(e).__name__)\n"
                "        out.append(isinstance(e, WorldError))\n"
                "        out.append(isinstance(e, FacetError))\n"
                "    return out\n")
            first = module.call("refused", lamp)
            cell.revoke()
            result = module.call("revoked", lamp)
        self.assertTrue(first.ok, first.error)
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.value, ["AttributeError", "AttributeError", "Revoked", True,
                                        False])

    def test_world_errors_are_not_bases(self) -> None:
        """A script may raise the world's errors but not subclass them."""
        result = run("class Fake(WorldError):\n    pass\n")
        self.assertIn("built-in exceptions", result.error)
        result = run("try:\n    raise QuotaExceeded('x')\nexcept WorldError as e:\n"
                     "    print(type(e).__name__, e)\n")
        self.assertEqual(result.output, "QuotaExceeded x\n")

    def test_type_of_an_unnameable_exception(self) -> None:
        """type() answers the nearest nameable class, never a hidden one."""
        domain = Domain("t")
        builtins = domain.builtins
        from zope.security.interfaces import ForbiddenAttribute
        self.assertIs(builtins["type"](ForbiddenAttribute("x")), AttributeError)
        self.assertIs(builtins["type"](UnicodeDecodeError("utf-8", b"", 0, 1, "x")),
                      UnicodeDecodeError)


class NameAttributeTests(unittest.TestCase):
    """C{__name__} is readable on what has a name a script may know, and nowhere else."""

    def test_names(self) -> None:
        """Classes, functions, methods, lambdas, builtins and type facades have names."""
        result = run("class A:\n    def m(self):\n        pass\ndef f():\n    pass\n"
                     "import math\n"
                     "[A.__name__, f.__name__, A().m.__name__, (lambda: 1).__name__, "
                     "len.__name__, sorted.__name__, list.__name__, type('').__name__, "
                     "KeyError.__name__, Revoked.__name__, math.sqrt.__name__, "
                     "getattr(f, '__name__'), hasattr(A, '__name__')]\n")
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.value, ["A", "f", "m", "<lambda>", "len", "sorted", "list",
                                        "str", "KeyError", "Revoked", "sqrt", "f", True])

    def test_nothing_else_has_one(self) -> None:
        """Instances, modules, generators, iterators, facets and basic values have none."""
        for expr in ("A()", "3", "'s'", "[]", "math", "gen()", "iter([])", "map(abs, [])",
                     "super(A, A())", "property(len)", "ValueError('x')",
                     "re.compile('a')", "str.upper", "('x' * 5000).upper"):
            result = run("import math\nimport re\nclass A:\n    pass\ndef gen():\n    yield 1\n"
                         f"x = {expr}\ntry:\n    x.__name__\nexcept AttributeError:\n"
                         "    print('no')\nprint(hasattr(x, '__name__'))\n")
            self.assertEqual(result.output, "no\nFalse\n", f"{expr}: {result.error}")

    def test_only_name_among_dunders(self) -> None:
        """getattr() still refuses every other private name, on everything."""
        result = run("def f():\n    pass\nout = []\n"
                     "for n in ['__qualname__', '__module__', '__class__', '__dict__', "
                     "'__code__', '__name__x', '_name']:\n"
                     "    out.append(hasattr(f, n))\nout\n")
        self.assertEqual(result.value, [False] * 7)

    def test_another_domains_class_has_no_name_here(self) -> None:
        """A class of another domain is as opaque as before."""
        secret = Domain("a").load("class Secret:\n    pass\n")._globals["Secret"]
        b = Domain("b")
        with Task(budget=Budget(), owner="b", domain=b), self.assertRaises(AttributeError):
            b.hooks["$getattr"](secret, "__name__")


class AbortAfterCatchTests(unittest.TestCase):
    """'except BaseException' catches an abort, and can do nothing with it: every handler
    and finally block starts with a tick point, and after an abort every tick point raises
    again; what runs between (an except clause's class expression) is script code only
    through functions, which start with a tick point too (rule 32)."""

    SPIN = "log = []\ndef spin():\n    while True:\n        pass\n"

    def load(self, source: str) -> tuple:
        module = Domain("a").load(self.SPIN + source + "\ndef count():\n    return log\n")
        self.assertTrue(module.result.ok, module.result.error)
        return module

    def test_property_in_an_except_clause_does_not_run(self) -> None:
        """Evaluating 'except obj.prop:' during an abort runs none of the property."""
        module = self.load("class K:\n    @property\n    def err(self):\n"
                           "        log.append('property')\n        return ValueError\n"
                           "k = K()\nk.err\nlog.clear()\n"
                           "def probe():\n    try:\n        spin()\n    except k.err:\n"
                           "        log.append('handler')\n")
        self.assertEqual(module.call("probe", budget=Budget(ticks=3000)).aborted,
                         "ran out of ticks")
        self.assertEqual(module.call("count").value, [])

    def test_caught_abort_is_not_kept(self) -> None:
        """'except BaseException as e' with 'global e' leaves no abort for a later task."""
        module = self.load("def probe():\n    global e\n    try:\n        spin()\n"
                           "    except BaseException as e:\n        log.append('handler')\n"
                           "def seen():\n    try:\n        return repr(e)\n"
                           "    except NameError:\n        return 'nothing'\n")
        self.assertTrue(module.call("probe", budget=Budget(ticks=3000)).aborted)
        self.assertEqual(module.call("seen").value, "nothing")
        self.assertEqual(module.call("count").value, [])

    def test_generator_catching_the_abort(self) -> None:
        """A generator that catches everything and yields on is stopped at its handler."""
        lift_generator_rule(self)  # refused at compile time; the runtime holds too
        module = self.load("def g():\n    while True:\n        try:\n            yield 1\n"
                           "            spin()\n        except BaseException:\n"
                           "            log.append('caught')\n            yield 2\n"
                           "        finally:\n            log.append('finally')\n"
                           "def probe():\n    for x in g():\n        log.append(x)\n")
        result = module.call("probe", budget=Budget(ticks=3000))
        self.assertEqual(result.aborted, "ran out of ticks")
        self.assertEqual(module.call("count").value, [1])

    def test_c_callers_stop_calling_back(self) -> None:
        """sorted() and map() do not call a key again after it was aborted."""
        module = self.load("def key(v):\n    log.append(v)\n    spin()\n"
                           "def probe():\n    try:\n        sorted(range(10), key=key)\n"
                           "    except BaseException:\n        pass\n"
                           "    try:\n        list(map(key, range(10)))\n"
                           "    except BaseException:\n        pass\n")
        self.assertEqual(module.call("probe", budget=Budget(ticks=3000)).aborted,
                         "ran out of ticks")
        self.assertEqual(module.call("count").value, [0])

    def test_nested_handlers_and_finally(self) -> None:
        """Handlers and finally blocks at every level of a deep stack run nothing."""
        module = self.load("def down(n):\n    try:\n        if n:\n            down(n - 1)\n"
                           "        else:\n            spin()\n    except BaseException:\n"
                           "        log.append(n)\n    finally:\n        log.append(-n)\n"
                           "def probe():\n    down(20)\n")
        self.assertEqual(module.call("probe", budget=Budget(ticks=3000)).aborted,
                         "ran out of ticks")
        self.assertEqual(module.call("count").value, [])

    def test_abort_is_still_an_abort_for_the_engine(self) -> None:
        """The task that caught its abort still ends aborted, whatever it returned."""
        module = self.load("def probe():\n    try:\n        spin()\n"
                           "    except BaseException:\n        return 'fine'\n")
        result = module.call("probe", budget=Budget(ticks=3000))
        self.assertFalse(result.ok)
        self.assertIsNone(result.value)

