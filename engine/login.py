"""
Logging in with C{twisted.cred}: a checker over stored accounts, and a realm
that hands a session its character.

  - L{AccountChecker} checks C{IUsernamePassword} credentials against the
    scrypt hashes in C{root.accounts}. Hashing runs through the server's
    C{run_kdf} (a thread in production, inline in tests).
  - L{CreatedChecker} accepts L{JustCreated} credentials, which only a session
    makes, right after it created the account with a password it was given.
  - L{Realm} returns an L{Avatar} for the account's character, registers the
    session as the character's mind, and takes the character over from any
    other session that had it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from attrs import frozen
from twisted.cred import credentials as cred_credentials
from twisted.cred.checkers import ICredentialsChecker
from twisted.cred.error import UnauthorizedLogin
from twisted.cred.portal import IRealm
from twisted.internet import defer
from twisted.logger import Logger
from zope.interface import Attribute, Interface, implementer

from engine.accounts import dummy_hash, fold, verify_password
from world.events import Event

if TYPE_CHECKING:
    from engine.server import Server

_log = Logger()


class IAvatar(Interface):
    """
    What a logged-in session plays.
    """

    account_key = Attribute("The folded account name.")
    character_id = Attribute("The character's id.")
    name = Attribute("The character's name.")


@implementer(IAvatar)
@frozen
class Avatar:
    """
    The value the realm gives a session for one account.
    """

    account_key: str
    character_id: int
    name: str
    #: Where the account last logged in from before this login ("" if never).
    previous_address: str = ""


class LoginRefused(UnauthorizedLogin):
    """
    The password was right but the login is refused (a ban). The message is for
    the player.
    """


class IJustCreated(cred_credentials.ICredentials):
    """
    Credentials for an account the session has just created.
    """

    key = Attribute("The folded account name.")


@implementer(IJustCreated)
@frozen
class JustCreated:
    """
    Made only by a session, right after it stored the account: creating an
    account with a password is proof enough.
    """

    key: str


@implementer(ICredentialsChecker)
class CreatedChecker:
    """
    Accepts L{JustCreated} credentials.
    """

    credentialInterfaces = (IJustCreated,)

    def requestAvatarId(self, credentials: JustCreated) -> defer.Deferred:
        return defer.succeed(credentials.key)


@implementer(ICredentialsChecker)
class AccountChecker:
    """
    Checks a name and password against the stored accounts.
    """

    credentialInterfaces = (cred_credentials.IUsernamePassword,)

    def __init__(self, server: Server) -> None:
        self.server = server

    def requestAvatarId(self, credentials: Any) -> defer.Deferred:
        name = _text(credentials.username)
        password = _text(credentials.password)
        key = fold(name)
        with self.server.store.turn() as turn:
            account = turn.root.accounts.get(key)
            stored = account.password_hash if account is not None else None
        # Unknown names cost a hash too, so timing does not reveal them.
        d = self.server.run_kdf(verify_password, password,
                                stored or dummy_hash(self.server.kdf_cost))

        def checked(ok: bool) -> str:
            if not ok or stored is None:
                raise UnauthorizedLogin("bad name or password")
            with self.server.store.turn() as turn:
                account = turn.root.accounts.get(key)
                if account is None:
                    raise UnauthorizedLogin("account vanished")
                if account.banned:
                    raise LoginRefused("That account is banned. Ask a wizard if you think "
                                       "this is a mistake.")
            return key

        return d.addCallback(checked)


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


@implementer(IRealm)
class Realm:
    """
    Gives a session its character.
    """

    def __init__(self, server: Server) -> None:
        self.server = server

    def requestAvatar(self, avatar_id: str, mind: Any, *interfaces: Any) -> tuple:
        if IAvatar not in interfaces:
            raise NotImplementedError("Tessera sessions ask for IAvatar")
        store = self.server.store
        taken_from = None
        with store.turn() as turn:
            account = turn.root.accounts[avatar_id]
            character = turn.root.get(account.character_id)
            if character is None:
                raise LoginRefused("Your character is missing; ask a wizard for help.")
            if character.location is None:
                from world.containment import move

                move(character, self.server.start_room(turn))
            previous = account.last_address
            account.last_login = self.server.clock.seconds()
            account.last_address = getattr(mind, "address", "")
            old = store.minds.get(character.id)
            if old is not None and old is not mind:
                taken_from = old
            else:
                place = character.location
                assert place is not None
                turn.tell_room(place, Event(
                    "wake", f"{character.name} wakes up.", actor=character.id,
                    location=place.id), exclude=(character,))
            avatar = Avatar(account.key, character.id, character.name, previous)
        if taken_from is not None:
            taken_from.taken_over(getattr(mind, "address", ""))
        store.minds[avatar.character_id] = mind
        _log.info("{name} logged in from {address}", name=avatar.name,
                  address=getattr(mind, "address", ""))
        return IAvatar, avatar, self._logout_for(avatar, mind)

    def _logout_for(self, avatar: Avatar, mind: Any) -> Callable[[], None]:
        def logout() -> None:
            store = self.server.store
            if store.minds.get(avatar.character_id) is not mind:
                return  # taken over: the character plays on elsewhere
            del store.minds[avatar.character_id]
            _log.info("{name} logged out", name=avatar.name)
            try:
                with store.turn() as turn:
                    character = turn.root.get(avatar.character_id)
                    if character is not None and character.location is not None:
                        turn.tell_room(character.location, Event(
                            "sleep", f"{character.name} falls asleep.",
                            actor=character.id, location=character.location.id),
                            exclude=(character,))
            except Exception:
                _log.failure("could not announce that {name} fell asleep", name=avatar.name)

        return logout
