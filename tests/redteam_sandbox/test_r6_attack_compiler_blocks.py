"""
Exception handlers nested past CPython's block stack (red team, round 6, issue 9).

The checker allowed C{policy.MAX_BLOCKS} (16) comprehensions and C{try}
statements nested in one function, counting each C{try} once; but what CPython
3.12 and 3.13 overflow, unchecked, when compiling is their stack of exception
handlers, where a C{try} takes one place around its body, two around the body
of an C{except ... as name} handler (its cleanup, and the name's), three there
when the C{try} also has a C{finally}, one around that C{finally}; a generator
function's whole body takes one and each C{yield from} one more. Eight nested
C{except ... as e} handlers around eight comprehensions (24 places; 3.12.1 holds
20, 3.13.0 22), ten around a C{yield}, or six C{try}/C{except as}/C{finally}
around three comprehensions: a segmentation fault in C{compile()}, the whole
server gone on a script a player saves. The crash is tried in a subprocess.
"""

from __future__ import annotations

import ast
import os

from twisted.trial import unittest

from scripting import check, run
from scripting.validate import validate
from tests.redteam_sandbox.test_review5_compiler_blocks import assert_survives

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def comprehensions(count: int) -> str:
    inner = "x"
    for i in range(count):
        inner = f"[{inner} for a{i} in b]"
    return inner


def in_handlers(count: int, body: str, finally_: bool = False) -> str:
    """C{body} in the C{except ... as e} handler of C{count} nested C{try} statements,
    in a function."""
    lines = ["def f(b, x):"]
    for i in range(count):
        ind = "    " * (i + 1)
        lines += [ind + "try:", ind + "    pass", ind + f"except ValueError as e{i}:"]
    lines += ["    " * (count + 1) + line for line in body.splitlines()]
    if finally_:
        for i in range(count - 1, -1, -1):
            ind = "    " * (i + 1)
            lines += [ind + "finally:", ind + "    pass"]
    return "\n".join(lines) + "\n"


ATTACKS = {
    "named handlers around comprehensions": in_handlers(8, "y = " + comprehensions(8)),
    "a generator's named handlers": in_handlers(10, "yield 1"),
    "yield from in named handlers": in_handlers(9, "y = " + comprehensions(1)
                                                + "\nyield from x"),
    "handlers of a try with finally": in_handlers(6, "y = " + comprehensions(3), True),
}

FINE = {
    "named handlers around comprehensions": in_handlers(5, "y = " + comprehensions(6)),
    "a generator's named handlers": in_handlers(7, "yield 1"),
    "handlers of a try with finally": in_handlers(4, "y = " + comprehensions(4), True),
    "finally blocks": "def f(b):\n" + "".join(
        "    " * (i + 1) + "try:\n" + "    " * (i + 2) + "pass\n" + "    " * (i + 1)
        + "finally:\n" for i in range(12)) + "    " * 13 + "y = " + comprehensions(4) + "\n",
}


class HandlerBlocksTests(unittest.TestCase):
    """No script reaches C{compile()} with more exception handlers nested than it holds."""

    def test_refused(self) -> None:
        """Each attack is refused by the checker (run on its own: compiling what it let
        through crashes this process on 3.12 and 3.13)."""
        for name, source in ATTACKS.items():
            found = validate(ast.parse(source))
            self.assertTrue(any("nested too deeply" in v.reason for v in found),
                            (name, found))

    def test_the_process_survives(self) -> None:
        """Each attack run in a subprocess: a crash fails the test instead of ending it."""
        assert_survives(self, ATTACKS.values())

    def test_within_the_limit(self) -> None:
        """What takes at most C{MAX_BLOCKS} places compiles and runs."""
        for name, source in FINE.items():
            self.assertEqual(check(source), [], name)
            result = run(source + "'done'\n")
            self.assertEqual(result.value, "done", (name, result.error))
