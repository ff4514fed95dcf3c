"""
Paused generators of a module finalised when it is unloaded are closed quietly (issue 9).

Unloading a module clears its globals, keeping the hooks (C{$caught}, C{$tick}...). It
emptied the dict before putting the hooks back, and the values dropped on the way included
the script's paused generators: each was closed then, its C{except} clause calling
C{$caught} in a dict holding nothing, and CPython printed "Exception ignored in: <generator
...> NameError: name '$caught' is not defined" for each (seen in CI output).
"""

from __future__ import annotations

import gc
import io
import sys
from typing import Any

from twisted.trial import unittest

from scripting import Budget, Domain

BUDGET = Budget(ticks=20_000, seconds=5.0)

HELD = ("def g():\n    try:\n        yield 1\n    except ValueError:\n"
        "        print('caught')\n    yield 2\n"
        "def h():\n    for i in g():\n        yield i\n"
        "def k():\n    try:\n        pass\n    except KeyError:\n        yield 3\n"
        "    try:\n        raise KeyError\n    except KeyError:\n        yield 4\n"
        "kept = [g(), h(), (x for x in g()), k()]\nfor e in kept:\n    next(e)\n")


class UnloadQuietTests(unittest.TestCase):
    """Nothing is reported as unraisable, nothing printed, when a module's generators go."""

    def setUp(self) -> None:
        self.unraisable: list[Any] = []
        self.stderr = io.StringIO()
        self.patch(sys, "unraisablehook", self.unraisable.append)
        self.patch(sys, "stderr", self.stderr)

    def test_generators_dropped_at_unload(self) -> None:
        """Paused generators (in a try with a handler, in a handler, in a for loop, a
        generator expression) are closed at unload without an error or output."""
        self.assert_unloaded_quietly(HELD)

    def test_generators_dropped_after_unload(self) -> None:
        """Generators that outlive the unload (the collector takes them later) are closed
        quietly too."""
        self.assert_unloaded_quietly("class Box:\n    pass\n" + HELD
                                     + "b = Box()\nb.me = b\nb.kept = kept\nkept = None\n")

    def assert_unloaded_quietly(self, source: str) -> None:
        """
        C{source} loads; unloaded and collected, nothing is reported
        unraisable or written to stderr.
        """
        domain = Domain("ann")
        module = domain.load(source, name="held", budget=BUDGET)
        self.assertTrue(module.result.ok, module.result.error)
        domain.unload(module)
        del module
        gc.collect()
        self.assertEqual([(u.exc_type, str(u.exc_value)) for u in self.unraisable], [])
        self.assertEqual(self.stderr.getvalue(), "")
