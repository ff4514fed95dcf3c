"""
How many Python frames a task may open before it is stopped (review 5, issue 9).

The depth probe counted script frames only, and ran once a refill (every
C{REFILL} tick points): recursion through a dunder that C calls (C{__str__}
through C{str()}, C{__lt__} through C{sorted}, C{__iter__}...) opens trusted
frames between script frames, and chains of lazy iterators (C{map(f, map(f,
...))} a hundred thousand deep) open nothing but trusted ones. So a task opened
320 to 450 frames (script and trusted) before the probe stopped it, or, through
the iterator chains, reached CPython's RecursionError, which the script caught.
Now a task may open at most C{task.MAX_FRAMES} frames of any kind above where it
began, and beyond C{task.DEEP} of them the probe runs every C{task.NEAR} ticks
instead of every C{REFILL}: every route stops a comfortable margin below the
recursion limit, which these tests lower to prove it.
"""

from __future__ import annotations

import sys

from twisted.trial import unittest

from scripting import Budget, Domain, task
from scripting.task import MAX_FRAMES, Task

#: Frames one probe window may add past C{MAX_FRAMES} on the dearest route (a
#: script frame and four trusted ones per C{NEAR} ticks at most).
WINDOW = 5 * task.NEAR

CLASS = "class K:\n    def __init__(self, inner):\n        self.inner = inner\n"

#: Recursion through every dunder C calls, and chains of lazy iterators.
ROUTES = {
    "__str__ through str()": CLASS + "    def __str__(self):\n        return str(self.inner)\n"
    "a = 1\nfor i in range(3000):\n    a = K(a)\nstr(a)\n",
    "__repr__ through an f-string": CLASS + "    def __repr__(self):\n"
    "        return f'{self.inner!r}'\na = 1\nfor i in range(3000):\n    a = K(a)\nrepr(a)\n",
    "__eq__": CLASS + "    def __eq__(self, o):\n        return self.inner == o.inner\n"
    "a = b = 1\nfor i in range(3000):\n    a = K(a)\n    b = K(b)\na == b\n",
    "__lt__ through sorted": CLASS + "    def __lt__(self, o):\n"
    "        return sorted([self.inner, o.inner])[0] is self.inner\n"
    "a, b = 1, 2\nfor i in range(3000):\n    a = K(a)\n    b = K(b)\nsorted([a, b])\n",
    "__len__": CLASS + "    def __len__(self):\n        return len(self.inner)\n"
    "a = []\nfor i in range(3000):\n    a = K(a)\nlen(a)\n",
    "__bool__": CLASS + "    def __bool__(self):\n        return bool(self.inner)\n"
    "a = 1\nfor i in range(3000):\n    a = K(a)\nbool(a)\n",
    "__iter__": CLASS + "    def __iter__(self):\n        return iter(self.inner)\n"
    "a = [1]\nfor i in range(3000):\n    a = K(a)\nfor x in a:\n    pass\n",
    "__next__": CLASS + "    def __iter__(self):\n        return self\n"
    "    def __next__(self):\n        return next(self.inner)\n"
    "a = iter([1])\nfor i in range(3000):\n    a = K(a)\nnext(a)\n",
    "__contains__": CLASS + "    def __contains__(self, v):\n        return v in self.inner\n"
    "a = [1]\nfor i in range(3000):\n    a = K(a)\n1 in a\n",
    "__getitem__": CLASS + "    def __getitem__(self, i):\n        return self.inner[i]\n"
    "a = [1]\nfor i in range(3000):\n    a = K(a)\na[0]\n",
    "__call__": CLASS + "    def __call__(self):\n        return self.inner()\n"
    "a = lambda: 1\nfor i in range(3000):\n    a = K(a)\na()\n",
    "__add__": CLASS + "    def __add__(self, o):\n        return self.inner + o\n"
    "a = 1\nfor i in range(3000):\n    a = K(a)\na + 1\n",
    "a property": CLASS + "    @property\n    def x(self):\n        return self.inner.x\n"
    "class B:\n    x = 1\na = B()\nfor i in range(3000):\n    a = K(a)\na.x\n",
    "a sort key": "def key(v):\n    return sorted([v - 1, v], key=key)[0] if v else 0\n"
    "sorted([5], key=key)\n",
    "map": "it = iter([1])\nfor i in range(100000):\n    it = map(abs, it)\nnext(it)\n",
    "filter and zip": "it = [1]\nfor i in range(50000):\n    it = zip(filter(None, it))\n"
    "list(it)\n",
    "enumerate and iter": "it = [1]\nfor i in range(50000):\n    it = iter(enumerate(it))\n"
    "next(it)\n",
    # (fewer than hooks.GENERATORS_MAX: a domain holds no more generators alive at once)
    "generator expressions": "it = iter([1])\nfor i in range(5000):\n"
    "    it = (x for x in it)\nnext(it)\n",
    "generators": "def g(inner):\n    yield 0\n    x = next(inner)\n    yield x\n"
    "it = iter([1])\nfor i in range(3000):\n    it = g(it)\n    next(it)\nnext(it)\n",
    "comprehensions": "one = [1]\ndef f(n):\n    return " + "[" * 16 + "f(n + 1)"
    + "".join(f" for a{i} in one]" for i in range(16)) + "\nf(0)\n",
    "deep lists compared in trusted code": "class O:\n    pass\na = [O()]\nb = [O()]\n"
    "for i in range(3000):\n    a = [a]\n    b = [b]\na == b\n",
}


def depth() -> int:
    n = 0
    frame = sys._getframe(1)
    while frame is not None:
        n += 1
        frame = frame.f_back
    return n


class FrameMarginTests(unittest.TestCase):
    """Every route is stopped by the task's own depth limit, at most C{MAX_FRAMES}
    frames (and one probe window) above where the task began."""

    def setUp(self) -> None:
        self.at_abort: list[int] = []
        original = Task.abort

        def abort(task: Task, reason: str):
            if reason == "calls nested too deeply" and task.aborted is None:
                self.at_abort.append(depth() - task.base_depth)
            return original(task, reason)

        self.patch(Task, "abort", abort)

    def run_script(self, source: str, limit: int | None = None) -> object:
        catching = ("try:\n" + "".join("    " + line + "\n" for line in source.splitlines())
                    + "except RecursionError:\n    print('caught')\nprint('after')\n")
        if limit is None:
            return Domain("ann").run(catching, budget=Budget(ticks=10**7, seconds=60.0))
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(depth() + limit)
        try:
            return Domain("ann").run(catching, budget=Budget(ticks=10**7, seconds=60.0))
        finally:
            sys.setrecursionlimit(old)

    def assertStopped(self, name: str, result: object) -> None:
        self.assertEqual(result.aborted, "calls nested too deeply", (name, result.error))
        self.assertEqual(result.output, "", name)

    def test_every_route_stops_within_the_frame_limit(self) -> None:
        """At the abort, no more than C{MAX_FRAMES} and one window are open."""
        for name, source in ROUTES.items():
            del self.at_abort[:]
            self.assertStopped(name, self.run_script(source))
            self.assertEqual(len(self.at_abort), 1, name)
            self.assertLessEqual(self.at_abort[0], MAX_FRAMES + WINDOW, name)

    def test_every_route_stops_below_half_the_recursion_limit(self) -> None:
        """With the recursion limit at 500 frames above the caller (half CPython's
        default), every route is still stopped by the task, never by CPython."""
        for name, source in ROUTES.items():
            self.assertStopped(name, self.run_script(source, limit=500))
