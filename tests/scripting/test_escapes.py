"""The escape corpus is denied: no canary file, no dangerous audit event (rules 5-14, 20-24, 44)."""

from __future__ import annotations

import gc
import os
import sys
import tempfile

from twisted.trial import unittest

from scripting import Budget, Domain
from tests.scripting.corpus_escape import ESCAPES
from tests.scripting.test_finalizers import lift_generator_rule

# Audit events no script may ever cause (rule 44: audit hooks as a test tripwire only).
_DANGEROUS_PREFIXES = ("os.", "subprocess.", "ctypes.", "shutil.", "socket.", "winreg.")
_DANGEROUS = frozenset({
    "open", "import", "object.__getattr__", "object.__setattr__", "object.__delattr__",
    "code.__new__", "function.__new__", "builtins.input", "builtins.input/result",
    "builtins.breakpoint", "sys._current_frames", "sys.settrace", "sys.setprofile",
    "gc.get_referrers", "gc.get_objects", "gc.get_referents", "marshal.loads",
    "pickle.find_class", "compile", "exec", "sys.addaudithook", "cpython.run_command",
})


class _Tripwire:
    active = False
    hits: list = []  # noqa: RUF012 - reset by each run

    own_code = None

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if not cls.active:
            return
        if event == "exec" and args and args[0] is cls.own_code:
            return  # the sandbox running the script itself
        if event in _DANGEROUS or event.startswith(_DANGEROUS_PREFIXES):
            cls.hits.append((event, repr(args)[:200]))


sys.addaudithook(_Tripwire.hook)

SMALL = Budget(ticks=20_000, seconds=2.0)


def run_watched(source: str, domain: Domain | None = None) -> tuple:
    """Run `source` with the tripwire armed only while script code runs."""
    domain = domain or Domain("attacker")
    from scripting import compiler
    # compile first (compile is itself an audited event), then arm the tripwire for the run
    try:
        compiled = compiler.compile_script(source, "attack", capture_value=True)
    except compiler.ScriptError as e:
        return None, [], e.text
    domain.scripts[compiled.filename] = compiled
    g = domain._globals(compiled, {})
    code = compiled.code
    _Tripwire.hits = []
    _Tripwire.own_code = code

    def body() -> None:
        _Tripwire.active = True
        try:
            _exec_code(code, g)
        finally:
            _Tripwire.active = False

    result = domain._run(body, SMALL, None)
    return result, list(_Tripwire.hits), None


_exec_code = eval("lambda code, g: exec(code, g)",  # noqa: S307 - a trusted, fixed string
                  {"__builtins__": {"exec": exec}})


class EscapeCorpusTests(unittest.TestCase):
    """Every program in the escape corpus is denied, judged by its effect."""

    def setUp(self) -> None:
        fd, self.canary = tempfile.mkstemp(prefix="tessera-canary-")
        os.close(fd)
        os.unlink(self.canary)

    def tearDown(self) -> None:
        if os.path.exists(self.canary):
            os.unlink(self.canary)

    def test_corpus_denied(self) -> None:
        """No case creates the canary, fires a dangerous audit event, or succeeds."""
        problems = []
        for case in ESCAPES:
            source = case.source.replace("CANARY", repr(self.canary))
            result, hits, compile_error = run_watched(source)
            if os.path.exists(self.canary):
                problems.append(f"{case.name}: CANARY CREATED")
                os.unlink(self.canary)
            if hits:
                problems.append(f"{case.name}: audit events {hits}")
            if case.stage == "compile" and compile_error is None:
                problems.append(f"{case.name}: compiled, but must be refused at compile time")
            if compile_error is None:
                if result.ok and case.stage != "harmless":
                    problems.append(f"{case.name}: ran to completion ({result.value!r})")
                elif result.error is not None and ("/scripting/" in result.error
                                                   or 'File "' in result.error):
                    problems.append(f"{case.name}: error text leaks engine paths")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_corpus_is_large(self) -> None:
        """The corpus covers well over a hundred programs."""
        self.assertGreater(len(ESCAPES), 100)

    def test_tripwire_works(self) -> None:
        """The tripwire itself fires on a dangerous event (so the corpus test can fail)."""
        _Tripwire.hits = []
        _Tripwire.active = True
        try:
            with open(os.devnull):
                pass
        finally:
            _Tripwire.active = False
        self.assertTrue(_Tripwire.hits)

    def test_canary_check_works(self) -> None:
        """A trusted write of the canary is detected (the effect check is not vacuous)."""
        with open(self.canary, "w") as f:
            f.write("x")
        self.assertTrue(os.path.exists(self.canary))


class BudgetUncatchableTests(unittest.TestCase):
    """Exhaustion is terminal and sticky (rule 32)."""

    def test_except_base_exception_cannot_swallow(self) -> None:
        """'except BaseException: pass' around a spin does not keep the task alive."""
        src = ("caught = 0\nwhile True:\n    try:\n        while True:\n            pass\n"
               "    except BaseException:\n        caught += 1\n")
        result = Domain("a").run(src, budget=Budget(ticks=5000))
        self.assertEqual(result.aborted, "ran out of ticks")

    def test_bare_except_cannot_swallow(self) -> None:
        """A bare 'except:' re-raises the abort."""
        src = ("def spin():\n    while True:\n        pass\nfor i in range(10):\n    try:\n"
               "        spin()\n    except:\n        print('swallowed')\n")
        result = Domain("a").run(src, budget=Budget(ticks=5000))
        self.assertEqual(result.aborted, "ran out of ticks")
        self.assertNotIn("swallowed", result.output)

    def test_looping_finally_stops(self) -> None:
        """'finally: while True: pass' is stopped too."""
        src = "try:\n    while True:\n        pass\nfinally:\n    while True:\n        pass\n"
        result = Domain("a").run(src, budget=Budget(ticks=5000))
        self.assertEqual(result.aborted, "ran out of ticks")

    def test_finally_continue_is_refused(self) -> None:
        """'while True: try: ... finally: continue' cannot even compile."""
        src = "while True:\n    try:\n        pass\n    finally:\n        continue\n"
        result = Domain("a").run(src)
        self.assertFalse(result.ok)
        self.assertIn("finally", result.error)

    def test_handler_code_does_not_run_after_abort(self) -> None:
        """Straight-line code in a handler after an abort never runs."""
        src = ("log = []\ndef spin():\n    while True:\n        pass\ntry:\n    spin()\n"
               "except BaseException:\n    print('handler ran')\n")
        result = Domain("a").run(src, budget=Budget(ticks=3000))
        self.assertEqual(result.output, "")

    def test_exception_storm(self) -> None:
        """Raising and catching in a loop is charged and stopped."""
        src = ("while True:\n    try:\n        raise ValueError('x')\n"
               "    except ValueError:\n        pass\n")
        result = Domain("a").run(src, budget=Budget(ticks=5000))
        self.assertEqual(result.aborted, "ran out of ticks")


class OutsideTaskTests(unittest.TestCase):
    """Script code never runs outside a task (rule 33)."""

    def test_generator_finaliser_outside_task(self) -> None:
        """A dropped generator's finally block does not run when collected outside a task."""
        lift_generator_rule(self)  # refused at compile time; the runtime holds too
        domain = Domain("gen")
        module = domain.load(
            "log = []\ndef gen():\n    try:\n        yield 1\n    finally:\n"
            "        log.append('finaliser ran')\n        while True:\n            pass\n"
            "g = gen()\nnext(g)\ndef count():\n    return len(log)\n")
        self.assertTrue(module.result.ok, module.result.error)
        unraisable = []
        self.patch(sys, "unraisablehook", unraisable.append)
        del module._globals["g"]
        gc.collect()
        self.assertEqual(module.call("count").value, 0)

    def test_function_called_outside_task_aborts(self) -> None:
        """Calling a script function directly from trusted code (no task) aborts at once."""
        from scripting.task import Abort
        module = Domain("x").load("hits = []\ndef f():\n    hits.append(1)\n")
        with self.assertRaises(Abort):
            module._globals["f"]()
        self.assertEqual(module._globals["hits"], [])

    def test_script_dunder_outside_task(self) -> None:
        """A script __eq__ invoked by trusted code outside a task aborts before running."""
        from scripting.task import Abort
        module = Domain("x").load("class A:\n    def __eq__(self, o):\n        return True\n"
                                  "a = A()\n")
        with self.assertRaises(Abort):
            module._globals["a"] == 1  # noqa: B015 - the comparison is the attack


# Every reflective or dangerous attribute name we know of...
DANGEROUS_NAMES = (  # one name per word reads best here
    "__class__ __bases__ __base__ __subclasses__ __mro__ __globals__ __code__ __builtins__ "
    "__dict__ __self__ __func__ __closure__ __traceback__ __context__ __cause__ __reduce__ "
    "__reduce_ex__ __getattribute__ __init_subclass__ __import__ __loader__ __spec__ "
    "__wrapped__ __objclass__ __module__ __qualname__ __defaults__ __kwdefaults__ "
    "__annotations__ __getstate__ __setattr__ __delattr__ __subclasshook__ __new__ __call__ "
    "f_globals f_back f_locals f_builtins f_code f_trace gi_frame gi_code gi_yieldfrom "
    "gi_running gi_suspended cr_frame cr_code cr_await ag_frame ag_code tb_frame tb_next "
    "co_code co_consts co_names mro format format_map obj name with_traceback add_note "
    "im_func im_self func_globals func_code send throw close fget fset getter setter "
    "mapping lookup real_module modules system popen open"
).split()

# ...tried on every kind of object a script can hold.
HELD_OBJECTS = {
    "int": "5", "str": "'s'", "bytes": "b'b'", "list": "[1]", "dict": "{1: 2}", "set": "{1}",
    "tuple": "(1,)", "float": "1.5", "None": "None", "range": "range(3)",
    "function": "f", "lambda": "(lambda: 1)", "class": "A", "instance": "A()",
    "method": "A().m", "exception": "ValueError('x')", "own exception": "E('x')",
    "generator": "gen()", "generator expression": "(x for x in [])", "iterator": "iter([])",
    "map": "map(abs, [])", "builtin print": "print", "builtin len": "len",
    "type facade": "list", "exception class": "ValueError", "object": "object()",
    "super": "super(A, A())", "property": "property(f)", "staticmethod": "staticmethod(f)",
    "module math": "math", "module re": "re", "pattern": "re.compile('a')",
    "match": "re.match('a', 'a')", "unbound method": "str.upper", "bound str method": "'x'.upper",
    "dict keys": "{1: 2}.keys()", "ticks_left": "ticks_left", "fmt": "fmt",
}

_MATRIX = """
import math
import re
def f():
    pass
class A:
    def m(self):
        pass
class E(Exception):
    pass
def gen():
    yield 1
obj = {obj}
leaks = []
for n in {names!r}:
    try:
        getattr(obj, n)
    except (AttributeError, TypeError):
        continue
    leaks.append(n)
leaks
"""


class AttributeMatrixTests(unittest.TestCase):
    """Every dangerous name on every kind of held object is refused."""

    def test_no_dangerous_attribute_anywhere(self) -> None:
        """getattr(obj, name) fails for each (object kind, dangerous name) pair."""
        problems = []
        for kind, expr in HELD_OBJECTS.items():
            result = Domain("matrix").run(_MATRIX.format(obj=expr, names=DANGEROUS_NAMES),
                                          budget=Budget(ticks=50_000))
            if not result.ok:
                problems.append(f"{kind}: {result.error}")
            elif result.value:
                problems.append(f"{kind}: readable {result.value}")
        self.assertEqual(problems, [], "\n".join(problems))

    def test_literal_attribute_forms_refused_at_compile_time(self) -> None:
        """The same names written as obj.name are refused before running (the _ names)."""
        from scripting import check
        for name in DANGEROUS_NAMES:
            if name.startswith("_"):
                self.assertTrue(check(f"x.{name}"), name)


class ForeignTaskTests(unittest.TestCase):
    """Rule 33: one domain's code never runs inside another domain's task."""

    def test_generator_of_a_collected_inside_b_task(self) -> None:
        """A's finaliser, collected while B's task runs, neither runs nor aborts B."""
        lift_generator_rule(self)  # refused at compile time; the runtime holds too
        a, b = Domain("a"), Domain("b")
        module = a.load("log = []\ndef gen():\n    try:\n        yield 1\n    finally:\n"
                        "        log.append('ran')\ng = gen()\nnext(g)\n")
        self.patch(sys, "unraisablehook", lambda *args: None)
        holder = module._globals

        def collect_inside_b() -> int:
            del holder["g"]
            gc.collect()
            return 1

        result = b._run(collect_inside_b, Budget(), None)
        self.assertTrue(result.ok, result.error)
        self.assertIsNone(result.aborted)
        self.assertEqual(holder["log"], [])
