"""
Comprehensions nested past CPython's block stack (review 5, issue 9).

Python 3.12 and 3.13 compile a list, set or dict comprehension inline, into the
function around it, and each takes a place on the compiler's fixed stack of
twenty nested blocks, as each enclosing C{try} does; but nothing checks that
stack for comprehensions: 21 nested comprehensions (3.12.1), 23 (3.13.0), or
ten C{try} blocks around a dozen, crash the process in C{compile()} itself,
before any budget applies (the checker allowed nesting 60 deep). Now the
checker refuses more than C{policy.MAX_BLOCKS} of them nested in one function
(C{try} blocks and comprehensions counted together). The crash is tried in a
subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable

from twisted.trial import unittest

from scripting import policy, run

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def assert_survives(test: unittest.TestCase, sources: Iterable[str]) -> None:
    """
    Run each of C{sources} (L{scripting.run}) in a child process: a crash
    of the process fails C{test} instead of ending the suite.
    """
    code = (f"import sys\nsys.path.insert(0, {ROOT!r})\nimport scripting\n"
            f"for source in {list(sources)!r}:\n"
            "    print(scripting.run(source).ok)\nprint('survived')\n")
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           timeout=300, check=False)
    test.assertEqual(child.returncode, 0, child.stderr[-2000:])
    test.assertIn("survived", child.stdout)


def comprehensions(count: int, kind: str = "[{} for a{} in one]") -> str:
    inner = "x"
    for i in range(count):
        inner = kind.format(inner, i)
    return inner


def in_tries(count: int, body: str) -> str:
    source = ""
    for i in range(count):
        source += "    " * i + "try:\n"
    source += "    " * count + body + "\n"
    for i in range(count - 1, -1, -1):
        source += "    " * i + "except Exception:\n" + "    " * i + "    pass\n"
    return source


ATTACKS = {
    "list comprehensions": "def f(one):\n    return " + comprehensions(30) + "\n",
    "at the top level": "one = [1]\ny = " + comprehensions(30) + "\n",
    "set comprehensions": "def f(one):\n    return "
    + comprehensions(30, "{{{} for a{} in one}}") + "\n",
    "dict comprehensions": "def f(one):\n    return "
    + comprehensions(30, "{{a{1}: {0} for a{1} in one}}") + "\n",
    "inside try blocks": "one = [1]\n" + in_tries(10, "y = " + comprehensions(12)),
}


class CompilerBlocksTests(unittest.TestCase):
    """No script reaches C{compile()} with more blocks nested than it can hold."""

    def test_refused(self) -> None:
        """Each attack is refused by the checker, with its line."""
        for name, source in ATTACKS.items():
            result = run(source)
            self.assertFalse(result.ok, name)
            self.assertIn("nested too deeply", result.error, name)

    def test_the_process_survives(self) -> None:
        """Run in a subprocess: a crash fails the test instead of ending it."""
        assert_survives(self, ATTACKS.values())

    def test_within_the_limit(self) -> None:
        """C{MAX_BLOCKS} nested comprehensions in a function compile and run."""
        source = ("def f(one):\n    return " + comprehensions(policy.MAX_BLOCKS - 1)
                  + "\nx = 1\nprint(f([1]))\n")
        result = run(source)
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.output, "[" * (policy.MAX_BLOCKS - 1) + "1"
                         + "]" * (policy.MAX_BLOCKS - 1) + "\n")
