# -*- test-case-name: tests.engine.test_session,tests.engine.test_telnet -*-
"""
Seams inside the engine: what a session may ask of its connection, and what a
connection tells its session.

A transport protocol (telnet today; SSH or websocket later) provides
L{IClient} and drives an L{ISession}. The session never sees bytes, telnet
options or sockets; the protocol never sees commands, accounts or the world.
"""

from __future__ import annotations

from attrs import frozen
from zope.interface import Attribute, Interface


@frozen
class ClientInfo:
    """
    What is known about the player's client. Protocols replace the whole value
    (C{attrs.evolve}) when they learn more, then call
    L{ISession.client_changed}.

    @ivar address: the peer's host (an IP address as text), for limits and logs.
    @ivar protocol: C{"telnet"} (later C{"ssh"}, C{"websocket"}).
    @ivar width: columns to wrap output to (NAWS), default 78.
    @ivar height: rows, default 24 (0: unknown).
    @ivar terminal: the terminal type the client reported (TTYPE), or C{""}.
    @ivar colours: how many colours the client can show: 0 (none), 16 (ANSI),
        256 (xterm) or 16777216 (truecolour).
    @ivar utf8: whether the client takes UTF-8 (Tessera assumes so).
    @ivar screen_reader: the client says a screen reader is in use (MTTS).
    """

    address: str = ""
    protocol: str = "telnet"
    width: int = 78
    height: int = 24
    terminal: str = ""
    colours: int = 0
    utf8: bool = True
    screen_reader: bool = False


class IClient(Interface):
    """
    One player connection, as a session sees it.

    Every method is safe to call at any time, including after the connection
    has been lost (they then do nothing).
    """

    client = Attribute("The current L{ClientInfo}.")

    def write(text):
        """
        Send C{text} to the player. Lines are separated by C{"\\n"}; the
        protocol chooses the line ending, the encoding (UTF-8) and any escaping.
        Text is sent as given: wrapping is the session's job.

        @type text: L{str}
        @return: L{None}
        """

    def prompt(text):
        """
        Send a prompt: C{text} with no line ending. Protocols that can mark
        prompts (telnet GA/EOR) do so.

        @type text: L{str}
        @return: L{None}
        """

    def send_oob(package, data):
        """
        Send structured out-of-band data (GMCP: C{"Room.Info"}, a JSON-able
        value) if the client negotiated it; otherwise do nothing.

        @type package: L{str}
        @return: L{None}
        """

    def wants_oob(package):
        """
        Whether L{send_oob} would send a message in C{package}: the client
        negotiated GMCP and enabled the package (or a parent of it). The
        session builds no message for a client that wants none.

        @type package: L{str}
        @rtype: L{bool}
        """

    def set_echo(on):
        """
        Ask the client to echo what the player types (C{True}), or not to
        (C{False}, while a password is typed). Clients may refuse; the
        session cannot know, so it must not rely on it.

        @type on: L{bool}
        @return: L{None}
        """

    def disconnect(reason, quiet=False):
        """
        Close the connection after sending whatever was already written.
        C{reason} is for the log; the player has already been told.
        L{ISession.disconnected} is still called, exactly once -- possibly
        before C{disconnect} returns, so a session must expect it then.

        @type reason: L{str}
        @param quiet: the caller has logged it already (a refused
            connection, in L{engine.limits.IntervalLog}'s one line every few
            seconds): no line of its own.
        @return: L{None}
        """


class ISession(Interface):
    """
    What a protocol drives: the engine's side of one connection.
    """

    authenticated = Attribute(
        "Whether the player has logged in. Protocols bound connections that have "
        "not (how many there may be, and what the server holds for them) more "
        "tightly than those that have.")

    def connected():
        """
        The connection is ready: greet the player. Called once, first.

        @return: L{None}
        """

    def line_received(line):
        """
        The player sent one line: decoded text without its line ending,
        control characters removed, never longer than the line limit.

        @type line: L{str}
        @return: L{None}
        """

    def client_changed():
        """
        L{IClient.client} has a new value (window size, terminal type...).

        @return: L{None}
        """

    def disconnected(reason):
        """
        The connection is gone. Called exactly once, last; nothing may be
        written after it.

        @param reason: a short description for the log.
        @type reason: L{str}
        @return: L{None}
        """


class IDispatcher(Interface):
    """
    Runs what a playing session types: the commands, each in one turn. The
    composition root makes one and hands it to every session (and each
    command finds it in its context), so that neither imports the other.
    """

    table = Attribute("The L{engine.commands.base.CommandTable} of every command.")

    def execute(session, line):
        """
        Run the command C{line} typed by C{session}'s player, in one turn,
        with the script handlers it woke. A mistake is told to the player
        and changes nothing.

        @type line: L{str}
        @return: L{None}
        """

    def run(session, body, verb=""):
        """
        Run C{body} (called with a L{engine.commands.base.Context}) as a
        command of C{session}'s player, in one turn: for commands that go on
        after asking the player something.

        @param verb: the command word, for the log.
        @type verb: L{str}
        @return: L{None}
        """


class IPlayer(Interface):
    """
    One connection, as the server and the commands see it (a session
    provides it beside L{ISession}).
    """

    state = Attribute(
        'C{"new"}, C{"login"}, C{"checking"}, C{"playing"}, C{"closing"} or C{"closed"}.')
    name = Attribute("The character's name once logged in, else None.")
    character_id = Attribute("The character played once logged in, else None.")
    account_key = Attribute("The folded account name once logged in, else None.")
    address = Attribute("The peer's address (text).")
    client = Attribute("The L{IClient} it writes to.")
    connected_at = Attribute("Clock time of connection.")
    last_input = Attribute("Clock time of the last line received.")

    def write(text):
        """
        Send C{text} to the player, wrapped to their width, as whole lines.

        @type text: L{str}
        @return: L{None}
        """

    def ask(prompt, answer, *, hidden=False):
        """
        Show C{prompt}; the next line the player sends goes to C{answer}
        instead of being a command. With C{hidden}, ask the client not to
        echo it (for passwords).

        @type prompt: L{str}
        @param answer: called with the line.
        @return: L{None}
        """

    def question(prompt, *, hidden=False):
        """
        Like L{ask}, for C{async def} dialogues: C{await} the answer.

        @type prompt: L{str}
        @return: a Deferred firing with the next line; cancelled if the
            connection closes first.
        """

    def run_dialogue(dialogue):
        """
        Run C{dialogue} (a coroutine asking L{question}s) outside any turn.
        A dialogue ended by the connection closing stops quietly; one that
        fails is logged and the player told nothing changed.

        @return: a Deferred firing when it is over.
        """

    def close(message):
        """
        Say C{message} and close the connection; the character falls asleep.

        @type message: L{str}
        @return: L{None}
        """

    def taken_over(address):
        """
        Another connection (from C{address}) logged in as this character:
        say so and close, leaving the character awake for the new session.

        @type address: L{str}
        @return: L{None}
        """


class IWelcome(Interface):
    """
    What a session hands the lines of a connection that is not playing yet:
    the login screen. It logs the session in through the session's own
    methods (C{checking}, C{check_failed}, C{logged_in}).
    """

    def greet():
        """
        The connection was admitted: show the welcome text.

        @return: L{None}
        """

    def line_received(line):
        """
        One line (not blank) typed at the welcome screen.

        @type line: L{str}
        @return: L{None}
        """
