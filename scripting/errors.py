# -*- test-case-name: tests.scripting -*-
"""Turn an exception from a task into plain text showing only the script's own lines.

Nothing here calls a method of a script's object: messages are built from exception args
that are basic values, and from code/line data of script frames only.
"""

from __future__ import annotations

import dis
from collections.abc import Mapping
from types import CodeType
from typing import Any

from scripting.hooks import scrub
from scripting.rewrite import MAIN
from scripting.task import Abort

_BASIC = (str, int, float, bool, type(None))
_MAX_FRAMES = 20
_TOP_LEVEL = ("<module>", MAIN)  # the top level runs as `$main` (scripting.rewrite)


# the C getter: a script class cannot override it
_ARGS = BaseException.args.__get__  # type: ignore[attr-defined]


def _message(exc: BaseException) -> str:
    args = _ARGS(exc)
    parts = []
    for a in args:
        if type(a) in _BASIC:
            parts.append(repr(a) if type(exc) is KeyError or type(a) is not str else a)
        else:
            parts.append("<object>")
    text = ", ".join(parts)
    return scrub(text[:500])


def _type_name(exc: BaseException) -> str:
    name = type(exc).__name__
    return name if type(name) is str else "Error"


def _at_entry(code: CodeType, lasti: int) -> bool:
    """Is a frame of C{code} stopped at its function's first tick point (the countdown the
    rewriter puts before the body), having run none of its lines?"""
    if code.co_name in _TOP_LEVEL:
        return False
    ticking = False
    for ins in dis.get_instructions(code):
        if ins.offset > lasti:
            return False
        if ins.opname == "LOAD_GLOBAL" and ins.argval == "$tick":
            ticking = True
        elif ticking and ins.opname.startswith("CALL"):
            return ins.offset >= lasti
    return False


def format_error(exc: BaseException, scripts: Mapping[str, Any]) -> str:
    """A traceback of script frames only, then C{Type: message}.

    C{scripts} maps code filenames (C{<script:name>}) to `CompiledScript`s, for source lines.
    """
    found: list[tuple[CodeType, int, int, Any]] = []
    tb = exc.__traceback__
    while tb is not None:
        compiled = scripts.get(tb.tb_frame.f_code.co_filename)
        if compiled is not None:
            code = tb.tb_frame.f_code
            if found and code.co_name == MAIN and found[-1][0].co_name == "<module>" \
                    and found[-1][0].co_filename == code.co_filename:
                del found[-1]  # the module's code only called `$main`, its top level
            found.append((code, tb.tb_lineno, tb.tb_lasti, compiled))
        tb = tb.tb_next
    if len(found) > 1 and _at_entry(found[-1][0], found[-1][2]):
        del found[-1]  # stopped on entry, before running a line: the caller's call says where
    frames = []
    for code, lineno, _, compiled in found:
        name = code.co_name
        if name in _TOP_LEVEL:
            where = "at top level"
        elif name.startswith("<"):
            where = f"in {name}"
        else:
            where = f"in {name}()"
        frames.append(f'  {compiled.name}, line {lineno}, {where}\n'
                      f'    {compiled.source_line(lineno)}')
    if len(frames) > _MAX_FRAMES:
        frames = [*frames[:5], f"  ... {len(frames) - 10} more ...", *frames[-5:]]
    if isinstance(exc, Abort):
        head = f"Task aborted: {exc.reason}"
    else:
        msg = _message(exc)
        head = f"{_type_name(exc)}: {msg}" if msg else _type_name(exc)
    if frames:
        return "Traceback (script lines only):\n" + "\n".join(frames) + "\n" + head
    return head
