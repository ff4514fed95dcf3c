# -*- test-case-name: tests.engine.test_session,tests.engine.test_limits -*-
"""
One player's connection, as a small state machine that does no I/O itself:

    login ──(connect / create)──▶ checking ──▶ playing ──(quit, boot)──▶ closing
      ▲                               │                                    │
      └──────(wrong password)─────────┘                    closed ◀────────┘

It reads lines from, and writes text to, an L{engine.interfaces.IClient}.
Before playing, its lines go to the welcome screen it is handed
(L{engine.welcome}: connect, create, who, help, quit), which logs it in
through the server's L{engine.login.AccountService}; once playing, to the
command dispatcher it is handed, and it is its character's mind
(L{world.interfaces.IMind}): the world's events arrive at L{Session.perceive}
after their turn commits. Questions (a password, the script editor's lines)
take the next line instead: L{Session.ask}, or L{Session.question} in an
C{async def} dialogue run by L{Session.run_dialogue}.

Disconnected characters stay where they were, asleep: others see
"Alice falls asleep." and "Alice wakes up.", and C{look} lists them as asleep.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from twisted.internet import defer
from twisted.logger import Logger
from zope.interface import implementer

from engine.accounts import Account
from engine.bans import BANNED
from engine.interfaces import IClient, IDispatcher, IPlayer, ISession, IWelcome
from engine.limits import TokenBucket, cut
from engine.login import Avatar
from engine.oob import char_name, shared_messages
from engine.text import wrap
from world import ignores
from world.events import Event
from world.interfaces import IMind

if TYPE_CHECKING:
    from engine.server import Server

_log = Logger()

#: Lines kept while a password is being checked (a client's auto-login script
#: often sends its first commands right behind the password).
MAX_PENDING = 20


#: Shown after the answer to every command while playing.
PROMPT = "> "

#: Bytes of lines a playing session may have waiting for their turn (a
#: client that sends more at once than the server runs loses the rest).
MAX_QUEUED_BYTES = 256 * 1024


@functools.lru_cache(maxsize=256)
def _lines(text: str, width: int) -> str:
    """
    C{text} as whole lines wrapped to C{width}, remembered for the last few
    hundred texts and widths: a room that hears a line hands every client
    of one width the same string, whose hash (the key of what the client
    remembers of its rendering) is computed once.
    """
    return wrap(text, width) + "\n"


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
    @ivar dispatcher: the L{IDispatcher} that runs commands once playing.
    @ivar welcome: the L{IWelcome} (login screen) lines go to before.
    """

    def __init__(self, server: Server, client: IClient, dispatcher: IDispatcher,
                 welcome: Callable[[Session], IWelcome]) -> None:
        self.server = server
        self.client = client
        self.dispatcher = dispatcher
        self.welcome = welcome(self)
        self.state = "new"
        self.character_id: int | None = None
        self.account_key: str | None = None
        self.name: str | None = None
        #: the characters this player ignores (her account's list, read at
        #: login and kept by @ignore): what they say is not shown to her,
        #: unless they are wizards when they say it (L{ignores.Wizards}).
        self.ignoring: frozenset[int] = frozenset()
        self._wizards: ignores.Wizards | None = None
        self.connected_at = server.clock.seconds()
        self.last_input = self.connected_at
        self.bucket = TokenBucket(server.clock, server.limits.command_rate,
                                  server.limits.command_burst)
        self._logout: Callable[[], None] | None = None
        self._pending: list[str] = []
        self._answer: Callable[[str], None] | None = None
        self._question: defer.Deferred | None = None
        self._hidden = False
        self._queue: deque[str] = deque()
        self._queued_bytes = 0
        self._holding = False
        self._overflowed = False
        self._release_call: Any = None
        self._timer: Any = None

    def __repr__(self) -> str:
        return f"<Session {self.name or '-'} {self.state} from {self.address}>"

    @property
    def authenticated(self) -> bool:
        """
        Whether the player has logged in (L{ISession.authenticated}).
        """
        return self.state == "playing"

    @property
    def address(self) -> str:
        """
        The peer's address.
        """
        return self.client.client.address

    # -- ISession --------------------------------------------------------

    def connected(self) -> None:
        # A transport that admitted its connection itself (SSH, before its
        # login) says so; it is not counted twice.
        refusal = None if getattr(self.client, "admitted", False) else \
            self.server.admit(self.address)
        if refusal is not None:
            self.server.refusals.note(self.address, refusal)
            self.state = "closing"
            self.client.write(refusal + "\n")
            self.client.disconnect("refused: " + refusal, quiet=True)  # logged above
            return
        self.server.sessions.add(self)
        self.state = "login"
        self._timer = self.server.clock.callLater(self.server.limits.login_timeout,
                                                  self._login_timed_out)
        self.welcome.greet()

    def line_received(self, line: str) -> None:
        """
        One line from the player. While playing, a session runs one line
        per turn of the reactor: the first line of a packet runs at once,
        the others wait (in order) until the reactor has served every other
        connection once, so that one player pasting many commands never
        keeps another waiting for more than one of them.
        """
        if self.state not in ("login", "checking", "playing"):
            return
        if self._holding:
            size = len(line) + 1
            if self._queued_bytes + size > MAX_QUEUED_BYTES:
                if not self._overflowed:
                    self._overflowed = True
                    self.write("You sent too much at once; the rest was ignored.")
                return
            self._queue.append(line)
            self._queued_bytes += size
            return
        self._take(line)

    def _release(self) -> None:
        """
        The reactor has turned: run the next waiting line, if any.
        """
        self._release_call = None
        self._holding = False
        self._overflowed = False
        while self._queue and not self._holding and self.state in ("login", "checking",
                                                                      "playing"):
            line = self._queue.popleft()
            self._queued_bytes -= len(line) + 1
            self._take(line)

    def _hold(self) -> None:
        """
        Let this session's next line wait for the next turn of the reactor.
        """
        self._holding = True
        if self._release_call is None:
            self._release_call = self.server.clock.callLater(0, self._release)

    def _take(self, line: str) -> None:
        if self.state == "playing" and line.strip():
            self._hold()
        self.last_input = self.server.clock.seconds()
        # Logging in prompts by itself, once the character is in the world.
        was_playing = self.state == "playing"
        if self._answer is not None:
            answer, self._answer = self._answer, None
            hidden, self._hidden = self._hidden, False
            try:
                answer(line)
            finally:
                # Echo comes back on only if the answer asked no other hidden
                # question (the second password): turning it on in between
                # would let the client show what is typed next.
                if hidden and not self._hidden and self.state != "closed":
                    self.client.set_echo(True)
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
            self.welcome.line_received(line)
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
        self._queue.clear()
        if self._release_call is not None and self._release_call.active():
            self._release_call.cancel()
        self._release_call = None
        logout, self._logout = self._logout, None
        if logout is not None:
            logout()
        question, self._question = self._question, None
        if question is not None and not question.called:
            question.cancel()  # the dialogue waiting for it ends quietly
        if was in ("playing", "closing") and self.name:
            _log.info("{name} disconnected: {reason}", name=self.name, reason=cut(reason))

    # -- IMind -----------------------------------------------------------

    def perceive(self, event: Event) -> None:
        if self.state != "playing" or ignores.hides(event, self.ignoring, self._wizard):
            return
        self.write(event.text_for(self.character_id))
        for message in shared_messages(event, self.character_id, self.client.wants_oob):
            self.client.send_oob(message.package, message)

    def _wizard(self, character_id: int) -> bool:
        # Whether a player she ignores is a wizard now (asked of no one else).
        if self._wizards is None:
            self._wizards = ignores.Wizards(self.server.store)
        return self._wizards(character_id)

    # -- output and control ------------------------------------------------

    def write(self, text: str) -> None:
        """
        Send C{text} to the player, wrapped to their width, as whole lines.
        """
        if self.state == "closed":
            return
        self.client.write(_lines(text, self.client.client.width))

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

    # -- logging in --------------------------------------------------------

    def _login_timed_out(self) -> None:
        self._timer = None
        if self.state in ("login", "checking"):
            self.close("You took too long to log in. Goodbye!")

    def _cancel_timer(self) -> None:
        if self._timer is not None and self._timer.active():
            self._timer.cancel()
        self._timer = None

    def checking(self) -> None:
        """
        The welcome screen is checking a password: lines typed meanwhile
        are kept (up to L{MAX_PENDING}) and run once playing.
        """
        self.state = "checking"

    def check_failed(self) -> None:
        """
        The check failed: back at the welcome screen; the kept lines go.
        """
        self.state = "login"
        self._pending.clear()

    def logged_in(self, result: tuple) -> None:
        """
        The welcome screen logged this connection in: C{result} is the
        portal's C{(IAvatar, avatar, logout)}. Play: look, then run the lines
        kept while checking.
        """
        _, avatar, logout = result
        if self.state != "checking":
            logout()  # the connection went away meanwhile
            return
        if self.server.site_banned(self.address):
            # Its site was banned since it was admitted (SSH checks a
            # password before any screen): nobody from it plays.
            logout()
            self.close(BANNED)
            return
        assert isinstance(avatar, Avatar)
        self._cancel_timer()
        self._logout = logout
        self.account_key = avatar.account_key
        self.character_id = avatar.character_id
        self.name = avatar.name
        self.state = "playing"
        logged_in = getattr(self.client, "logged_in", None)
        if logged_in is not None:
            logged_in()  # a door that counts its connections waiting to log in
        if avatar.previous_address:
            self.write(f"Welcome back, {avatar.name}. You last connected from "
                       f"{avatar.previous_address}.")
        with self.server.store.turn() as turn:
            character = turn.root.get(self.character_id)
            if character is not None:
                self.client.send_oob("Char.Name", char_name(character))
            self.ignoring = frozenset(ignores.ignored(self.account(turn.root)))
        self._play("look")
        for hook in self.server.login_hooks:  # mail waiting, the channels one is on
            self.dispatcher.run(self, hook, "login")
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
