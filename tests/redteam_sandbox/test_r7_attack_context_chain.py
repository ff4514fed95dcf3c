"""
A script cannot grow the chain CPython walks on every raise (red team, round 7, issue 9).

Raising an error while another is handled makes the handled one the new error's
C{__context__}, and CPython first walks the whole chain of contexts of the handled
one, in C and uncharged (to avoid making a cycle). A script kept a list of
C{StopIteration}s and raised each inside a handler of the next, from a C{__next__}
that a C{for} loop swallows, so that no handler of its own (and no C{$caught}) saw
them: a link a step, a chain thousands long for a few ticks a link. Then, in a
handler of its head, every C{for} loop ending, every failed lookup a builtin
swallows, walked the whole chain: work quadratic in the budget, bounded only by
the wall clock.

Now a script's C{raise} of an error instance while another is handled raises it
over a fresh private error of its own (C{hooks.raise_}), so an error the script
holds never gets a handled one's chain, and C{$caught} cuts the chain of every error
a handler of the script's takes, having looked through it for a RecursionError: the
chain of whatever is being handled stays a few links long, whatever the script does.

The length of the chain is counted, not timed: it is what CPython walks per raise.
"""

from __future__ import annotations

from typing import Any

from twisted.trial import unittest

from scripting import Budget, Domain

N = 2000
BUDGET = Budget(ticks=10**7, seconds=60.0)
# Chains a script could build this long, or longer, before; a handled error's is now at most:
SHORT = 3

ITERATOR = ("class It:\n    def __init__(self, exc):\n        self.exc = exc\n"
            "    def __iter__(self):\n        return self\n"
            "    def __next__(self):\n        raise self.exc\n"
            f"errs = [StopIteration(i) for i in range({N})]\n")

ATTACKS = {
    # errs[j].__context__ = errs[j + 1], in the order j = 0, 1, ...: no link is walked twice
    "links made before the head is handled": (
        ITERATOR
        + f"for j in range({N} - 1):\n    try:\n        raise errs[j + 1]\n"
        "    except StopIteration:\n        for x in It(errs[j]):\n            pass\n"
        "try:\n    raise errs[0]\nexcept StopIteration as e:\n    held = e\n"),
    # inside the handler of the head: errs[j - 1].__context__ = errs[j], j = 1, 2, ...,
    # each errs[j] handled (its own chain cut, were $caught to cut it) before the raise
    "links made while the head is handled": (
        ITERATOR
        + "try:\n    raise errs[0]\nexcept StopIteration as e:\n"
        f"    for j in range(1, {N}):\n        try:\n            raise errs[j]\n"
        "        except StopIteration:\n            for x in It(errs[j - 1]):\n"
        "                pass\n    held = e\n"),
    # each new error raised by C (int) in a handler of the last: one link a step
    "a fresh error raised by C in a handler of the last": (
        f"prev = ValueError(0)\nfor i in range({N}):\n    try:\n        raise prev\n"
        "    except ValueError:\n        try:\n            int('x')\n"
        "        except ValueError as e:\n            prev = e\n"
        "try:\n    raise prev\nexcept ValueError as e:\n    held = e\n"),
    # the same, the new error raised by the script
    "a fresh error raised by the script in a handler of the last": (
        f"prev = ValueError(0)\nfor i in range({N}):\n    try:\n        raise prev\n"
        "    except ValueError:\n        try:\n            raise ValueError(i)\n"
        "        except ValueError as e:\n            prev = e\n"
        "try:\n    raise prev\nexcept ValueError as e:\n    held = e\n"),
    # a class raised (CPython makes the instance) from inside a property getattr swallows
    "classes raised where getattr() swallows them": (
        "class P:\n    def get(self):\n        raise AttributeError\n    p = property(get)\n"
        f"prev = ValueError(0)\nfor i in range({N}):\n    try:\n        raise prev\n"
        "    except ValueError as e:\n        getattr(P(), 'p', None)\n"
        "        prev = ValueError(i)\n"
        "        try:\n            raise prev\n        except ValueError:\n            pass\n"
        "try:\n    raise prev\nexcept ValueError as e:\n    held = e\n"),
}


def chain_length(exc: BaseException | None) -> int:
    """How many errors CPython walks, raising another while C{exc} is handled."""
    n = 0
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc = exc.__context__
        n += 1
    return n


def held(source: str) -> Any:
    """Run C{source} as a module and return what it left in its global C{held}."""
    module = Domain("ann").load(source, name="chain", budget=BUDGET)
    if not module.result.ok:
        raise AssertionError(module.result.error)
    return module._globals["held"]


class ContextChainTests(unittest.TestCase):
    """The chain of contexts of what a script's handler holds stays short."""

    def test_handled_chains_stay_short(self) -> None:
        """Each way of growing it: the error the last handler took has a chain of at
        most a few links, not thousands."""
        long = {}
        for name, source in ATTACKS.items():
            exc = held(source)
            self.assertIsInstance(exc, BaseException, name)
            if chain_length(exc) > SHORT:
                long[name] = chain_length(exc)
        self.assertEqual(long, {})

    def test_swallowed_raises_walk_a_short_chain(self) -> None:
        """Inside the handler of the head of the longest chain a script could make,
        raising errors that a for loop swallows meets a short chain each time (its
        length is recorded by the raise itself, through the error it links)."""
        source = (ATTACKS["links made before the head is handled"]
                  + "probe = StopIteration('p')\n"
                    "try:\n    raise held\nexcept StopIteration:\n"
                    "    for k in range(100):\n        for x in It(probe):\n            pass\n")
        module = Domain("ann").load(source, name="chain", budget=BUDGET)
        self.assertTrue(module.result.ok, module.result.error)
        self.assertLessEqual(chain_length(module._globals["probe"]), SHORT)
