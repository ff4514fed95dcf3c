# -*- test-case-name: tests.engine.test_session,tests.engine.test_accounts -*-
"""
The welcome screen: what a connection can do before it plays.

    connect <name> [<password>]   create <name> [<password>]   who   help   quit

A session hands this screen the lines typed while it is at the login state
(L{engine.session.Session}); logging in and creating are C{async def}
dialogues (a password left off is asked for at a hidden prompt) over the
server's L{engine.login.AccountService}, and end by telling the session it
plays (L{engine.session.Session.logged_in}) or why not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twisted.cred.error import UnauthorizedLogin
from twisted.logger import Logger
from zope.interface import implementer

from engine.accounts import check_name, check_password
from engine.bans import BANNED
from engine.interfaces import IWelcome
from engine.login import THROTTLED, AccountService, LoginRefused
from world.errors import WorldError

if TYPE_CHECKING:
    from engine.session import Session

_log = Logger()

WELCOME = """\
Welcome to {name}.

  connect <name> <password>   play an existing character
  create <name> <password>    make a new character
  quit                        leave

(Type just 'connect <name>' or 'create <name>' to be asked for the password
without it showing.)"""

LOGIN_HELP = """\
At this screen you can type:
  connect <name> <password>   log in to your character
  connect <name>              log in, typing the password at a hidden prompt
  create <name> <password>    make a character (names: 3-20 letters;
                              passwords: at least 8 characters)
  create <name>               make one, typing the password at a hidden prompt
  who                         see who is playing
  quit                        leave"""


@implementer(IWelcome)
class WelcomeScreen:
    """
    The login commands of one session.

    @ivar session: the L{Session} at this screen.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def _accounts(self) -> AccountService:
        return self.session.server.accounts

    def greet(self) -> None:
        """
        Show the welcome text, with the world's name.
        """
        with self.session.server.store.turn() as turn:
            title = turn.root.settings.get("name", "Tessera")
        self.session.write(WELCOME.format(name=title))

    def line_received(self, line: str) -> None:
        """
        Run one line typed at the welcome screen.
        """
        session = self.session
        words = line.split(None, 2)
        verb = words[0].lower()
        if verb in ("connect", "con", "co"):
            session.run_dialogue(self.connect(words[1:]))
        elif verb in ("create", "cr"):
            session.run_dialogue(self.create(words[1:]))
        elif verb in ("quit", "qui", "logout", "exit"):
            session.close("Goodbye!")
        elif verb == "who":
            self.who()
        elif verb in ("help", "?"):
            session.write(LOGIN_HELP)
        else:
            session.write("You are not logged in yet. Type 'connect <name> <password>', "
                          "'create <name> <password>', or 'help'.")

    def who(self) -> None:
        """
        Say who is playing.
        """
        names = [s.name for s in self.session.server.playing() if s.name]
        if names:
            self.session.write(f"Playing now: {', '.join(names)}.")
        else:
            self.session.write("Nobody is playing right now.")

    async def connect(self, words: list[str]) -> None:
        """
        C{connect <name> [<password>]}: log in to an existing character.
        """
        session = self.session
        if not words:
            session.write("Connect as whom? Type 'connect <name> <password>'.")
            return
        if self._throttled():
            return
        name = words[0]
        if len(words) > 1:
            password = words[1]
        else:
            password = await session.question("Password: ", hidden=True)
        if session.state != "login" or self._throttled() or self._banned():
            return
        session.checking()
        try:
            result = await self._accounts.login(name, password, session)
        except Exception as error:  # every failure becomes a message here
            self._failed(error, name)
        else:
            session.logged_in(result)

    async def create(self, words: list[str]) -> None:
        """
        C{create <name> [<password>]}: make a character and play it.
        """
        session = self.session
        if not words:
            session.write("Create whom? Type 'create <name> <password>'.")
            return
        try:
            name = check_name(words[0])
        except WorldError as e:
            session.write(str(e))
            return
        refused = self._accounts.refusal(name)
        if refused is not None:
            session.write(refused)
            return
        creations = self._accounts.creations
        if not creations.allowed(session.address):
            wait = int(creations.retry_after(session.address)) + 1
            session.write(f"Too many characters were created from your address lately. "
                          f"Wait {wait} seconds.")
            return
        if len(words) > 1:
            password = words[1]
        else:
            password = await session.question(f"Choose a password for {name}: ", hidden=True)
            try:
                check_password(password, name)
            except WorldError as e:
                session.write(str(e))
                return
            again = await session.question("Type it again: ", hidden=True)
            if again != password:
                session.write("The two passwords differ; nothing was created. Try again.")
                return
        if session.state != "login":
            return
        try:
            check_password(password, name)
        except WorldError as e:
            session.write(str(e))
            return
        if self._banned():
            return
        session.checking()
        try:
            created = await self._accounts.create(
                name, password, session, still_wanted=lambda: session.state == "checking")
        except WorldError as e:
            if session.state == "checking":
                session.check_failed()
                session.write(str(e))
            return
        except Exception as error:  # every failure becomes a message here
            self._failed(error, name)
            return
        if session.state == "checking":
            session.write(f"Welcome, {created.name}! Your character has been created.")
            if created.role == "wizard":
                session.write("You are the first character in this world, so you are its "
                              "wizard: you can build, and give others roles with @role.")
        session.logged_in(created.login)

    def _banned(self) -> bool:
        """
        Whether the connection's site was banned since it was admitted (it
        waited at this screen meanwhile): it is told so and closed, and
        nothing is created or logged in.
        """
        session = self.session
        if not session.server.site_banned(session.address):
            return False
        session.close(BANNED)
        return True

    def _throttled(self) -> bool:
        session = self.session
        failures = self._accounts.failed_logins
        if failures.allowed(session.address):
            return False
        self._accounts.failures.note(session.address, THROTTLED)
        wait = int(failures.retry_after(session.address)) + 1
        session.write(f"Too many failed logins from your address. Wait {wait} seconds "
                      "before trying again.")
        return True

    def _failed(self, error: Exception, name: str) -> None:
        session = self.session
        if session.state != "checking":
            return  # the connection went away meanwhile
        session.check_failed()
        if isinstance(error, LoginRefused):
            session.write(str(error))
            _log.info("login refused for {account!r} from {address}",
                      account=name, address=session.address)
        elif isinstance(error, UnauthorizedLogin):
            _log.info("login failed for {account!r} from {address}",
                      account=name, address=session.address)
            session.write("Either there is no character by that name, or that password is "
                          "wrong. Try again, or type 'create <name> <password>'.")
        else:
            _log.failure("login for {account!r} failed unexpectedly", account=name)
            session.write("Something went wrong while logging in; please try again.")
