# -*- test-case-name: tests.world.test_loader,tests.world.test_turn_parts -*-
"""
The script attached to an object, as the world stores it.

The world keeps only the text and its bookkeeping; compiling and running it
is the engine's and the sandbox's business (the world imports neither). An
object has at most one script, kept in its C{scripts} mapping under
L{MAIN}.
"""

from __future__ import annotations

import ast
import re

from persistent import Persistent

from world.objects import Character, Thing

#: The key of an object's script in C{obj.scripts}.
MAIN = "main"
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
    @ivar failures: runs that failed or aborted in a row since it last ran well.
    @ivar suspended: why it is suspended (it runs no more until edited), or None.
    @ivar author: id of the character who saved it (None: builder content).
    @ivar attached: whether this script (this version or one it was edited
        from) was started: its C{on_attach()} run and its timers set. Saving
        an edit of a started script keeps its timers and does not run
        C{on_attach()} again, unless its owner asks (C{@script/restart}).
    """

    #: Records from before C{attached} was kept were started when saved.
    attached = True

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


def is_scriptable(obj: Thing) -> bool:
    """
    Whether C{obj} may hold a script: anything but characters.
    """
    return not isinstance(obj, Character)


def script_of(obj: Thing) -> ScriptRecord | None:
    """
    The script on C{obj}, or None.
    """
    found = obj.scripts.get(MAIN) if getattr(obj, "scripts", None) is not None else None
    return found if isinstance(found, ScriptRecord) else None


def set_script(obj: Thing, source: str, functions: tuple[str, ...] | None,
               author: int | None) -> ScriptRecord:
    """
    Attach C{source} to C{obj} (replacing any script), as a new version that
    is not suspended. It counts as started if the version it replaces was
    (see L{ScriptRecord.attached}).
    """
    old = script_of(obj)
    record = ScriptRecord(source, functions, author,
                          version=(old.version + 1) if old is not None else 1)
    record.attached = old is not None and old.attached
    obj.scripts[MAIN] = record
    return record


def clear_script(obj: Thing) -> bool:
    """
    Remove C{obj}'s script; whether it had one.
    """
    return obj.scripts.pop(MAIN, None) is not None
