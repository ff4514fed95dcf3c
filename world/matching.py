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
    which one, with whose each is;
  - nor is one owner's thing answering exactly taken before another
    owner's answering by a word of its name (or by its look-alike name):
    Alice's trap aliased C{kettle} beside Bob's brass kettle is asked
    about, both listed, the exact one first (L{_others}), however many
    of Alice's things answer by the word too: whose the things answering
    are is read from a place's counts by owner
    (L{world.objects.Answers.others}), and where it cannot be told
    without reading a crowd, or more than
    L{world.objects.MAX_ANSWERING} answer, the first few are listed and
    more of the name is asked for. Within one owner's things the exact
    name wins, and a character's name is their own: C{page al} is Al,
    though Alice is on too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar, overload

from world.errors import Ambiguous, NoMatch, WorldError
from world.names import keys
from world.objects import (
    ALIKE,
    EXACT,
    MAX_ANSWERING,
    PREFIX,
    WORD,
    Answers,
    Character,
    Thing,
    likeness,
)

T = TypeVar("T", bound=Thing)

_ORDINAL = re.compile(r"^(\d{1,4})\.(.+)$")


def candidates(query: str, objects: Iterable[T]) -> list[T]:
    """
    The objects answering to C{query} (without any ordinal), best tier only:
    exact names and aliases if there are any, else prefix matches, else
    names that look alike.
    """
    pool = list(objects)
    for tier in (EXACT, PREFIX, ALIKE):
        found = _tier(tier, query, pool)
        if found:
            return found
    return []


def _tier(tier: int, query: str, pool: list[T]) -> list[T]:
    """
    The objects of C{pool} answering to C{query} at C{tier}: L{EXACT}
    names and aliases, L{PREFIX} matches (of a name or a word of one), or
    names that look L{ALIKE}.
    """
    query = " ".join(query.lower().split())
    if not query:
        return []
    if tier == EXACT:
        return [o for o in pool if query in o.names()]
    if tier == PREFIX:
        return [o for o in pool
                if any(name.startswith(query) or any(w.startswith(query) for w in name.split())
                       for name in o.names())]
    # Last, names typed without their accents or in look-alike letters
    # ("cafe" for the café, "Zoe" for Zoë): the whole name or alias.
    wanted = keys(query)
    return [o for o in pool if wanted and any(wanted & keys(n) for n in o.names())]


#: The kind (L{likeness}) of characters, whose names are their own.
_PERSON = f"{Character.__module__}.{Character.__qualname__}"


def _one_owners(best: set[tuple]) -> bool:
    """
    Whether the things answering best (their likenesses C{best}) are alike
    things (not characters, whose names are theirs): only then are things
    answering less well looked at (L{_others}).
    """
    return len(best) == 1 and next(iter(best))[0] != _PERSON


def _others(best: set[tuple], lower: set[tuple]) -> bool:
    """
    Whether things answering at a lower tier (their likenesses C{lower})
    belong to another owner than the things answering best, all alike
    (C{best}, one likeness): then the best are not taken silently. A
    character answering best by name is taken (a player's name is theirs).
    """
    if not _one_owners(best):
        return False
    owner = next(iter(best))[2]
    return any(like[2] != owner for like in lower)


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
    text, ordinal = _ordinal(query)
    pool = list(objects)
    tiers = (EXACT, PREFIX, ALIKE)
    best = next(((n, found) for n, tier in enumerate(tiers)
                 if (found := _tier(tier, text, pool))), None)
    if best is None:
        raise NoMatch(f"You don't see {text!r} {what}.")
    number, matches = best
    alike = {likeness(o) for o in matches}
    lower = ([o for tier in tiers[number + 1:] for o in _tier(tier, text, pool)
              if not any(o is m for m in matches)] if _one_owners(alike) else [])
    if _others(alike, {likeness(o) for o in lower}):
        # Another owner's thing answers too, less well: ask, the best first.
        for obj in lower:
            if not any(obj is m for m in matches):
                matches = [*matches, obj]
    return _chosen(text, ordinal, matches, what, whose,
                   lambda: len({(o.name, type(o), o.owner) for o in matches}) == 1)


def match_in(query: str, places: Sequence[tuple[Thing, Thing | None]], *, what: str = "that",
             whose: Callable[[int | None], str] | None = None, exits: bool = True,
             only: type | None = None) -> Thing:
    """
    The one thing C{query} names among what C{places} hold, as L{match}
    finds it among them listed place by place, each in the order it
    arrived, by the same rules: but read through each place's index by
    name, so that only the things answering are counted and only the one
    chosen (or the few shown when asking which) is read.

    @param places: each place and a thing in it not to count (the one
        naming, or what it would put somewhere), or None.
    @param exits: whether exits there answer.
    @param only: whether only things of this class answer.
    @raise NoMatch: nothing answers to C{query}.
    @raise Ambiguous: several do, not all alike in name, kind and owner, and
        no ordinal chose among them; its candidates are read as they are
        wanted (L{Answering}).
    """
    text, ordinal = _ordinal(query)
    wanted = " ".join(text.lower().split())
    tiers = (EXACT, PREFIX, ALIKE)
    for number, tier in enumerate(tiers):
        found = _answering(places, tier, wanted, exits, only, text)
        answering = Answering([answers for answers, _ in found])
        if next(iter(answering.arrivals()), None) is not None:
            matches: Sequence[Thing] = answering
            best = {like for answers, skip in found for like in answers.likes(skip)}
            if not _one_owners(best):
                return _chosen(text, ordinal, matches, what, whose,
                               functools.partial(_alike, found))
            lower = [_answering(places, t, wanted, exits, only, text, strict=False)
                     for t in tiers[number + 1:]]
            if tier == EXACT and " " not in wanted:
                # Where too many words start with the name for the things
                # answering by a prefix to be read (it is asked which then),
                # those with the word itself in a name are read, to be listed.
                crowded = [(place, skip) for (place, skip), (answers, _)
                           in zip(places, lower[0], strict=True) if answers.crowded]
                lower.insert(0, [(place.contents.answering(WORD, wanted, skip, exits, only), skip)
                                 for place, skip in crowded])
            owner = next(iter(best))[2]
            others = [answers.others(owner, skip) for each in lower for answers, skip in each]
            if any(others) or None in others:
                # Another owner's thing answers too, less well (or it cannot
                # be told without reading a crowd): ask, the best first;
                # unless, not told, nothing else answers at all (two read).
                joined = Joined([answering, *(Answering([a for a, _ in each])
                                              for each in lower)])
                if not any(others) and len(joined[:2]) == 1:
                    return _chosen(text, ordinal, matches, what, whose,
                                   functools.partial(_alike, found))
                most = [answers.most() for each in (found, *lower) for answers, _ in each]
                many = None in most or sum(m or 0 for m in most) > MAX_ANSWERING
                return _asked(text, ordinal, joined, what, whose, many)
            return _chosen(text, ordinal, matches, what, whose, functools.partial(_alike, found))
    raise NoMatch(f"You don't see {text!r} {what}.")


def _answering(places: Sequence[tuple[Thing, Thing | None]], tier: int, wanted: str,
               exits: bool, only: type | None, text: str, *, strict: bool = True
               ) -> list[tuple[Answers, Thing | None]]:
    """
    What answers to C{wanted} at C{tier} in each of C{places}.

    @param strict: refuse a place where many things answer.
    @raise WorldError: C{strict}, and many things answer in a place.
    """
    found = [(place.contents.answering(tier, wanted, skip, exits, only), skip)
             for place, skip in places]
    if strict and any(answers.crowded for answers, _ in found):
        raise WorldError(f"Which {text!r} do you mean? Many things here answer to it: "
                         "type more of the name.")
    return found


def _alike(found: list[tuple[Answers, Thing | None]]) -> bool:
    """
    Whether the things answering in C{found} (each place's, but the
    character naming) are all alike in kind, name and owner.
    """
    return len({like for answers, skip in found for like in answers.likes(skip)}) == 1


class _FirstFew(Sequence[Thing]):
    """
    Things answering to a name, read only as they are wanted, in the order
    of L{arrivals}: indexing reads only the first few, never all of a crowd.
    """

    def arrivals(self) -> Iterator[tuple[Answers, int]]:
        """
        Each answering thing's place and arrival number there, in order.
        """
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Thing: ...

    @overload
    def __getitem__(self, index: slice) -> list[Thing]: ...

    def __getitem__(self, index: int | slice) -> Thing | list[Thing]:
        # Only what reads the first few: a negative index or an open slice
        # would read every thing answering, however crowded the place.
        if isinstance(index, slice):
            if index.start not in (None, 0) or index.step is not None or index.stop is None:
                raise TypeError("only a slice of the first few, [:n], reads the answering")
            return [answers.contents.at(arrival)
                    for answers, arrival in islice(self.arrivals(), max(index.stop, 0))]
        if index < 0:
            raise IndexError("the answering are counted from the first")
        for answers, arrival in islice(self.arrivals(), index, None):
            return answers.contents.at(arrival)
        raise IndexError(index)

    def __iter__(self) -> Iterator[Thing]:
        return (answers.contents.at(arrival) for answers, arrival in self.arrivals())


class Answering(_FirstFew):
    """
    The things answering to a name in places' indexes by name
    (L{world.objects.Answers}), place by place: each is read only when it
    is wanted, and counting them reads none.
    """

    def __init__(self, places: list[Answers]) -> None:
        self._places = places

    def arrivals(self) -> Iterator[tuple[Answers, int]]:
        """
        Each answering thing's place and arrival number there, in order.
        """
        return ((answers, arrival) for answers in self._places for arrival in answers.arrivals())

    def __len__(self) -> int:
        return sum(answers.count() for answers in self._places)

    def scripted(self) -> Iterator[Thing]:
        """
        Those that hold a script (L{world.objects.holds_script}), reading
        no others.
        """
        return (obj for answers in self._places for obj in answers.scripted())


class Joined(_FirstFew):
    """
    The things answering at several tiers (each an L{Answering}), best
    first, each once: read only as they are wanted, as L{Answering}'s are
    (the first few of a crowd answering read a few entries of its index;
    counting them, or past them, reads every entry).
    """

    def __init__(self, tiers: list[Answering]) -> None:
        self._tiers = tiers

    def arrivals(self) -> Iterator[tuple[Answers, int]]:
        seen: set[tuple[int, int]] = set()
        for answering in self._tiers:
            for answers, arrival in answering.arrivals():
                key = (id(answers.contents), arrival)
                if key not in seen:
                    seen.add(key)
                    yield answers, arrival

    def __len__(self) -> int:
        return sum(1 for _ in self.arrivals())

    def scripted(self) -> Iterator[Thing]:
        """
        Those that hold a script, each once, reading no others
        (L{Answering.scripted}).
        """
        seen: set[int] = set()
        for answering in self._tiers:
            for obj in answering.scripted():
                if id(obj) not in seen:
                    seen.add(id(obj))
                    yield obj


def _ordinal(query: str) -> tuple[str, int | None]:
    """
    C{query} without its ordinal (C{2.coin}), and the ordinal (None: none).
    """
    text = query.strip()
    found = _ORDINAL.match(text)
    if found:
        return found.group(2), int(found.group(1))
    return text, None


def _chosen(text: str, ordinal: int | None, matches: Sequence[T], what: str,
            whose: Callable[[int | None], str] | None, alike: Callable[[], bool]) -> T:
    """
    The one of C{matches} (the best tier's answers to C{text}) that
    C{ordinal} picks, or the only one, or the first if all are alike
    (C{alike}: in name, kind and owner).
    """
    if ordinal is not None:
        if ordinal < 1:
            raise NoMatch(f"Counting starts at 1: say 1.{text} for the first.")
        if ordinal > len(matches):
            raise NoMatch(f"There are only {len(matches)} of {text!r} {what}.")
        return matches[ordinal - 1]
    if len(matches) > 1:
        # Identical objects (three coins of one owner) are interchangeable:
        # take the first. Alike-named objects of different owners are not.
        if alike():
            return matches[0]
        raise Ambiguous(_which(text, matches, whose), matches)
    return matches[0]


def _asked(text: str, ordinal: int | None, matches: Joined, what: str,
           whose: Callable[[int | None], str] | None, many: bool) -> Thing:
    """
    The one of C{matches} (things of more than one owner answering to
    C{text}, the best first) that C{ordinal} picks; without one, ask which.

    @param many: whether more answer than are counted (a crowd, or more
        than L{MAX_ANSWERING}): the question shows the first few and asks
        for more of the name, reading no more of them.
    """
    if ordinal is None:
        raise Ambiguous(_which(text, matches, whose, many), matches)
    if ordinal < 1:
        raise NoMatch(f"Counting starts at 1: say 1.{text} for the first.")
    try:
        return matches[ordinal - 1]
    except IndexError:
        if many:
            raise NoMatch(f"You don't see {ordinal}.{text} {what} among those counted: many "
                          f"things answer to {text!r}; type more of the name.") from None
        raise NoMatch(f"There are only {len(matches)} of {text!r} {what}.") from None


def _which(text: str, matches: Sequence[T], whose: Callable[[int | None], str] | None,
           many: bool = False) -> str:
    shown = matches[:5]
    # Whose each is, whenever they are not all one owner's (or may not be,
    # C{many}): names that only look alike ("key", "kеy" with a Cyrillic e)
    # differ but read the same.
    owners = many or len({o.owner for o in shown}) > 1
    choices = []
    for number, obj in enumerate(shown, 1):
        label = obj.name
        if owners and whose is not None:
            label += f" ({whose(obj.owner)})"
        choices.append(f"{number}.{text} is {label}")
    if many:
        more = " (and many more things answer to it: type more of the name)"
    else:
        more = f" (and {len(matches) - len(shown)} more)" if len(matches) > len(shown) else ""
    return f"Which {text!r} do you mean? {'; '.join(choices)}{more}."
