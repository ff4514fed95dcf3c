# -*- test-case-name: tests.engine.test_script_names -*-
"""
The names a script reads that nothing defines: C{announce("...")} where the
script meant C{this.announce("...")}, C{tell(actor, "hi")} for
C{actor.tell("hi")}, C{chme()} for its own C{chime()}. Each would fail only
when the line first ran (C{NameError: name 'announce' is not defined}), so
saving, the editor's C{.check} and C{tessera content check} note them, with
what the script may have meant; they refuse nothing.

A script's names are read by pyflakes (scopes, functions, comprehensions,
C{global} and names defined later in the module handled as Python does),
told exactly what the sandbox gives every script: its builtins (the table
L{scripting.safe_builtins.build_builtins} makes for a domain) and its
endowments (L{engine.commands.help.ENDOWMENTS}, which C{help facets} shows,
less C{actor}, which verbs and handlers are given as an argument); a
library's, its builtins alone (it is given no endowments). Python's
own builtins that the sandbox leaves out (C{open}, C{input}) are undefined
too. The check parses the owner's text only: it imports and runs nothing of
it. Its cost is linear in the text, and what it says is bounded
(L{MAX_NOTED} names, each cut to L{MAX_SHOWN} characters).
"""

from __future__ import annotations

import difflib
from functools import cache
from typing import Any

from pyflakes.checker import Checker
from pyflakes.messages import UndefinedName
from zope.interface.interface import Method

from engine.commands.help import ENDOWMENTS, members
from engine.scripts import copies
from engine.scripts.signatures import VERB_ARGUMENTS, Text, tree_of
from scripting import Domain
from scripting.facets.interfaces import ROLE_NAMES, ROLES

#: At most how many undefined names a save notes one by one; the rest are
#: counted in one more note.
MAX_NOTED = 5

#: At most how many characters of a name a note shows.
MAX_SHOWN = 40

#: Names longer than this are not compared with others for a typo.
_MAX_COMPARED = 40


@cache
def script_names() -> frozenset[str]:
    """
    Every name a script's module starts with: the sandbox's builtins and
    the endowments every script is given.
    """
    builtins = (n for n in Domain("names").builtins if n.isidentifier())
    given = (n for n in ENDOWMENTS if n not in VERB_ARGUMENTS)  # actor is an argument
    return frozenset((*builtins, *given))


@cache
def library_names() -> frozenset[str]:
    """
    Every name a library's module starts with: the sandbox's builtins (a
    library is given no endowments: its functions get what scripts hand
    them).
    """
    return frozenset(n for n in Domain("names").builtins if n.isidentifier())


class _Reader(Checker):
    """
    pyflakes' checker, knowing the sandbox's names in place of Python's
    builtins (its C{builtins=} can only add to Python's).
    """

    @property
    def builtIns(self) -> frozenset[str]:
        return script_names()

    @builtIns.setter
    def builtIns(self, value: Any) -> None:
        pass  # Python's builtins are not a script's


class _LibraryReader(_Reader):
    """
    pyflakes' checker, knowing a library's names.
    """

    @property
    def builtIns(self) -> frozenset[str]:
        return library_names()

    @builtIns.setter
    def builtIns(self, value: Any) -> None:
        pass


@cache
def _offered() -> dict[str, tuple[str, ...]]:
    """
    Facet method or attribute name → how a script reaches it, from the
    facets' interfaces: C{"actor.tell(...)"} from an endowment, or
    C{"this.announce(...) (in a room's script)"} when only the control of
    some kinds of host has it (C{this} is the control of the script's
    object, of any kind but a character, which holds no script).
    """
    found: dict[str, list[str]] = {}
    for place, (interface, _) in ENDOWMENTS.items():
        if interface is not None:
            for member, description in members(interface):
                call = "(...)" if isinstance(description, Method) else ""
                found.setdefault(member, []).append(f"{place}.{member}{call}")
    control = ROLE_NAMES.index("control")
    others: dict[str, tuple[str, list[str]]] = {}
    for kind, roles in ROLES.items():
        if kind == "character":
            continue
        for member, description in members(roles[control]):
            if member not in found:
                call = "(...)" if isinstance(description, Method) else ""
                others.setdefault(member, (f"this.{member}{call}", []))[1].append(kind)
    for member, (reached, kinds) in others.items():
        found[member] = [f"{reached} (in {_kinds(kinds)} script)"]
    return {member: tuple(places) for member, places in found.items()}


def _kinds(kinds: list[str]) -> str:
    said = [f"a {kind}'s" for kind in kinds]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + f" or {said[-1]}"


def _shown(name: str) -> str:
    return name if len(name) <= MAX_SHOWN else name[:MAX_SHOWN] + "..."


def _hint(name: str, defined: list[str], bound: set[str], library: bool) -> str:
    """
    What a script (or a library, if C{library}) naming C{name} may have
    meant: a facet's method, or a name it or the sandbox defines
    (C{defined}, sorted), or nothing; or what a function sees, when the
    script binds C{name} somewhere it cannot (C{bound}: every name it
    binds). A library naming an endowment is told it has none, and how a
    function of it takes one.
    """
    if library and name in ENDOWMENTS and name not in bound:
        return (f"; a library has no {name} of its own: a function of it takes one as an "
                f"argument (def f({name}): ...) and your script hands it (mylib.f({name}))")
    places = None if library else _offered().get(name)
    if places:
        return f"; did you mean {' or '.join(places[:3])}?"
    if name in bound:
        return (" where this line reads it: a function sees its own arguments and variables "
                "and the script's top-level names")
    if len(name) > _MAX_COMPARED:
        return ""
    near = difflib.get_close_matches(name, defined, n=1)
    return f"; did you mean {near[0]!r}?" if near else ""


def undefined(text: Text, *, library: bool = False) -> list[tuple[int, str]]:
    """
    The names C{text} (a script's text, or its tree; a library's, if
    C{library}) reads that nothing defines, each said in a sentence with
    the line it is first read at and what the script may have meant: at
    most L{MAX_NOTED} of them, then one more saying how many others there
    are. Empty if it does not parse.
    """
    tree = tree_of(text)
    if tree is None:
        return []
    try:
        reader = (_LibraryReader if library else _Reader)(tree)
    except (RecursionError, MemoryError):
        return []
    first: dict[str, int] = {}
    for message in reader.messages:
        if isinstance(message, UndefinedName):
            first.setdefault(message.message_args[0], message.lineno)
    if not first:
        return []
    # Every name the script binds, in any scope (pyflakes' scopes, each done with).
    bound = {n for scope in reader.deadScopes for n in scope if len(n) <= _MAX_COMPARED}
    defined = sorted((library_names() if library else script_names()) | bound)
    names = sorted(first, key=first.__getitem__)
    found = [(first[name], f"{_shown(name)} is not defined{_hint(name, defined, bound, library)}")
             for name in names[:MAX_NOTED]]
    rest = names[MAX_NOTED:]
    if rest:
        shown = ", ".join(_shown(name) for name in rest[:3])
        more = f"{shown} and {len(rest) - 3} more" if len(rest) > 3 else shown
        found.append((first[rest[0]], f"{len(rest)} more names are not defined either: "
                                      f"{more}"))
    return found


def notes(text: Text, *, library: bool = False) -> list[str]:
    """
    L{undefined} as saving and the editor's C{.check} say it: C{"Note:
    line 2: announce is not defined; did you mean ...?"}; then, in a script
    (not a library, which has no state), changes made to a copy read from
    the state (L{engine.scripts.copies}).
    """
    return [f"Note: line {line}: {said}" + ("" if said.endswith("?") else ".")
            for line, said in undefined(text, library=library)] + \
        ([] if library else copies.notes(text))
