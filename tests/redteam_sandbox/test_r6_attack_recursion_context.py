"""
A RecursionError cannot be caught under another name (red team, round 6, issue 9).

C{$caught} stops the task when the handler's own exception is a RecursionError,
but a script can have CPython replace the RecursionError with another exception
before any handler of its runs, the RecursionError left only as that
exception's C{__context__}: an C{except} clause naming a class that is no
exception (CPython raises TypeError when it tries to match it) or a name that is
not bound (NameError), or a C{finally} block that raises. An outer handler then
caught the replacement and the script carried on from whatever trusted code the
RecursionError had left half-done.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain
from tests.redteam_sandbox.test_review5_recursion_caught import DEEP_REPRS

REPLACED = {
    "an except clause naming a class that is no exception": (
        "class NotExc:\n    pass\n"
        "try:\n    try:\n        repr(a)\n    except NotExc:\n        pass\n"
        "except TypeError:\n    print('caught')\n"),
    "an except clause naming an unbound name": (
        "try:\n    try:\n        repr(a)\n    except nowhere:\n        pass\n"
        "except NameError:\n    print('caught')\n"),
    "a finally block that raises": (
        "try:\n    try:\n        repr(a)\n    finally:\n        int('x')\n"
        "except ValueError:\n    print('caught')\n"),
    "a finally block that raises, in a function": (
        "def f():\n    try:\n        repr(a)\n    finally:\n        raise KeyError('k')\n"
        "def g():\n    try:\n        f()\n    except KeyError:\n        return 'caught'\n"
        "print(g())\n"),
    "a chain of finally blocks": (
        "def f(n):\n    try:\n        if n:\n            f(n - 1)\n        else:\n"
        "            repr(a)\n    finally:\n        raise ValueError(n)\n"
        "try:\n    f(5)\nexcept ValueError:\n    print('caught')\n"),
}


class RecursionReplacedTests(unittest.TestCase):
    """A RecursionError replaced by another exception before a handler ran still
    stops the task at the first handler that catches the replacement."""

    def test_replaced_recursion_error_stops_the_task(self) -> None:
        """Each way of replacing it: the task is stopped, nothing after runs."""
        for name, body in REPLACED.items():
            result = Domain("ann").run(DEEP_REPRS + body + "print('after')\n",
                                       budget=Budget(ticks=10**7, seconds=60.0))
            self.assertEqual(result.aborted, "calls nested too deeply", (name, result.error))
            self.assertEqual(result.output, "", name)

    def test_ordinary_chains_are_caught(self) -> None:
        """An error raised in a finally block or an except clause over another
        ordinary error is caught as before."""
        for name, body in REPLACED.items():
            source = ("a = 1\nclass Deep:\n    pass\n"
                      + body.replace("repr(a)", "raise IndexError('i')"))
            result = Domain("ann").run(source, budget=Budget(ticks=10**7, seconds=60.0))
            self.assertTrue(result.ok, (name, result.error))
            self.assertIn("caught", result.output, name)


SWALLOWED = {
    "a for loop ending on a StopIteration raised in a finally block": (
        "class It:\n    def __init__(self):\n        self.n = 0\n"
        "    def __iter__(self):\n        return self\n"
        "    def __next__(self):\n        self.n += 1\n        if self.n > 1:\n"
        "            try:\n                repr(a)\n            finally:\n"
        "                raise StopIteration\n        return 1\n"
        "for x in It():\n    pass\n"),
    "getattr() with a default over a property raising AttributeError in a finally block": (
        "class P:\n    def get(self):\n        try:\n            repr(a)\n"
        "        finally:\n            raise AttributeError('p')\n    p = property(get)\n"
        "getattr(P(), 'p', None)\nhasattr(P(), 'p')\n"),
}


class RecursionSwallowedTests(unittest.TestCase):
    """A RecursionError replaced in a finally block by an error that C or trusted code
    swallows (no handler of the script's ever runs) still stops the task."""

    def test_swallowed_replacement_stops_the_task(self) -> None:
        """Each way: the task is stopped, nothing after runs."""
        for name, body in SWALLOWED.items():
            result = Domain("ann").run(DEEP_REPRS + body + "print('after')\n",
                                       budget=Budget(ticks=10**7, seconds=60.0))
            self.assertEqual(result.aborted, "calls nested too deeply", (name, result.error))
            self.assertEqual(result.output, "", name)

    def test_finally_blocks_run_as_before(self) -> None:
        """A finally block over an ordinary error, or none, runs as before."""
        source = ("out = []\ndef f(raising):\n    try:\n        if raising:\n"
                  "            raise ValueError('v')\n    finally:\n        out.append(raising)\n"
                  "f(False)\ntry:\n    f(True)\nexcept ValueError:\n    out.append('caught')\n"
                  "try:\n    raise KeyError('k')\nexcept KeyError:\n    f(False)\nout\n")
        result = Domain("ann").run(source)
        self.assertEqual(result.value, [False, True, "caught", False], result.error)


MATCHED = {
    "getattr() with a default over a property whose except clause reads a missing "
    "attribute": (
        "class P:\n    def get(self):\n        try:\n            repr(a)\n"
        "        except P.nope:\n            pass\n    p = property(get)\n"
        "getattr(P(), 'p', None)\nhasattr(P(), 'p')\n"),
    "a tuple in the except clause": (
        "class P:\n    def get(self):\n        try:\n            repr(a)\n"
        "        except (ValueError, P.nope):\n            pass\n    p = property(get)\n"
        "getattr(P(), 'p', None)\n"),
}


class RecursionMatchedTests(unittest.TestCase):
    """A RecursionError replaced while an except clause is matched against it (reading
    the clause's names raised) by an error trusted code swallows still stops the task."""

    def test_clause_replacement_stops_the_task(self) -> None:
        """Each way: the task is stopped, nothing after runs."""
        for name, body in MATCHED.items():
            result = Domain("ann").run(DEEP_REPRS + body + "print('after')\n",
                                       budget=Budget(ticks=10**7, seconds=60.0))
            self.assertEqual(result.aborted, "calls nested too deeply", (name, result.error))
            self.assertEqual(result.output, "", name)

    def test_clauses_match_as_before(self) -> None:
        """Named, dotted and tuple clauses match as before; a bare except too."""
        source = ("class Errors:\n    pass\nclass Mine(ValueError):\n    pass\n"
                  "Errors.Mine = Mine\nout = []\n"
                  "for exc in (Mine('m'), KeyError('k'), IndexError('i'), ZeroDivisionError()):\n"
                  "    try:\n        raise exc\n    except Errors.Mine:\n        out.append(1)\n"
                  "    except (KeyError, IndexError):\n        out.append(2)\n"
                  "    except:\n        out.append(3)\nout\n")
        result = Domain("ann").run(source)
        self.assertEqual(result.value, [1, 2, 2, 3], result.error)


class ChainWalkTests(unittest.TestCase):
    """Looking through a handled error's chain is charged by its length, and the chain
    is cut after the error handled (tests.redteam_sandbox.test_r7_attack_context_chain)."""

    def test_long_chain_is_cut(self) -> None:
        """An error chained to the last 3 000 times over is handled looking through a
        few links (each handler cut the chain of what it took): a tick at most."""
        source = ("prev = ValueError(0)\nfor i in range(3000):\n    try:\n        raise prev\n"
                  "    except ValueError:\n        try:\n            int('x')\n"
                  "        except ValueError as e:\n            new = e\n    prev = new\n"
                  "n = ticks_left()\ntry:\n    raise prev\nexcept KeyError:\n    pass\n"
                  "except ValueError:\n    pass\nn - ticks_left()\n")
        result = Domain("ann").run(source, budget=Budget(ticks=10**7, seconds=60.0))
        self.assertTrue(result.ok, result.error)
        self.assertLessEqual(result.value, 2)
