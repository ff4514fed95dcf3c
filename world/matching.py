# -*- test-case-name: tests.world.test_matching -*-
"""
Finding objects by what players type: names, aliases, prefixes, ordinals.

The rules players of MUDs expect:
  - C{lamp} matches an object named or aliased exactly C{lamp} first;
  - otherwise any object with a name word or alias starting with C{lamp}
    (C{lan} finds "brass lantern");
  - C{2.coin} picks the second of the
    matches, in the order they are listed;
  - matching ignores case and surrounding space;
  - if nothing else answers, a name typed without its accents or in
    look-alike letters (C{cafe}, C{Zoe}) finds the whole name (C{café},
    C{Zoë}), compared as L{world.names} compares names;
  - objects that answer alike are taken as interchangeable (the first of
    three coins) only if they are alike in name, kind and owner: two coins
    with different owners are never silently swapped, the player is asked
    which one, with whose each is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from world.errors import Ambiguous, NoMatch
from world.names import keys
from world.objects import Thing

T = TypeVar("T", bound=Thing)

_ORDINAL = re.compile(r"^(\d{1,4})\.(.+)$")


def candidates(query: str, objects: Iterable[T]) -> list[T]:
    """
    The objects answering to C{query} (without any ordinal), best tier only:
    exact names and aliases if there are any, else prefix matches, else
    names that look alike.
    """
    query = " ".join(query.lower().split())
    if not query:
        return []
    pool = list(objects)
    exact = [o for o in pool if query in o.names()]
    if exact:
        return exact
    partial = []
    for obj in pool:
        for name in obj.names():
            if name.startswith(query) or any(
                w.startswith(query) for w in name.split()
            ):
                partial.append(obj)
                break
    if partial:
        return partial
    # Last, names typed without their accents or in look-alike letters
    # ("cafe" for the café, "Zoe" for Zoë): the whole name or alias.
    wanted = keys(query)
    return [o for o in pool if wanted and any(wanted & keys(n) for n in o.names())]


def match(query: str, objects: Sequence[T] | Iterable[T], *, what: str = "that",
          whose: Callable[[int | None], str] | None = None) -> T:
    """
    The one object C{query} names among C{objects}.

    @param what: how to describe the search in messages (C{"here"}).
    @param whose: how to say whose an object is from its owner's id
        (C{"Bob's"}), for telling alike-named objects apart when asking.
    @raise NoMatch: nothing answers to C{query}.
    @raise Ambiguous: several do, not all alike in name, kind and owner, and
        no ordinal chose among them.
    """
    text = query.strip()
    ordinal: int | None = None
    found = _ORDINAL.match(text)
    if found:
        ordinal = int(found.group(1))
        text = found.group(2)
    matches = candidates(text, objects)
    if not matches:
        raise NoMatch(f"You don't see {text!r} {what}.")
    if ordinal is not None:
        if ordinal < 1:
            raise NoMatch(f"Counting starts at 1: say 1.{text} for the first.")
        if ordinal > len(matches):
            raise NoMatch(f"There are only {len(matches)} of {text!r} {what}.")
        return matches[ordinal - 1]
    if len(matches) > 1:
        # Identical objects (three coins of one owner) are interchangeable:
        # take the first. Alike-named objects of different owners are not.
        if len({(o.name, type(o), o.owner) for o in matches}) == 1:
            return matches[0]
        raise Ambiguous(_which(text, matches, whose), matches)
    return matches[0]


def _which(text: str, matches: list[T], whose: Callable[[int | None], str] | None) -> str:
    shown = matches[:5]
    # Whose each is, whenever they are not all one owner's: names that only
    # look alike ("key", "kеy" with a Cyrillic e) differ but read the same.
    owners = len({o.owner for o in shown}) > 1
    choices = []
    for number, obj in enumerate(shown, 1):
        label = obj.name
        if owners and whose is not None:
            label += f" ({whose(obj.owner)})"
        choices.append(f"{number}.{text} is {label}")
    more = f" (and {len(matches) - len(shown)} more)" if len(matches) > len(shown) else ""
    return f"Which {text!r} do you mean? {'; '.join(choices)}{more}."
