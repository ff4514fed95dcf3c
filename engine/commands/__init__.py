# -*- test-case-name: tests.engine.test_commands,tests.engine.test_help -*-
"""
Commands players type, and the one place they are run.

L{TABLE} lists every command explicitly. A L{Dispatcher} (the composition
root makes one and hands it to every session) parses a line, runs the command
in one store turn, and turns a L{world.errors.WorldError} into a message: a
command that fails changes nothing and tells the player why.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from twisted.logger import Logger
from zope.interface import implementer

from engine.colour import escape
from engine.commands import (
    admin,
    basic,
    building,
    channels,
    consent,
    examine,
    help,
    items,
    library,
    mail,
    script,
    talk,
)
from engine.commands.base import Command, CommandTable, Context, UserError, exits_named
from engine.commands.option import option
from engine.interfaces import IDispatcher
from engine.scripts import events
from engine.scripts.runtime import ScriptFailed
from engine.scripts.verbs import parse as parse_verb
from engine.scripts.verbs import try_verb
from world.errors import WorldError
from world.objects import ALIKE, EXACT, PREFIX, Character, canonical_direction
from world.rules import PARTICLES

if TYPE_CHECKING:
    from engine.session import Session

_log = Logger()

TABLE = CommandTable([
    Command("look", basic.look, ("l",), category="Looking and moving"),
    Command("go", basic.go, ("walk",), category="Looking and moving"),
    Command("home", basic.home, (), category="Looking and moving"),
    Command("examine", basic.examine, ("ex", "exa"), category="Looking and moving"),
    Command("inventory", basic.inventory, ("i", "inv"), category="Looking and moving"),
    Command("say", talk.say, ('"', "'"), category="Talking"),
    Command("emote", talk.emote, (":", "pose", "me"), category="Talking"),
    Command("whisper", talk.whisper, (), category="Talking"),
    Command("page", talk.page, ("tell",), category="Talking"),
    Command("@channel", channels.channel_command, ("@channels", "@chan"), category="Talking"),
    Command("@mail", mail.mail_command, (), category="Talking"),
    Command("@ignore", talk.ignore, (), category="Talking"),
    Command("@unignore", talk.unignore, (), category="Talking"),
    Command("get", items.get, ("take",), category="Things"),
    Command("drop", items.drop, (), category="Things"),
    Command("give", items.give, (), category="Things"),
    Command("put", items.put, (), category="Things"),
    Command("use", script.use, (), category="Things"),
    Command("who", basic.who, (), category="The game"),
    Command("help", help.help_command, ("?",), category="The game"),
    Command("option", option, ("options",), category="The game"),
    Command("@password", admin.password, (), category="The game"),
    Command("quit", basic.quit, (), category="The game"),
    Command("@dig", building.dig, (), "builder", "Building"),
    Command("@open", building.open_exit, (), "builder", "Building"),
    Command("@create", building.create, (), "player", "Building"),
    Command("@describe", building.describe, ("@desc",), "player", "Building"),
    Command("@name", building.rename, ("@rename",), "player", "Building"),
    Command("@alias", building.alias, (), "player", "Building"),
    Command("@destroy", building.destroy, ("@recycle",), "player", "Building"),
    Command("@teleport", building.teleport, ("@tel",), "builder", "Building"),
    Command("@set", building.set_property, (), "player", "Building"),
    Command("@unset", building.unset_property, (), "player", "Building"),
    Command("@examine", examine.examine, ("@ex",), "player", "Building"),
    Command("@find", building.find, ("@search",), "builder", "Building"),
    Command("@script", script.script, ("@program",), category="Scripting"),
    Command("@library", library.library, ("@libraries",), category="Scripting"),
    Command("@grant", script.grant, (), category="Scripting"),
    Command("@grants", script.list_grants, (), category="Scripting"),
    Command("@revoke", script.revoke, (), category="Scripting"),
    Command("@quota", script.quota, (), category="Scripting"),
    Command("@holders", consent.holders, (), category="Scripting"),
    Command("@boot", admin.boot, (), "wizard", "Wizards"),
    Command("@shutdown", admin.shutdown, (), "wizard", "Wizards"),
    Command("@ban", admin.ban, (), "wizard", "Wizards"),
    Command("@unban", admin.unban, (), "wizard", "Wizards"),
    Command("@role", admin.role, (), "wizard", "Wizards"),
    Command("@newpassword", admin.newpassword, (), "wizard", "Wizards"),
    Command("@badnames", admin.badnames, (), "wizard", "Wizards"),
])

#: Commands whose arguments may hold passwords: never logged.
_SECRET = frozenset({"@password", "@newpassword"})

#: One-character prefixes that need no space after them.
_PREFIXES = {'"': "say", "'": "say", ":": "emote", ";": "emote"}


def parse(line: str) -> tuple[str, str]:
    """
    A line's command word and the rest: C{'"hi'} → C{("say", "hi")},
    C{"get lamp"} → C{("get", "lamp")}.
    """
    line = line.strip()
    if line[:1] in _PREFIXES:
        return _PREFIXES[line[0]], line[1:].strip()
    verb, _, rest = line.partition(" ")
    return verb.lower(), rest.strip()


@implementer(IDispatcher)
class Dispatcher:
    """
    The one place typed commands run: parses a line, finds the command in
    L{table}, runs it in one turn with the script handlers it woke.

    @ivar table: the L{CommandTable}.
    """

    def __init__(self, table: CommandTable = TABLE) -> None:
        self.table = table

    def execute(self, session: Session, line: str) -> None:
        """
        Run one typed line for a playing C{session}, in one turn: the
        command, then the script handlers it woke.

        A script verb that fails rolls the whole turn back; its owner is told
        too, and the failure counted (see L{engine.scripts.runtime}).
        """
        verb, args = parse(line)
        if not verb:
            return
        switch = ""
        if verb.startswith("@") and "/" in verb:
            verb, _, switch = verb.partition("/")

        def body(ctx: Context) -> None:
            command = self.table.find(verb, ctx.account.role)
            if command is not None and command.role == "builder":
                # Building commands may walk the whole world: the builder's share pays.
                with ctx.building():
                    command.run(ctx)
            elif command is not None:
                command.run(ctx)
            else:
                _no_command(ctx, line.strip())

        shown = line if verb not in _SECRET else f"{verb} (arguments not logged)"
        self._run(session, verb, args, switch, body, shown)

    def run(self, session: Session, body: Callable[[Context], None], verb: str = "") -> None:
        """
        Run C{body} as a command of C{session}'s player, in one turn (for
        commands that continue after asking the player something).
        """
        self._run(session, verb, "", "", body, verb or "(continued command)")

    def _run(self, session: Session, verb: str, args: str, switch: str,
             body: Callable[[Context], None], shown: str) -> None:
        store = session.server.store
        try:
            with store.turn() as turn:
                account = session.account(turn.root)
                actor = turn.root.get(account.character_id)
                if not isinstance(actor, Character):
                    raise UserError("Your character is missing; ask a wizard for help.")
                ctx = Context(session, session.server, turn, actor, account, verb, args,
                              switch, dispatcher=self)
                body(ctx)
                events.run(ctx)
        except ScriptFailed as e:
            session.write(e.for_reader(session.character_id))
            _script_failed(session, e)
        except WorldError as e:
            session.write(str(e))
        except Exception:
            _log.failure("command {line!r} by {name} failed", line=shown, name=session.name)
            session.write("Something went wrong running that; nothing was changed. "
                          "(The error has been logged for the operators.)")


def _script_failed(session: Session, failure: ScriptFailed) -> None:
    """
    Count the failure of a verb C{session}'s player typed (after its turn
    was rolled back) and tell its owner: toward suspending it for everyone
    if the player is its owner, else toward it refusing her alone
    (L{engine.scripts.runtime.ScriptRuntime.failed}, which tells its owner
    if it does).
    """
    runtime = session.server.scripts
    own = failure.owner == session.character_id
    told = str(failure) if own else f"{session.name} used your script, and it failed:\n{failure}"
    try:
        notice = runtime.record_failure(failure.host_id, told,
                                        cause=None if own else session.character_id)
    except Exception:
        _log.failure("recording a script failure on #{host} failed", host=failure.host_id)
        return
    _log.info("script verb on #{host} (owner {owner}) failed: {error}",
              host=failure.host_id, owner=failure.owner, error=failure.error)
    if failure.owner is not None and not own:
        runtime.tell(failure.owner, told, said_by=session.character_id)
    if notice:
        session.write(notice)


def _no_command(ctx: Context, line: str) -> None:
    if ctx.verb.startswith("+") and channels.try_talk(ctx):
        return  # +pub hello: always a channel
    here = ctx.here
    exits = exits_named(here, line)
    if not exits and canonical_direction(line) is not None:
        exits = exits_named(here, canonical_direction(line) or "")
    if exits:
        basic.traverse(ctx, exits[0])
        return
    if channels.try_talk(ctx):
        return  # pub hello: a channel the player is on comes before scripts' verbs
    if ctx.verb.lower() == "logout":  # a login word: it never reaches a script's verb
        raise UserError("Huh? 'logout' is not a command: type 'quit' to leave the game.")
    if try_verb(ctx):
        return
    channels.not_on(ctx)
    if canonical_direction(line) is not None:  # 'e': as the exits list says it, 'east'
        raise UserError(f"You can't go {canonical_direction(line)} from here.")
    word = ctx.verb
    if word.startswith("."):  # the editor closed when it saved ('.'), or never opened
        raise UserError(f"Huh? {word!r} is an editor command, and you are not in the editor: "
                        "'@script <thing>' opens it ('help editor').")
    table = ctx.dispatcher.table
    known = table.by_word.get(word)
    if known is not None:
        raise UserError(f"Only {known.role}s can use {known.name}.")
    at = table.find("@" + word.lower(), ctx.role)
    if at is not None:  # 'mail bob = Hi', 'dig north to Garden': the @ left out
        switch = f"/{ctx.switch}" if ctx.switch else ""
        typed = f"@{word.lower()}{switch} {ctx.args.strip()}".strip()
        raise UserError(escape(f"Huh? {word!r} is not a command: type {typed!r}."))
    if (word.lower() in ("read", "check")
            and ctx.args.strip().lower() in ("mail", "my mail", "messages", "my messages")):
        raise UserError(f"Huh? {word!r} is not a command: type '@mail' (your mail), then "
                        "'@mail <number>' to read one.")
    said = _said_otherwise(word.lower(), ctx.args)
    if said is not None:
        raise UserError(escape(f"Huh? {word!r} is not a command: type {said!r}."))
    words = [w for c in table.available(ctx.role) for w in c.words() if len(w) > 1]
    close = difflib.get_close_matches(word, words, n=3, cutoff=0.6)
    hint = ""
    if close:
        hint = " Did you mean " + " or ".join(repr(c) for c in close) + "?"
    missing = _named_but_missing(ctx)
    if missing is not None:
        raise UserError(escape(
            f"Huh? {word!r} is not a command, and you see no {missing!r} here: a thing's own "
            f"commands, like {ctx.verb + ' ' + ctx.args.strip()!r}, work only where it is."
            f"{hint} Type 'help' for the list."))
    raise UserError(f"Huh? {word!r} is not a command.{hint} Type 'help' for the list.")


#: Words a new player types for a built-in command, and that command: the
#: answer to 'insert coin' is 'put coin in <container>' in her own words.
#: They are hints only, never commands, so a script's verb_insert still
#: answers 'insert' where its thing is (scripts' verbs come first).
_OTHER_WORDS = {
    "insert": "put", "place": "put", "stash": "put",
    "grab": "get", "pick": "get", "collect": "get",
    "talk": "say", "speak": "say", "shout": "say", "yell": "say", "chat": "say",
    "hand": "give", "offer": "give",
    "inspect": "examine", "study": "examine", "search": "examine",
    "items": "inventory",
    "exits": "look", "where": "look",
    "exit": "quit", "bye": "quit", "logoff": "quit", "signoff": "quit",
}

#: Gestures a new player types alone ('wave', 'hug bob'), and how an emote
#: says them (':waves', ':hugs bob'): hints only, as L{_OTHER_WORDS}.
_GESTURES = {
    word: word + "s" for word in (
        "wave", "smile", "nod", "grin", "laugh", "bow", "shrug", "hug", "wink", "dance",
        "sigh", "cheer", "clap", "frown", "yawn", "giggle", "chuckle", "kiss", "smirk",
        "blush", "scowl", "salute", "beam", "pout", "sneeze", "cough", "gasp", "groan",
        "applaud", "thank", "greet", "tickle", "shiver")
} | {"cry": "cries", "stretch": "stretches"}


def _said_otherwise(word: str, args: str) -> str | None:
    """
    The line a player who typed C{word} C{args} meant, if C{word} is another
    player's word for a built-in command (L{_OTHER_WORDS}), else L{None}.
    """
    gesture = _GESTURES.get(word)
    if gesture is not None:
        return f":{gesture} {args.strip()}".strip()
    command = _OTHER_WORDS.get(word)
    if command is None:
        return None
    parsed = parse_verb(word, args)
    thing = parsed.dobjstr or "<thing>"
    if word == "pick" and thing.lower().startswith("up "):
        thing = thing[3:].strip() or "<thing>"
    if command == "put":
        return f"put {thing} in {parsed.iobjstr or '<container>'}"
    if command == "give":
        return f"give {thing} to {parsed.iobjstr or '<someone>'}"
    if command == "say":  # 'talk to biscuit' has no words to say
        words = "" if parsed.prep == "to" and not parsed.dobjstr else args.strip()
        return f"say {words or '<words>'}"
    if command in ("get", "examine"):
        return f"{command} {thing}"
    return command


def _named_but_missing(ctx: Context) -> str | None:
    """
    The direct object of the line, as typed, if it names something (not
    C{down} or C{all}) that is neither carried nor here, else L{None}.
    """
    thing = parse_verb(ctx.verb, ctx.args).dobjstr
    if not thing or thing.lower() in PARTICLES or thing.startswith("#"):
        return None
    # Asked of the index by name of what she carries and of the room, as
    # 'get' asks it (world.matching.match_in), but no thing is read: beside
    # a pile of a thousand pebbles 'xyzzy pebble 5' reads no more than a say.
    wanted = " ".join(_ORDINAL.sub("", thing).lower().split())
    for place, skip in ((ctx.actor, None), (ctx.here, ctx.actor)):
        for tier in (EXACT, PREFIX, ALIKE):
            answers = place.contents.answering(tier, wanted, skip)
            if next(iter(answers.arrivals()), None) is not None:
                return None
    return thing


#: An ordinal before a name ('2.pebble'), as world.matching reads it.
_ORDINAL = re.compile(r"^\d{1,4}\.")
