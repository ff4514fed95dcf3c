# -*- test-case-name: tests.engine.test_help -*-
"""
Help in the game: the commands (from their docstrings), and topics for
scripters, most of them generated from the code they describe so they
cannot drift from it:

  - C{help facets}, C{help this.move_to}: from the facet interfaces
    (L{scripting.facets.interfaces}) and what a script is endowed with;
  - C{help events}: from L{engine.scripts.events.HANDLERS};
  - C{help colour}: from the markup L{engine.colour} renders;
  - C{help scripting}: a short guide, its lists (modules, builtins, limits)
    from the sandbox itself;
  - C{help editor}: the editor's own help.

Help points only to other help, never to a file a player cannot read; the
long form is the server's C{docs/}.
"""

from __future__ import annotations

import difflib
import inspect
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from zope.interface import Interface
from zope.interface.interface import Method

from engine.colour import escape
from engine.commands.base import Context, UserError
from engine.commands.editor import HELP as EDITOR_HELP
from engine.scripts.events import HANDLERS, MAX_HANDLERS
from engine.text import join
from scripting import Domain
from scripting.facets import accounting
from scripting.facets.interfaces import (
    ROLES,
    ICharacterInteract,
    IRoomInteract,
    IScriptState,
    IThingControl,
    ITimers,
)
from scripting.imports import STANDARD_MODULES
from scripting.task import Budget
from world.errors import WorldError
from world.objects import Thing
from world.phrases import the
from world.scripts import MAX_CHARS, MAX_LINES, script_of

if TYPE_CHECKING:
    from engine.commands.base import CommandTable

#: What a script starts with, as 'help facets' shows it: name → (the interface
#: of what it holds, or None, and what it is).
ENDOWMENTS: dict[str, tuple[type[Interface] | None, str]] = {
    "this": (IThingControl,
             "control of the object the script is on: the owner's powers over it (a "
             "container's also lists its contents; a room's script gets the room, which "
             "can announce but not move or be destroyed)"),
    "here": (IRoomInteract,
             "the room the object is in, speaking as the object (None if it is nowhere)"),
    "actor": (ICharacterInteract,
              "the character who typed the verb or did what woke the handler"),
    "state": (IScriptState,
              "the object's storage, kept across runs and restarts (plain values and "
              "facets), used like a dict: state[\"n\"] = 1, state[\"n\"] (KeyError if "
              "nothing is stored: state.get(\"n\", 0) gives 0 then), del state[\"n\"], "
              "\"n\" in state, len(state), for key in state. What you read is a copy: "
              "state[\"notes\"].append(x) changes nothing stored; write notes = "
              "state.get(\"notes\", []), notes.append(x), then state[\"notes\"] = notes"),
    "timers": (ITimers, "the object's timers; when one fires, the function you named runs"),
    "grants": (None,
               "a dict: name → a facet of another object the owner granted this script "
               "(@grant), with the role granted (view, interact or control)"),
    "clock": (None, "clock.now(): the time, in whole seconds"),
}

#: The colours of the markup, by letter (upper case: bright).
COLOUR_NAMES = {"x": "black", "r": "red", "g": "green", "y": "yellow", "b": "blue",
                "m": "magenta", "c": "cyan", "w": "white"}

_EPYTEXT = re.compile(r"[CLBIU]\{((?:[^{}]|\{[^{}]*\})*)\}")


def plain(doc: str | None) -> str:
    """
    A docstring for players: its markup (C{C{x}}, C{L{x}}, C{B{x}}) taken
    out, its fields (C{@raise X: why}) in words.
    """
    text = _EPYTEXT.sub(r"\1", inspect.cleandoc(doc or ""))
    text = re.sub(r"^@raise ([\w.]+): ", lambda m: f"Fails ({m.group(1).rpartition('.')[2]}): ",
                  text, flags=re.MULTILINE)
    text = re.sub(r"^@return: ", "Returns: ", text, flags=re.MULTILINE)
    # Join each paragraph's lines: the player's screen wraps them.
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n".join(paragraphs)


def first_sentence(doc: str | None) -> str:
    """
    The first sentence of a docstring, for one-line lists.
    """
    text = plain(doc).split("\n")[0]
    end = re.search(r"\.(\s|$)", text)
    return text[: end.start() + 1] if end else text


def members(interface: type[Interface]) -> list[tuple[str, object]]:
    """
    The names C{interface} offers (with its bases'), in the order they are
    declared.
    """
    seen: dict[str, object] = {}
    # The interface's own names, then its bases' in the order it lists them;
    # a name redefined (a room's own say) has the most derived description.
    for base in interface.__iro__:
        for name in base.names():
            seen.setdefault(name, interface.get(name))
    return [(n, seen[n]) for n in seen if not n.startswith("_")]


def signature(name: str, description: object) -> str:
    """
    C{move_to(place)} for a method, C{name} for an attribute.
    """
    if isinstance(description, Method):
        return name + description.getSignatureString()
    return name


def _endowment_lines(name: str) -> list[str]:
    interface, what = ENDOWMENTS[name]
    lines = [f"{name}: {what}."]
    if interface is None:
        return lines
    listed = members(interface)
    attributes = [n for n, d in listed if not isinstance(d, Method)]
    if attributes:
        lines.append(f"  read: {', '.join(attributes)}")
    for member, description in listed:
        if isinstance(description, Method):
            lines.append(f"  {signature(member, description)}: "
                         f"{first_sentence(description.__doc__)}")
    return lines


def _views() -> list[str]:
    names: dict[str, None] = {}
    for view, _interact, _control in ROLES.values():
        names.update(dict.fromkeys(signature(n, d) for n, d in members(view)))
    return list(names)


def facets_topic(ctx: Context) -> str:
    """
    What a script holds, and what each can do: generated from the facet
    interfaces.
    """
    parts = ["What a script holds. Scripts hold facets of objects, never the objects: a facet "
             "allows one role, view (look), interact (also speak, tell) or control (the "
             "owner's powers), and nothing else. Each script starts with:"]
    for name in ENDOWMENTS:
        parts.append("\n".join(_endowment_lines(name)))
    parts.append("Everything else a script meets (a verb's dobj and iobj, contents, exits, "
                 "location, characters, what a handler is given besides actor) is a view "
                 "facet: " + ", ".join(_views()) + " (what the kind of object has).")
    parts.append("'help <name>.<method>' (e.g. 'help this.move_to') explains one; "
                 "'help events' lists the handlers, 'help scripting' the rest.")
    return "\n\n".join(parts)


@cache
def _method_index() -> dict[str, list[tuple[str, str, object]]]:
    """
    Method or attribute name → (how a script reaches it, its signature,
    its description), from every endowment and every role.
    """
    index: dict[str, list[tuple[str, str, object]]] = {}
    seen: set[tuple[str, int]] = set()
    places = [(name, interface) for name, (interface, _) in ENDOWMENTS.items()
              if interface is not None]
    places += [(f"a {kind}'s {role}", interface) for kind, roles in ROLES.items()
               for role, interface in zip(("view", "interact", "control"), roles, strict=True)]
    for where, interface in places:
        for member, description in members(interface):
            key = (member, id(description))
            if key in seen:
                continue
            seen.add(key)
            index.setdefault(member, []).append((where, signature(member, description),
                                                 description))
    return index


def method_topic(name: str) -> str | None:
    """
    The help of a facet method or attribute (C{"move_to"}, C{"this.move_to"},
    C{"here.say"}), or None if no facet has one by that name.
    """
    where, _, member = name.rpartition(".")
    found = _method_index().get(member)
    if not found:
        return None
    if where:
        found = [f for f in found if f[0] == where] or found
    parts = []
    for place, sig, description in found:
        reached = f"{place}.{sig}" if place in ENDOWMENTS else f"{sig} (on {place} facet)"
        parts.append(f"{reached}\n{plain(description.__doc__)}")
    return "\n\n".join(parts)


def events_topic(ctx: Context) -> str:
    """
    The handlers a script may define: generated from the engine's table.
    """
    lines = ["Handlers: define a function with one of these names in your script, and it "
             "runs when that happens (actor is who did it: you may actor.tell(...) them; "
             "other objects are view facets):"]
    for name, args, when in HANDLERS:
        lines.append(f"  {name}({args}): {when}")
    lines.append("  <any name>(data): a timer you set with timers.after/every(seconds, "
                 "\"name\", data) fired")
    lines.append("The object's room is the room it lies in: a thing a character carries "
                 "hears nothing said around it (drop it).")
    lines.append(f"What players do wakes handlers; of what scripts do, only their moves "
                 "(on_leave/on_enter), and what those wake wakes nothing more. One happening "
                 f"wakes at most {MAX_HANDLERS} of them (the room's first). A handler runs "
                 "after the command that woke it; if it fails, what it did is undone and the "
                 "command stands. Verbs: def verb_ring(actor, dobj, prep, iobj, dobjstr, "
                 "iobjstr), or def verb_ring(actor, *rest) to ignore the rest, makes "
                 "'ring <object>' a command ('help scripting').")
    return "\n".join(lines)


def colour_topic(ctx: Context) -> str:
    """
    The colour markup, each code shown in its colour: generated from the
    codes the renderer knows.
    """
    def sample(code: str, word: str) -> str:
        return f"{escape(code)} {code}{word}|n"

    lines = ["Colour markup, in descriptions and messages (shown in colour, or not at all, as "
             "your client can; 'option colour' sets it):"]
    codes = list(COLOUR_NAMES.items())
    for start in (0, 4):
        lines.append("  " + "   ".join(sample(f"|{letter}", name)
                                       for letter, name in codes[start:start + 4]))
    for start in (0, 4):
        lines.append("  bright: " + "   ".join(sample(f"|{letter.upper()}", name)
                                               for letter, name in codes[start:start + 4]))
    lines += [f"  {escape('|[NNN')} an xterm-256 colour (000 to 255), e.g. "
              f"{escape('|[202')} |[202orange|n; {escape('|]NNN')} a background",
              f"  {escape('|u')} |uunderlined|n   {escape('|n')} back to normal   "
              f"{escape('||')} a bar"]
    return "\n".join(lines)


@cache
def _builtin_names() -> tuple[str, ...]:
    # The sandbox's own list, made once (a domain is not cheap).
    domain = Domain("help")
    return tuple(sorted(n for n in domain.builtins if n.isidentifier() and not n[0] == "_"))


def scripting_topic(ctx: Context) -> str:
    """
    A short guide to scripting, with the lists taken from the sandbox.
    """
    fore, back = Budget(), Budget.background()
    use = accounting.usage(ctx.root, ctx.actor.id)
    modules = join(sorted(STANDARD_MODULES))
    return "\n".join([
        "Scripting: give a thing of yours a Python script.",
        "  @create bell                 make a thing ('@quota' shows your limits)",
        "  drop bell                    put it down, so others here can use it",
        "  @script bell                 open the editor ('.help' there lists commands)",
        "  def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):",
        "      here.emote(\"rings: DING!\")",
        "  .                            save: anyone here can now type 'ring bell'",
        "  def verb_ring(actor, *rest):   the same, short (*rest: what you do not use)",
        "",
        "A script starts with this (its object), here (its room), state, timers, grants "
        "and clock ('help facets' says what each can do). A function verb_<word> is a "
        "command players type: '<word> <object> [<preposition> <object>]'; built-in "
        "commands and exits come first. Typed text reaches a verb as dobjstr: 'post "
        "hello there on board' calls the board's verb_post with dobjstr \"hello there\", "
        "prep \"on\" and iobj the board. A function on_<event> runs when that happens "
        "('help events'); those of the room around (on_hear, on_arrive, on_depart) "
        "wake the things lying in it, not one you carry: drop it first. "
        "Keep what must last in state, used like a dict: state[\"rings\"] = "
        "state.get(\"rings\", 0) + 1. What you read from state is a copy: after "
        "notes = state.get(\"notes\", []) and notes.append(x), store it back with "
        "state[\"notes\"] = notes ('help state'). Module globals are a cache, lost "
        "at any time (a save, a move, a failure, a restart).",
        "",
        f"The Python: functions, classes, comprehensions, try/except, f-strings and most of "
        f"the language; no names starting with _, no with, match or async. "
        f"import {modules}, and your libraries ('help @library'). Builtins: "
        f"{', '.join(_builtin_names())}.",
        "",
        f"Limits: a verb may run {fore.ticks} ticks ({fore.seconds:g} s), a handler or timer "
        f"{back.ticks} ({back.seconds:g} s); calls nest {fore.depth} deep; a script has at "
        f"most {MAX_LINES} lines, {MAX_CHARS} characters. Yours: {use.objects_quota} "
        f"objects, {use.stored_bytes_quota} bytes of storage (state, properties, and the "
        f"names, descriptions and scripts of your things), {use.timers_quota} timers, "
        f"{use.ticks_quota} ticks a minute.",
        "If a script fails or runs out, nothing it did happens and you are told its line; "
        "after 3 failures in a row it is suspended until you save it again or "
        "'@script/restart' it. Saving refuses a verb, handler or timer's handler that could "
        "not take the arguments it is called with, and says what it should take (a verb: "
        "def verb_ring(actor, *rest); a timer's: def strike(data)).",
        "",
        "Several things can run one script: '@script/use glider = kite'.",
        "",
        "More: 'help facets', 'help events', 'help editor', 'help colour', 'help @script', "
        "'help @library', 'help @grant', 'help @quota'.",
    ])


def editor_topic(ctx: Context) -> str:
    """
    The script editor's help.
    """
    return EDITOR_HELP


#: A builder's first rooms, step by step ('help building').
BUILDING_HELP = """\
Building, step by step (rooms and exits are builders' work; everyone may
@create things and @describe them):

  @dig Workshop                   a room of your own, with no exits yet
  @teleport #<id>                 go there (@dig says its id)
  @dig north to Kitchen           a room north of here, and south back
  @dig trapdoor/up to Cellar      any other exit name: say the way back
  @open east to #12               an exit to a room you own, and west back
  @describe here = A sunny kitchen.
  @create brass lantern           a thing, in your hands
  @create container oak chest     a thing that holds things
  @alias lantern = lamp, light    other names players may call it by
  @name lantern = silver lantern  a new name
  put lamp in chest, get lamp from chest, give lamp to bob, drop lamp

You name the exit first, then the room. Commands with '=' need it:
'@describe lamp = Shiny.', not '@describe lamp Shiny.'. Names may have
spaces and digits (Room 101) but may not be directions (an exit's may) or
start with #; '@find <name>' finds a thing's #id, which names it from
anywhere.

Properties the world reads (@set <thing>/<property> = <value>; @unset
<thing>/<property> removes one):

  fixed = true     on a thing: players cannot pick it up (fixed_message
                   says why: '@set anvil/fixed_message = It is bolted down.')
  locked = true    on an exit: nobody can pass (locked_message says why)
  sealed = true    on a container: things go in, nothing comes out but
                   for its owner (a coin slot; make it fixed too); not
                   while it holds anything of someone else's
  public = true    on a room: other builders may @teleport there

@destroy removes one of yours (not the room you stand in; what it held falls
out, exits into a room go with it). @examine shows everything about one of
yours, @quota how many objects you own of your limit. To make things act:
'help scripting'."""


def building_topic(ctx: Context) -> str:
    """
    A builder's first rooms, step by step, and the properties the world reads.
    """
    return escape(BUILDING_HELP)


#: Topic name → what it says.
TOPICS: dict[str, Callable[[Context], str]] = {
    "building": building_topic,
    "build": building_topic,
    "lock": building_topic,
    "locks": building_topic,
    "scripting": scripting_topic,
    "facets": facets_topic,
    "events": events_topic,
    "editor": editor_topic,
    "colour": colour_topic,
    "color": colour_topic,
    "verb": scripting_topic,
    "verbs": scripting_topic,
    "event": events_topic,
    "handler": events_topic,
    "handlers": events_topic,
}

#: Topics' other names, left out of the list 'help' shows.
_OTHER_NAMES = {"build", "lock", "locks", "color", "verb", "verbs", "event", "handler",
                "handlers"}


def help_command(ctx: Context) -> None:
    """
    Get help: help [command or topic]

    'help' lists the commands you can use; 'help <command>' explains one.
    Topics: 'help building', 'help scripting', 'help facets' (what a script
    can do with what it holds), 'help events', 'help editor', 'help
    colour'; and 'help
    <name>.<method>' for one thing a script can do ('help this.move_to',
    'help state.set').
    """
    table: CommandTable = ctx.dispatcher.table
    if not ctx.args:
        categories: dict[str, list[str]] = {}
        for command in table.available(ctx.role):
            # Its words, as many of the first three as leave the column its gap.
            names = command.name
            for word in command.words()[1:3]:
                if len(names) + 1 + len(word) > 22:
                    break
                names += "/" + word
            categories.setdefault(command.category, []).append(
                f"  {names:<22} {command.summary}")
        parts = [f"{heading}:\n" + "\n".join(lines) for heading, lines in categories.items()]
        parts.append("Directions (n, s, e, w, ne, nw, se, sw, u, d, in, out) and exit names "
                     "move you.\nType 'help <command>' for more about one. Topics: "
                     + ", ".join(t for t in TOPICS if t not in _OTHER_NAMES) + ".")
        ctx.tell(escape("\n\n".join(parts)))
        return
    word = ctx.args.split()[0].lower()
    # 'help mail' is '@mail'; 'help timer' is 'timers', 'help channels' '@channels'.
    for meant in (word, "@" + word, word[:-1] if word.endswith("s") else word + "s",
                  "@" + word[:-1] if word.endswith("s") else "@" + word + "s"):
        text = _help_on(ctx, table, meant)
        if text is not None:
            ctx.tell(text)
            return
    handler = [(name, args, when) for name, args, when in HANDLERS if name == word]
    if handler:
        name, args, when = handler[0]
        ctx.tell(escape(f"{name}({args}): {when} (a script that defines it runs it then; "
                        "'help events' lists them all)."))
        return
    words = [w for c in table.available(ctx.role) for w in c.words()]
    words = list(dict.fromkeys([*words, *TOPICS, *ENDOWMENTS, *_method_index()]))
    close = difflib.get_close_matches(word.rpartition(".")[2], words, n=3)
    hint = f" Did you mean {join((repr(c) for c in close), 'or')}?" if close else ""
    here = _thing_here(ctx, ctx.args.strip())
    if here is not None:
        raise UserError(f"There is no help on {word!r}; {here}. Type 'help' for the list.")
    raise UserError(f"There is no help on {word!r}.{hint} Type 'help' for the list.")


def answers_to(target: Thing) -> str:
    """
    The words C{target}'s script answers to, as its saving found them
    (C{; it answers to 'post' and 'read' ('post notice board')}), or
    nothing: for 'use' of a thing with verbs and no C{on_use}. Nothing is
    run or charged: only the names saving read are. ('help board' says it
    too.)
    """
    record = script_of(target)
    if record is None or not record.functions:
        return ""
    verbs = sorted({name[len("verb_"):] for name in record.functions
                    if name.startswith("verb_") and len(name) > len("verb_")})
    if not verbs:
        return ""
    return (f"; it answers to {join(repr(v) for v in verbs[:8])}"
            f" ('{verbs[0]} {target.name}')")


def _thing_here(ctx: Context, typed: str) -> str | None:
    """
    What C{typed} names in reach answers to ('the notice board here answers
    to 'read' ('read notice board')'), for 'help board'; L{None} if it names
    nothing here or answers to no word.
    """
    try:
        thing = ctx.find(typed)
    except WorldError:
        return None
    answers = answers_to(thing)
    if not answers or thing is ctx.actor:
        return None
    return escape(f"{the(thing.name)} here{answers.removeprefix('; it')}")


def _help_on(ctx: Context, table: CommandTable, word: str) -> str | None:
    """
    The help on C{word}: a command, a topic, a script's endowment or one of
    their methods; L{None} if it is none of them.
    """
    found = table.find(word, ctx.role)
    if found is not None:
        names = ", ".join(found.words())
        text = escape(f"{names}\n\n{found.help}")
        places = [p for p, _, _ in _method_index().get(word, ()) if p in ENDOWMENTS]
        if places:
            text += ("\n(For scripts, see also "
                     + join((f"'help {p}.{word}'" for p in places), "and") + ".)")
        return text
    topic = TOPICS.get(word)
    if topic is not None:
        return topic(ctx)
    if word in ENDOWMENTS:
        return escape("\n".join(_endowment_lines(word)))
    method = method_topic(word)
    if method is not None:
        return escape(method)
    return None
