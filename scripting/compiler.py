# -*- test-case-name: tests.scripting.test_escapes,tests.scripting.test_pipeline -*-
"""The compile pipeline: source -> ast.parse -> validate -> rewrite -> compile -> cache.

Source text only (never bytes, code objects or ASTs from players). Compiled code is cached
by a hash of the source and the script name.
"""

from __future__ import annotations

import ast
import gc
import hashlib
import sys
from types import CodeType

import attrs

from scripting import policy
from scripting.rewrite import CELL, rewrite_with_attributes, unmain
from scripting.validate import Violation, validate

_CACHE_MAX = 2048
#: The most bytes of compiled code the cache holds (scripts are compiled for
#: whoever saves them; the memory is the server's, so it is bounded by bytes
#: as well as count: the oldest entries go first).
CACHE_BYTES = 64 * 1024 * 1024


class _Cache:
    """Compiled scripts by (source hash, name), oldest first, with the bytes of their code."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], tuple[CompiledScript, int]] = {}
        self.bytes = 0

    def get(self, key: tuple[str, str]) -> CompiledScript | None:
        found = self.entries.get(key)
        return found[0] if found is not None else None

    def put(self, key: tuple[str, str], compiled: CompiledScript) -> None:
        size = code_bytes(compiled.code)
        entries = self.entries
        while entries and (len(entries) >= _CACHE_MAX or self.bytes + size > CACHE_BYTES):
            self.bytes -= entries.pop(next(iter(entries)))[1]
        if size <= CACHE_BYTES:
            entries[key] = (compiled, size)
            self.bytes += size

    def clear(self) -> None:
        self.entries.clear()
        self.bytes = 0


_CACHE = _Cache()


class ScriptError(Exception):
    """The script cannot run: every violation, with line, column and reason."""

    def __init__(self, name: str, violations: list[Violation]) -> None:
        self.name = name
        self.violations = tuple(violations)
        super().__init__(self.text)

    @property
    def text(self) -> str:
        lines = [f"{self.name}: {len(self.violations)} problem(s):"]
        lines += [f"  {v}" for v in self.violations]
        return "\n".join(lines)


@attrs.frozen
class CompiledScript:
    """A checked, rewritten and compiled script, ready to instantiate in a domain."""

    name: str
    filename: str
    source: str
    code: CodeType = attrs.field(repr=False)
    #: attribute names the code reads through per-domain `$a.` tables
    attributes: frozenset[str] = frozenset()

    def source_line(self, lineno: int) -> str:
        lines = self.source.splitlines()
        if 1 <= lineno <= len(lines):
            return lines[lineno - 1].strip()
        return ""


def script_filename(name: str) -> str:
    """
    The filename tracebacks show for the script called C{name}.
    """
    return f"<script:{name}>"


def compile_script(source: str, name: str = "script", *, capture_value: bool = False
                   ) -> CompiledScript:
    """Check and compile C{source}; raise C{ScriptError} listing every problem."""
    if type(source) is not str:
        raise TypeError("scripts are source text (str) only")
    if type(name) is not str:
        raise TypeError("script names are strings")
    key = (hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest(),
           f"{name}\0{capture_value}")
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    policy.check_runtime_ast()
    if len(source) > policy.MAX_SOURCE_CHARS:
        raise ScriptError(name, [Violation(1, 0, f"the script is longer than "
                                                 f"{policy.MAX_SOURCE_CHARS} characters")])
    # The pipeline makes hundreds of thousands of AST nodes for a big script; the cyclic
    # collector would walk them all again and again (it doubled the time): it waits.
    collecting = gc.isenabled()
    gc.disable()
    try:
        code, attributes = _compile(source, name, capture_value)
    finally:
        if collecting:
            gc.enable()
    filename = script_filename(name)
    compiled = CompiledScript(name=name, filename=filename, source=source, code=code,
                              attributes=attributes)
    _CACHE.put(key, compiled)
    return compiled


def _compile(source: str, name: str, capture_value: bool) -> tuple[CodeType, frozenset[str]]:
    try:
        tree = ast.parse(source, filename=name, mode="exec")
    except SyntaxError as e:
        raise ScriptError(name, [Violation(e.lineno or 1, max((e.offset or 1) - 1, 0),
                                           f"syntax error: {e.msg}")]) from None
    except (RecursionError, MemoryError, ValueError) as e:
        raise ScriptError(name, [Violation(1, 0, f"cannot parse: {type(e).__name__}")]) from None
    violations = validate(tree)
    if violations:
        raise ScriptError(name, violations)
    if capture_value and tree.body and isinstance(tree.body[-1], ast.Expr):
        last = tree.body[-1]
        tree.body[-1] = ast.copy_location(
            ast.Assign(targets=[ast.Name(id="$value", ctx=ast.Store())], value=last.value), last)
    rewritten, attributes = rewrite_with_attributes(tree, owned=True)
    try:
        code = unmain(compile(rewritten, script_filename(name), "exec", dont_inherit=True,
                              optimize=0))
    except (SyntaxError, RecursionError, MemoryError, ValueError) as e:
        line = getattr(e, "lineno", 1) or 1
        raise ScriptError(name, [Violation(line, 0, f"cannot compile: {e}")]) from None
    if CELL not in code.co_names:
        # its top level could not run as a function, so it has no countdown cell: Python
        # refuses every such module (`return` at the top level...); never run one
        raise ScriptError(name, [Violation(1, 0, "cannot compile: the top level cannot "
                                                 "run as a function")])
    return code, attributes


def cached_bytes() -> int:
    """The bytes of compiled code the cache holds now."""
    return _CACHE.bytes


def code_bytes(code: CodeType) -> int:
    """The memory a compiled code object takes: itself, its tables, its constants, and
    the code objects nested in them (functions, classes, comprehensions)."""
    total = 0
    stack = [code]
    getsizeof = sys.getsizeof
    while stack:
        co = stack.pop()
        total += getsizeof(co)
        for table in (co.co_consts, co.co_names, co.co_varnames, co.co_freevars,
                      co.co_cellvars, co.co_linetable, co.co_exceptiontable):
            total += getsizeof(table)
        for const in co.co_consts:
            if type(const) is CodeType:
                stack.append(const)
            else:
                total += getsizeof(const)
    return total


def check(source: str, name: str = "script") -> list[Violation]:
    """Every violation in C{source} (empty if it would compile)."""
    try:
        compile_script(source, name)
    except ScriptError as e:
        return list(e.violations)
    return []
