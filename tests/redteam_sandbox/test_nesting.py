"""
Nesting a structure deeper than the ticks paid (capability rules 31, 36, 40).

One task may nest at most one level per C{rewrite.BUILD_COST} ticks: that is
what keeps a structure built in one task far below the depth at which CPython's
C code (hashing a tuple, freeing a generator chain) overflows the C stack. The
rewriter counts every expression that can build an object between two tick
points; these attacks hide builders where it might not look: expressions a
C{def} evaluates in the enclosing scope (annotations, defaults, decorators),
class bases, lambda defaults. A segfault, not an exception, is the price of a
miss: the crash itself is tried in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from twisted.trial import unittest

from scripting import Budget, Domain
from scripting import domain as domain_module
from scripting.rewrite import BUILD_COST

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: `(((t,),),)` nested this deep: one statement's worth of levels.
LEVELS = 150
NEST = "t"
for _ in range(LEVELS):
    NEST = "(" + NEST + ",)"

#: Where a `def` (or class, or lambda) evaluates an expression in the enclosing
#: scope, each with a walrus rebinding `t` one statement's worth deeper.
HIDING_PLACES = {
    "argument annotation": f"def f(a: (t := {NEST})):\n    pass",
    "return annotation": f"def f() -> (t := {NEST}):\n    pass",
    "*args annotation": f"def f(*a: (t := {NEST})):\n    pass",
    "**kwargs annotation": f"def f(**k: (t := {NEST})):\n    pass",
    "keyword-only annotation": f"def f(*, a: (t := {NEST})):\n    pass",
    "positional-only annotation": f"def f(a: (t := {NEST}), /):\n    pass",
    "default": f"def f(a=(t := {NEST})):\n    pass",
    "keyword-only default": f"def f(*, a=(t := {NEST})):\n    pass",
    "decorator": f"@(lambda g, u=(t := {NEST}): g)\ndef f():\n    pass",
    "lambda default": f"f = lambda a=(t := {NEST}): a",
    "class base": f"class C((t := {NEST}) and object):\n    pass",
}

def _depth(value: object) -> int:
    return domain_module.measure_state([value], max_objects=10**7).depth


class HiddenBuilderTests(unittest.TestCase):
    """
    Every place a definition evaluates code outside its body pays for the
    builders there, like any other straight-line code.
    """

    def test_each_hiding_place_pays_per_level(self) -> None:
        """
        A loop that nests `t` through each hiding place leaves `t` at most one
        level deeper per BUILD_COST ticks it paid.
        """
        problems = []
        for name, step in HIDING_PLACES.items():
            domain = Domain("nester")
            module = domain.load("t = 0\ndef grow():\n    global t\n    for i in range(40):\n"
                                 + textwrap.indent(step, " " * 8) + "\n")
            self.assertTrue(module.result.ok, f"{name}: {module.result.error}")
            result = module.call("grow", budget=Budget(ticks=100_000))
            self.assertTrue(result.ok, f"{name}: {result.error}")
            if "annotation" in name:  # annotations are never evaluated (rule 10)
                self.assertEqual(module._globals["t"], 0, name)
                continue
            depth = _depth(module._globals["t"])
            self.assertGreaterEqual(depth, 40 * LEVELS, name)
            if depth > result.ticks // BUILD_COST:
                problems.append(f"{name}: {depth} levels for {result.ticks} ticks")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_annotations_hashed_do_not_crash(self) -> None:
        """
        The published form of the attack: nest a tuple through annotations
        in one foreground task, then hash it. The process survives (a
        subprocess, so that a crash fails this test instead of ending it).
        """
        code = (f"import sys\nsys.path.insert(0, {ROOT!r})\nimport scripting\n"
                f"src = 't = 0\\nfor i in range(3000):\\n"
                f"    def f(a: (t := {NEST})): pass\\nx = {{t}}\\n'\n"
                "r = scripting.run(src)\nprint('survived', r.ok, r.aborted)\n")
        child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               timeout=300, check=False)
        self.assertEqual(child.returncode, 0, child.stderr[-2000:])
        # annotations are never evaluated (rule 10): nothing nests, the task completes
        self.assertIn("survived True None", child.stdout)
