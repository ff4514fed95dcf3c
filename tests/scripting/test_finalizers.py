"""
Dropping a reference never runs script code.

CPython runs Python code when the last reference to an object goes only through a
finaliser: a paused generator closed (its C{finally}, or a handler that catches
C{GeneratorExit}), C{__del__}, a weak reference's callback. Every one of them is out of a
script's reach, so no "test then use" sequence in trusted or rewritten code can have
script code run between its test and its use (the escape of 2026-12-07, see
C{tests/scripting/test_guard_swap.py}).
"""

from __future__ import annotations

import ast

from twisted.trial import unittest

from scripting import Budget, TaskResult, check, compiler, policy, run, validate
from scripting.exceptions import NAMED_EXCEPTIONS


def lift_generator_rule(case: unittest.TestCase) -> None:
    """
    For the rest of C{case}, compile scripts without the rule that refuses a C{yield} a
    C{finally} or a catching handler encloses, to test the defences behind it (a dropped
    generator's C{finally} outside a task, in another domain's task, in the middle of a
    guard). The compile cache is emptied before and after, so nothing compiled without
    the rule outlives the test.
    """
    def without_rule(tree: ast.AST) -> list[validate.Violation]:
        return [v for v in validate.validate(tree) if "'yield' inside a 'try'" not in v.reason]

    compiler._CACHE.clear()
    case.addCleanup(compiler._CACHE.clear)
    case.patch(compiler, "validate", without_rule)


def _reasons(source: str) -> list[str]:
    return [str(v) for v in check(source)]


def _run(source: str) -> TaskResult:
    return run(source, budget=Budget(ticks=200_000, seconds=5.0))


class GeneratorFinalizerTests(unittest.TestCase):
    """A generator a script can pause cannot run code when it is closed."""

    def assertRefused(self, source: str, line: int, *words: str) -> None:
        reasons = _reasons(source)
        self.assertTrue(reasons, source)
        mine = [r for r in reasons if r.startswith(f"line {line},")]
        self.assertTrue(mine, reasons)
        for word in words:
            self.assertIn(word, mine[0])

    def test_yield_in_try_with_finally(self) -> None:
        """C{yield} in a C{try} with C{finally} is refused, naming the line and the fix."""
        self.assertRefused(
            "def g():\n    try:\n        yield 1\n    finally:\n        print('x')\n",
            3, "finally", "move the yield out of the try", "except ValueError")

    def test_yield_from_in_try_with_finally(self) -> None:
        self.assertRefused(
            "def g():\n    try:\n        yield from [1]\n    finally:\n        pass\n",
            3, "finally")

    def test_yield_in_handler_or_else_with_finally(self) -> None:
        """The C{finally} runs when the generator is closed in a handler or C{else}, too."""
        self.assertRefused(
            "def g():\n    try:\n        pass\n    except ValueError:\n        yield 1\n"
            "    finally:\n        pass\n", 5, "finally")
        self.assertRefused(
            "def g():\n    try:\n        pass\n    except ValueError:\n        pass\n"
            "    else:\n        yield 2\n    finally:\n        pass\n", 7, "finally")

    def test_yield_in_nested_try_inside_finally_try(self) -> None:
        self.assertRefused(
            "def g():\n    try:\n        for i in range(3):\n            try:\n"
            "                yield i\n            except ValueError:\n                pass\n"
            "    finally:\n        pass\n", 5, "finally")

    def test_yield_in_try_with_catch_all_handlers(self) -> None:
        """A bare C{except:}, C{except BaseException}, or any name that is not a built-in
        C{Exception} class can catch C{GeneratorExit}: refused."""
        for handler in ("except:", "except BaseException:", "except (ValueError, BaseException):",
                        "except E:", "except Mine:", "except mod.ValueError:"):
            source = ("E = BaseException\nclass Mine(BaseException):\n    pass\n"
                      "def g():\n    try:\n        yield 1\n"
                      f"    {handler}\n        print('caught')\n")
            self.assertRefused(source, 6, "except", "move the yield out of the try")

    def test_shadowed_exception_name(self) -> None:
        """A script that rebinds C{ValueError} anywhere cannot rely on it in a generator's
        handler: the name might hold C{BaseException}."""
        for binding in ("ValueError = BaseException\n",
                        "def h():\n    global ValueError\n    ValueError = BaseException\n",
                        "def h(ValueError):\n    pass\n",
                        "import ValueError\n",
                        "for ValueError in [BaseException]:\n    pass\n",
                        "class ValueError(BaseException):\n    pass\n"):
            source = (binding + "def g():\n    try:\n        yield 1\n"
                      "    except ValueError:\n        print('caught')\n")
            line = binding.count("\n") + 3
            self.assertRefused(source, line, "except")

    def test_dropped_generator_runs_nothing(self) -> None:
        """Were it compiled, the C{finally} would print on the drop: it is refused instead."""
        result = _run("def g():\n    try:\n        yield 1\n    finally:\n"
                      "        print('ran')\n"
                      "x = g()\nnext(x)\nx = None\n")
        self.assertFalse(result.ok)
        self.assertNotIn("ran", result.output)

    def test_ordinary_generators_still_work(self) -> None:
        """Yields outside a C{try}, in C{try/except} of built-in C{Exception} classes, in a
        C{finally} body, and a C{try/finally} with no yield in it, all run."""
        result = _run(
            "def a():\n    for i in range(3):\n        yield i\n"
            "def b(xs):\n    for x in xs:\n        try:\n            yield int(x)\n"
            "        except (ValueError, TypeError):\n            yield -1\n"
            "        except Exception:\n            pass\n"
            "def c():\n    try:\n        n = 1\n    finally:\n        n = 2\n    yield n\n"
            "def d():\n    try:\n        pass\n    finally:\n        yield 5\n"
            "def e():\n    yield from a()\n"
            "def f():\n    try:\n        yield 1\n    except WorldError:\n        pass\n"
            "def outer():\n    try:\n        def inner():\n            yield 7\n"
            "        return list(inner())\n    finally:\n        pass\n"
            "print(list(a()), list(b(['1', 'x', None])), list(c()), list(d()), list(e()),"
            " list(f()), outer())\n"
            "x = b(['1'])\nnext(x)\nx = None\n")
        self.assertTrue(result.ok, result.error)
        self.assertIn("[0, 1, 2] [1, -1, -1] [2] [5] [0, 1, 2] [1] [7]", result.output)

    def test_yield_from_closes_nothing_of_the_script(self) -> None:
        """
        Closing a generator paused in C{yield from x} calls C{x.close()} when x is not a
        generator; the rewriter hands C{yield from} a trusted iterator that has no
        C{close}, so a script object's C{close} method never runs on the drop.
        """
        result = _run("class It:\n    def __iter__(self):\n        return self\n"
                      "    def __next__(self):\n        return 1\n"
                      "    def close(self):\n        print('closed')\n"
                      "def g():\n    yield from It()\n"
                      "x = g()\nnext(x)\nx = None\nprint('done')\n")
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.output.strip(), "done")

    def test_safe_names_are_exceptions_only(self) -> None:
        """Every name the rule trusts in a handler is a nameable C{Exception} class, so
        C{GeneratorExit} (a C{BaseException}) passes through it."""
        named = {cls.__name__: cls for cls in NAMED_EXCEPTIONS}
        for name in policy.GENERATOR_CATCHABLE:
            self.assertIn(name, named)
            self.assertTrue(issubclass(named[name], Exception), name)
            self.assertFalse(issubclass(GeneratorExit, named[name]), name)


class OtherFinalizerTests(unittest.TestCase):
    """C{__del__}, weak references and async generators are out of reach."""

    def test_del_in_class_body(self) -> None:
        self.assertTrue(_reasons("class A:\n    def __del__(self):\n        print('x')\n"))

    def test_del_assigned_later(self) -> None:
        """Not by attribute, not by C{setattr}, not by C{type()} with a dict."""
        self.assertTrue(_reasons("class A:\n    pass\ndef f(self):\n    print('x')\n"
                                 "A.__del__ = f\n"))
        for body in ("setattr(A, '__del__', f)\n", "setattr(A, '_' + '_del__', f)\n",
                     "B = type('B', (A,), {'__del__': f})\n"):
            result = _run("class A:\n    pass\ndef f(self):\n    print('ran')\n" + body
                          + "a = A()\na = None\n")
            self.assertFalse(result.ok, body)
            self.assertNotIn("ran", result.output)

    def test_metaclass(self) -> None:
        self.assertTrue(_reasons("class M(type):\n    pass\nclass A(metaclass=M):\n    pass\n"))

    def test_weakref_unreachable(self) -> None:
        for source in ("import weakref\n", "from weakref import finalize\n", "import gc\n"):
            result = _run(source)
            self.assertFalse(result.ok, source)

    def test_async_refused(self) -> None:
        self.assertTrue(_reasons("async def g():\n    yield 1\n"))

    def test_dict_drop_runs_no_eq(self) -> None:
        """Dropping a dict or set keyed by a script object calls no method of the key."""
        result = _run("class K:\n    def __eq__(self, other):\n        print('eq')\n"
                      "        return False\n"
                      "class H:\n    pass\n"
                      "d = {H(): 1, H(): 2}\ns = {H()}\nd = None\ns = None\n"
                      "xs = [K(), K()]\nxs = None\nprint('done')\n")
        self.assertTrue(result.ok, result.error)
        self.assertEqual(result.output.strip(), "done")
