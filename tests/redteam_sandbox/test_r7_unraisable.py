"""
No budget stop can be raised where CPython swallows it (red team, round 7, issue 9).

CPython reports an error raised by a finaliser as "unraisable" (C{sys.unraisablehook})
and goes on: one raised in a C{__del__} method, a C{weakref} callback, or a paused
generator being closed by its last reference going. A C{RecursionError}, or the task's
C{Abort} for its budget, raised there would be swallowed, and the script would carry on
past it. A script reaches none of the first two: a class cannot define, set or be made with
C{__del__}, and no module or builtin gives it a weak reference. The third runs only the
matching of C{except} clauses naming built-in exceptions (the validator's rule for a
C{yield}), which calls nothing that ticks: no budget is charged, and none stops, there.
"""

from __future__ import annotations

import gc
import sys
import weakref
from typing import Any

from twisted.trial import unittest

from scripting import Budget, Domain, check
from scripting.classes import ScriptObject, ScriptType
from scripting.facades import FACADE_MAKERS

DEL = {
    "a class body": "class A:\n    def __del__(self):\n        pass\n",
    "an assignment in a class body": "def f(self):\n    pass\nclass A:\n    __del__ = f\n",
    "an attribute set": "def f(self):\n    pass\nclass A:\n    pass\nA.__del__ = f\n",
}


class FinaliserTests(unittest.TestCase):
    """A script has no finaliser of its own."""

    def test_no_del_method(self) -> None:
        """Each way to give a class a __del__ is refused by the checker."""
        for name, source in DEL.items():
            self.assertTrue(check(source), name)

    def test_no_del_at_run_time(self) -> None:
        """setattr() with '__del__', and type() with three arguments, are refused."""
        for source in ("def f(self):\n    pass\nclass A:\n    pass\nsetattr(A, '__del__', f)\n",
                       "def f(self):\n    pass\nA = type('A', (), {'__del__': f})\n"):
            result = Domain("ann").run(source)
            self.assertFalse(result.ok, source)
            self.assertIsNone(result.aborted, source)

    def test_script_classes_have_none(self) -> None:
        """The classes every script class is made from define no finaliser."""
        for cls in (ScriptObject, ScriptType):
            for klass in cls.__mro__:
                self.assertNotIn("__del__", vars(klass), klass)

    def test_no_weak_references(self) -> None:
        """No module a script may import, and no builtin, is or holds a weak reference
        maker, nor is 'weakref' importable."""
        for source in ("import weakref\n", "import gc\n", "from weakref import ref\n"):
            result = Domain("ann").run(source)
            self.assertFalse(result.ok, source)
            self.assertIn("no module named", result.error, source)
        makers = {weakref.ref, weakref.proxy, weakref.finalize, weakref.WeakSet,
                  weakref.WeakKeyDictionary, weakref.WeakValueDictionary, weakref.WeakMethod}
        domain = Domain("ann")
        module = domain.load("x = 1\n")
        seen: list[Any] = list(module._globals["__builtins__"].values())
        for make in FACADE_MAKERS.values():
            facade = make(domain)
            seen.extend(getattr(facade, attr) for attr in dir(facade)
                        if not attr.startswith("_"))
        self.assertTrue(seen)
        for value in seen:
            self.assertFalse(any(value is m for m in makers), value)


class GeneratorCloseTests(unittest.TestCase):
    """Closing a script's paused generators charges and stops nothing."""

    def test_budget_stop_is_not_swallowed(self) -> None:
        """A task dropping paused generators (in a try with a handler, and in a handler)
        over and over until its ticks run out is stopped for its ticks, and nothing was
        unraisable on the way."""
        unraisable: list[Any] = []
        self.patch(sys, "unraisablehook", unraisable.append)
        source = ("def g():\n    try:\n        yield 1\n    except ValueError:\n"
                  "        yield 2\n"
                  "def k():\n    try:\n        raise KeyError\n    except KeyError:\n"
                  "        yield 3\n"
                  "while True:\n    a = g()\n    next(a)\n    b = k()\n    next(b)\n"
                  "    a = b = None\n")
        result = Domain("ann").run(source, budget=Budget(ticks=20_000, seconds=10.0))
        gc.collect()
        self.assertEqual(result.aborted, "ran out of ticks", result.error)
        self.assertEqual(unraisable, [])
