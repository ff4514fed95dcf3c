# -*- test-case-name: tests.engine.test_accounts,tests.engine.test_session -*-
"""
Accounts as a service, and logging in with C{twisted.cred}.

L{AccountService} is the one place accounts are made, checked and changed,
in the spirit of C{twisted.words}' realm: sessions, the login screen and the
wizards' commands ask it, and never touch password hashes themselves. It
owns the C{twisted.cred} portal:

  - L{AccountChecker} checks C{IUsernamePassword} credentials against the
    scrypt hashes in C{root.accounts}. Hashing runs through the service's
    C{run_kdf} (a thread in production, inline in tests).
  - L{CreatedChecker} accepts L{JustCreated} credentials, which only
    L{AccountService.create} makes, right after it stored the account with
    the password it was given.
  - L{Realm} returns an L{Avatar} for the account's character, registers the
    mind (the session) as the character's mind, and takes the character over
    from any other session that had it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from attrs import frozen
from twisted.cred import credentials as cred_credentials
from twisted.cred.checkers import ICredentialsChecker
from twisted.cred.credentials import UsernamePassword
from twisted.cred.error import UnauthorizedLogin
from twisted.cred.portal import IRealm, Portal
from twisted.internet import defer
from twisted.logger import Logger, LogLevel
from zope.interface import Attribute, Interface, implementer

from engine.accounts import (
    DEFAULT_COST,
    ROLES,
    Account,
    KdfCost,
    check_password,
    find_account,
    fold,
    hash_password,
    verify_password,
    wizards,
)
from engine.limits import AddressWindow, IntervalLog, Limits
from world import names
from world.containment import move
from world.errors import WorldError
from world.events import Event
from world.objects import Character

if TYPE_CHECKING:
    from world.store import WorldStore

_log = Logger()

#: Why a login failed, in the log of failures (L{AccountService.failures}).
LOGIN_FAILED = "wrong name or password"
#: Why a login was refused before its password was read.
THROTTLED = "too many failed logins from one address"


def run_inline(function: Callable[..., Any], *args: Any) -> defer.Deferred:
    """
    Run C{function} now and wrap its result (tests, and the default).
    """
    return defer.maybeDeferred(function, *args)


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
    Made only by L{AccountService.create}, right after it stored the account:
    creating an account with a password is proof enough.
    """

    key: str


class IVerified(cred_credentials.ICredentials):
    """
    Credentials for an account whose password this service's checker has
    just accepted (L{AccountService.verify}: SSH checks the password before
    the session exists).
    """

    key = Attribute("The folded account name.")


@implementer(IVerified)
@frozen
class Verified:
    """
    Made only by trusted code, right after L{AccountService.verify}
    accepted the account's password.
    """

    key: str


@frozen
class Created:
    """
    What L{AccountService.create} made.

    @ivar name: the account's display name.
    @ivar role: the role it was given (C{"wizard"} for a world's first).
    @ivar login: the portal's answer for logging the new account in:
        C{(IAvatar, Avatar, logout)}.
    """

    name: str
    role: str
    login: tuple


@implementer(ICredentialsChecker)
class CreatedChecker:
    """
    Accepts L{JustCreated} credentials.
    """

    credentialInterfaces = (IJustCreated,)

    def requestAvatarId(self, credentials: JustCreated) -> defer.Deferred:
        return defer.succeed(credentials.key)


@implementer(ICredentialsChecker)
class VerifiedChecker:
    """
    Accepts L{Verified} credentials of an account that still exists and is
    not banned.
    """

    credentialInterfaces = (IVerified,)

    def __init__(self, accounts: AccountService) -> None:
        self.accounts = accounts

    def requestAvatarId(self, credentials: Verified) -> defer.Deferred:
        with self.accounts.store.turn() as turn:
            account = turn.root.accounts.get(credentials.key)
            if account is None:
                return defer.fail(UnauthorizedLogin("account vanished"))
            if account.banned:
                return defer.fail(LoginRefused("That account is banned. Ask a wizard if you "
                                               "think this is a mistake."))
        return defer.succeed(credentials.key)


@implementer(ICredentialsChecker)
class AccountChecker:
    """
    Checks a name and password against the stored accounts.
    """

    credentialInterfaces = (cred_credentials.IUsernamePassword,)

    def __init__(self, accounts: AccountService) -> None:
        self.accounts = accounts

    def requestAvatarId(self, credentials: Any) -> defer.Deferred:
        name = _text(credentials.username)
        password = _text(credentials.password)
        accounts = self.accounts
        with accounts.store.turn() as turn:
            # Zoe logs in as Zoë: no two characters' names look alike.
            account = find_account(turn.root, name)
            key = account.key if account is not None else fold(name)
            stored = account.password_hash if account is not None else None
        # Unknown names cost a hash too, so timing does not reveal them.
        d = accounts.run_kdf(verify_password, password,
                             stored or accounts.dummy_hash())

        def checked(ok: bool) -> str:
            if not ok or stored is None:
                raise UnauthorizedLogin("bad name or password")
            with accounts.store.turn() as turn:
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

    def __init__(self, accounts: AccountService) -> None:
        self.accounts = accounts

    # Twisted types avatar ids as bytes; ours are folded account names.
    def requestAvatar(self, avatar_id: str, mind: Any,  # type: ignore[override]
                      *interfaces: Any) -> tuple:
        if IAvatar not in interfaces:
            raise NotImplementedError("Tessera sessions ask for IAvatar")
        store = self.accounts.store
        taken_from: Any = None  # the session that had the character (an IPlayer)
        with store.turn() as turn:
            account = turn.root.accounts[avatar_id]
            character = turn.root.get(account.character_id)
            if character is None:
                raise LoginRefused("Your character is missing; ask a wizard for help.")
            if character.location is None:
                move(character, turn.root.arrival_room())
            previous = account.last_address
            account.last_login = self.accounts.clock.seconds()
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
            store = self.accounts.store
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


class AccountService:
    """
    The accounts of one world: who may log in, creating characters, and
    changing passwords. Built once by the composition root.

    @ivar store: the L{world.store.WorldStore} the accounts live in.
    @ivar clock: an C{IReactorTime}.
    @ivar run_kdf: runs a password hash off the main loop: called with a
        function and its arguments, returns a Deferred of its result.
    @ivar kdf_cost: the scrypt cost for new hashes.
    @ivar default_role: the role of new accounts after the first.
    @ivar portal: the C{twisted.cred} portal sessions log in through.
    @ivar failed_logins: failed logins (and wrong current passwords) per
        address (an IPv6 address's /64 being one, L{engine.limits.network_of}).
    @ivar creations: characters created per address (likewise).
    @ivar failures: the log of failed logins, at every door: a line every
        few seconds counting them by reason (password guessing must show in
        the log, and must not flood it).
    """

    def __init__(self, store: WorldStore, clock: Any, *, limits: Limits | None = None,
                 run_kdf: Callable[..., defer.Deferred] = run_inline,
                 kdf_cost: KdfCost = DEFAULT_COST, default_role: str = "player") -> None:
        limits = limits or Limits()
        self.store = store
        self.clock = clock
        self.run_kdf = run_kdf
        self.kdf_cost = kdf_cost
        self.default_role = default_role
        self.checker = AccountChecker(self)
        self.portal = Portal(Realm(self), [self.checker, CreatedChecker(),
                                           VerifiedChecker(self)])
        self.failed_logins = AddressWindow(clock, limits.failed_logins,
                                           limits.failed_login_window)
        self.creations = AddressWindow(clock, limits.creations_per_hour, 3600.0)
        self.failures = IntervalLog(clock, verb="failed", what="login(s)", level=LogLevel.warn)
        self._dummy_hash: str | None = None

    def dummy_hash(self) -> str:
        """
        A hash of a random password at this service's cost, verified against
        when a name has no account, so that the answer takes as long as for
        a real one (made once, on first use).
        """
        if self._dummy_hash is None:
            self._dummy_hash = hash_password(os.urandom(12).hex(), self.kdf_cost)
        return self._dummy_hash

    def failed(self, address: str, why: str) -> None:
        """
        Count a failed login (or wrong current password) from C{address}
        toward its throttle, and in the log of failures (C{why}: one of the
        server's fixed phrases, L{LOGIN_FAILED}; never what was typed).
        """
        self.failed_logins.record(address)
        self.failures.note(address, why)

    def taken(self, name: str) -> bool:
        """
        Whether an account called C{name} (any case) exists.
        """
        with self.store.turn() as turn:
            return fold(name) in turn.root.accounts

    def refusal(self, name: str) -> str | None:
        """
        Why no new account may be called C{name}, or None: it is, or looks
        like, a character's name or a thing's (L{world.names}).
        """
        with self.store.turn() as turn:
            return names.account_refusal(turn.root, name)

    def login(self, name: str, password: str, mind: Any) -> defer.Deferred:
        """
        Log C{mind} in as C{name}.

        @return: a Deferred firing with C{(IAvatar, Avatar, logout)}, or
            failing with L{LoginRefused} (a ban: its message is for the
            player) or C{UnauthorizedLogin} (no such name, or a wrong
            password: recorded against the mind's address).
        """
        credentials = UsernamePassword(name.encode("utf-8"), password.encode("utf-8"))
        d = self.portal.login(credentials, mind, IAvatar)

        def failed(failure: Any) -> Any:
            if failure.check(UnauthorizedLogin) and not failure.check(LoginRefused):
                self.failed(getattr(mind, "address", ""), LOGIN_FAILED)
            return failure

        return d.addErrback(failed)

    def verify(self, name: str, password: str, address: str) -> defer.Deferred:
        """
        Check C{name}'s password as logging in does, without logging in (SSH
        asks before there is a session), under the same failed-login
        throttling for C{address}.

        @return: a Deferred firing with the folded account name, or failing
            with L{LoginRefused} (too many failures from C{address}, or a
            ban: its message is for the player) or C{UnauthorizedLogin}
            (recorded against C{address}).
        """
        if not self.failed_logins.allowed(address):
            self.failures.note(address, THROTTLED)
            wait = int(self.failed_logins.retry_after(address)) + 1
            return defer.fail(LoginRefused(f"Too many failed logins from your address. Wait "
                                           f"{wait} seconds before trying again."))
        credentials = UsernamePassword(name.encode("utf-8"), password.encode("utf-8"))
        d = self.checker.requestAvatarId(credentials)

        def failed(failure: Any) -> Any:
            if failure.check(UnauthorizedLogin) and not failure.check(LoginRefused):
                self.failed(address, LOGIN_FAILED)
            return failure

        return d.addErrback(failed)

    def resume(self, key: str, mind: Any) -> defer.Deferred:
        """
        Log C{mind} in to account C{key}, whose password L{verify} accepted.

        @return: as L{login}.
        """
        return self.portal.login(Verified(key), mind, IAvatar)

    async def create(self, name: str, password: str, mind: Any,
                     still_wanted: Callable[[], bool] = lambda: True) -> Created:
        """
        Make an account called C{name} with C{password} and a new character
        in the start room, then log C{mind} in to it.

        @param name: a name that passed L{engine.accounts.check_name}.
        @param still_wanted: asked once the (slow) hash is done; if it says
            no (the connection went away), nothing is stored.
        @raise WorldError: the password breaks a rule, or someone took the
            name meanwhile; nothing was stored.
        @raise UnauthorizedLogin: no longer wanted; nothing was stored.
        """
        check_password(password, name)
        password_hash = await self.run_kdf(hash_password, password, self.kdf_cost)
        if not still_wanted():
            raise UnauthorizedLogin("connection gone")
        key = fold(name)
        address = getattr(mind, "address", "")
        with self.store.turn() as turn:
            root = turn.root
            if key in root.accounts:
                raise WorldError(f"Someone just took the name {name}; choose another.")
            refused = names.account_refusal(root, name)
            if refused is not None:
                raise WorldError(refused)
            role = "wizard" if len(root.accounts) == 0 else self.default_role
            room = root.arrival_room()
            character = root.create(Character, name, location=room,
                                    description=f"{name} looks like a new arrival.")
            character.owner = character.id
            character.home = room
            root.accounts[key] = Account(name, password_hash, role, character.id,
                                         self.clock.seconds())
            names.register_character(root, name)
            turn.tell_room(room, Event("arrive", f"{name} appears, new to this world.",
                                       actor=character.id, location=room.id),
                           exclude=(character,))
        self.creations.record(address)
        _log.info("created account {account!r} ({role}) from {address}",
                  account=name, role=role, address=address)
        logged_in = await self.portal.login(JustCreated(key), mind, IAvatar)
        return Created(name, role, logged_in)

    async def change_password(self, key: str, old: str, new: str, address: str) -> None:
        """
        Change account C{key}'s password from C{old} to C{new}.

        @raise WorldError: C{new} breaks a rule, C{old} is not the current
            password (counted as a failed login from C{address}), or
            C{address} is past its failed logins (C{--failed-logins}: the
            current password is not read, as no login's is); nothing
            changed.
        """
        if not self.failed_logins.allowed(address):
            self.failures.note(address, THROTTLED)
            wait = int(self.failed_logins.retry_after(address)) + 1
            raise WorldError(f"Too many failed logins from your address. Wait {wait} seconds "
                             "before trying again; nothing changed.")
        with self.store.turn() as turn:
            stored = turn.root.accounts[key].password_hash
            name = turn.root.accounts[key].name
        check_password(new, name)
        if not await self.run_kdf(verify_password, old, stored):
            self.failed(address, "wrong current password at @password")
            raise WorldError("That is not your current password; nothing changed.")
        await self.set_password(key, new)

    async def set_password(self, key: str, new: str) -> None:
        """
        Give account C{key} the password C{new} (a wizard's reset: the old
        one is not asked for). The caller has checked C{new} against the
        rules.
        """
        new_hash = await self.run_kdf(hash_password, new, self.kdf_cost)
        with self.store.turn() as turn:
            turn.root.accounts[key].password_hash = new_hash

    # -- in the caller's turn (wizards' commands) ---------------------------

    def ban(self, account: Account, by: Account) -> None:
        """
        Refuse C{account}'s logins from now on (C{by} is the wizard asking).
        The caller closes its session, if it has one.

        @raise WorldError: C{by} would ban itself, or a wizard.
        """
        if account.key == by.key:
            raise WorldError("You cannot ban yourself.")
        if account.role == "wizard":
            raise WorldError("Wizards cannot be banned; change their role first.")
        account.banned = True

    def unban(self, account: Account) -> None:
        """
        Let C{account} log in again.

        @raise WorldError: it is not banned.
        """
        if not account.banned:
            raise WorldError(f"{account.name} is not banned.")
        account.banned = False

    def set_role(self, root: Any, account: Account, role: str) -> str:
        """
        Give C{account} the role C{role}; return the role it had.

        @param root: the world root of the caller's turn.
        @raise WorldError: C{role} is not a role, or C{account} is the last
            wizard and would stop being one.
        """
        if role not in ROLES:
            raise WorldError(f"Roles are {', '.join(ROLES)}.")
        if account.role == "wizard" and role != "wizard" and len(wizards(root)) == 1:
            raise WorldError(f"{account.name} is the last wizard; make another wizard first.")
        old, account.role = account.role, role
        return old
