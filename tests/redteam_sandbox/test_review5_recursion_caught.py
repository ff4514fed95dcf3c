"""
A RecursionError cannot be caught (review 5, issue 9).

The task's depth probes stop every recursion the sandbox can see, and no
structure deeper than C{charge.MAX_NEST} reaches C; but C calls made between
two script frames add up where no frame is: a script object whose C{__repr__}
prints a list nested 190 deep holding another such object, and so on, ran
CPython into its C{RecursionError} with a few dozen frames open, anywhere in
trusted code (hooks, the charging code, C), and the script caught it and
carried on. Now the first step of every C{except} handler stops the task if
what it is handling is a C{RecursionError} (a C{finally} block cannot swallow
one: C{return}, C{break} and C{continue} are refused there): whatever was left
half-done is rolled back with the task.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain

DEEP_REPRS = (
    "class K:\n    def __init__(self, inner):\n        self.inner = inner\n"
    "    def __repr__(self):\n        return repr(self.inner)\n"
    "def wrap(x):\n    for i in range(190):\n        x = [x]\n    return x\n"
    "a = 1\nfor i in range(60):\n    a = K(wrap(a))\n")

HANDLERS = {
    "except RecursionError": "try:\n    {}\nexcept RecursionError:\n    print('caught')\n",
    "except RuntimeError": "try:\n    {}\nexcept RuntimeError:\n    print('caught')\n",
    "except Exception as e": "try:\n    {}\nexcept Exception as e:\n    print('caught')\n",
    "bare except": "try:\n    {}\nexcept:\n    print('caught')\n",
    "a tuple": "try:\n    {}\nexcept (ValueError, RecursionError):\n    print('caught')\n",
    "in a function": "def f():\n    try:\n        {}\n    except Exception:\n        return 1\n"
    "print(f())\n",
}


class RecursionCaughtTests(unittest.TestCase):
    """Whatever raised it, a RecursionError that reaches a script's handler stops
    the task there."""

    def run_script(self, source: str) -> object:
        return Domain("ann").run(source, budget=Budget(ticks=10**7, seconds=60.0))

    def assertStopped(self, result: object, name: str) -> None:
        self.assertEqual(result.aborted, "calls nested too deeply", (name, result.error))
        self.assertEqual(result.output, "", name)

    def test_deep_reprs(self) -> None:
        """Reprs of script objects through nested lists: stopped, however caught."""
        for name, handler in HANDLERS.items():
            self.assertStopped(self.run_script(
                DEEP_REPRS + handler.format("repr(a)") + "print('after')\n"), name)

    def test_f_string(self) -> None:
        """The same through an f-string."""
        self.assertStopped(self.run_script(
            DEEP_REPRS + HANDLERS["except RecursionError"].format("f'{a}'")), "f-string")

    def test_raised_by_the_script(self) -> None:
        """A RecursionError the script raised itself stops it too (none is ever
        CPython's to raise within the task's limits)."""
        self.assertStopped(self.run_script(
            HANDLERS["except RecursionError"].format("raise RecursionError('mine')")),
            "raised")

    def test_other_errors_are_caught(self) -> None:
        """Every other error is caught as before, by every kind of handler."""
        for name, handler in HANDLERS.items():
            result = self.run_script(handler.format("raise ValueError('x')"))
            if name in ("except RecursionError", "except RuntimeError"):
                self.assertEqual(result.error.strip().splitlines()[-1], "ValueError: x")
            else:
                self.assertTrue(result.ok, (name, result.error))
