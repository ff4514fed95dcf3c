"""
Structures nested deeper than C may recurse (review 5, issue 9).

Comparing, printing, sorting, searching or hashing a list, tuple or dict is
done by C, recursively, one C call per level: a structure nested some
thousands of levels deep (built a level at a time in a loop) ran CPython into
its C{RecursionError} inside trusted code (C{charge.compared}, the hooks behind
C{str}, C{repr}, f-strings, C{sorted}, C{in}), which the script caught and
carried on from. Now the walk that charges a structure before C sees it
measures its nesting too, and a structure nested deeper than
C{charge.MAX_NEST} levels stops the task ("structure nested too deeply").
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain
from scripting.charge import MAX_NEST

LEVELS = 5000

#: (how to nest one level, what to do with two structures a and b so nested)
OPERATIONS = {
    "lists ==": ("[{}]", "a == b"),
    "lists !=": ("[{}]", "a != b"),
    "lists <": ("[{}]", "a < b"),
    "tuples ==": ("({},)", "a == b"),
    "dicts ==": ("{{1: {}}}", "a == b"),
    "repr": ("[{}]", "repr(a)"),
    "str": ("[{}]", "str(a)"),
    "an f-string": ("[{}]", "f'{a}'"),
    "an f-string repr": ("({},)", "f'{a!r}'"),
    "print": ("[{}]", "print(a)"),
    "sorted": ("[{}]", "sorted([a, b])"),
    "min": ("[{}]", "min([a, b])"),
    "in a list": ("[{}]", "a in [b]"),
    "list.count": ("[{}]", "[b].count(a)"),
    "list.index": ("[{}]", "[b, a].index(a)"),
    "a set of tuples": ("({},)", "{a, b}"),
    "a dict key": ("({},)", "{a: 1, b: 2}"),
    "a key looked up": ("({},)", "{b: 1}.get(a)"),
    "in a set": ("({},)", "a in {b}"),
    "json.dumps": ("[{}]", "json.dumps(a)"),
    "json.dumps of a dict": ("{{'k': {}}}", "json.dumps(a)"),
    "json.loads": ("[{}]", "json.loads('[' * (i + 1) + ']' * (i + 1))"),
}


def script(level: str, operation: str, depth: int = LEVELS) -> str:
    nest = level.format("a")
    other = level.format("b")
    return ("import json\na = 0\nb = 0\n"
            f"for i in range({depth}):\n    a = {nest}\n    b = {other}\n"
            f"try:\n    {operation}\nexcept RecursionError:\n    print('caught')\n"
            "except Exception:\n    print('other')\nprint('after')\n")


class NestedDataTests(unittest.TestCase):
    """No structure reaches C nested deeper than C{MAX_NEST} levels."""

    def run_script(self, source: str) -> object:
        return Domain("ann").run(source, budget=Budget(ticks=10**6, seconds=60.0))

    def test_too_deep_for_c(self) -> None:
        """Every operation C does recursively stops the task, uncaught."""
        for name, (level, operation) in OPERATIONS.items():
            result = self.run_script(script(level, operation))
            self.assertEqual(result.aborted, "structure nested too deeply", (name, result.error))
            self.assertEqual(result.output, "", name)

    def test_within_the_limit(self) -> None:
        """A structure C{MAX_NEST} levels deep is compared, printed and sorted as before."""
        for name, (level, operation) in OPERATIONS.items():
            result = self.run_script(script(level, operation, MAX_NEST - 1))
            self.assertTrue(result.ok, (name, result.error))
            self.assertTrue(result.output.endswith("after\n"), (name, result.output[-80:]))
            self.assertNotIn("caught", result.output, name)
