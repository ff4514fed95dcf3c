"""
A script's C{raise} statements behave as in CPython (scripting.hooks.raise_).

C{raise exc} and C{raise exc from cause} go through C{$raise}, which raises an error
instance itself while another is handled (so that it never takes the handled one's chain
of contexts, tests.redteam_sandbox.test_r7_attack_context_chain): what a script can see of
the error raised (the object, its class, args, cause, the line in its error report) is as
CPython makes it.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Domain
from scripting.domain import TaskResult


def run(source: str) -> TaskResult:
    return Domain("ann").run(source)


class RaiseTests(unittest.TestCase):
    """Raising in and out of handlers."""

    def test_same_object_caught(self) -> None:
        """An instance raised inside a handler is caught as the same object, with its args."""
        result = run("mine = KeyError('k', 2)\ntry:\n    try:\n        raise ValueError(1)\n"
                     "    except ValueError:\n        raise mine\nexcept KeyError as e:\n"
                     "    got = e\n[got is mine, got.args]\n")
        self.assertEqual(result.value, [True, ("k", 2)], result.error)

    def test_reraise_and_bare_raise(self) -> None:
        """`raise e` of the error handled, and a bare raise, re-raise it."""
        result = run("out = []\nfor way in (0, 1):\n    try:\n        try:\n"
                     "            raise IndexError(way)\n        except IndexError as e:\n"
                     "            if way:\n                raise\n            raise e\n"
                     "    except IndexError as e:\n        out.append(e.args[0])\nout\n")
        self.assertEqual(result.value, [0, 1], result.error)

    def test_classes_and_script_classes(self) -> None:
        """A class raised is instantiated (a script's exception class runs its __init__),
        in and out of handlers, with or without a cause."""
        result = run("class Mine(ValueError):\n    def __init__(self):\n"
                     "        super().__init__('made')\nout = []\n"
                     "for inside in (False, True):\n    for cause in (False, True):\n"
                     "        try:\n            try:\n                raise KeyError\n"
                     "            except KeyError:\n                if not inside:\n"
                     "                    pass\n                elif cause:\n"
                     "                    raise Mine from KeyError\n                else:\n"
                     "                    raise Mine\n            if cause:\n"
                     "                raise Mine from None\n            raise Mine\n"
                     "        except Mine as e:\n            out.append(e.args)\nout\n")
        self.assertEqual(result.value, [("made",)] * 4, result.error)

    def test_cause_is_set(self) -> None:
        """`raise X from Y` sets the cause (and hides the context) as CPython does, inside a
        handler or not; `from None` too."""
        module = Domain("ann").load(
            "held = []\ncause = KeyError('c')\nfor inside in (False, True):\n"
            "    for c in (cause, None):\n        try:\n            if inside:\n"
            "                try:\n                    raise IndexError\n"
            "                except IndexError:\n                    raise ValueError(1) from c\n"
            "            raise ValueError(2) from c\n        except ValueError as e:\n"
            "            held.append(e)\n")
        self.assertTrue(module.result.ok, module.result.error)
        held = module._globals["held"]
        self.assertEqual([e.args for e in held], [(2,), (2,), (1,), (1,)])
        causes = [e.__cause__ for e in held]
        self.assertIs(causes[0], causes[2])
        self.assertIsInstance(causes[0], KeyError)
        self.assertEqual(causes[1::2], [None, None])
        self.assertTrue(all(e.__suppress_context__ for e in held))

    def test_errors_as_in_cpython(self) -> None:
        """Raising what is no exception, or with a cause that is none, is a TypeError with
        CPython's words, in and out of handlers."""
        for inside in ("{}", "try:\n        raise KeyError\n    except KeyError:\n        {}"):
            for stmt, words in (("raise 5", "exceptions must derive from BaseException"),
                                ("raise ValueError from 5",
                                 "exception causes must derive from BaseException"),
                                ("raise int from None",
                                 "exceptions must derive from BaseException")):
                result = run("try:\n    " + inside.format(stmt) + "\n"
                             "except TypeError as e:\n    got = e.args[0]\ngot\n")
                self.assertEqual(result.value, words, (inside, stmt, result.error))

    def test_report_names_the_raising_line(self) -> None:
        """An error raised inside a handler and not caught is reported at the script's
        line, and only the script's lines are shown."""
        result = run("def f():\n    try:\n        int('x')\n    except ValueError:\n"
                     "        raise KeyError('lost')\nf()\n")
        self.assertFalse(result.ok)
        self.assertEqual(result.error, "Traceback (script lines only):\n"
                         "  script, line 6, at top level\n    f()\n"
                         "  script, line 5, in f()\n    raise KeyError('lost')\n"
                         "KeyError: 'lost'")

    def test_kept_error_keeps_nothing_unmeasured(self) -> None:
        """The hook's frame is not left on the traceback of an error it raised (the measure
        of a module's state does not look into trusted frames): nothing there holds the
        error that was handled, nor what its frames held
        (tests.redteam_sandbox.test_r7_rt_raise_frames)."""
        module = Domain("ann").load(
            "saved = []\ndef f():\n    deep = [1] * 5000\n    try:\n        1 / 0\n"
            "    except ZeroDivisionError:\n        try:\n"
            "            raise KeyError('k') from None\n"
            "        except KeyError as e:\n            saved.append(e)\nf()\n")
        self.assertTrue(module.result.ok, module.result.error)
        exc = module._globals["saved"][0]
        tb = exc.__traceback__
        trusted = 0
        while tb is not None:
            frame = tb.tb_frame
            if not frame.f_code.co_filename.startswith("<script:"):
                trusted += 1
                held = [v for v in frame.f_locals.values() if v is not None and v is not exc]
                self.assertEqual(held, [], frame.f_code.co_name)
            tb = tb.tb_next
        self.assertEqual(trusted, 0)
        self.assertIsNone(exc.__context__)  # cut by the handler that took it
