"""
The script attached to an object, as the world stores it.

The world keeps only the text and its bookkeeping; compiling and running it
is the engine's and the sandbox's business (the world imports neither). An
object has at most one script, kept in its C{scripts} mapping under
L{MAIN}.
"""

from __future__ import annotations

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
    """

    def __init__(self, source: str, functions: tuple[str, ...] | None, author: int | None,
                 version: int = 1) -> None:
        self.source = source
        self.functions = tuple(functions) if functions is not None else None
        self.author = author
        self.version = version
        self.failures = 0
        self.suspended: str | None = None

    def __repr__(self) -> str:
        return f"<ScriptRecord v{self.version} {len(self.source)} chars>"

    def lines(self) -> list[str]:
        """
        The source as lines (no line endings).
        """
        return self.source.split("\n") if self.source else []


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
    is not suspended.
    """
    old = script_of(obj)
    record = ScriptRecord(source, functions, author,
                          version=(old.version + 1) if old is not None else 1)
    obj.scripts[MAIN] = record
    return record


def clear_script(obj: Thing) -> bool:
    """
    Remove C{obj}'s script; whether it had one.
    """
    return obj.scripts.pop(MAIN, None) is not None
