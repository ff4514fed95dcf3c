# -*- test-case-name: tests.engine.test_ignore,tests.redteam_world.test_r6_ignore_scripts -*-
"""
Ignoring a player: what a player may refuse to hear from another.

A player's ignore list is kept on her account record (C{ignoring}: a tuple
of character ids, at most L{MOST_IGNORED}): one small record per player,
written only when she changes it. Whom she ignores:

  - cannot page, whisper to, give things to, offer a library to
    (C{@grant Alice = library ...}) or mail her: each is refused, and the
    sender told only that she does not accept it from them; an offer he
    made before he takes back unheard, and it is not listed to her
    (L{world.libraries.offers_shown}), nor accepted when she names it
    (C{@library/accept} refuses, until she unignores him);
  - is not shown to her when he talks where she hears it (L{SPOKEN}: says,
    emotes, channel lines), nor is anything a script he owns sends, through
    whatever thing and to whichever reader (L{hides}): an alt's scripted
    gremlin goes quiet for her along with its owner;
  - is not shown to her when someone else's script repeats his words and
    says so (C{said_by}, L{world.events.Event.said_by}): the notice board
    reading out his note, a third player's parrot saying again what he
    said. A relay that does not say so is heard as its own owner's, and
    one that names someone else hides only its own line from those who
    ignore that one, and shows nothing more to anyone;
  - still shows up: she sees him arrive, leave, take and drop things, so
    that she always knows who is in the room with her.

The game's own notices (shutdowns, role changes, a wizard's C{@teleport})
are never spoken kinds, and are always shown. Wizards cannot be ignored
(they keep the game, and a player must be reachable by them): whether one
she ignores is a wizard is asked when his words would be hidden (L{hides},
L{Wizards}), so one made a wizard after she ignored him is heard at once,
and hidden again once he is a player again (he stays in her list).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import Any

from world.errors import WorldError
from world.events import Event
from world.names import character_called

#: The most players one player may ignore.
MOST_IGNORED = 200

#: The kinds of event that are a player's own words, hidden from whoever
#: ignores the player who said them.
SPOKEN = frozenset({"say", "emote", "whisper", "page", "channel"})


def ignored(account: Any) -> tuple[int, ...]:
    """
    The character ids C{account} ignores, oldest first (none for an account
    stored before ignoring existed).
    """
    return tuple(getattr(account, "ignoring", ()))


def ignores(account: Any, character_id: int | None) -> bool:
    """
    Whether C{account} ignores the player whose character is C{character_id}.
    """
    return character_id is not None and character_id in ignored(account)


def account_of(root: Any, character: Any) -> Any:
    """
    The account that plays C{character} (found by its whole name), or None.
    """
    key = character_called(root, character.name)
    account = root.accounts.get(key) if key is not None else None
    return account if account is not None and account.character_id == character.id else None


def refuses(root: Any, character: Any, sender_id: int) -> bool:
    """
    Whether the player of C{character} ignores the character C{sender_id}
    (refusing his pages, whispers, gifts and mail).
    """
    account = account_of(root, character)
    return account is not None and ignores(account, sender_id)


def ignore(account: Any, character_id: int) -> bool:
    """
    Add C{character_id} to what C{account} ignores: True if it was added,
    False if it was there already.

    @raise WorldError: C{account} plays that character, or ignores
        L{MOST_IGNORED} players already.
    """
    if character_id == account.character_id:
        raise WorldError("You cannot ignore yourself.")
    now = ignored(account)
    if character_id in now:
        return False
    if len(now) >= MOST_IGNORED:
        raise WorldError(f"You ignore {MOST_IGNORED} players already, as many as one may; "
                         "'@unignore <player>' makes room.")
    account.ignoring = (*now, character_id)
    return True


def unignore(account: Any, character_id: int) -> bool:
    """
    Take C{character_id} off what C{account} ignores: True if it was there.
    """
    now = ignored(account)
    if character_id not in now:
        return False
    account.ignoring = tuple(c for c in now if c != character_id)
    return True


def is_wizard(root: Any, character_id: int) -> bool:
    """
    Whether the player of the character C{character_id} is a wizard now.
    """
    character = root.get(character_id)
    account = account_of(root, character) if character is not None else None
    return account is not None and getattr(account, "role", None) == "wizard"


def hidden_among(root: Any, account: Any, speakers: Iterable[int]) -> frozenset[int]:
    """
    Those of C{speakers} (character ids) whose words L{hides} hides from
    C{account}'s player now: those she ignores, but a wizard (one made a
    wizard after she ignored him too: a wizard cannot be ignored). Reads
    the account of each she ignores, at most L{MOST_IGNORED}.
    """
    ignoring = set(ignored(account))
    return frozenset(s for s in speakers if s in ignoring and not is_wizard(root, s))


def hides(event: Event, ignoring: Container[int],
          wizard: Callable[[int], bool] = lambda character_id: False) -> bool:
    """
    Whether a reader ignoring the characters C{ignoring} is not shown
    C{event}: a player's words (L{SPOKEN}) by one of them, anything a
    script owned by one of them sent (L{Event.owner}), or a script's
    repeating one of them (L{Event.said_by}); but never a wizard's
    (C{wizard}: whether a character's player is one now, asked only of
    those she ignores, L{Wizards}).
    """
    if not ignoring:
        return False
    if event.owner is not None and event.owner in ignoring and not wizard(event.owner):
        return True
    if event.said_by is not None and event.said_by in ignoring and not wizard(event.said_by):
        return True
    return (event.kind in SPOKEN and event.actor is not None and event.actor in ignoring
            and not wizard(event.actor))


class Wizards:
    """
    Whether players are wizards now, for one reader's L{hides}: asked only
    of those she ignores, where their words would be hidden, so that one
    made a wizard (or a player again) after she ignored him is shown (or
    hidden) from the next thing he says, not from her next login.

    Each answer is kept with the account it was read from and that
    account's serial (the commit that last changed it, read without
    loading it): it is read again, in a turn of its own, only once a
    commit changed that account, so a hidden line costs a look-up, and
    what is kept is at most a few times L{MOST_IGNORED} answers. An
    account that is a ghost is read again too: a commit made through
    another connection (a tool, another server on the database) turns it
    into one when the server's next turn begins, and a ghost keeps the
    serial it had (so does one the cache let go of: read again, rightly).
    """

    def __init__(self, store: Any) -> None:
        self._store = store
        self._known: dict[int, tuple[Any, Any, bool]] = {}

    def __call__(self, character_id: int) -> bool:
        known = self._known.get(character_id)
        if known is not None:
            account, serial, wizard = known
            if account is None or (account._p_changed is not None
                                   and account._p_serial == serial):
                return wizard
        turn = self._store.current_turn
        if turn is not None:  # (in a turn: read in it, and keep nothing it may roll back)
            return is_wizard(turn.root, character_id)
        with self._store.turn() as turn:
            character = turn.root.get(character_id)
            account = account_of(turn.root, character) if character is not None else None
            wizard = account is not None and getattr(account, "role", None) == "wizard"
        if len(self._known) >= 2 * MOST_IGNORED:
            self._known.clear()
        self._known[character_id] = (
            account, account._p_serial if account is not None else None, wizard)
        return wizard
