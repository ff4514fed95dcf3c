# -*- test-case-name: tests.redteam_world.test_charge_text -*-
"""
Charging owners for the text they store: objects' names, other names
(aliases), descriptions and scripts, and players' libraries.

Text counts its UTF-8 bytes against the same stored-bytes quota as script
state and properties (L{accounting.charge_bytes}), charged to the owner of
the object (the owner it was first charged to, if it changes hands) or of
the library. Each object remembers how much of its text was charged
(L{world.objects.Thing.text_charged}), each library how much its source was
(L{world.libraries.LibraryRecord.charged}), so that shrinking, clearing or
destroying refunds exactly what was charged and never more: text content
files wrote was charged to nobody, and a builder pays only for what he
adds to it.

Every way text reaches an object goes through L{charging} (builders'
C{@describe}, C{@name}, C{@alias}, C{@script}; scripts' C{rename},
C{describe}, C{set_aliases}), L{check_new} and L{charge_made} (C{@create},
C{@dig}, C{@open}, scripts' C{create}), or L{charge_library} (C{@library});
L{forget_text} runs when an object is destroyed, L{rewritten} when content
writes over text an owner was charged for. A change that would go over
the quota raises L{QuotaExceeded} and leaves the text as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from scripting.facets import accounting
from scripting.facets.errors import QuotaExceeded
from world.libraries import LibraryRecord
from world.objects import Thing
from world.scripts import MAIN, PARENT, rescripted


def size(text: str) -> int:
    """
    What C{text} counts for: its UTF-8 bytes.
    """
    return len(text.encode("utf-8", "surrogatepass"))


def measure(obj: Thing) -> int:
    """
    The bytes of text stored on C{obj}: its name, other names, description
    and its own script's source (a script it runs of a parent's is the
    parent's).
    """
    own = obj.scripts.get(MAIN)
    source = getattr(own, "source", "")
    return (size(obj.name) + sum(size(a) for a in obj.aliases) + size(obj.description)
            + size(source if type(source) is str else ""))


def _payer(obj: Thing) -> int | None:
    return obj.text_charged_to if obj.text_charged else obj.owner


def _saved(obj: Thing) -> tuple[Any, ...]:
    return (obj.name, obj.aliases, obj.description, obj.scripts.get(MAIN),
            obj.scripts.get(PARENT))


def _restore(obj: Thing, saved: tuple[Any, ...]) -> None:
    name, aliases, description, main, parent = saved
    if obj.name is not name:
        obj.name = name
    if obj.aliases is not aliases:
        obj.aliases = aliases
    if obj.description is not description:
        obj.description = description
    for key, value in ((MAIN, main), (PARENT, parent)):
        if obj.scripts.get(key) is not value:
            if value is None:
                obj.scripts.pop(key, None)
            else:
                obj.scripts[key] = value
    rescripted(obj)


def check(root: Any, obj: Thing, growth: int) -> None:
    """
    Refuse early a change that would add C{growth} bytes of text to C{obj}
    its payer has no room for (before work that a refusal would waste:
    checking a script).

    @raise QuotaExceeded: no room; nothing changes.
    """
    if growth > 0:
        _check_room(root, _payer(obj), growth)


def _check_room(root: Any, owner: int | None, growth: int) -> None:
    current = accounting.usage(root, owner)
    if current.stored_bytes + growth > current.stored_bytes_quota:
        accounting.charge_bytes(root, owner, growth)  # raises, with the one message


@contextmanager
def charging(root: Any, obj: Thing) -> Iterator[None]:
    """
    Charge the payer of C{obj} for what the block changes of its text:
    growth is charged, shrinking refunds (never more than was charged).

    @raise QuotaExceeded: the block added text the payer has no room for;
        the text is then as it was before the block.
    """
    before, saved = measure(obj), _saved(obj)
    yield
    growth = measure(obj) - before
    payer = _payer(obj)
    if growth > 0:
        try:
            accounting.charge_bytes(root, payer, growth)
        except QuotaExceeded:
            names = obj.given_names()
            _restore(obj, saved)
            root.renamed(obj, names)  # the index of names, if they changed back
            raise
        obj.text_charged += growth
        obj.text_charged_to = payer
    elif growth < 0 and obj.text_charged:
        refund = min(-growth, obj.text_charged)
        accounting.charge_bytes(root, payer, -refund)
        obj.text_charged -= refund


def check_new(root: Any, owner: int | None, *texts: str) -> None:
    """
    Refuse to make an object of C{owner}'s holding C{texts} (its name,
    description) if the owner has no room for them: call before making it.

    @raise QuotaExceeded: no room; nothing changes.
    """
    _check_room(root, owner, sum(size(t) for t in texts))


def charge_made(root: Any, made: Thing) -> None:
    """
    Charge the owner of C{made}, just made (and checked with L{check_new}),
    for its text: what it stores. An exit's short direction names
    (L{world.objects.direction_aliases}) are stored too: its builder checks
    them with the rest.
    """
    grown = measure(made)
    acct = accounting.account(root, made.owner)
    acct.stored_bytes += grown
    made.text_charged, made.text_charged_to = grown, made.owner


def forget_text(root: Any, obj: Thing) -> None:
    """
    Refund what C{obj}'s text was charged (it is destroyed).
    """
    if obj.text_charged:
        accounting.charge_bytes(root, obj.text_charged_to, -obj.text_charged)
        obj.text_charged = 0


def rewritten(root: Any, obj: Thing, stored: tuple[str, ...],
              written: tuple[str, ...]) -> None:
    """
    Content is writing one text field of C{obj}, which holds C{stored} where
    content last wrote C{written}: the bytes C{stored} has beyond
    C{written} were added in play and charged, and are refunded now (never
    more than C{obj}'s text was charged). What content writes is charged to
    nobody.
    """
    added = sum(size(t) for t in stored) - sum(size(t) for t in written)
    refund = min(added, obj.text_charged)
    if refund > 0:
        accounting.charge_bytes(root, obj.text_charged_to, -refund)
        obj.text_charged -= refund


def charge_library(root: Any, owner: int | None, old: LibraryRecord | None,
                   source: str) -> int:
    """
    Charge C{owner} for keeping C{source} as a library in place of C{old}
    (None: a new one); returns what the new version is charged (for
    L{LibraryRecord.charged}).

    @raise QuotaExceeded: no room; nothing changes.
    """
    charged = size(source)
    refund = old.charged if old is not None else 0
    accounting.charge_bytes(root, owner, charged - refund)
    return charged


def forget_library(root: Any, record: LibraryRecord) -> None:
    """
    Refund what C{record}'s source was charged (it is removed).
    """
    if record.charged:
        accounting.charge_bytes(root, record.owner, -record.charged)
        record.charged = 0


__all__ = ["charge_library", "charge_made", "charging", "check", "check_new", "forget_library",
           "forget_text", "measure", "rewritten", "size"]
