"""One class of C{$tick} for every module (issue 11 §3): loading a module makes no class for
it, and each refill still counts down the module whose code called it, in its own domain's
task only."""

from __future__ import annotations

import gc
import sys

from twisted.trial import unittest

from scripting import Budget, Domain
from scripting.hooks import ModuleTick
from scripting.task import Task

LIBRARY = "step = lambda x: x + 1\ndef spin(n):\n    for i in range(n):\n        pass\n" \
          "    return n\nexports = ('step', 'spin')\n"
SCRIPT = "import lib\ny = 0\nfor i in range(3000):\n    y = lib.step(y)\n" \
         "lib.spin(3000)\nresult = y\n"


class SharedTickTests(unittest.TestCase):
    """Every module of every domain holds a C{$tick} of the same class."""

    def test_one_tick_class_for_every_module(self) -> None:
        """Two modules of a domain and a module of another hold C{$tick}s of one class
        (a load makes no class for it), each its own, holding its module's globals and
        nothing else."""
        a, b = Domain("a"), Domain("b")
        modules = a.load("x = 1\n", name="one"), a.load("x = 2\n", name="two"), \
            b.load("x = 3\n")
        ticks = [m._globals["$tick"] for m in modules]
        self.assertEqual({type(t) for t in ticks}, {ModuleTick})
        self.assertEqual(len({id(t) for t in ticks}), 3)
        for module, tick in zip(modules, ticks, strict=True):
            self.assertEqual(gc.get_referents(tick), [module._globals, ModuleTick])
            self.assertFalse(hasattr(tick, "__dict__"))

    def test_each_refill_is_its_callers_module(self) -> None:
        """A refill called from a function of a library (its loop, and its lambda through
        C{$lam}) refills the library's countdown, one called from the script's loop the
        script's: each module is refilled, and only the modules that ran."""
        domain = Domain("a")
        lib = domain.load(LIBRARY, name="lib", library=True)
        self.assertTrue(lib.result.ok, lib.result.error)
        refilled: list[int] = []
        real = Task.refill

        def noting(task: Task, g: dict) -> None:
            refilled.append(id(g))
            real(task, g)

        self.patch(Task, "refill", noting)
        module = domain.load(SCRIPT, budget=Budget(ticks=10**6))
        self.assertTrue(module.result.ok, module.result.error)
        self.assertEqual(module._globals["result"], 3000)
        copy = lib._globals
        self.assertEqual(set(refilled), {id(module._globals), id(copy)})
        self.assertGreater(refilled.count(id(copy)), 20)
        self.assertGreater(refilled.count(id(module._globals)), 20)

    def test_lambda_refills_its_module(self) -> None:
        """C{$lam} (a lambda's tick point) refills the lambda's module, not the caller's."""
        domain = Domain("a")
        lib = domain.load("step = lambda x: x + 1\nexports = ('step',)\n", name="lib",
                          library=True)
        self.assertTrue(lib.result.ok, lib.result.error)
        refilled: list[int] = []
        real = Task.refill

        def noting(task: Task, g: dict) -> None:
            refilled.append(id(g))
            real(task, g)

        self.patch(Task, "refill", noting)
        module = domain.load("import lib\nresult = [lib.step(i) for i in range(3000)][-1]\n",
                             budget=Budget(ticks=10**6))
        self.assertEqual(module._globals["result"], 3000, module.result.error)
        copy = lib._globals
        # the comprehension is charged per element, not by the script's countdown: the
        # lambda's module refills many times, through $lam only (it has no other code
        # that runs in this task)
        self.assertGreater(refilled.count(id(copy)), 20)
        self.assertEqual(set(refilled), {id(module._globals), id(copy)})

    def test_code_of_a_collected_inside_b_task_is_refused(self) -> None:
        """A generator of domain A collected during B's task calls A's C{$tick}: refused
        (its countdown emptied), nothing of it runs, B's task is not aborted."""
        from tests.scripting.test_escapes import lift_generator_rule
        lift_generator_rule(self)
        a, b = Domain("a"), Domain("b")
        module = a.load("log = []\ndef gen():\n    try:\n        yield 1\n    finally:\n"
                        "        log.append('ran')\ng = gen()\nnext(g)\n")
        self.patch(sys, "unraisablehook", lambda *args: None)
        holder = module._globals
        refilled: list[dict] = []
        real = Task.refill

        def noting(task: Task, g: dict) -> None:
            refilled.append(g)
            real(task, g)

        self.patch(Task, "refill", noting)

        def collect_inside_b() -> int:
            del holder["g"]
            gc.collect()
            return 1

        result = b._run(collect_inside_b, Budget(), None)
        self.assertTrue(result.ok, result.error)
        self.assertIsNone(result.aborted)
        self.assertEqual(holder["log"], [])
        self.assertEqual(refilled, [])
        self.assertEqual(holder["$t"].cell_contents, 0)


    def test_lambda_of_a_called_inside_b_task_is_refused(self) -> None:
        """A lambda of domain A called during B's task (its tick point, C{$lam}, calls its
        module's C{$tick}): refused before its body runs."""
        a, b = Domain("a"), Domain("b")
        module = a.load("log = []\nf = lambda: log.append(1)\n")
        self.assertTrue(module.result.ok, module.result.error)
        holder = module._globals
        result = b._run(holder["f"], Budget(), None)
        self.assertFalse(result.ok)
        self.assertIn("only run inside its own domain's task", result.error)
        self.assertEqual(holder["log"], [])
        self.assertEqual(holder["$t"].cell_contents, 0)
