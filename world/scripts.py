# -*- test-case-name: tests.world.test_loader,tests.world.test_turn_parts -*-
"""
The script attached to an object, as the world stores it.

The world keeps only the text and its bookkeeping; compiling and running it
is the engine's and the sandbox's business (the world imports neither). An
object has at most one script, kept in its C{scripts} mapping under
L{MAIN}; or, instead, it runs the script of a parent (a prototype, as MOO
players know them), kept under L{PARENT}: the parent's text, run for the
object with its own C{this}, state and timers. Editing the parent's script
changes what every object that runs it does.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from BTrees.IOBTree import IOBTree
from BTrees.LOBTree import LOBTree
from persistent import Persistent

from world.libraries import importable
from world.objects import MAIN, PARENT, Character, Thing

#: The most lines and characters a script may have.
MAX_LINES = 1000
MAX_CHARS = 64 * 1024


class ScriptRecord(Persistent):
    """
    One object's script.

    @ivar source: the Python source text.
    @ivar version: raised on every save; compiled modules are cached per version.
    @ivar functions: the public function names it defined when it was saved
        (how verbs and handlers are found without running it); None until
        the engine has looked (scripts loaded from content files).
    @ivar failures: runs of its owner's own doing (his commands, his timers,
        what they woke) that failed or aborted in a row since it last ran
        well; the engine counts another player's failures for that player
        alone, in memory.
    @ivar suspended: why it is suspended (it runs no more until edited), or None.
    @ivar author: id of the character who saved it (None: builder content).
    @ivar restart_next: for a restart of this script not yet done with all
        the things running it (L{engine.commands.script}): which restart,
        and the id of the last thing started afresh (None: none yet); None
        when none is under way.
    @ivar attached: whether this script (this version or one it was edited
        from) was started: its C{on_attach()} run and its timers set. Saving
        an edit of a started script keeps its timers and does not run
        C{on_attach()} again, unless its owner asks (C{@script/restart}).
    """

    #: Records from before C{attached} was kept were started when saved.
    attached = True
    restart_next: tuple[int, int | None] | None = None

    def __init__(self, source: str, functions: tuple[str, ...] | None, author: int | None,
                 version: int = 1) -> None:
        self.source = source
        self.functions = tuple(functions) if functions is not None else None
        self.author = author
        self.version = version
        self.failures = 0
        self.suspended: str | None = None
        self.attached = False

    def __repr__(self) -> str:
        return f"<ScriptRecord v{self.version} {len(self.source)} chars>"

    def lines(self) -> list[str]:
        """
        The source as lines (no line endings).
        """
        return self.source.split("\n") if self.source else []


_DEF = re.compile(r"^def\s+([A-Za-z][A-Za-z0-9_]*)\s*\(", re.MULTILINE)


def declared_functions(source: str) -> tuple[str, ...]:
    """
    The public functions C{source} appears to define at its top level,
    without compiling or running it: for a script with problems, so that
    typing one of its verbs can say the script has problems instead of
    "Huh?". Top-level C{def}s and names bound to one (C{verb_stroke =
    verb_pet}); if the text does not even parse, the lines that start with
    C{def}.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        names = _DEF.findall(source)
    else:
        names = []
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names.append(node.name)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
                names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return tuple(sorted({n for n in names if not n.startswith("_")}))


class ScriptFailure(Persistent):
    """
    One failure of an owner's script, as he was told it (cut to
    L{FAILURE_BYTES}).

    @ivar when: when it failed (seconds of the world's clock).
    @ivar text: what its owner was told: the script's name, line and error.
    """

    def __init__(self, when: float, text: str) -> None:
        self.when = when
        self.text = text


class FailureLog(Persistent):
    """
    An owner's last L{FAILURES_KEPT} script failures, oldest first
    (C{@script/errors}), and how many came while he was away.

    @ivar entries: the L{ScriptFailure}s kept, oldest first.
    @ivar unseen: failures since he was last told at login, while he was
        not connected.
    """

    def __init__(self) -> None:
        self.entries: tuple[ScriptFailure, ...] = ()
        self.unseen = 0


#: The most failures kept for each owner, and the bytes (UTF-8) of each text:
#: an owner's log holds at most 20 KB, the oldest failure dropped first.
FAILURES_KEPT = 10
FAILURE_BYTES = 2000


#: How a suspension reason names a library that had problems when the
#: script was checked (L{engine.scripts.libraries.Libraries.resolve}).
_LIBRARY_PROBLEM = re.compile(r"\blibrary ([A-Za-z_][A-Za-z0-9_]*) has problems")


def suspension_now(root: Any, owner: int | None, record: ScriptRecord,
                   edited: str) -> str | None:
    """
    Why C{record} (of C{owner}'s, on the thing called C{edited}) is
    suspended, as true now, without running anything: its stored reason,
    unless that quotes the problems of libraries it imports, each of which
    C{owner}'s scripts now import without problems (fixed since): then
    that they had problems and have none now, and that C{@script/restart}
    checks it again and starts it. None if it is not suspended.
    """
    reason = record.suspended
    if reason is None:
        return None
    names = list(dict.fromkeys(_LIBRARY_PROBLEM.findall(reason)))
    if not names:
        return reason
    for name in names:
        found = importable(root, owner, name)
        if len(found) != 1 or found[0].suspended is not None or found[0].exports is None:
            return reason
    which = (f"the library {names[0]} it imports" if len(names) == 1 else
             f"the libraries {', '.join(names)} it imports")
    return (f"{which} had problems when it was checked and "
            f"{'has' if len(names) == 1 else 'have'} none now; @script/restart {edited} "
            "checks it again and starts it")


def remember_failure(registry: Any, owner: int | None, when: float, text: str, *,
                     away: bool) -> None:
    """
    Keep C{text}, what C{owner} was told of a failure of his script, in his
    L{FailureLog} in C{registry} (the world's timer registry), cut to
    L{FAILURE_BYTES}, dropping the oldest past L{FAILURES_KEPT}; counted as
    unseen if he is C{away}. Nothing for the world's own scripts (owner
    None).
    """
    if owner is None:
        return
    logs = registry.failures
    if logs is None:
        logs = registry.failures = IOBTree()
    log = logs.get(owner)
    if log is None:
        log = logs[owner] = FailureLog()
    data = text.encode("utf-8")
    if len(data) > FAILURE_BYTES:
        cut = " ... (cut)"
        text = data[:FAILURE_BYTES - len(cut)].decode("utf-8", "ignore") + cut
    log.entries = (*log.entries, ScriptFailure(when, text))[-FAILURES_KEPT:]
    if away:
        log.unseen += 1


def failures_of(registry: Any, owner: int | None) -> FailureLog | None:
    """
    C{owner}'s L{FailureLog}, if any of his scripts ever failed.
    """
    logs = registry.failures if registry is not None else None
    return logs.get(owner) if logs is not None and owner is not None else None


def is_scriptable(obj: Thing) -> bool:
    """
    Whether C{obj} may hold a script: anything but characters.
    """
    return not isinstance(obj, Character)


def script_of(obj: Thing) -> ScriptRecord | None:
    """
    The script C{obj} runs: its own, or its parent's (see L{parent_of}); or
    None.
    """
    scripts = getattr(obj, "scripts", None)
    if scripts is None:
        return None
    parent = parent_of(obj)
    found = scripts.get(MAIN) if parent is None else parent.scripts.get(MAIN)
    return found if isinstance(found, ScriptRecord) else None


def parent_of(obj: Thing) -> Thing | None:
    """
    The object whose script C{obj} runs instead of its own, while that
    object exists and has the same owner; else None.
    """
    scripts = getattr(obj, "scripts", None)
    parent = scripts.get(PARENT) if scripts is not None else None
    if not isinstance(parent, Thing) or parent.location is None or parent.owner != obj.owner:
        return None  # gone (destroyed things are nowhere), or no longer the same owner's
    return parent


def may_be_parent(obj: Thing) -> bool:
    """
    Whether C{obj} may lend its script to others, and run another's: things
    and containers (a room's or an exit's script is written for a room or
    an exit).
    """
    return obj.kind in ("thing", "container")


def set_parent(obj: Thing, parent: Thing) -> None:
    """
    Make C{obj} run C{parent}'s script instead of one of its own (which it
    loses).

    @raise ValueError: C{parent} runs another's script itself, is C{obj},
        is destroyed, has another owner, or either cannot hold a script
        this way.
    """
    if parent is obj or parent_of(parent) is not None:
        raise ValueError("a parent must have a script of its own")
    if parent.owner != obj.owner or not (may_be_parent(obj) and may_be_parent(parent)):
        raise ValueError("parent and child are things of one owner")
    if parent.location is None:  # (destroyed: things are always somewhere)
        raise ValueError("a parent must not be destroyed")
    _let_go(obj)
    obj.scripts.pop(MAIN, None)
    obj.scripts[PARENT] = parent
    rescripted(obj)


def set_script(obj: Thing, source: str, functions: tuple[str, ...] | None,
               author: int | None) -> ScriptRecord:
    """
    Attach C{source} to C{obj} (replacing any script), as a new version that
    is not suspended. It counts as started if the version it replaces was
    (see L{ScriptRecord.attached}).
    """
    old = script_of(obj) if obj.scripts.get(PARENT) is None else None
    record = ScriptRecord(source, functions, author,
                          version=(old.version + 1) if old is not None else 1)
    record.attached = old is not None and old.attached
    _let_go(obj)
    obj.scripts[MAIN] = record
    rescripted(obj)
    return record


def clear_script(obj: Thing) -> bool:
    """
    Remove C{obj}'s script (or its parent's it ran); whether it had one.
    """
    had_parent = _let_go(obj)
    had = obj.scripts.pop(MAIN, None) is not None or had_parent
    rescripted(obj)
    return had


def rescripted(obj: Thing) -> None:
    """
    C{obj} gained or lost its script (or its parent's): tell the place it is
    in, whose contents keep the things that hold one apart
    (L{world.objects.Contents.scripted}). Whatever changes C{obj.scripts}
    calls this after.
    """
    parent = obj.scripts.get(PARENT)
    if isinstance(parent, Thing):  # (again, after a refused change put it back)
        if parent.script_users is None:
            parent.script_users = LOBTree()
        if parent.script_users.get(obj.id) is not obj:
            parent.script_users[obj.id] = obj
    if obj.location is not None:
        obj.location.contents.rescripted(obj)


def _let_go(obj: Thing) -> bool:
    """
    C{obj} no longer runs the script of the object it named (if any):
    forget it there too. Whether it named one.
    """
    parent = obj.scripts.pop(PARENT, None)
    if isinstance(parent, Thing) and parent.script_users is not None:
        parent.script_users.pop(obj.id, None)
    return parent is not None


def forget_users(obj: Thing) -> None:
    """
    C{obj} is destroyed: the things running its script run none now and
    leave their places' scripted things (L{world.objects.Contents.scripted}),
    and it leaves those of the object whose script it ran. Reads the things
    that ran its script, once.
    """
    scripts = getattr(obj, "scripts", None)
    if scripts is None:
        return
    parent = scripts.get(PARENT)
    if isinstance(parent, Thing) and parent.script_users is not None:
        parent.script_users.pop(obj.id, None)
    users, obj.script_users = obj.script_users, None
    for user in () if users is None else tuple(users.values()):
        if user.scripts.get(PARENT) is obj:
            del user.scripts[PARENT]
            rescripted(user)
