"""
A kept error re-raised in a handler keeps no frame of C{$raise} (red team, round 7, issue 9).

C{raise e} while another error is handled goes through C{hooks.raise_}, which raised
C{e} from its own frame: CPython put that frame on C{e}'s traceback, ahead of what the
earlier raises had left there. A script that kept one error and raised it again and
again inside a handler (a few ticks a raise) made its traceback hold a new trusted
frame object (its locals and stack, some 700 bytes) at every raise, besides the
entries CPython adds anyway: 20 000 raises held 21 MB in an 80 000-tick task, against
6 MB before the hook (3.11). Now the hook takes its own entry off the traceback before
the error leaves it: the traceback holds what CPython's own C{raise} would have left,
one entry of the script's frame a raise.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, Domain

N = 300

SOURCE = ("e = ValueError(1)\ndef f():\n    try:\n        raise KeyError\n"
          f"    except KeyError:\n        for i in range({N}):\n            try:\n"
          "                raise e\n            except ValueError:\n                pass\n"
          "f()\n")


def entries(exc: BaseException) -> tuple[int, int, set[int]]:
    """The script's entries, the trusted ones, and the distinct frames of C{exc}'s
    traceback."""
    tb = exc.__traceback__
    mine = trusted = 0
    frames: set[int] = set()
    while tb is not None:
        frames.add(id(tb.tb_frame))
        if tb.tb_frame.f_code.co_filename.startswith("<script:"):
            mine += 1
        else:
            trusted += 1
        tb = tb.tb_next
    return mine, trusted, frames


class KeptErrorTests(unittest.TestCase):
    """Re-raising a kept error inside a handler."""

    def test_no_trusted_frames_kept(self) -> None:
        """After N raises in one frame of the script, the error's traceback holds N entries
        of that frame and nothing of the hook's: no frame object a raise."""
        module = Domain("ann").load(SOURCE, budget=Budget(ticks=10**6, seconds=60.0))
        self.assertTrue(module.result.ok, module.result.error)
        mine, trusted, frames = entries(module._globals["e"])
        self.assertEqual((mine, trusted), (N, 0))
        self.assertEqual(len(frames), 1)

    def test_the_raise_line_still_shown(self) -> None:
        """The owner's report of a kept error raised in a handler names the raise's line."""
        result = Domain("ann").run(
            "e = KeyError('x')\ntry:\n    1 / 0\nexcept ZeroDivisionError:\n    y = 2\n"
            "    raise e\n")
        self.assertIn("line 6, at top level\n    raise e\nKeyError: 'x'", result.error)
