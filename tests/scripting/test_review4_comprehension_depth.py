"""
Comprehension frames between two depth probes (review 4).

On Python 3.11 every list, set and dict comprehension and every generator
expression runs in a frame of its own, and none has a tick point on the
module's countdown: what they charge (L{scripting.hooks.citer}, a
L{scripting.charge.Ticking} per element) goes to the task, which never
probed the depth. A recursion whose every call is wrapped in twenty nested
comprehensions opened twenty-one frames per tick point; with the stride
(C{$least}: a module of dear entries is refilled ten times as many ticks at a
time), the first probe that looked came after CPython's own limit, so the
task ended in a C{RecursionError} raised in trusted code (the probe itself,
C{charge.items}), which the script could catch and carry on from, instead of
being aborted as "calls nested too deeply".
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain

JUNK = "[[[[[0]]]]]"  # five builders: the entry costs eleven ticks, so `$least` is ten


def nested(inner: str, count: int, iterable: str) -> str:
    """C{inner} inside C{count} nested comprehensions over C{iterable}."""
    for i in range(count):
        inner = f"[{inner} for a{i} in {iterable}]"
    return inner


def recursion(body: str, after: str = "f(0)\n") -> str:
    return f"one = [1]\ndef f(n):\n    junk = {JUNK}\n    return {body}\n{after}"


class ComprehensionDepthTests(unittest.TestCase):
    """However many comprehension frames each call opens, recursion is
    aborted on the task's depth limit, never on CPython's."""

    def run_script(self, source: str) -> object:
        return Domain("ann").run(source, budget=Budget(ticks=10**6, seconds=60.0))

    def assertTooDeep(self, result) -> None:
        self.assertEqual(result.aborted, "calls nested too deeply", result.error)
        self.assertNotIn("RecursionError", result.error)

    def test_nested_list_comprehensions(self) -> None:
        """Sixteen list comprehensions (as many as the checker allows nested, review 5)
        around each call of a dear function."""
        self.assertTooDeep(self.run_script(recursion(nested("f(n + 1)", 16, "one"))))

    def test_cheap_function(self) -> None:
        """Sixteen around each call of a cheap one (no stride needed)."""
        source = "one = [1]\ndef f(n):\n    return " + nested("f(n + 1)", 16, "one") + "\nf(0)\n"
        self.assertTooDeep(self.run_script(source))

    def test_lambda(self) -> None:
        """A lambda's tick point is its entry too."""
        source = f"one = [1]\njunk = {JUNK}\nf = lambda n: {nested('f(n + 1)', 16, 'one')}\nf(0)\n"
        self.assertTooDeep(self.run_script(source))

    def test_over_iterators(self) -> None:
        """Comprehensions over generator expressions: each element is charged
        by a Ticking, not by the task's charge."""
        inner = "f(n + 1)"
        for i in range(8):
            inner = f"[a{i} for a{i} in ({inner} for b{i} in one)]"
        self.assertTooDeep(self.run_script(recursion(inner)))

    def test_not_caught_by_the_script(self) -> None:
        """The script cannot catch what stops it and carry on."""
        result = self.run_script(recursion(
            nested("f(n + 1)", 16, "one"),
            "try:\n    f(0)\nexcept RecursionError:\n    print('caught')\nprint('after')\n"))
        self.assertTooDeep(result)
        self.assertEqual(result.output, "")
