# -*- test-case-name: tests.scripts.test_verbs -*-
"""
Commands scripts define, matched the way MOO players expect.

A script defines a verb by defining a function C{verb_<word>}::

    def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):
        here.emote("rings: DING!")

A typed line C{<word> <direct object> [<preposition> <indirect object>]}
(C{put coin in machine}, C{unlock door with key}, C{pet dog}) is split at a
preposition of L{PREPOSITIONS}: the last one whose indirect object names
something in reach (C{post meet at noon on board} splits at C{on}), else the
first. The objects are matched by name among what the player carries and
what is in the room (C{me} and C{here} work).

Resolution order (what runs when several could):

  1. the built-in commands (C{help} lists them) always win: scripts cannot
     take over C{look}, C{say}, C{get} or any other;
  2. exits: a line naming an exit walks through it;
  3. script verbs: the direct object's script, then the indirect object's,
     then the room's; the first that defines C{verb_<word>} runs;
  4. otherwise, if something else in reach (carried or in the room) has a
     running script defining C{verb_<word>}, the player is told which
     (C{rub} alone: "Rub what? The lamp here answers to 'rub' ('rub
     lamp')."; one whose script is suspended, or refuses the player, only if
     no running one answers him, and he is told so, as naming it tells
     him); if nothing does, "Huh?". Only the scripted things in reach
     are read for this, one of each script and at most L{MAX_HINTED}
     scripts: a word nothing around answers to reads no more beside a
     builder's pile of a thousand things than beside ten.

The verb receives the player as an interact facet (C{actor.tell(...)}),
the direct and indirect objects as view facets (or None when nothing in
reach answers to the words), the preposition (or None), and the direct and
indirect objects' words as typed (C{post Lost cat on board}: C{dobjstr} is
C{"Lost cat"}). A verb is the player's command: if it fails
or runs out of budget the whole turn is rolled back.

A verb of a thing the player named (its direct or indirect object, or
C{here}) runs at their request: it may put things into their hands, and
take out of them what they named (and what is inside it), as the world's
consent rule says (L{world.rules.Agent.acted_on}). A room's verb that
answers a word they typed without naming the room (C{sit}, C{look at
sign}) acts on its owner's authority alone: it changes nothing they carry.
A direction or a word like C{all} or C{it} (C{sit down}) names nothing,
whatever is called so or starts so (L{world.rules.PARTICLES}).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from attrs import frozen

from engine.colour import escape
from engine.scripts import fanout
from engine.scripts.runtime import (
    ScriptFailed,
    describe_failure,
    held_notice,
    suspension_advice,
    verb_function,
    whose_script,
)
from world import phrases, rules, words
from world.errors import Ambiguous, WorldError
from world.objects import Thing
from world.scripts import ScriptRecord, parent_of, script_of

if TYPE_CHECKING:
    from engine.commands.base import Context

#: Prepositions, longest first (so C{out of} wins over C{of}).
PREPOSITIONS = (
    "out of", "on top of", "in front of", "inside", "into", "onto", "upon", "underneath",
    "under", "behind", "beside", "through", "over", "with", "using", "at", "to", "in", "on",
    "from", "off", "about", "for",
)

_PREP = re.compile(r"\s(" + "|".join(re.escape(p) for p in PREPOSITIONS) + r")\s", re.IGNORECASE)


@frozen
class ParsedVerb:
    """
    One typed line, MOO-style.

    @ivar word: the verb as typed.
    @ivar dobjstr: the direct object's text ("" if none).
    @ivar prep: the preposition, lower-case, or None.
    @ivar iobjstr: the indirect object's text ("" if none).
    """

    word: str
    dobjstr: str
    prep: str | None
    iobjstr: str


def parses(word: str, args: str) -> list[ParsedVerb]:
    """
    Every way to read C{args}: split at each preposition, first one first
    (C{("put", "coin in machine")} → word C{put}, dobj C{coin}, prep C{in},
    iobj C{machine}); just the direct object if there is no preposition.
    """
    text = f" {args.strip()} "
    found = []
    start = 0
    while True:
        hit = _PREP.search(text, start)
        if hit is None:
            break
        found.append(ParsedVerb(word, text[: hit.start()].strip(), hit.group(1).lower(),
                                text[hit.end():].strip()))
        start = hit.end() - 1
    return found or [ParsedVerb(word, args.strip(), None, "")]


def parse(word: str, args: str) -> ParsedVerb:
    """
    The first way to read C{args} (see L{parses}).
    """
    return parses(word, args)[0]


#: Words that name nothing to a verb (C{sit down}, C{get up}, C{look around}),
#: whatever is called so or has a name starting so (a C{down pillow}): a verb's
#: thing is taken as asked for only when the player named it. C{me} and
#: C{here} still name the player and the room.
_NOT_NAMES = rules.PARTICLES - {"me", "self", "myself", "here"}


def _matched(ctx: Context, text: str, function: str) -> Thing | None:
    """
    What C{text} names within the actor's reach, or None: verbs run only on
    objects in reach, so a builder's C{#12} names nothing here.

    @raise Ambiguous: C{text} names alike things of different owners and
        one of them in reach defines C{function}: the player is asked which,
        never given one for the other.
    """
    if not text or text.lower() in _NOT_NAMES:
        return None
    try:
        found = ctx.find(text)
    except Ambiguous as e:
        runtime = ctx.server.scripts
        # Only things holding a script handle one: of alike things answering
        # in a crowded room, read only those (Answering.scripted).
        scripted = getattr(e.candidates, "scripted", None)
        answering = scripted() if scripted is not None else e.candidates
        if any(ctx.reaches(m) and runtime.handles(ctx.turn, m, function) for m in answering):
            raise
        return None
    except WorldError:
        return None
    return found if ctx.reaches(found) else None


#: Words of the login screen and of passwords (L{world.words}: the words of
#: a login that no name holds, and the commands of login screens). A player
#: typing one while playing (a client's auto-login sent again, a password
#: typed at the wrong prompt after 'password') is answered by the game, and
#: the line never reaches a script verb, which could otherwise read their
#: password.
LOGIN_WORDS = words.TYPED_LOGIN_WORDS

#: Whether a word is a login or password word, or a typo of a long one
#: (C{conect}, C{pasword}): one rule for script verbs and chat channels.
is_login_word = words.is_login_word


def try_verb(ctx: Context) -> bool:
    """
    Run the script verb the line names, if any; whether one ran.

    @raise ScriptFailed: the verb failed or ran out of budget (the turn is
        rolled back).
    """
    function = verb_function(ctx.verb)
    if function is None:
        return False
    if is_login_word(ctx.verb):
        raise WorldError(f"You are already playing as {ctx.actor.name}; that line was not "
                         "sent anywhere. To change your password, type '@password'.")
    if not _may_answer(ctx, function):
        return False  # (nothing around reads the line: nor its words' things)
    readings = parses(ctx.verb, ctx.args)
    parsed, iobj = readings[0], None
    for reading in reversed(readings):  # the split whose indirect object is in reach
        iobj = _matched(ctx, reading.iobjstr, function)
        if iobj is not None:
            parsed = reading
            break
    dobj = _matched(ctx, parsed.dobjstr, function)
    runtime = ctx.server.scripts
    # What the player acted on: a verb runs at their request (consent to
    # change what they carry) only if it is one of these, and then only for
    # these. The room answering a word they typed ("sit", "look at") was
    # not named, unless they said "here".
    named = frozenset(obj.id for obj in (dobj, iobj) if obj is not None)
    candidates: list[Thing] = []
    for obj in (dobj, iobj, ctx.here):
        if obj is not None and not any(obj is c for c in candidates):
            candidates.append(obj)
    asleep: Thing | None = None
    for host in candidates:
        if runtime.handles(ctx.turn, host, function) and runtime.resting(host.owner, ctx.turn.root):
            raise WorldError(f"{host.name} does nothing just now (its owner's scripts have "
                             "used their share of time); try again in a minute.")
        if runtime.handles(ctx.turn, host, function) and runtime.rests_for(
                host.owner, ctx.actor.id, ctx.turn.root):
            raise WorldError(f"{host.name} does nothing for you just now (what you do has kept "
                             "its owner's scripts busy: others may still use them); try again "
                             "in a minute.")
        if runtime.handles(ctx.turn, host, function) and runtime.meters.held(ctx.actor.id):
            # (a verb is its player's doing, whoever's it is: L{ScriptRuntime.call})
            raise WorldError(held_notice(runtime.meters, ctx.actor.id))
        until = runtime.refuses(host, ctx.actor.id)
        if until is not None and runtime.handles(ctx.turn, host, function):
            raise WorldError(runtime.refused_notice_for(host, ctx.actor.id, until))
        if not runtime.handles(ctx.turn, host, function):
            record = script_of(host)
            if (asleep is None and record is not None and record.suspended
                    and function in (record.functions or ())):
                asleep = host
            continue
        name = whose_script(host)  # (named before it runs: it may rename it)
        result = runtime.call(ctx.turn, host, function,
                              (ctx.actor, dobj, parsed.prep, iobj, parsed.dobjstr,
                               parsed.iobjstr),
                              foreground=True, audience=ctx.actor.id, acted_on=named)
        if result is not None and not result.ok:
            raise ScriptFailed(describe_failure(name, result), host.id, host.owner,
                               result.error or "",
                               brief=describe_failure(name, result, details=False))
        return True
    record = script_of(asleep) if asleep is not None else None
    if asleep is not None and record is not None:
        raise WorldError(suspended_notice(ctx, asleep, record))
    other = _answering(ctx, function, candidates)
    if other is not None:
        record = script_of(other)
        until = runtime.refuses(other, ctx.actor.id)
        if record is not None and record.suspended is not None:
            # (as naming it says: no more of another's script than that)
            then = suspended_notice(ctx, other, record)
        elif until is not None:
            then = runtime.refused_notice_for(other, ctx.actor.id, until)
        else:
            then = None
        raise WorldError(_elsewhere(ctx.verb, parsed.dobjstr, dobj, other, then))
    return False


#: The most scripts a line that names no verb's thing reads, looking for
#: something in reach that answers to its word (L{_may_answer}, L{_answering}).
MAX_HINTED = fanout.MAX_HANDLERS

#: The name the owners of a room's scripts take turns under in the hints
#: (L{_answering}): a space, which no happening's name holds, keeps it
#: apart from theirs.
HINTS = "verb hints"


def _firsts(place: Thing, skip: tuple[Thing, ...], rotate: str | None = None,
            step: int = 0) -> Iterator[Thing]:
    """
    Of each script run by things in C{place}, the first thing running it
    but C{skip} (L{fanout.by_script}: only the scripted things are read, and
    of each script only the first, since the things running one script
    answer to the same words), the owners taking turns under C{rotate},
    C{step} owners at a time, if C{place} has more than L{MAX_HINTED}
    owners of scripts (whatever C{step} the asking player's carried things
    leave).
    """
    return (first for group in fanout.by_script(place, skip, rotate, step, span=MAX_HINTED)
            for _, first in itertools.islice(group, 1))


def _scripts_in_reach(ctx: Context, skip: tuple[Thing, ...] = (), *,
                      rotate: bool = False) -> Iterator[Thing]:
    """
    Of each script run by things the actor carries, then by things in the
    room, the first thing running it but C{skip}, at most L{MAX_HINTED} of
    them (L{_firsts}). With C{rotate}, the room's owners take turns as a
    happening's do (L{fanout.by_script}): each such call starts as many
    owners further on as it reads of the room's, so that owners who parked
    more than L{MAX_HINTED} scripts there first do not hide another's for
    ever. Only a room of more than L{MAX_HINTED} owners of scripts takes
    turns, and so is remembered (L{fanout.Cursors}): the actor's carried
    things shrink how many of the room's scripts are read, never whether
    the room is crowded. The turns are the room's, shared by everyone in
    it: a line one player types moves which owners the next player's line
    starts from, fair between the owners either way.
    """
    carried = list(itertools.islice(_firsts(ctx.actor, skip), MAX_HINTED))
    yield from carried
    room = MAX_HINTED - len(carried)
    if ctx.here is not None and room > 0:
        yield from itertools.islice(_firsts(ctx.here, skip, HINTS if rotate else None, room),
                                    room)


def _may_answer(ctx: Context, function: str) -> bool:
    """
    Whether anything in reach may define C{function} (running or asleep):
    the room, or a thing carried or in the room. False only when
    none does, every scripted thing in reach read; when there are more
    scripts than L{MAX_HINTED}, True. Only what saving found is read: no
    script is checked for the player's typing.
    """
    def defines(obj: Thing | None) -> bool:
        record = script_of(obj) if obj is not None else None
        return record is not None and (record.functions is None or function in record.functions)

    if defines(ctx.here):  # (characters hold no script: the actor answers to nothing)
        return True
    seen = 0
    for obj in _scripts_in_reach(ctx):
        if defines(obj):
            return True
        seen += 1
    return seen >= MAX_HINTED


def _answering(ctx: Context, function: str, tried: list[Thing]) -> Thing | None:
    """
    Something else in reach (carried, or in the room) whose script defines
    C{function}, or None: among the first L{MAX_HINTED} scripts in reach
    (L{_scripts_in_reach}), the room's owners taking turns: in a room of
    C{owners} owners of scripts, one whose script answers is named within
    C{ceil(owners / MAX_HINTED)} lines that ask. A running script that
    answers the actor comes first; else one that refuses him for his
    failures (L{engine.scripts.runtime.ScriptRuntime.refuses}); else a
    suspended one (which naming it would tell him of). Only what saving
    found is read: no script is checked, run or charged for the player's
    typing.
    """
    runtime = ctx.server.scripts
    refusing: Thing | None = None
    asleep: Thing | None = None
    for obj in _scripts_in_reach(ctx, skip=(*tried, ctx.actor), rotate=True):
        record = script_of(obj)
        if record is None or record.functions is None or function not in record.functions:
            continue
        if record.suspended is not None:
            asleep = asleep or obj
        elif runtime.refuses(obj, ctx.actor.id) is not None:
            refusing = refusing or obj
        else:
            return obj
    return refusing or asleep


def _elsewhere(word: str, dobjstr: str, dobj: Thing | None, other: Thing,
               then: str | None = None) -> str:
    """
    What a player is told whose C{word} is a verb of C{other}, in reach,
    though the line did not name it: C{rub}, C{rub kettle}, C{rub lantern};
    with C{then}, why C{other} does not answer him now (its script is
    suspended, or refuses him), instead of how to name it.
    """
    answers = f"{phrases.capitalise(phrases.the(other.name))} here answers to {word!r}"
    answers += "." if then is not None else f" ('{word} {other.name}')."
    then = f" {then}" if then is not None else ""  # (quoted already)
    if not dobjstr:
        return f"{phrases.capitalise(word)} what? {answers}{then}"
    if dobj is None:
        return escape(f"You see no {dobjstr!r} here. {answers}") + then
    return (f"{phrases.capitalise(phrases.the(dobj.name))} does not answer to {word!r}. "
            f"{answers}{then}")


def suspended_notice(ctx: Context, host: Thing, record: ScriptRecord) -> str:
    """
    What a player who typed a verb of C{host}'s suspended script C{record}
    is told: its owner (or a wizard) why and what to type, anyone else that
    it does nothing. Both are told whose script it is (L{whose_script}).
    """
    whose = whose_script(host)
    if host.owner == ctx.actor.id or ctx.is_at_least("wizard"):
        shown = (parent_of(host) or host).name
        return (f"The script on {whose} has problems ({escape(record.suspended or '')}); see "
                f"@script/show {shown}, then {suspension_advice(host, record, ctx.root)}.")
    return (f"The script on {whose} has problems, so it does nothing just now; "
            "its owner must fix it.")
