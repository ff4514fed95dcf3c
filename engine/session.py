"""
One player's connection, as a small state machine that does no I/O itself:

    login ──(connect / create)──▶ checking ──▶ playing ──(quit, boot)──▶ closing
      ▲                               │                                    │
      └──────(wrong password)─────────┘                    closed ◀────────┘

It reads lines from, and writes text to, an L{engine.interfaces.IClient};
logs in through the server's C{twisted.cred} portal; and, once playing, is its
character's mind (L{world.interfaces.IMind}): the world's events arrive at
L{Session.perceive} after their turn commits.

Disconnected characters stay where they were, asleep: others see
"Alice falls asleep." and "Alice wakes up.", and C{look} lists them as asleep.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from twisted.cred.error import UnauthorizedLogin
from twisted.internet import defer
from twisted.logger import Logger
from zope.interface import implementer

from engine.accounts import Account, check_name, check_password
from engine.interfaces import IClient, IDispatcher, IPlayer, ISession
from engine.limits import TokenBucket
from engine.login import Avatar, Created, LoginRefused
from engine.oob import char_name, messages_for
from engine.text import wrap
from world.errors import WorldError
from world.events import Event
from world.interfaces import IMind

if TYPE_CHECKING:
    from engine.server import Server

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

#: Lines kept while a password is being checked (a client's auto-login script
#: often sends its first commands right behind the password).
MAX_PENDING = 20


#: Shown after the answer to every command while playing.
PROMPT = "> "


@implementer(ISession, IPlayer, IMind)
class Session:
    """
    One connection's state.

    @ivar state: C{"new"}, C{"login"}, C{"checking"}, C{"playing"},
        C{"closing"} or C{"closed"}.
    @ivar character_id: the character played, once logged in.
    @ivar account_key: the folded account name, once logged in.
    @ivar name: the character's name, once logged in.
    @ivar connected_at: clock time of connection.
    @ivar last_input: clock time of the last line.
    """

    def __init__(self, server: Server, client: IClient, dispatcher: IDispatcher) -> None:
        self.server = server
        self.client = client
        self.dispatcher = dispatcher
        self.state = "new"
        self.character_id: int | None = None
        self.account_key: str | None = None
        self.name: str | None = None
        self.connected_at = server.clock.seconds()
        self.last_input = self.connected_at
        self.bucket = TokenBucket(server.clock, server.limits.command_rate,
                                  server.limits.command_burst)
        self._logout: Callable[[], None] | None = None
        self._pending: list[str] = []
        self._answer: Callable[[str], None] | None = None
        self._question: defer.Deferred | None = None
        self._hidden = False
        self._timer: Any = None

    def __repr__(self) -> str:
        return f"<Session {self.name or '-'} {self.state} from {self.address}>"

    @property
    def address(self) -> str:
        """
        The peer's address.
        """
        return self.client.client.address

    # -- ISession --------------------------------------------------------

    def connected(self) -> None:
        refusal = self.server.admit(self.address)
        if refusal is not None:
            _log.info("refused a connection from {address}: {why}",
                      address=self.address, why=refusal)
            self.state = "closing"
            self.client.write(refusal + "\n")
            self.client.disconnect("refused: " + refusal)
            return
        self.server.sessions.add(self)
        self.state = "login"
        self._timer = self.server.clock.callLater(self.server.limits.login_timeout,
                                                  self._login_timed_out)
        with self.server.store.turn() as turn:
            title = turn.root.settings.get("name", "Tessera")
        self.write(WELCOME.format(name=title))

    def line_received(self, line: str) -> None:
        if self.state not in ("login", "checking", "playing"):
            return
        self.last_input = self.server.clock.seconds()
        # Logging in prompts by itself, once the character is in the world.
        was_playing = self.state == "playing"
        if self._answer is not None:
            answer, self._answer = self._answer, None
            if self._hidden:
                self._hidden = False
                self.client.set_echo(True)
            answer(line)
            if was_playing:
                self._prompt()
            return
        if self.state == "checking":
            if line.strip() and len(self._pending) < MAX_PENDING:
                self._pending.append(line)
            return
        if not line.strip():
            return
        if not self.bucket.take():
            shown = line if len(line) <= 40 else line[:37] + "..."
            self.write(f"You are sending commands too fast: {shown!r} was ignored. "
                       f"Wait a moment and send it again.")
            if was_playing:
                self._prompt()
            return
        if self.state == "login":
            self._login_command(line)
        else:
            self._play(line)
            self._prompt()

    def _prompt(self) -> None:
        """
        While playing, and unless a question is waiting for its answer, end
        the reply with the prompt: marked with EOR or GA as negotiated, it
        tells MUD clients the answer is complete.
        """
        if self.state == "playing" and self._answer is None:
            self.client.prompt(PROMPT)

    def client_changed(self) -> None:
        """
        Nothing to do: width is read when writing.
        """

    def disconnected(self, reason: str) -> None:
        if self.state == "closed":
            return
        was = self.state
        self.state = "closed"
        self.server.sessions.discard(self)
        self._cancel_timer()
        logout, self._logout = self._logout, None
        if logout is not None:
            logout()
        question, self._question = self._question, None
        if question is not None and not question.called:
            question.cancel()  # the dialogue waiting for it ends quietly
        if was in ("playing", "closing") and self.name:
            _log.info("{name} disconnected: {reason}", name=self.name, reason=reason)

    # -- IMind -----------------------------------------------------------

    def perceive(self, event: Event) -> None:
        if self.state != "playing":
            return
        self.write(event.text_for(self.character_id))
        for package, body in messages_for(event, self.character_id):
            self.client.send_oob(package, body)

    # -- output and control ------------------------------------------------

    def write(self, text: str) -> None:
        """
        Send C{text} to the player, wrapped to their width, as whole lines.
        """
        if self.state == "closed":
            return
        self.client.write(wrap(text, self.client.client.width) + "\n")

    def ask(self, prompt: str, answer: Callable[[str], None], *, hidden: bool = False) -> None:
        """
        Show C{prompt}; the next line the player sends goes to C{answer}
        instead of being a command. With C{hidden}, ask the client not to
        echo it (for passwords).
        """
        self._answer = answer
        self._hidden = hidden
        if hidden:
            self.client.set_echo(False)
        self.client.prompt(prompt)

    def question(self, prompt: str, *, hidden: bool = False) -> defer.Deferred:
        """
        Show C{prompt} and wait for the player's answer, in an C{async def}
        dialogue: C{new = await session.question("New password: ",
        hidden=True)}. If the connection closes first, the Deferred is
        cancelled (and L{run_dialogue} ends the dialogue quietly).

        @return: a Deferred firing with the next line the player sends.
        """
        d: defer.Deferred = defer.Deferred()
        self._question = d
        self.ask(prompt, d.callback, hidden=hidden)
        return d

    def run_dialogue(self, dialogue: Coroutine[Any, Any, None]) -> defer.Deferred:
        """
        Run C{dialogue}, an C{async def} conversation with this player (see
        L{question}), outside any turn: each step that changes the world
        opens a turn of its own. One that fails unexpectedly is logged and
        the player told that nothing changed.

        @return: a Deferred firing when it is over.
        """

        def ended(failure: Any) -> None:
            if failure.check(defer.CancelledError):
                return  # the connection closed in the middle
            _log.failure("a dialogue with {name} failed", failure, name=self.name)
            self.write("Something went wrong; nothing changed.")

        return defer.ensureDeferred(dialogue).addErrback(ended)

    def close(self, message: str) -> None:
        """
        Say C{message} and close the connection. The character falls asleep at
        once, even if the client is slow to go.
        """
        if self.state in ("closing", "closed"):
            return
        self.write(message)
        self.state = "closing"
        logout, self._logout = self._logout, None
        if logout is not None:
            logout()
        self.client.disconnect(message)

    def taken_over(self, address: str) -> None:
        """
        Another connection logged in as this character: say so and close,
        leaving the character awake for the new session.
        """
        self._logout = None
        self.close(f"Your character was just connected from another place ({address}). "
                   "Closing this connection.")

    # -- login -------------------------------------------------------------

    def _login_timed_out(self) -> None:
        self._timer = None
        if self.state in ("login", "checking"):
            self.close("You took too long to log in. Goodbye!")

    def _cancel_timer(self) -> None:
        if self._timer is not None and self._timer.active():
            self._timer.cancel()
        self._timer = None

    def _login_command(self, line: str) -> None:
        words = line.split(None, 2)
        verb = words[0].lower()
        if verb in ("connect", "con", "co"):
            self._connect(words[1:])
        elif verb in ("create", "cr"):
            self._create(words[1:])
        elif verb in ("quit", "qui", "logout", "exit"):
            self.close("Goodbye!")
        elif verb == "who":
            self._who()
        elif verb in ("help", "?"):
            self.write(LOGIN_HELP)
        else:
            self.write("You are not logged in yet. Type 'connect <name> <password>', "
                       "'create <name> <password>', or 'help'.")

    def _who(self) -> None:
        names = [s.name for s in self.server.playing() if s.name]
        if names:
            self.write(f"Playing now: {', '.join(names)}.")
        else:
            self.write("Nobody is playing right now.")

    def _throttled(self) -> bool:
        failures = self.server.accounts.failed_logins
        if failures.allowed(self.address):
            return False
        wait = int(failures.retry_after(self.address)) + 1
        self.write(f"Too many failed logins from your address. Wait {wait} seconds "
                   "before trying again.")
        return True

    def _connect(self, words: list[str]) -> None:
        if not words:
            self.write("Connect as whom? Type 'connect <name> <password>'.")
            return
        if self._throttled():
            return
        name = words[0]
        if len(words) > 1:
            self._login(name, words[1])
        else:
            self.ask("Password: ", lambda pw: self._login(name, pw), hidden=True)

    def _login(self, name: str, password: str) -> None:
        if self.state != "login":
            return
        if self._throttled():
            return
        self.state = "checking"
        d = self.server.accounts.login(name, password, self)
        d.addCallbacks(self._logged_in, self._login_failed,
                       errbackArgs=(name,))

    def _login_failed(self, failure: Any, name: str) -> None:
        if self.state != "checking":
            return
        self.state = "login"
        self._pending.clear()
        if failure.check(LoginRefused):
            self.write(failure.getErrorMessage())
            _log.info("login refused for {account!r} from {address}",
                      account=name, address=self.address)
        elif failure.check(UnauthorizedLogin):
            _log.info("login failed for {account!r} from {address}",
                      account=name, address=self.address)
            self.write("Either there is no character by that name, or that password is "
                       "wrong. Try again, or type 'create <name> <password>'.")
        else:
            _log.failure("login for {account!r} failed unexpectedly", failure,
                         account=name)
            self.write("Something went wrong while logging in; please try again.")

    def _create(self, words: list[str]) -> None:
        if not words:
            self.write("Create whom? Type 'create <name> <password>'.")
            return
        try:
            name = check_name(words[0])
        except WorldError as e:
            self.write(str(e))
            return
        if not self._name_free(name):
            return
        creations = self.server.accounts.creations
        if not creations.allowed(self.address):
            wait = int(creations.retry_after(self.address)) + 1
            self.write(f"Too many characters were created from your address lately. "
                       f"Wait {wait} seconds.")
            return
        if len(words) > 1:
            self._create_with(name, words[1])
            return

        def first(password: str) -> None:
            try:
                check_password(password, name)
            except WorldError as e:
                self.write(str(e))
                return
            self.ask("Type it again: ", lambda again: second(password, again), hidden=True)

        def second(password: str, again: str) -> None:
            if again != password:
                self.write("The two passwords differ; nothing was created. Try again.")
                return
            self._create_with(name, password)

        self.ask(f"Choose a password for {name}: ", first, hidden=True)

    def _name_free(self, name: str) -> bool:
        taken = self.server.accounts.taken(name)
        if taken:
            self.write(f"There is already a character called {name}. "
                       f"If it is yours, type 'connect {name} <password>'.")
        return not taken

    def _create_with(self, name: str, password: str) -> None:
        if self.state != "login":
            return
        try:
            check_password(password, name)
        except WorldError as e:
            self.write(str(e))
            return
        self.state = "checking"
        d = defer.ensureDeferred(self.server.accounts.create(
            name, password, self, still_wanted=lambda: self.state == "checking"))
        d.addCallbacks(self._created, self._create_failed, errbackArgs=(name,))

    def _create_failed(self, failure: Any, name: str) -> None:
        if failure.check(WorldError) and self.state == "checking":
            self.state = "login"
            self.write(failure.getErrorMessage())
            return
        self._login_failed(failure, name)

    def _created(self, created: Created) -> None:
        if self.state == "checking":
            self.write(f"Welcome, {created.name}! Your character has been created.")
            if created.role == "wizard":
                self.write("You are the first character in this world, so you are its "
                           "wizard: you can build, and give others roles with @role.")
        self._logged_in(created.login)

    def _logged_in(self, result: tuple) -> None:
        _, avatar, logout = result
        if self.state != "checking":
            logout()  # the connection went away meanwhile
            return
        assert isinstance(avatar, Avatar)
        self._cancel_timer()
        self._logout = logout
        self.account_key = avatar.account_key
        self.character_id = avatar.character_id
        self.name = avatar.name
        self.state = "playing"
        if avatar.previous_address:
            self.write(f"Welcome back, {avatar.name}. You last connected from "
                       f"{avatar.previous_address}.")
        with self.server.store.turn() as turn:
            character = turn.root.get(self.character_id)
            if character is not None:
                self.client.send_oob("Char.Name", char_name(character))
        self._play("look")
        pending, self._pending = self._pending, []
        if not pending:
            self._prompt()
        for line in pending:
            if self.state != "playing":
                break
            self.line_received(line)

    # -- playing -----------------------------------------------------------

    def _play(self, line: str) -> None:
        self.dispatcher.execute(self, line)

    def account(self, root: Any) -> Account:
        """
        This session's account record, read in the current turn.
        """
        return root.accounts[self.account_key]
