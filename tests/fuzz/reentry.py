"""
A runtime invariant over every script run while it watches: script code runs
only where the sandbox means it to, never re-entered from a moment trusted or
rewritten code does not expect.

L{Watch} traces the interpreter (C{sys.settrace}: a call event for every
frame, and line, opcode and exception events in script frames only, whose
code comes from the script compiler and is named C{<script:NAME>}) and notes
a L{Violation} whenever script code

  - starts or resumes while the cyclic collector runs (C{gc.callbacks});
  - runs any instruction after CPython threw C{GeneratorExit} into a paused
    script generator, other than the matching of its C{except} clauses on
    the way out: that is a generator closed by its last reference going (in
    the middle of whatever dropped it: a guard binding its temporary, a
    hook, the collector) or by trusted code, and what it ran would run
    there (the guard-swap escape of 2026-12-07 ran a C{finally} there);
  - is called by a script frame from an instruction that calls nothing (a
    guard's binding, a store, a C{return}): a finaliser or a callback run
    in the middle of a script's own rewritten code;
  - is called by a trusted frame other than the entry points of
    L{ENTRIES} (the task runner, and the hooks and builtins that call a
    script's functions and dunder methods on its behalf).

A generator's resumption is judged at its first instruction, since CPython
reports a close (a throw) as a resumption before it raises C{GeneratorExit}.
"""

from __future__ import annotations

import dis
import gc
import inspect
import os
import sys
from collections.abc import Callable
from types import CodeType, FrameType
from typing import Any, NamedTuple

import attrs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: How the script compiler names the code it makes (L{scripting.compiler.script_filename}).
SCRIPT = "<script:"

#: Instructions of a script frame that may call script code: calls, iteration
#: (a script's C{__iter__}/C{__next__}, a generator resumed), C{yield from},
#: the dunder methods of a script's classes that plain instructions call
#: (comparisons, operators, containment, subscripts, unpacking, attributes
#: (a property), building a class (its body), and C{__bool__} for jumps).
CALLERS = frozenset({
    "PRECALL", "CALL", "CALL_KW", "CALL_FUNCTION_EX", "FOR_ITER", "SEND", "GET_ITER", "LIST_EXTEND",
    "SET_UPDATE", "DICT_UPDATE", "DICT_MERGE", "UNPACK_SEQUENCE", "UNPACK_EX", "COMPARE_OP",
    "CONTAINS_OP", "IS_OP", "BINARY_OP", "BINARY_SUBSCR", "STORE_SUBSCR", "DELETE_SUBSCR",
    "LOAD_ATTR", "LOAD_METHOD", "STORE_ATTR", "DELETE_ATTR", "UNARY_NEGATIVE",
    "UNARY_POSITIVE", "UNARY_NOT", "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_FORWARD_IF_TRUE",
    "POP_JUMP_BACKWARD_IF_FALSE", "POP_JUMP_BACKWARD_IF_TRUE", "JUMP_IF_FALSE_OR_POP",
    "JUMP_IF_TRUE_OR_POP", "FORMAT_VALUE", "BUILD_STRING", "LOAD_BUILD_CLASS",
    "CHECK_EXC_MATCH", "YIELD_VALUE", "RETURN_GENERATOR",
})

#: What a script generator may run once C{GeneratorExit} was thrown into it:
#: matching its C{except} clauses (which the validator keeps to built-in
#: exception names no script binds) and leaving.
UNWINDING = frozenset({
    "PUSH_EXC_INFO", "LOAD_GLOBAL", "LOAD_NAME", "LOAD_FAST", "LOAD_DEREF", "LOAD_CONST",
    "BUILD_TUPLE", "CHECK_EXC_MATCH", "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_FORWARD_IF_TRUE",
    "JUMP_FORWARD", "RERAISE", "COPY", "POP_EXCEPT", "SWAP", "NOP", "POP_TOP", "CACHE",
    # 3.13 names the jump after a match POP_JUMP_IF_FALSE, and a generator's last handler
    # turns a StopIteration into a RuntimeError by an intrinsic that calls nothing.
    "POP_JUMP_IF_FALSE", "POP_JUMP_IF_TRUE", "CALL_INTRINSIC_1 INTRINSIC_STOPITERATION_ERROR",
})

#: The trusted functions that may call script code, by file (relative to the
#: checkout) and function name: the task runner's bodies and the hooks and
#: builtins that call a script's callables or dunder methods for it.
ENTRIES: frozenset[tuple[str, str]] = frozenset({
    # the task runner: a module's code (Domain.load), a function called (ScriptModule.call)
    ("scripting/domain.py", "<lambda>"), ("scripting/domain.py", "body"),
    # iteration charged per element (a script's __iter__/__next__, its generators),
    # sort and min/max keys (all computed before anything is compared) and map/filter
    # callbacks
    ("scripting/charge.py", "__init__"), ("scripting/charge.py", "__next__"),
    ("scripting/charge.py", "keys_of"), ("scripting/charge.py", "materialise"),
    ("scripting/safe_builtins.py", "lazy"),
    # a script class's comparisons (and the __bool__ of what they return), met in a
    # comparison walked a step at a time, or in list.count/index/remove and `in`
    ("scripting/charge.py", "compared"), ("scripting/charge.py", "search"),
    # a class body; bool() and the other facades' calls
    ("scripting/safe_builtins.py", "build_class"), ("scripting/safe_builtins.py", "__call__"),
    # a script class's __str__ and __repr__, wherever C calls them (their text is charged)
    ("scripting/classes.py", "__call__"),
    # the guards' slow branches: a script class's operators, containment, slices,
    # text, and a property read through the attribute hook
    ("scripting/hooks.py", "add"), ("scripting/hooks.py", "sub"), ("scripting/hooks.py", "mul"),
    ("scripting/hooks.py", "mod"), ("scripting/hooks.py", "cmp"), ("scripting/hooks.py", "aug"),
    ("scripting/hooks.py", "iadd"), ("scripting/hooks.py", "imul"),
    ("scripting/hooks.py", "contains"), ("scripting/hooks.py", "set_slice"),
    ("scripting/hooks.py", "del_slice"), ("scripting/hooks.py", "safe_str"),
    ("scripting/hooks.py", "safe_repr"), ("scripting/hooks.py", "format_value"),
    ("scripting/hooks.py", "getattr_hook"),
    # `raise C from cause` of a script's exception class: the class called, as CPython would
    ("scripting/hooks.py", "_exception"),
})


class Violation(NamedTuple):
    """
    Script code run where it must not: what, and where (script code's name
    and line, and the frame that ran it).
    """

    what: str
    where: str

    def __str__(self) -> str:
        return f"{self.what}: {self.where}"


def is_script(code: CodeType) -> bool:
    """
    Whether C{code} came from the script compiler.
    """
    return code.co_filename.startswith(SCRIPT)


def _name(code: CodeType) -> tuple[str, str]:
    filename = code.co_filename
    if filename.startswith(ROOT + os.sep):
        filename = filename[len(ROOT) + 1:]
    return filename, code.co_name


_CACHE = dis.opmap["CACHE"]
_GENERATOR = inspect.CO_GENERATOR


def _opcode(frame: FrameType) -> str:
    lasti = frame.f_lasti
    codes = frame.f_code.co_code
    if lasti < 0 or lasti >= len(codes):
        return "<none>"
    while lasti > 0 and codes[lasti] == _CACHE:  # a call's inline caches follow it
        lasti -= 2
    name = dis.opname[codes[lasti]]
    if name == "CALL_INTRINSIC_1":  # 3.12+: which one (some call dunders, e.g. unary +)
        descs = getattr(dis, "_intrinsic_1_descs", ())
        arg = codes[lasti + 1]
        return f"{name} {descs[arg] if arg < len(descs) else arg}"
    return name


#: The offsets, by code object, of the steps an C{except} clause takes to call the
#: trusted C{$caught} before it is matched (C{except ($caught() or ValueError):}): a
#: generator being closed runs them, and C{$caught} returns at once for GeneratorExit.
_CAUGHT_STEPS: dict[CodeType, frozenset[int]] = {}


def _caught_steps(code: CodeType) -> frozenset[int]:
    found = _CAUGHT_STEPS.get(code)
    if found is None:
        steps: set[int] = set()
        run: list[int] | None = None
        for ins in dis.get_instructions(code):
            if ins.opname == "LOAD_GLOBAL" and ins.argval == "$caught":
                run = [ins.offset]
            elif run is not None:
                run.append(ins.offset)
                if ins.opname == "POP_TOP" or ins.opname == "JUMP_IF_TRUE_OR_POP":
                    steps.update(run)
                    run = None
                elif ins.opname not in ("PRECALL", "CALL", "COPY", "TO_BOOL",
                                        "POP_JUMP_IF_TRUE", "CACHE"):
                    run = None
        found = _CAUGHT_STEPS[code] = frozenset(steps)
    return found


def _matching_caught(frame: FrameType) -> bool:
    """Whether C{frame} is at a step of calling C{$caught} before an C{except} match."""
    lasti = frame.f_lasti
    codes = frame.f_code.co_code
    while lasti > 0 and codes[lasti] == _CACHE:
        lasti -= 2
    return lasti in _caught_steps(frame.f_code)


def _where(frame: FrameType) -> str:
    code = frame.f_code
    return f"{code.co_filename}:{frame.f_lineno} in {code.co_name}"


@attrs.define(eq=False)
class Watch:
    """
    Traces while entered (C{with Watch() as watch:}) and collects
    L{Violation}s in C{violations}; C{entries} counts each trusted entry
    point seen, C{calls} the script frames started or resumed.

    @ivar entries: the trusted functions allowed to call script code.
    """

    entries: frozenset[tuple[str, str]] = ENTRIES
    violations: list[Violation] = attrs.Factory(list)
    seen: dict[tuple[str, str], int] = attrs.Factory(dict)
    calls: int = 0
    _collecting: bool = False
    _closing: set[int] = attrs.Factory(set)
    _pending: set[int] = attrs.Factory(set)
    _previous: Any = None

    def __enter__(self) -> Watch:
        self._previous = sys.gettrace()
        gc.callbacks.append(self._gc)
        sys.settrace(self._call)
        return self

    def __exit__(self, *exc: object) -> None:
        sys.settrace(self._previous)
        gc.callbacks.remove(self._gc)

    def _gc(self, phase: str, info: dict) -> None:
        self._collecting = phase == "start"

    def _note(self, what: str, frame: FrameType) -> None:
        self.violations.append(Violation(what, _where(frame)))

    def _call(self, frame: FrameType, event: str, arg: Any) -> Callable | None:
        if not is_script(frame.f_code):
            return None
        self.calls += 1
        if frame.f_code.co_flags & _GENERATOR:  # started, resumed or closed: see its first step
            self._pending.add(id(frame))
            frame.f_trace_opcodes = True
        else:
            self._caller(frame)
        return self._local

    def _caller(self, frame: FrameType) -> None:
        if self._collecting:
            self._note("script code ran inside the garbage collector", frame)
        if self._closing:
            self._note("script code ran while a script generator was being closed", frame)
        back = frame.f_back
        if back is None:
            self._note("script code ran with no caller", frame)
            return
        if is_script(back.f_code):
            op = _opcode(back)
            if op not in CALLERS:
                self._note(f"script code ran from its caller's {op}", frame)
            return
        name = _name(back.f_code)
        self.seen[name] = self.seen.get(name, 0) + 1
        if name not in self.entries:
            self._note(f"script code ran from trusted {name[0]}:{name[1]}", frame)

    def _local(self, frame: FrameType, event: str, arg: Any) -> Callable | None:
        key = id(frame)
        if event == "exception":
            if arg[0] is GeneratorExit and frame.f_code.co_flags & _GENERATOR:
                self._pending.discard(key)
                self._closing.add(key)
                frame.f_trace_opcodes = True
        elif event == "opcode":
            if key in self._closing:
                op = _opcode(frame)
                if op not in UNWINDING and not _matching_caught(frame):
                    self._note(f"a script generator being closed ran {op}", frame)
                    if self._collecting:
                        self._note("script code ran inside the garbage collector", frame)
            elif key in self._pending:
                self._pending.discard(key)
                frame.f_trace_opcodes = False
                self._caller(frame)
        elif event == "return":
            self._closing.discard(key)
            self._pending.discard(key)
        return self._local
