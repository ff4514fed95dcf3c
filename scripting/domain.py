# -*- test-case-name: tests.scripting.test_accumulation -*-
"""Domains (one per owner), script modules, and running code in tasks.

A C{Domain} holds one owner's builtins, tamed module facades, random generator, library
modules and class metaclass. C{Domain.load()} instantiates a script as a C{ScriptModule} (own
globals, endowments injected); C{ScriptModule.call()} runs one of its functions in a new task.
C{run()} does both for a one-off source string in a fresh domain.
"""

from __future__ import annotations

import gc
import inspect
import os
import random
import sys
import time
import types
from collections.abc import Callable, Hashable
from types import FunctionType, MappingProxyType
from typing import Any

import attrs
from zope.security.proxy import Proxy

from scripting import charge, facades
from scripting.classes import ScriptType
from scripting.compiler import CompiledScript, ScriptError, code_bytes, compile_script
from scripting.errors import format_error
from scripting.facets.errors import Revoked
from scripting.hooks import AttributeTypes, make_domain_hooks, make_module_hooks
from scripting.lean import MARK
from scripting.policy import public_name
from scripting.rewrite import ATTR_PREFIX
from scripting.safe_builtins import FACADE_CLASSES, build_builtins
from scripting.task import STATE, Abort, Budget, Task, set_countdown

Output = Callable[[str], None] | list | None
#: Where a module keeps its own copies of the libraries it imported, and the ones being
#: imported now (keys no script can name: they start with an underscore).
_LIBRARY_COPIES = "__libraries__"
_LIBRARY_LOADING = "__importing__"
#: Finds a library for an import: called with the importing domain, the module
#: importing (whose task runs) and the name; returns the library's frozen
#: namespace, or raises C{ImportError} saying what can be imported.
Resolver = Callable[["Domain", "ScriptModule", str], "facades.Namespace"]


@attrs.frozen
class TaskResult:
    """What one task did: its output, its value or error text, and the ticks it used."""

    ok: bool
    value: Any = None
    output: str = ""
    error: str | None = None
    ticks: int = 0
    aborted: str | None = None  # the abort reason, if a budget ran out
    #: it failed through a facet someone else killed (L{Revoked._not_its_own})
    not_its_own: bool = False
    #: that facet's dead cell (a L{scripting.facets.membrane.RevocationCell}),
    #: which excuses one failure at most (C{excuse})
    lost: Any = None
    #: it failed because its owner's things could hold no more players: this
    #: turn, handed more by those around it (C{Task.crowded}), or one it was
    #: to be handed before it ran: not counted
    crowded: bool = False


@attrs.define
class Usage:
    """What a domain's tasks have spent, for meters (C{@quota}) and operators."""

    tasks: int = 0
    ticks: int = 0
    aborts: int = 0
    errors: int = 0
    last_abort: str | None = None


@attrs.frozen
class Footprint:
    """How much live state a domain's modules hold (counted by C{Domain.footprint})."""

    objects: int
    bytes: int
    depth: int
    complete: bool  # False if the walk stopped at its node limit


_LEAVES = (type, types.BuiltinFunctionType, types.MethodDescriptorType,
           types.WrapperDescriptorType, types.MethodWrapperType, types.ModuleType,
           Proxy, types.CodeType)  # a facet's target is the world's, not the domain's

_IMMUTABLE = (type(None), bool, int, float, complex, str, bytes)
_CONTAINERS = frozenset({tuple, list, dict, set, frozenset})
_ATOMS = frozenset({type(None), bool, int, float, complex, str, bytes})
_TABLES = frozenset({dict, set, frozenset})

# Limits on what one module may keep between tasks (checked after tasks, see
# `Domain._check_state`). Depth is the longest chain of references: CPython's C code
# recurses along such chains when it hashes nested tuples or frees chains of generators,
# and overflows an 8 MiB C stack above 100 000 levels (3.11-3.13), but near 37 000 for a
# chain of paused generators on 3.13. One task can add at most half its ticks
# (rewrite.BUILD_COST), and a generator paused in a chain costs 16 (GENERATOR_COST): this
# plus one foreground task stays below 60 000 levels. Generators are also counted while
# they live, whatever the budget (hooks.GENERATORS_MAX per domain).
STATE_MAX_DEPTH = 10_000
STATE_MAX_OBJECTS = 100_000
STATE_MAX_REFS = 500_000  # references followed by one walk (bounds its time to ~0.1 s)
STATE_MAX_BYTES = 64 * 1024 * 1024
# Ints hash modulo 2**61 - 1, so a script can grow (over many tasks) a set whose keys all
# share one hash; one comparison of two such sets then probes n*n times in C.
STATE_MAX_COLLISIONS = 10_000
OBJECTS_PER_TICK = 8  # charge.items: one tick per 8 slots built in C
# The most bytes one tick of a task can add to a module's state without a memory charge (a
# tick builds at most OBJECTS_PER_TICK slots and objects): the bound used until a walk.
GROWTH_PER_TICK = 1024


@attrs.frozen
class StateMeasure:
    """What C{measure_state} found: objects (containers), bytes, the longest reference
    chain, whether the walk finished, and how many references it followed."""

    objects: int
    bytes: int
    depth: int
    complete: bool
    refs: int = 0
    collisions: int = 0  # most key pairs sharing a hash in one dict or set


def measure_state(roots: list, *, max_objects: int = STATE_MAX_OBJECTS,
                  max_refs: int = STATE_MAX_REFS, skip: frozenset = frozenset()) -> StateMeasure:
    """Walk everything reachable from C{roots} (iteratively: no recursion in C or Python).

    C{depth} is the length of the longest reference chain (memoised post-order walk; a
    reference back into the chain being walked counts as a leaf). Stops after C{max_objects}
    objects or C{max_refs} references with C{complete=False}.
    """
    heights: dict[int, int] = {}
    active: set[int] = set()
    refs = 0
    worst = 0
    total = 0
    count = 0
    deepest = 0
    get_referents = gc.get_referents
    getsizeof = sys.getsizeof
    for root in roots:
        stack: list[list] = [[root, None, 0]]
        while stack:
            frame = stack[-1]
            obj, kids, i = frame
            if kids is None:
                oid = id(obj)
                if oid in heights or oid in active or oid in skip or (
                        isinstance(obj, _LEAVES) and not isinstance(obj, ScriptType)) or (
                        type(obj) is FunctionType and MARK in obj.__globals__):  # a hook
                    stack.pop()
                    continue
                count += 1
                if count > max_objects:
                    return StateMeasure(count, total, deepest, False, refs, worst)
                total += getsizeof(obj, 64)
                active.add(oid)
                if type(obj) in _TABLES and len(obj) > 64:
                    worst = max(worst, charge.collisions(obj, shallow=True))
                tobj = type(obj)
                if tobj is types.TracebackType:  # a kept exception's traceback
                    kids = [obj.tb_frame, obj.tb_next]
                elif tobj is types.FrameType:
                    # a script frame's locals only: never f_back (the trusted callers)
                    kids = (list(obj.f_locals.values())
                            if obj.f_code.co_filename.startswith("<script:") else [])
                else:
                    kids = get_referents(obj)
                frame[1] = kids
                refs += len(kids)
                if refs > max_refs:
                    return StateMeasure(count, total, deepest, False, refs, worst)
            n = len(kids)
            while i < n:
                kid = kids[i]
                i += 1
                tk = type(kid)
                if tk in _ATOMS:  # no references: counted in bytes, not walked
                    total += getsizeof(kid) if tk is str or tk is bytes else 32
                    continue
                if id(kid) not in heights:
                    frame[2] = i
                    stack.append([kid, None, 0])
                    break
            else:
                frame[2] = n
            if stack[-1] is not frame:
                continue  # a child to walk first
            h = 1
            for kid in kids:
                kh = heights.get(id(kid), 0)
                if kh >= h:
                    h = kh + 1
            oid = id(obj)
            heights[oid] = h
            active.discard(oid)
            deepest = max(deepest, h)
            stack.pop()
    return StateMeasure(count, total, deepest, True, refs, worst)


def expose(value: Any, _depth: int = 0) -> Any:
    """Make a trusted value safe to hand to a script (endowments and call arguments).

    Facets (zope.security proxies) and immutable basic values pass as they are; tuples and
    frozensets of those pass; lists, dicts and sets are copied (their contents exposed in
    turn). Anything else is refused.
    """
    if _depth > 50:
        raise TypeError("value nested too deeply to hand to a script")
    tv = type(value)
    if tv in _IMMUTABLE or tv is Proxy or tv.__base__ is facades.Clock:
        return value
    if tv is tuple:
        return tuple(expose(v, _depth + 1) for v in value)
    if tv is frozenset:
        return frozenset(expose(v, _depth + 1) for v in value)
    if tv is list:
        return [expose(v, _depth + 1) for v in value]
    if tv is set:
        return {expose(v, _depth + 1) for v in value}
    if tv is dict:
        return {expose(k, _depth + 1): expose(v, _depth + 1) for k, v in value.items()}
    raise TypeError(f"cannot hand a {tv.__name__} to a script; wrap it in a facet")


def export(value: Any, _depth: int = 0) -> Any:
    """Copy a script's result out to trusted code: plain data and facets only.

    Runs inside the task: every container copied is charged, so a result that aliases one
    big list many times costs what copying it costs (the copy does not amplify).
    """
    if _depth > 50:
        raise TypeError("value nested too deeply")
    tv = type(value)
    if tv in _IMMUTABLE or tv is Proxy:
        return value
    if tv in _CONTAINERS:
        charge.items(len(value))
    if tv is tuple:
        return tuple(export(v, _depth + 1) for v in value)
    if tv is list:
        return [export(v, _depth + 1) for v in value]
    if tv is dict:
        return {export(k, _depth + 1): export(v, _depth + 1) for k, v in value.items()}
    if tv is set or tv is frozenset:
        return tv(export(v, _depth + 1) for v in value)
    raise TypeError(f"a script returned a {tv.__name__!s}, which cannot leave its domain")


class Domain:
    """One owner's script environment."""

    def __init__(self, owner: str = "nobody", *, seed: int | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 resolver: Resolver | None = None) -> None:
        if type(owner) is not str:
            raise TypeError("owner is a string")
        self.owner = owner
        #: Finds the libraries this domain's scripts import (see `Resolver`), if any.
        self.resolver = resolver
        #: The module whose task is running (the importer, while an import runs).
        self.current: ScriptModule | None = None
        #: Seconds, for tasks' wall-clock budgets (tests inject their own).
        self.clock = clock
        self.meta = type("ScriptClass", (ScriptType,), {})
        self._seed = seed
        self._rng: random.Random | None = None
        self.namespace_type = facades.Namespace
        self.facade_classes = FACADE_CLASSES
        self.extra_attrs = facades.EXTRA_ATTRS
        self.attribute_types = AttributeTypes()  # the `$a.` tables of inline guards
        #: a weak reference to every generator of the domain's scripts alive
        #: (L{scripting.hooks.gen}: at most GENERATORS_MAX)
        self.generators: set = set()
        self.hooks = MappingProxyType(make_domain_hooks(self))
        self.builtins, self.type_facades = build_builtins(self, self.hooks["$getattr"])
        self._facade_modules: dict[str, facades.Namespace] = {}
        self.libraries: dict[str, facades.Namespace] = {}
        self.scripts: dict[str, CompiledScript] = {}
        self.modules: dict[str, ScriptModule] = {}
        self.usage = Usage()

    def __repr__(self) -> str:
        return f"<Domain {self.owner!r}>"

    @property
    def rng(self) -> random.Random:
        """The scripts' own random generator (games of chance, never secrets), made at the
        first C{import random}: most domains never import it."""
        if self._rng is None:
            seed = self._seed
            self._rng = random.Random(seed if seed is not None else os.urandom(16))  # noqa: S311
        return self._rng

    # -- modules --------------------------------------------------------------------------
    def import_module(self, name: Any) -> facades.Namespace:
        if type(name) is not str:
            raise ImportError("module names are strings")
        if name in self.libraries:
            return self.libraries[name]
        ns = self._facade_modules.get(name)
        if ns is None:
            maker = facades.FACADE_MAKERS.get(name)
            if maker is None:
                if self.resolver is not None and self.current is not None:
                    return self.resolver(self, self.current, name)
                raise ModuleNotFoundError(f"no module named {name!r} (scripts may import: "
                                  + ", ".join(sorted(facades.FACADE_MAKERS)) + ")")
            ns = maker(self)
            self._facade_modules[name] = ns
        return ns

    def library_copy(self, importer: ScriptModule, key: Hashable, version: int, source: str,
                     *, name: str) -> facades.Namespace:
        """
        C{importer}'s own copy of a library (C{key}, at C{version}): the one it made
        before, or a new one (see L{instantiate}), kept with the importer's globals. So
        no two scripts share a library's state, and a copy lives, is measured and is
        freed with the module that imported it.

        @raise ImportError: an import that leads back to itself.
        """
        copies = importer._globals.setdefault(_LIBRARY_COPIES, {})
        found = copies.get(key)
        if found is not None and found[0] == version:
            return found[1]
        loading = importer._globals.setdefault(_LIBRARY_LOADING, set())
        if key in loading:
            raise ImportError(f"the library {name} imports itself (through the libraries it "
                              "imports)")
        loading.add(key)
        try:
            namespace = self.instantiate(source, name=name)
        finally:
            loading.discard(key)
        copies[key] = (version, namespace)
        return namespace

    def instantiate(self, source: str, *, name: str) -> facades.Namespace:
        """
        Run C{source} as a library, inside the task running now (an import by one of
        this domain's scripts): a module of its own, with no endowments, its top level
        charged to that task.

        @return: the frozen namespace of its C{exports}.
        @raise ImportError: it does not compile, or its C{exports} are not a tuple of
            names it defines. Whatever its top level raises propagates (to the importer).
        """
        task = STATE.task
        if task is None or task.domain is not self:
            raise RuntimeError("a library is instantiated only inside its importer's task")
        try:
            compiled = compile_script(source, name)
        except ScriptError as e:
            raise ImportError(f"the library {name} has problems: "
                              + "; ".join(str(v) for v in e.violations[:3])) from None
        self.scripts[compiled.filename] = compiled
        g = self._globals(compiled, {})
        exec(compiled.code, g)  # noqa: S102 - checked and rewritten code, in this domain's task
        try:
            return ScriptModule(self, compiled, g).exports()
        except TypeError as e:
            raise ImportError(str(e)) from None

    def _globals(self, compiled: CompiledScript, endowments: dict) -> dict:
        g: dict[str, Any] = {"__builtins__": self.builtins, "__name__": compiled.name, "$t": 0}
        g.update(self.hooks)
        for key, value in endowments.items():
            if type(key) is not str or not key.isidentifier() or key.startswith("_"):
                raise ValueError(f"bad endowment name {key!r}")
            g[key] = expose(value)
        g.update(make_module_hooks(g, self, compiled.attributes))  # after the endowments
        return g

    def load(self, source: str, *, name: str = "script", endowments: dict | None = None,
             budget: Budget | None = None, output: Output = None,
             library: bool = False, _once: bool = False) -> ScriptModule:
        """Compile C{source} and run its top level once, in a task, in this domain.

        Raises C{ScriptError} if the script does not compile. If the top level fails or runs
        out of budget, the module is still returned; C{module.result} says what happened.
        With C{library=True} the module's C{exports} (a tuple of names) become importable by
        this domain's other scripts as C{import <name>}.
        """
        compiled = compile_script(source, name, capture_value=True)
        self.scripts[compiled.filename] = compiled
        g = self._globals(compiled, dict(endowments or {}))
        module = ScriptModule(self, compiled, g)
        self.modules[name] = module
        module.result = self._run(lambda: exec(compiled.code, g), budget, output,  # noqa: S102
                                  value=lambda: g.pop("$value", None), module=module,
                                  measure=not _once)
        if library and module.result.ok and module.discarded is None:
            self.libraries[name] = module.exports()
        return module

    def run(self, source: str, *, name: str = "script", endowments: dict | None = None,
            budget: Budget | None = None, output: Output = None) -> TaskResult:
        """Run a source string once in this domain; never raises for script problems."""
        try:
            module = self.load(source, name=name, endowments=endowments, budget=budget,
                               output=output, _once=True)
        except ScriptError as e:
            return TaskResult(ok=False, error=e.text)
        return module.result

    def footprint(self, max_objects: int = 1_000_000) -> Footprint:
        """Walk the live state of this domain's modules: objects, bytes and nesting depth.

        Scripts can keep state between tasks in module globals; per-task budgets do not bound
        it. The engine can call this between turns (it costs time in proportion to the state)
        to enforce a per-owner quota, and to catch very deep structures (long chains of
        generators or nested tuples), whose deallocation or hashing recurses in C.
        """
        shared = {id(self.builtins), id(self.hooks)}
        seen: set[int] = set(shared)
        stack: list[tuple[object, int]] = [(m._globals, 1) for m in self.modules.values()]
        total = 0
        deepest = 0
        while stack:
            obj, depth = stack.pop()
            if id(obj) in seen or (isinstance(obj, _LEAVES) and type(obj) is not self.meta):
                continue
            seen.add(id(obj))
            if len(seen) > max_objects:
                return Footprint(len(seen), total, deepest, False)
            total += sys.getsizeof(obj, 64)
            deepest = max(deepest, depth)
            for ref in gc.get_referents(obj):
                if id(ref) not in seen:
                    stack.append((ref, depth + 1))
        return Footprint(len(seen) - len(shared), total, deepest, True)

    # -- tasks ----------------------------------------------------------------------------
    def _check_state(self, module: ScriptModule, used_ticks: int, used_memory: int,
                     measure: bool = True) -> str | None:
        """After a task of C{module}: measure its state when it may have grown past a limit.

        Growth per task is bounded by what the task paid for (a nesting level costs at
        least two ticks, eight objects at least one tick, bytes their memory charge), so the
        walk runs only when the last measure plus that growth could exceed a limit.
        Returns why the state was discarded, or None.
        """
        module.pending_ticks += max(used_ticks - module.paying, 0)  # paying builds nothing
        module.paying = 0
        module.pending_bytes += used_memory
        if not measure:  # a one-off run: measured before any later task touches the state
            return None
        pending = module.pending_ticks
        last = module.last_measure
        if (last.depth + pending < STATE_MAX_DEPTH
                and last.objects + OBJECTS_PER_TICK * pending < STATE_MAX_OBJECTS
                and last.refs + OBJECTS_PER_TICK * pending < STATE_MAX_REFS
                and module.bytes_bound() < STATE_MAX_BYTES):
            return None
        measured = self.measure(module)
        if not measured.complete or measured.objects > STATE_MAX_OBJECTS:
            why = (f"it kept too many objects (over {STATE_MAX_OBJECTS} objects or "
                   f"{STATE_MAX_REFS} references)")
        elif measured.depth > STATE_MAX_DEPTH:
            why = (f"it kept a structure nested too deeply ({measured.depth} levels; "
                   f"at most {STATE_MAX_DEPTH})")
        elif measured.collisions > STATE_MAX_COLLISIONS:
            why = (f"it kept a dict or set whose keys collide ({measured.collisions} pairs "
                   "share a hash)")
        elif measured.bytes > STATE_MAX_BYTES:
            why = f"it kept too much memory ({measured.bytes // 2**20} MiB)"
        else:
            return None
        module.discard(why)
        return module.discarded

    def measure(self, module: ScriptModule) -> StateMeasure:
        """Walk what C{module} keeps between tasks (its globals) now, and remember it.

        The walk's cost is charged to the module's next tasks (C{ScriptModule.debt}). An
        incomplete walk (over C{STATE_MAX_OBJECTS} objects or C{STATE_MAX_REFS} references)
        means the state is too big to keep.
        """
        skip = frozenset({id(self.builtins), id(self.hooks),
                          *(id(v) for v in self.hooks.values())})
        # The classes the fast paths' cache remembers may be kept alive by nothing else
        # (made in a function, read once): each module is measured with them.
        measured = measure_state([module._globals, self.attribute_types.cache],
                                 max_objects=STATE_MAX_OBJECTS, max_refs=STATE_MAX_REFS,
                                 skip=skip)
        module.last_measure = measured
        module.debt += measured.refs >> 2  # the walk's cost, charged to the module's next tasks
        module.pending_ticks = 0
        module.pending_bytes = 0
        return measured

    def unload(self, module: ScriptModule) -> None:
        """Let go of C{module} for good: this domain forgets it (its name, its library
        exports, its source) and its globals are cleared, so that nothing it kept stays
        alive through it. Later calls of it fail, asking for a reload."""
        if self.modules.get(module.name) is module:
            del self.modules[module.name]
            self.libraries.pop(module.name, None)
        if self.scripts.get(module.compiled.filename) is module.compiled:
            del self.scripts[module.compiled.filename]
        if module.discarded is None:
            module.discard("it was unloaded")

    def _run(self, body: Callable[[], Any], budget: Budget | None, output: Output,
             value: Callable[[], Any] | None = None,
             module: ScriptModule | None = None, measure: bool = True) -> TaskResult:
        if STATE.task is not None:
            raise RuntimeError("cannot start a script task inside another")
        sink: Callable[[str], None] | None
        if isinstance(output, list):
            sink = output.append
        else:
            sink = output
        previous, self.current = self.current, module
        task = Task(budget=budget or Budget(), owner=self.owner, write=sink, domain=self,
                    clock=self.clock)
        result: Any = None
        error: str | None = None
        lost: Any = None
        crowded = False
        with task:
            try:
                result = body()
                if value is not None:
                    result = value()
                result = export(result)
                if task.aborted is not None:
                    # the budget ran out where an abort cannot propagate (a generator's
                    # finaliser run by the collector): the task still failed
                    raise Abort(task.aborted)
            except BaseException as exc:  # every failure becomes text
                if isinstance(exc, (KeyboardInterrupt, SystemExit)) and \
                        not isinstance(exc, Abort):
                    raise
                if isinstance(exc, Abort) and task.aborted is None:
                    task.aborted = exc.reason
                # Blamed on a dead cell (or the crowd) only if the very error
                # it raised last ended the task, unhandled: not a copy, nor an
                # older one, nor one the script caught and raised again.
                dead = task.dead_cell
                if isinstance(exc, Revoked) and exc._not_its_own and dead is not None \
                        and task.unhandled(exc, dead):
                    lost = dead.cell
                task.dead_cell = None
                crowded = task.unhandled(exc, task.crowded)
                task.crowded = None
                try:
                    error = format_error(exc, self.scripts)
                except BaseException:  # never let formatting escape
                    error = f"{type(exc).__name__} (details unavailable)"
                del exc
            finally:
                self.current = previous
        ticks = task.used_at_abort if task.aborted else task.budget.ticks - task.ticks_left
        ticks = min(max(ticks, 0), task.budget.ticks)
        usage = self.usage
        usage.tasks += 1
        usage.ticks += ticks
        if task.aborted:
            usage.aborts += 1
            usage.last_abort = task.aborted
        elif error is not None:
            usage.errors += 1
        text = task.output
        if task.output_truncated:
            text += "\n[output truncated]"
        if module is not None:
            memory = task.budget.memory - task.memory_left
            discarded = self._check_state(module, task.budget.ticks - task.ticks_left,
                                          memory, measure)
            if discarded is not None:
                error = discarded if error is None else error + "\n" + discarded
                result = None
                lost = None  # its state was too big: its own doing
                crowded = False
        return TaskResult(ok=error is None, value=result if error is None else None,
                          output=text, error=error, ticks=ticks, aborted=task.aborted,
                          not_its_own=lost is not None, lost=lost, crowded=crowded)


#: A function's own attributes, read from the type (a script cannot override them).
_FUNCTION_CODE = FunctionType.__dict__["__code__"].__get__
_FUNCTION_DEFAULTS = FunctionType.__dict__["__defaults__"].__get__
_FUNCTION_KWDEFAULTS = FunctionType.__dict__["__kwdefaults__"].__get__


@attrs.frozen
class Parameters:
    """
    What a script's function takes (L{ScriptModule.parameters}).

    @ivar name: its own name (C{def} gave it; C{<lambda>} for a lambda).
    @ivar names: its positional parameters, in order.
    @ivar required: how many of those have no default.
    @ivar rest: the name of its C{*args} parameter, or None.
    @ivar keywords: its keyword-only parameters.
    @ivar needed: those of them without a default.
    """

    name: str
    names: tuple[str, ...]
    required: int
    rest: str | None
    keywords: tuple[str, ...]
    needed: tuple[str, ...]

    def accepts(self, count: int) -> bool:
        """Whether a call with C{count} positional arguments (and no keywords) binds."""
        return (not self.needed and self.required <= count
                and (self.rest is not None or count <= len(self.names)))

    def __str__(self) -> str:
        star = [f"*{self.rest}"] if self.rest is not None else ["*"] if self.keywords else []
        return ", ".join([*self.names, *star, *self.keywords])


class ScriptModule:
    """One script instantiated in a domain: its own globals, its public functions."""

    result: TaskResult
    #: why this module's state was thrown away (it must be loaded again), or None
    discarded: str | None = None

    def __init__(self, domain: Domain, compiled: CompiledScript, g: dict) -> None:
        self.domain = domain
        self.compiled = compiled
        self._globals = g
        self.pending_ticks = 0
        self.pending_bytes = 0
        self.debt = 0  # ticks owed for walking this module's state
        self.paying = 0
        self.last_measure = StateMeasure(0, 0, 0, True)
        self._code_bytes: int | None = None

    def discard(self, why: str) -> None:
        """Throw away this module's state (its globals); later calls say to reload it."""
        self.discarded = (f"{self.name}: its state was discarded because {why}; "
                          "reload the script to use it again")
        g = self._globals
        keep = {k: v for k, v in g.items() if k.startswith("$") or k == "__builtins__"}
        for k in keep:
            if k.startswith(ATTR_PREFIX):
                keep[k] = frozenset()  # the domain's tables are for modules still loaded
        # freed on return, the hooks back in place: a paused generator closed calls $caught
        dropped = [g.pop(k) for k in [k for k in g if k not in keep]]  # noqa: F841
        g.update(keep)
        set_countdown(g, 0)  # the cell the module's functions count down
        domain = self.domain
        # What the domain's fast paths remember of its classes may be all that keeps
        # this module's classes alive: forget it (live modules' classes come back).
        domain.attribute_types.forget_classes()
        if domain.modules.get(self.name) is self:
            del domain.modules[self.name]
            domain.libraries.pop(self.name, None)

    @property
    def name(self) -> str:
        return self.compiled.name

    def bytes_bound(self) -> int:
        """At most how many bytes this module's globals hold now, without walking them: the
        last walk plus what its tasks since may have added (their memory charge, and
        C{GROWTH_PER_TICK} bytes for each tick they used)."""
        return (self.last_measure.bytes + self.pending_bytes
                + GROWTH_PER_TICK * self.pending_ticks)

    def code_bytes(self) -> int:
        """The memory its compiled code takes (code objects, their constants and names),
        counted once: the code never changes."""
        if self._code_bytes is None:
            self._code_bytes = code_bytes(self.compiled.code)
        return self._code_bytes

    def functions(self) -> list[str]:
        """Names of the module's public top-level functions."""
        return sorted(k for k, v in self._globals.items()
                      if type(v) is FunctionType and not k.startswith(("_", "$"))
                      and v.__code__.co_filename == self.compiled.filename)

    def parameters(self, function: str) -> Parameters | None:
        """What public function C{function} takes, read from its compiled code, or None if
        the name holds no function of this script.

        Only plain attributes are read: the function's code (our compiler made it: its file
        is this script's), its counts and names, and how many defaults it has. Nothing of
        the script is called, and no default value is looked at."""
        fn = self._globals.get(function) if public_name(function) else None
        if type(fn) is not FunctionType:
            return None
        code = _FUNCTION_CODE(fn)
        if type(code) is not types.CodeType or code.co_filename != self.compiled.filename:
            return None
        defaults = _FUNCTION_DEFAULTS(fn)
        given = len(defaults) if type(defaults) is tuple else 0
        keyword_defaults = _FUNCTION_KWDEFAULTS(fn)
        defaulted = frozenset(k for k in keyword_defaults if type(k) is str) \
            if type(keyword_defaults) is dict else frozenset()
        count, keywords = code.co_argcount, code.co_kwonlyargcount
        names = code.co_varnames
        rest = bool(code.co_flags & inspect.CO_VARARGS)
        kwonly = names[count:count + keywords]  # then *args' name, then the locals
        return Parameters(name=code.co_name, names=tuple(names[:count]),
                          required=max(0, count - given),
                          rest=names[count + keywords] if rest else None, keywords=tuple(kwonly),
                          needed=tuple(n for n in kwonly if n not in defaulted))

    def call(self, function: str, *args: Any, budget: Budget | None = None,
             output: Output = None, **kwargs: Any) -> TaskResult:
        """Call a public function of this module in a new task (arguments are exposed)."""
        if self.discarded is not None:
            return TaskResult(ok=False, error=self.discarded)
        if self.pending_ticks and self.domain._check_state(self, 0, 0) is not None:
            return TaskResult(ok=False, error=self.discarded)
        fn = self._globals.get(function) if public_name(function) else None
        if type(fn) is not FunctionType:
            return TaskResult(ok=False, error=f"{self.name} has no function {function!r}")
        args = tuple(expose(a) for a in args)
        kwargs = {k: expose(v) for k, v in kwargs.items()}
        spend = budget or Budget()
        # the last state walk is paid for by this module's next tasks (at most half of each)
        paying = min(self.debt, spend.ticks // 2)
        self.debt -= paying
        self.paying = paying

        def body() -> Any:
            if paying:
                charge.ticks(paying)
            return fn(*args, **kwargs)

        return self.domain._run(body, spend, output, module=self)

    def exports(self) -> facades.Namespace:
        """The frozen namespace of the names listed in the module's C{exports} tuple."""
        names = self._globals.get("exports", ())
        if type(names) not in (tuple, list) or any(type(n) is not str for n in names):
            raise TypeError(f"{self.name}: 'exports' must be a tuple of names")
        private = [n for n in names if not public_name(n)]
        if private:
            raise TypeError(f"{self.name}: exports may only list public names (identifiers "
                            f"not starting with _), not: {', '.join(map(repr, private))}")
        missing = [n for n in names if n not in self._globals]
        if missing:
            raise TypeError(f"{self.name}: exports names it does not define: "
                            f"{', '.join(missing)}")
        return facades.Namespace(self.name, {n: self._globals[n] for n in names})


def run(source: str, *, endowments: dict | None = None, budget: Budget | None = None,
        owner: str = "nobody", name: str = "script", output: Output = None) -> TaskResult:
    """Run C{source} once in a fresh domain owned by C{owner}; never raises for script problems.

    The result's C{value} is the value of the script's last line if that line is an
    expression (like the interactive prompt), else None.
    """
    return Domain(owner).run(source, name=name, endowments=endowments, budget=budget,
                             output=output)
