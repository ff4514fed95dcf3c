"""The public API the engine builds on: run, Domain.load/call, endowments, facets, errors."""

from __future__ import annotations

from twisted.trial import unittest
from zope.interface import Attribute, Interface, implementer
from zope.security.checker import (
    Checker,
    CheckerPublic,
    InterfaceChecker,
    ProxyFactory,
    defineChecker,
)

import scripting
from scripting import Budget, Clock, Domain, ScriptError, TaskResult, expose, run


class IBellView(Interface):
    name = Attribute("the bell's name")

    def look():
        "describe the bell"


class IBellRing(IBellView):
    def ring(times):
        "ring the bell; returns how often it has rung"


class Bell:
    def __init__(self) -> None:
        self.name = "brass bell"
        self.rung = 0
        self.secret = "owner-only"
        self.handle = Handle()

    def look(self) -> str:
        return f"a {self.name}"

    def ring(self, times: int) -> int:
        if type(times) is not int or times < 0:
            raise ValueError("times must be a non-negative int", self)
        self.rung += times
        return self.rung


class Handle:
    material = "oak"


implementer(IBellRing)(Bell)
defineChecker(Handle, Checker({}))  # deny-all default for anything else reachable


def facet(obj: object, iface: type) -> object:
    return ProxyFactory(obj, InterfaceChecker(iface, CheckerPublic))


class RunTests(unittest.TestCase):
    """scripting.run: one call, fresh domain."""

    def test_value_output_ticks(self) -> None:
        """The result carries output, the last expression's value, ok and ticks used."""
        result = run("print('hi')\n1 + 2")
        self.assertIsInstance(result, TaskResult)
        self.assertEqual((result.ok, result.value, result.output), (True, 3, "hi\n"))
        self.assertGreater(result.ticks, 0)
        self.assertIsNone(result.error)

    def test_attribute_of_none_says_none(self) -> None:
        """An attribute read on None says so, as Python does (not that it is withheld)."""
        result = run("def f():\n    return None\nf().room()")
        self.assertFalse(result.ok)
        self.assertIn("AttributeError: 'NoneType' object has no attribute 'room'", result.error)

    def test_compile_errors_are_results(self) -> None:
        """Refused source comes back as an error result listing every problem."""
        result = run("import os.path\nx._y = 1")
        self.assertFalse(result.ok)
        self.assertIn("line 1", result.error)
        self.assertIn("line 2", result.error)

    def test_endowments_are_globals(self) -> None:
        """Endowments appear as globals; mutable ones are copied in."""
        data = {"coins": [1, 2]}
        result = run("coins.append(3)\nprint(name, coins)", endowments={
            "name": "ann", "coins": data["coins"]})
        self.assertEqual(result.output, "ann [1, 2, 3]\n")
        self.assertEqual(data["coins"], [1, 2])

    def test_unexposable_endowment_refused(self) -> None:
        """Raw trusted objects cannot be endowed; only facets and plain values."""
        with self.assertRaises(TypeError):
            run("x", endowments={"bell": Bell()})
        with self.assertRaises(TypeError):
            expose(object())
        with self.assertRaises(ValueError):
            run("x", endowments={"_private": 1})

    def test_output_sink_callable_and_list(self) -> None:
        """print goes to the engine's sink: a callable or a list."""
        seen: list[str] = []
        run("print('a', 1, sep='-')", output=seen.append)
        self.assertEqual(seen, ["a-1\n"])
        chunks: list[str] = []
        run("print('b')", output=chunks)
        self.assertEqual(chunks, ["b\n"])

    def test_output_is_capped(self) -> None:
        """Output beyond the budget is cut off and marked."""
        result = run("for i in range(100):\n    print('x' * 100)", budget=Budget(output=500))
        self.assertLessEqual(len(result.output), 500 + len("\n[output truncated]"))
        self.assertIn("[output truncated]", result.output)

    def test_returned_script_objects_stay_inside(self) -> None:
        """A script cannot hand its own objects out as the result value."""
        result = run("class A:\n    pass\nA()")
        self.assertFalse(result.ok)
        self.assertIn("cannot leave", result.error)

    def test_budget_object(self) -> None:
        """Budgets are frozen values with sensible defaults and a background preset."""
        self.assertEqual(Budget().ticks, 100_000)
        self.assertLess(Budget.background().ticks, Budget().ticks)
        with self.assertRaises(AttributeError):
            Budget().ticks = 1  # type: ignore[misc]

    def test_public_names(self) -> None:
        """The package exports its API."""
        for name in ("run", "Domain", "Budget", "TaskResult", "ScriptError", "expose", "Clock",
                     "check"):
            self.assertTrue(hasattr(scripting, name), name)


class DomainTests(unittest.TestCase):
    """Domain.load once, module.call many times."""

    def test_load_and_call(self) -> None:
        """A loaded module's functions run in new tasks with arguments and budgets."""
        domain = Domain("ann")
        module = domain.load("count = [0]\ndef on_hear(speaker, text):\n    count[0] += 1\n"
                             "    print(speaker, 'said', text)\n    return count[0]\n"
                             "def helper():\n    pass\n", name="parrot")
        self.assertTrue(module.result.ok)
        self.assertEqual(module.functions(), ["helper", "on_hear"])
        first = module.call("on_hear", "bob", "hello", budget=Budget(ticks=1000))
        self.assertEqual((first.value, first.output), (1, "bob said hello\n"))
        self.assertEqual(module.call("on_hear", "cy", "hi").value, 2)

    def test_usage_is_accounted(self) -> None:
        """The domain counts tasks, ticks, aborts and errors for meters."""
        domain = Domain("ann")
        domain.run("x = 1")
        domain.run("while True:\n    pass", budget=Budget(ticks=500))
        domain.run("1 / 0")
        usage = domain.usage
        self.assertEqual((usage.tasks, usage.aborts, usage.errors), (3, 1, 1))
        self.assertEqual(usage.last_abort, "ran out of ticks")
        self.assertGreaterEqual(usage.ticks, 500)

    def test_footprint_sees_state_kept_between_tasks(self) -> None:
        """State grown over many tasks shows in the footprint (objects, bytes, depth)."""
        domain = Domain("ann")
        module = domain.load("chain = [None]\ndef grow(n):\n    for i in range(n):\n"
                             "        chain[0] = (chain[0],)\n")
        before = domain.footprint()
        for _ in range(4):  # (the state limit discards chains over 10 000 deep)
            self.assertTrue(module.call("grow", 2000).ok)
        after = domain.footprint()
        self.assertTrue(after.complete)
        self.assertGreater(after.objects, before.objects + 7000)
        self.assertGreater(after.depth, 7000)
        self.assertGreater(after.bytes, before.bytes)
        self.assertFalse(domain.footprint(max_objects=100).complete)

    def test_call_unknown_function(self) -> None:
        """Calling a missing or private name is an error result, not an exception."""
        module = Domain("ann").load("x = 1\n")
        self.assertFalse(module.call("nope").ok)
        self.assertFalse(module.call("x").ok)
        self.assertFalse(module.call("$tick").ok)

    def test_load_raises_script_error(self) -> None:
        """load() raises ScriptError with violations for refused source."""
        with self.assertRaises(ScriptError) as cm:
            Domain("ann").load("import os.path\n")
        self.assertEqual(cm.exception.violations[0].line, 1)

    def test_module_state_survives_an_abort(self) -> None:
        """A task that runs out of ticks leaves the module loaded and callable."""
        module = Domain("ann").load("def spin():\n    while True:\n        pass\n"
                                    "def ok():\n    return 'fine'\n")
        self.assertEqual(module.call("spin", budget=Budget(ticks=1000)).aborted,
                         "ran out of ticks")
        self.assertEqual(module.call("ok").value, "fine")

    def test_libraries_export_only_declared_names(self) -> None:
        """A library's 'exports' are importable, frozen; nothing else is."""
        domain = Domain("ann")
        domain.load("exports = ('greet', 'colors')\ndef greet(n):\n    return 'hi ' + n\n"
                    "colors = ('red', 'blue')\nhidden = 1\n", name="mylib", library=True)
        result = domain.run("import mylib\nfrom mylib import greet\n"
                            "print(greet('x'), mylib.colors)\n")
        self.assertEqual(result.output, "hi x ('red', 'blue')\n", result.error)
        self.assertFalse(domain.run("import mylib\nmylib.hidden").ok)
        self.assertFalse(domain.run("import mylib\nmylib.greet = None").ok)
        self.assertFalse(Domain("bob").run("import mylib").ok)

    def test_same_library_in_two_domains_is_two_instances(self) -> None:
        """Rule 17: a library's state is per domain; mutating it in one is invisible in another."""
        source = "exports = ('items',)\nitems = []\n"
        a, b = Domain("a"), Domain("b")
        a.load(source, name="shared", library=True)
        b.load(source, name="shared", library=True)
        a.run("import shared\nshared.items.append('from a')")
        self.assertEqual(b.run("import shared\nlen(shared.items)").value, 0)
        self.assertEqual(a.run("import shared\nlen(shared.items)").value, 1)

    def test_comprehension_elements_tick(self) -> None:
        """A comprehension costs a tick per element, like a loop."""
        loop = run("x = []\nfor i in range(10000):\n    x.append(i)").ticks
        comp = run("x = [i for i in range(10000)]").ticks
        self.assertGreater(comp, 10000)
        self.assertLess(comp, loop * 2)

    def test_errors_show_only_script_lines(self) -> None:
        """Tracebacks name the script's lines and source, never engine files or objects."""
        module = Domain("ann").load("def inner(x):\n    return x['missing']\n"
                                    "def outer():\n    return inner({})\n", name="bell")
        result = module.call("outer")
        self.assertFalse(result.ok)
        self.assertIn("bell, line 4, in outer()", result.error)
        self.assertIn("bell, line 2, in inner()", result.error)
        self.assertIn("return x['missing']", result.error)
        self.assertIn("KeyError: 'missing'", result.error)
        for leak in ("/scripting/", ".py", "0x", 'File "'):
            self.assertNotIn(leak, result.error)

    def test_error_args_with_live_objects_are_masked(self) -> None:
        """An exception carrying a live trusted object shows '<object>' instead."""
        bell = Bell()
        result = run("bell.ring(-1)", endowments={"bell": facet(bell, IBellRing)})
        self.assertFalse(result.ok)
        self.assertIn("<object>", result.error)
        self.assertNotIn("Bell", result.error)

    def test_clock_capability(self) -> None:
        """Time is available only as a handed-in, coarse clock."""
        result = run("clock.now()", endowments={"clock": Clock(lambda: 1234.56, 10.0)})
        self.assertEqual(result.value, 1230.0)
        self.assertFalse(run("import time").ok)


class FacetTests(unittest.TestCase):
    """World objects reach scripts only as zope.security facets; their checker decides."""

    def test_facet_allows_interface_names(self) -> None:
        """Names in the facet's interface work; results come back as values or facets."""
        bell = Bell()
        result = run("print(bell.name, bell.look(), bell.ring(2), bell.ring(1))",
                     endowments={"bell": facet(bell, IBellRing)})
        self.assertEqual(result.output, "brass bell a brass bell 2 3\n", result.error)
        self.assertEqual(bell.rung, 3)

    def test_facet_denies_other_names(self) -> None:
        """Names outside the interface are refused with a clean AttributeError."""
        bell = Bell()
        result = run("try:\n    bell.secret\nexcept AttributeError as e:\n    print(e.args)\n"
                     "bell.ring(1)", endowments={"bell": facet(bell, IBellView)})
        self.assertIn("'secret' is not available", result.output)
        self.assertFalse(result.ok)
        self.assertEqual(bell.rung, 0)

    def test_facet_private_names_refused(self) -> None:
        """Underscore names never reach the proxy, even via getattr."""
        result = run("getattr(bell, '__class__')",
                     endowments={"bell": facet(Bell(), IBellRing)})
        self.assertFalse(result.ok)

    def test_facet_attribute_writes_go_through_the_checker(self) -> None:
        """Setting an attribute the checker does not allow fails; the object is unchanged."""
        bell = Bell()
        result = run("bell.name = 'x'", endowments={"bell": facet(bell, IBellRing)})
        self.assertFalse(result.ok)
        self.assertEqual(bell.name, "brass bell")

    def test_forbidden_attribute_exception_carries_no_object(self) -> None:
        """The checker's ForbiddenAttribute (which holds the raw object) never reaches scripts."""
        result = run("try:\n    bell.handle\nexcept Exception as e:\n    print(e.args)",
                     endowments={"bell": facet(Bell(), IBellView)})
        self.assertTrue(result.ok, result.error)
        self.assertNotIn("Bell object", result.output)

    def test_facets_can_be_passed_to_calls(self) -> None:
        """A facet handed to a module function arrives as the same facet."""
        bell = Bell()
        module = Domain("ann").load("def ding(b):\n    return b.ring(5)\n")
        self.assertEqual(module.call("ding", facet(bell, IBellRing)).value, 5)


class WriteMatrixTests(unittest.TestCase):
    """Writes go only to objects the writing domain owns (rule 16)."""

    def test_own_objects_writable(self) -> None:
        """Instances and classes of your own domain can be written."""
        result = run("class A:\n    pass\na = A()\na.x = 1\nA.y = 2\nsetattr(a, 'z', 3)\n"
                     "print(a.x, a.y, a.z)")
        self.assertEqual(result.output, "1 2 3\n")

    def test_everything_else_read_only(self) -> None:
        """Builtins, facades, functions and other values refuse attribute writes."""
        for src in ("x = []\nx.y = 1", "def f():\n    pass\nf.y = 1", "import math\nmath.y = 1",
                    "print.y = 1", "list.y = 1", "(1).y = 1", "'s'.y = 1"):
            self.assertFalse(run(src).ok, src)
