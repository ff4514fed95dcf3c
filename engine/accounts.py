# -*- test-case-name: tests.engine.test_accounts,tests.engine.test_commands -*-
"""
Accounts: who may log in, as which character, with which role.

Account records live in L{world.root.WorldRoot.accounts}, keyed by the
case-folded name, so C{Alice} and C{alice} are one account. Passwords are
stored only as scrypt hashes (memory-hard, a fresh salt per password, the cost
parameters kept with the hash so they can be raised later) and are never
logged.

The first account created on a world with no accounts becomes a wizard: that
is how a new server gets its first administrator.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from typing import Any

from attrs import frozen
from persistent import Persistent

from world import names as _names
from world.errors import WorldError
from world.rules import PARTICLES

#: Roles in increasing power.
ROLES = ("player", "builder", "wizard")

NAME_MIN, NAME_MAX = 3, 20
PASSWORD_MIN, PASSWORD_MAX = 8, 256

#: The words the game starts its own lines with ("Shutting down...", "Your
#: mail...", "Exits: ..."): a character called one of them could emote a line
#: that reads as the game's (L{world.names.GAME_WORDS}, where things' names
#: are held to them too). Kept complete by
#: C{tests.redteam_world.test_forgery_accounts}, which reads them from the
#: game's sources.
GAME_WORDS = _names.GAME_WORDS

#: Names nobody may take, compared case-insensitively: the words the game
#: starts its lines with (L{GAME_WORDS}), words that speak for it
#: (L{world.names.AUTHORITY}), directions and the words players type for
#: "this", "me" or "everything" (L{world.rules.PARTICLES}: no thing takes
#: them either), and a few more that would confuse other players.
RESERVED = GAME_WORDS | _names.AUTHORITY | PARTICLES | frozenset({
    "anybody", "anyone", "everybody", "everyone", "guest", "help", "look", "none", "quit",
    "somebody", "who",
})


#: The look-alike keys of the reserved names (L{world.names.keys}).
_RESERVED_KEYS = frozenset(key for name in RESERVED for key in _names.keys(name))

fold = _names.fold  # the key an account name is stored and compared under


def role_at_least(role: str, needed: str) -> bool:
    """
    Whether C{role} has at least the power of C{needed}.
    """
    return ROLES.index(role) >= ROLES.index(needed)


def check_name(name: str) -> str:
    """
    The display form of a new account name, if it follows the rules: letters
    of one alphabet, accents allowed, with a hyphen or apostrophe only between
    letters (L{world.names.check_character_name}); no reserved word, nor one
    that looks like it.

    @raise WorldError: saying which rule it breaks.
    """
    if not NAME_MIN <= len(unicodedata.normalize("NFC", name)) <= NAME_MAX:
        raise WorldError(f"A name must be {NAME_MIN} to {NAME_MAX} letters long.")
    name = _names.check_character_name(name)
    if _names.keys(name) & _RESERVED_KEYS:
        raise WorldError(f"{name!r} is reserved; choose another name.")
    return name


def check_password(password: str, name: str = "") -> None:
    """
    @raise WorldError: if C{password} is too weak or too long.
    """
    if len(password) < PASSWORD_MIN:
        raise WorldError(f"A password must be at least {PASSWORD_MIN} characters long.")
    if len(password) > PASSWORD_MAX:
        raise WorldError(f"A password may be at most {PASSWORD_MAX} characters long.")
    if name and fold(password) == fold(name):
        raise WorldError("Your password must not be your name.")
    if len(set(password)) < 3:
        raise WorldError("That password is too easy to guess; mix more characters.")


@frozen
class KdfCost:
    """
    scrypt cost parameters. The default takes about 16 MiB and tens of
    milliseconds per hash; tests use L{CHEAP}.
    """

    n: int = 1 << 14
    r: int = 8
    p: int = 1


DEFAULT_COST = KdfCost()
#: For tests only: fast and weak.
CHEAP = KdfCost(n=1 << 4, r=1, p=1)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32,
        maxmem=256 * n * r * p + (1 << 20),
    )


def hash_password(password: str, cost: KdfCost = DEFAULT_COST) -> str:
    """
    A storable hash of C{password}: C{scrypt$n$r$p$salt$hash} (base64 parts).
    """
    salt = os.urandom(16)
    digest = _scrypt(password, salt, cost.n, cost.r, cost.p)
    b64 = base64.b64encode
    return f"scrypt${cost.n}${cost.r}${cost.p}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """
    Whether C{password} matches the C{stored} hash (in constant time).
    A malformed hash matches nothing.
    """
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError, MemoryError):
        return False
    return hmac.compare_digest(expected, actual)


class Account(Persistent):
    """
    One login: a name, a password hash, a role and the character it plays.

    @ivar name: the display name (as first typed, capitalised).
    @ivar key: L{fold}C{(name)}, the key in C{root.accounts}.
    @ivar password_hash: from L{hash_password}.
    @ivar role: one of L{ROLES}.
    @ivar character_id: the id of the L{world.objects.Character}.
    @ivar banned: whether logins are refused.
    @ivar created: when it was made (seconds since the epoch).
    @ivar last_login: when it last logged in, or None.
    @ivar last_address: the address it last logged in from.
    @ivar ignoring: the character ids this player ignores, oldest first
        (L{world.ignores}; an account stored before has the class's none).
    """

    ignoring: tuple[int, ...] = ()

    def __init__(self, name: str, password_hash: str, role: str, character_id: int,
                 created: float) -> None:
        self.name = name
        self.key = fold(name)
        self.password_hash = password_hash
        self.role = role
        self.character_id = character_id
        self.banned = False
        self.created = created
        self.last_login: float | None = None
        self.last_address = ""

    def __repr__(self) -> str:
        return f"<Account {self.name!r} {self.role}>"


def find_account(root: Any, name: str) -> Account | None:
    """
    The account called C{name} (any case), or else the one whose name
    C{name} looks like (C{Zoe} finds Zoë: no two characters' names look
    alike), or None.
    """
    key = _names.character_like(root, name)
    return root.accounts.get(key) if key is not None else None


def account_for_character(root: Any, character_id: int) -> Account | None:
    """
    The account that plays C{character_id}, or None.
    """
    for account in root.accounts.values():
        if account.character_id == character_id:
            return account
    return None


def wizards(root: Any) -> list[Account]:
    """
    Every wizard account.
    """
    return [a for a in root.accounts.values() if a.role == "wizard"]
