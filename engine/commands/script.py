# -*- test-case-name: tests.scripts.test_editor,tests.scripts.test_libraries -*-
"""
Scripting objects from the command line: the editor (@script and its
switches), grants (@grant, @grants, @revoke), meters (@quota), and 'use'.
"""

from __future__ import annotations

import difflib
import math
import re
import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

from BTrees.IIBTree import IITreeSet
from twisted.logger import Logger

from engine.colour import escape
from engine.commands.base import Context, UserError, split_equals
from engine.commands.editor import (
    EditorError,
    at_lines,
    first_problem,
    line_number,
    line_range,
    listed,
    numbered,
    open_editor,
)
from engine.commands.help import answers_to
from engine.commands.library import grant_library, is_library_spec, revoke_library, share_lines
from engine.scripts import events, meters
from engine.scripts.libraries import library_advice
from engine.scripts.notes import notes as save_notes
from engine.scripts.runtime import OWN_RESERVE, SUSPEND_AFTER, whose_script
from engine.scripts.signatures import WrongArguments
from scripting.facets import accounting, grants, texts, timers
from scripting.facets import channels as channel_grants
from scripting.imports import imported_names, unknown_imports
from world import channels, ignores, rules
from world.errors import NoMatch
from world.events import Event
from world.libraries import importable, importable_names, libraries_of, offers_to
from world.libraries import library as find_library
from world.objects import Character, Thing
from world.phrases import capitalise, the
from world.scripts import (
    FAILURE_BYTES,
    FAILURES_KEPT,
    MAX_CHARS,
    MAX_LINES,
    ScriptRecord,
    clear_script,
    declared_functions,
    failures_of,
    is_scriptable,
    may_be_parent,
    parent_of,
    script_of,
    set_parent,
    set_script,
    suspension_now,
)

_log = Logger()


def _lines(count: int) -> str:
    return "1 line" if count == 1 else f"{count} lines"


def _scriptable(ctx: Context, name: str) -> Thing:
    if not name.strip():
        raise UserError("Script what? Name one of your objects, e.g. '@script bell'.")
    # Her own things by #id wherever they are: a thing of hers in another's
    # seal (which she may not destroy) has its script stopped by /clear.
    return _may_script(ctx, ctx.own_or_near(name))


def _may_script(ctx: Context, target: Thing) -> Thing:
    if not is_scriptable(target):
        raise UserError("Characters can't hold scripts; script one of your objects.")
    if target.owner != ctx.actor.id and not ctx.is_at_least("wizard"):
        raise UserError(f"{target.name} isn't yours; you can script only what you own.")
    return target


def save(ctx: Context, target: Thing, lines: list[str], *, restart: bool = False,
         editing: bool = False,
         checked: tuple[list[str], tuple[str, ...]] | None = None) -> list[str]:
    """
    Compile C{lines} as C{target}'s script and keep it: with its problems
    listed (by line; by the editor instead, if C{editing}) and the script
    suspended until they are fixed, if it has any.

    A script saved for the first time (or never started) is started: its
    C{on_attach()} runs. An edit of a started script keeps its timers and
    does not run C{on_attach()} again, unless C{restart}.

    @return: the problems it was saved with (empty: none); if C{editing},
        followed by its notes (a function defined twice...), for the editor
        to list after them.
    """
    source = "\n".join(lines)
    if len(lines) > MAX_LINES or len(source) > MAX_CHARS:
        raise UserError(f"A script may have at most {MAX_LINES} lines and {MAX_CHARS} "
                        "characters.")
    _not_a_child(target)
    old = script_of(target)
    texts.check(ctx.root, target,  # before checking it costs anything
                texts.size(source) - (texts.size(old.source) if old is not None else 0))
    runtime = ctx.server.scripts
    if checked is not None:  # just checked (and charged) by the caller
        problems, functions = checked
    else:
        runtime.may_save(ctx.turn, target)  # saving runs it, at its owner's cost
        try:
            problems, functions = runtime.analyse(ctx.turn, target, source)
        except WrongArguments as e:
            raise UserError(_not_saved(target, old is not None, e.problems)) from None
    if problems:
        functions = declared_functions(source)  # its verbs then say it has problems
    with texts.charging(ctx.root, target):  # its text, to its owner's stored bytes
        record = set_script(target, source, functions, ctx.actor.id)
    runtime.forget(target.id)
    runtime.saved(ctx.turn, target)  # (refusals of the old version end, their timers due)
    if old is None:
        tell_keeper(ctx, target)
    tree = runtime.parsed(source)  # (parsed once, by the trial run)
    notes = save_notes(tree)
    twice = "".join(f"\n{note}" for note in notes)
    if problems:
        record.suspended = f"it has errors: {first_problem(problems)}"
        _wait_for_libraries(ctx, target, source)
        held = library_advice(ctx.root, target.owner, source, record.suspended, False,
                              target.name)
        then = (f"\n({held[0].upper()}{held[1:]}.)" if held else
                f"\n(@script {target.name} to fix it in the editor, @script/show to list it.)")
        ctx.tell(escape(f"Saved the script on {target.name} ({_lines(len(lines))}), but it "
                        f"has {len(problems)} problem(s) and will not run until they are "
                        "fixed" + (":" if editing else ":\n" + at_lines(problems, lines)
                                   + then + twice)))
        # The editor lists the problems under the heading, then the notes
        # (what to do about a library that holds it back first).
        held_note = [f"Note: {held}."] if held else []
        return problems + held_note + notes if editing else problems
    shown = ", ".join(functions) if functions else "no functions"
    said = f"Saved the script on {target.name} ({_lines(len(lines))}); it defines {shown}."
    if old is not None and old.suspended:
        for errors in _ERRORS:  # saved with errors: it never ran, never failed
            if old.suspended.startswith(errors) and old.failures < SUSPEND_AFTER:
                said += escape(f" It had errors ({old.suspended[len(errors):]}); it runs now.")
                break
        else:
            said += escape(f" It was suspended ({old.suspended}) and runs again.")
    if timers.unpark(ctx.root, target):  # its timers (and its users') that waited for it
        ctx.turn.after_commit.append(runtime.wake)
    said += escape(twice)
    unknown = unknown_imports(source, importable_names(ctx.root, target.owner))
    if unknown:  # in a function never run yet: the trial run could not find them
        said += escape("\nNote: " + "; ".join(str(v) for v in unknown))
    for name in _unwoken(source, functions):
        near = difflib.get_close_matches(name, sorted(events.HANDLER_NAMES), n=1, cutoff=0.75)
        meant = f" Did you mean {near[0]}?" if near else ""
        said += escape(f"\nNote: no event wakes {name} ('help events' lists them).{meant} A "
                       f"command players type is a function verb_{name[3:]}(actor, dobj, prep, "
                       "iobj, dobjstr, iobjstr).")
    for name in _unrun(source, functions):
        said += escape(f"\nNote: nothing runs {name}: {_why_unrun(name)}")
    for name, word in _commands_named(ctx, functions):
        said += escape(f"\nNote: {name}: '{word}' is a game command, so players typing it "
                       "never reach this verb; name it otherwise.")
    if restart or not record.attached:
        ctx.tell(said + (" Started afresh: its timers were cancelled." if restart else ""))
        runtime.attach(ctx.turn, target, ctx.actor)
        if restart:
            _restart_users(ctx, target)
        return []
    own = timers.timers_on(ctx.root, target)
    theirs, unread = _users_timers(ctx.root, target)
    pending = len(own)
    on_users = Counter(t.handler for t in theirs)
    for handler, count in Counter(t.handler for t in own + theirs
                                  if t.handler not in functions).items():
        them = "1 timer" if count == 1 else f"{count} timers"
        if on_users[handler]:
            them += f" ({on_users[handler]} on things running this script)"
        fail = ("it is cancelled when it fires" if count == 1
                else "they are cancelled when they fire")
        said += escape(f"\nNote: {them} pending for {handler}, which this version no longer "
                       f"has: {fail}.")
    if unread:
        said += (f"\nNote: only the timers of the first {USERS_READ} things running this "
                 "script were looked at.")
    if pending or theirs or "on_attach" in functions:
        kept = f" Its {pending} timer(s) keep running;" if pending else ""
        if theirs:
            kept += f" the {len(theirs)} timer(s) of things running it keep running;"
            said += (f"{kept} '@script/restart {target.name}' starts it and the things running "
                     "it afresh (cancels their timers, runs on_attach).")
        else:
            said += (f"{kept} '@script/restart {target.name}' starts it afresh (cancels its "
                     "timers, runs on_attach).")
    ctx.tell(said)
    return []


def tell_keeper(ctx: Context, thing: Thing) -> None:
    """
    Tell the player who keeps C{thing} (carries it, or what it is in), if
    it is not its owner's, that it now runs its owner's script, as she is
    told of the scripted things that come into her keeping
    (L{world.rules.riders}): a thing she took plain, scripted later by its
    owner from afar, runs nothing unknown to her. She is told once while
    she keeps it (L{Thing.keeper_told}, forgotten when it moves), however
    often he sets and clears its script, and never if she ignores its
    owner (unless he is a wizard): his thing is no way to speak to her.
    """
    place = thing.location
    keeper = rules.holder(place)
    if (place is None or keeper is None or keeper.id == thing.owner
            or thing.keeper_told == keeper.id):
        return
    if (thing.owner is not None and ignores.refuses(ctx.root, keeper, thing.owner)
            and not ignores.is_wizard(ctx.root, thing.owner)):
        return
    thing.keeper_told = keeper.id
    owner = ctx.root.get(thing.owner) if thing.owner is not None else None
    whose = f"{owner.name}'s" if isinstance(owner, Character) else "another player's"
    where = "you carry" if place is keeper else f"in {the(place.name)}"
    ctx.turn.tell(keeper.id, Event(
        "system", f"{capitalise(the(thing.name))} {where} now runs a script of {whose} "
                  "('drop' it, or 'get' it from its container and 'drop' it, to be rid of it)."))


#: How the reason a script is suspended starts when it was saved (or
#: loaded) with errors, not suspended for failing (L{save}, L{_restart},
#: L{engine.scripts.runtime}).
_ERRORS = ("it has errors: ", "it does not compile: ")


#: The most things running a script (C{@script/use}) whose timers saving it
#: looks at: they are its owner's things, but each is read.
USERS_READ = 200


#: The most things running a script (C{@script/use}) that restarting it
#: starts afresh in one turn: each runs its C{on_attach()}, charged to their
#: owner (who owns the script). The rest go on in turns of their own.
USERS_RESTARTED = 50


def _restart_users(ctx: Context, target: Thing) -> None:
    """
    Start afresh the things running C{target}'s script, just restarted
    (L{Thing.script_users}), L{USERS_RESTARTED} in this turn and as many in
    each later one (L{_restart_batch}); their owner is told how many.
    """
    record = script_of(target)
    again = record.restart_next[0] + 1 if record is not None and record.restart_next else 1
    said = _restart_batch(ctx.server.scripts, ctx.turn, target, ctx.actor, again, None)
    if said:
        ctx.tell(said)


def _restart_batch(runtime: Any, turn: Any, target: Thing, actor: Thing | None,
                   restart: int, after: int | None) -> str:
    """
    Start afresh the next things running C{target}'s script, for its
    C{restart}th restart (those after the id C{after}, if a batch of it
    went before): cancel their timers and run
    their C{on_attach()}, as L{USERS_RESTARTED} at most, reading
    L{USERS_READ} at most, fewer if their owner's scripts come to rest
    meanwhile, all charged to their owner. If more are left, where to go on
    is kept with the script (L{ScriptRecord.restart_next}: a new save, or
    restart, starts over) and the next batch runs in a turn of its own, at
    once after this one or when the owner's rest ends (L{_restart_more}).

    @return: what their owner is told.
    """
    users = target.script_users
    record = script_of(target)
    if users is None or record is None:
        return ""
    started = 0
    last = after
    left = False
    with runtime.charging(turn, target.owner, "restarting a script", refuse=False):
        items = users.items(min=after, excludemin=True) if after is not None else users.items()
        for read, (key, user) in enumerate(items):
            if (read == USERS_READ or started == USERS_RESTARTED
                    or runtime.resting(target.owner, turn.root)):
                left = True
                break
            last = key
            if parent_of(user) is target:
                runtime.attach(turn, user, actor)
                started += 1
    record.restart_next = (restart, last) if left else None
    _restarting(turn.root, target, left)
    said = ""
    if started:
        them = "1 thing" if started == 1 else f"{started} things"
        said = (f"The {them} running it started afresh too (timers cancelled, on_attach run)."
                if after is None else f"{them.capitalize()} more running the script on "
                f"{target.name} started afresh (timers cancelled, on_attach run).")
    if left:
        until = runtime.rests_until(target.owner, turn.root)
        delay = max(0.0, until - runtime.clock.seconds()) if until is not None else 0.0
        version, actor_id = record.version, actor.id if actor is not None else None
        turn.after_commit.append(lambda: runtime.clock.callLater(
            delay, _restart_more, runtime, target.id, version, restart, actor_id))
        said += (f" More things run it: they start afresh next, {USERS_RESTARTED} at a time, "
                 "each batch in a turn of its own" + (f" (in {math.ceil(delay)} seconds, when "
                 "your scripts' rest ends)" if delay else "") + "; you are told as they do.")
    return said.strip()


def _restart_more(runtime: Any, target_id: int, version: int, restart: int,
                  actor_id: int | None) -> None:
    """
    Go on starting afresh the things running C{target_id}'s script (its
    version C{version}, its C{restart}th restart: not once it was saved or
    restarted again), in a turn of its own (L{_restart_batch}); its owner
    is told.
    """
    try:
        with runtime.store.turn() as turn:
            target = turn.root.get(target_id)
            record = script_of(target) if target is not None else None
            going = record.restart_next if record is not None else None
            if (record is None or record.version != version or going is None
                    or going[0] != restart or parent_of(target) is not None):
                return
            owner = target.owner
            found = turn.root.get(actor_id) if actor_id is not None else None
            actor = found if isinstance(found, Character) else None
            said = _restart_batch(runtime, turn, target, actor, restart, going[1])
    except Exception:
        _log.failure("restarting the things running #{id} failed", id=target_id)
        return
    if said:
        runtime.tell(owner, said)


def _restarting(root: Any, target: Thing, going: bool) -> None:
    """
    Keep C{target} among the objects whose restart goes on through the
    things running their script (C{going}), or no longer: what
    L{resume_restarts} goes on with after a restart of the server.
    """
    reg = timers.registry(root)
    if going:
        if reg.restarts is None:
            reg.restarts = IITreeSet()
        reg.restarts.add(target.id)
    elif reg.restarts is not None and target.id in reg.restarts:
        reg.restarts.remove(target.id)


def resume_restarts(runtime: Any) -> int:
    """
    At start-up, once the server plays: go on with every restart of a
    script that a restart of the server stopped before it started all the
    things running it (L{_restart_batch}), each target's next batch in a
    turn of its own, one after another, charged to its owner as before
    (waiting out his rest). Restarts whose script was saved or restarted
    since, or is gone, are forgotten. How many go on.
    """
    going: list[tuple[int, int, int]] = []
    with runtime.store.turn() as turn:
        reg = timers.registry(turn.root)
        ids = reg.restarts if reg is not None else None
        for target_id in tuple(ids or ()):
            target = turn.root.get(target_id)
            record = script_of(target) if target is not None else None
            if record is None or record.restart_next is None or parent_of(target) is not None:
                assert ids is not None
                ids.remove(target_id)
                continue
            going.append((target_id, record.version, record.restart_next[0]))

    def next_one(left: list[tuple[int, int, int]]) -> None:
        target_id, version, restart = left[0]
        _restart_more(runtime, target_id, version, restart, None)
        if left[1:]:
            runtime.clock.callLater(0, next_one, left[1:])

    if going:
        runtime.clock.callLater(0, next_one, going)
    return len(going)


def _users_timers(root: object, target: Thing) -> tuple[list[timers.Timer], bool]:
    """
    The pending timers of the things running C{target}'s script
    (L{Thing.script_users}), of the first L{USERS_READ} of them; and whether
    there are more, not read.
    """
    users = target.script_users
    found: list[timers.Timer] = []
    if users is None:
        return found, False
    for read, user in enumerate(users.values()):
        if read == USERS_READ:
            return found, True
        if parent_of(user) is target:
            found += timers.timers_on(root, user)
    return found, False


def _not_saved(target: Thing, had: bool, problems: list[str]) -> str:
    """
    Why C{target}'s script was not saved: its verbs or handlers that could
    not take their calls (L{engine.scripts.signatures}).
    """
    if len(problems) == 1:
        said = f"The script on {target.name} was not saved: {problems[0]}."
    else:
        said = (f"The script on {target.name} was not saved: its functions could not take "
                "what they are called with, or are not there to be called:\n"
                + listed(problems))
    kept = "Nothing was changed: the script saved before stays." if had else "Nothing was saved."
    verb = next((p.split("(", 1)[0].strip() for p in problems if p.startswith("verb_")), None)
    if verb is not None:  # its own name: 'verb_stroke (that is pet(who))' too
        kept += (f" A verb needing none of the six may take the player alone: def {verb}(actor, "
                 "*rest).")
    return escape(f"{said}\n{kept}")


def _unrun(source: str, functions: Iterable[str]) -> list[str]:
    """
    The functions no typed command, event or line of the script can run: a
    verb or handler named in capitals (C{Verb_Rub}: typed words are looked
    up in lower case), or a function named neither C{verb_...} nor
    C{on_...} that the script names nowhere but in its C{def} (C{def
    rub(actor, *rest)}, meant as the command C{rub}). A helper the script
    calls, or a timer's callback it names in a string, is named again.
    """
    words = Counter(re.findall(r"\w+", source))  # one pass, however many functions
    found = []
    for name in functions:
        lower = name.lower()
        if lower.startswith(("verb_", "on_")):
            if name != lower:
                found.append(name)
        elif words[name] == 1:
            found.append(name)
    return found


def _commands_named(ctx: Context, functions: Iterable[str]) -> list[tuple[str, str]]:
    """
    The verbs of C{functions} named as a command every player may type
    (C{verb_get}, C{verb_take}: the command table's names and aliases),
    each with its word: typed, the command runs, never the verb.
    """
    table = ctx.dispatcher.table
    return [(name, name[len("verb_"):]) for name in functions
            if name.startswith("verb_") and table.find(name[len("verb_"):], "player")]


def _why_unrun(name: str) -> str:
    lower = name.lower()
    if lower.startswith(("verb_", "on_")):
        return (f"verbs and handlers are named in lower case ({lower}), as the words players "
                "type are looked up.")
    return ("no command or event calls it, and the script names it nowhere else. A command "
            f"players type is a function verb_{lower}(actor, dobj, prep, iobj, dobjstr, "
            "iobjstr); 'help events' lists the handlers.")


def _unwoken(source: str, functions: Iterable[str]) -> list[str]:
    """
    The functions named like handlers (C{on_...}) that no event wakes and
    the script does not name in a string (as it names a timer's callback):
    most often a command written as a handler.
    """
    return [name for name in functions
            if name.startswith("on_") and name not in events.HANDLER_NAMES
            and f"'{name}'" not in source and f'"{name}"' not in source]


def script(ctx: Context) -> None:
    """
    Write or change the script of one of your objects: @script <thing>

    Opens the editor with the thing's script (numbered). Lines you type are
    added at the end; '.l' lists, '.e <n> <text>' replaces line n, '.i <n>
    <text>' inserts before it, '.d <n>[-<m>]' deletes, '.clear' empties it,
    '.check' checks it, '.help' lists the rest; '.' alone saves, '.abort'
    gives up. Saving checks the script; every problem is shown with its line,
    and each name it reads that nothing defines is noted.

      @script/show <thing>                 list it with line numbers
      @script/edit <thing>                 open the editor, as @script does
      @script/edit <thing> <n> = <text>    replace line n
      @script/insert <thing> <n> = <text>  insert a line before line n
      @script/delete <thing> <n>[-<m>]     delete line n (or lines n to m)
      @script/restart <thing>              start it afresh: cancel its
                                           timers, run its on_attach()
                                           (and of the things running it)
      @script/use <thing> = <other thing>  run the other's script (each
                                           with its own this, state and
                                           timers; edit the other's to
                                           change both)
      @script/clear <thing>                remove the script
      @script/errors                       your scripts' last failures
                                           (timers' too, while you were
                                           away), with their lines

    Saving an edit keeps the script's timers. A script has: this (its
    thing), here (its room), state, timers, grants. Verbs: def
    verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr) makes 'ring bell'
    work. If a script fails, what it did is undone and you are told its
    line; three failures in a row of your own doing suspend it until you
    save it again (or @script/restart it, which checks it as a save does);
    three in a row another player causes make it ignore that player alone
    for 10 minutes. Only an object's owner (or a wizard) may script it;
    name yours by id from anywhere ('@script/clear #61' stops the script
    and timers of a thing of yours out of reach, in someone's hands or
    sealed box). More: 'help scripting', 'help facets', 'help events'.
    """
    switch = ctx.switch.lower()
    handler = _SWITCHES.get(switch)
    if handler is None:
        raise UserError(f"@script has no /{switch}; try /show, /edit, /insert, /delete, "
                        "/restart, /use, /clear or /errors.")
    handler(ctx)


def _not_a_child(target: Thing) -> None:
    parent = parent_of(target)
    if parent is not None:
        raise UserError(f"{target.name} runs the script of {parent.name}: '@script "
                        f"{parent.name}' changes it for every thing that runs it; "
                        f"'@script/clear {target.name}' gives {target.name} none, to write "
                        "its own.")


def _start(ctx: Context) -> None:
    target = _scriptable(ctx, ctx.args)
    _not_a_child(target)
    record = script_of(target)
    target_id = target.id

    def again(ctx: Context) -> Thing:
        found = ctx.root.get(target_id)
        if found is None:
            raise UserError("That object no longer exists; nothing was saved.")
        return _may_script(ctx, found)

    def checking(ctx: Context, lines: list[str]) -> list[str]:
        # Exactly what saving would find (charged like a save, refused like one
        # while resting), then undone.
        host = again(ctx)
        ctx.server.scripts.may_save(ctx.turn, host)
        source = "\n".join(lines)
        try:
            found = ctx.server.scripts.analyse(ctx.turn, host, source)[0]
        except WrongArguments as e:
            found = e.problems
        tree = ctx.server.scripts.parsed(source)  # (parsed once, by the trial run)
        return found + save_notes(tree)

    unchanged = ""
    if record is not None and record.suspended and record.failures >= SUSPEND_AFTER:
        # The same text saved again stays suspended; _restart lifts it.
        unchanged = (f"The script on {target.name} stays suspended ({record.suspended}); "
                     f"'@script/restart {target.name}' starts it again.")
    open_editor(ctx, f"the script on {target.name}",
                record.lines() if record is not None else [],
                lambda ctx, lines: save(ctx, again(ctx), lines, editing=True), checking,
                escape(unchanged))


def _show(ctx: Context) -> None:
    target = _scriptable(ctx, ctx.args)
    record = script_of(target)
    if record is None:
        raise UserError(f"{target.name} has no script. Type '@script {ctx.args}' to write one.")
    lines = record.lines()
    parent = parent_of(target)
    reason = suspension_now(ctx.root, target.owner, record, (parent or target).name)
    status = f"suspended: {reason}" if reason else "running"
    pending = len(timers.timers_on(ctx.root, target))
    waiting = f", {pending} timer(s) pending" if pending else ""
    whose = f"Script of {parent.name}, which {target.name} runs" if parent is not None \
        else f"Script on {target.name}"
    ctx.tell(escape(f"{whose} (version {record.version}, {status}{waiting}):\n")
             + (numbered(lines) or "(empty)"))


def _clear(ctx: Context) -> None:
    target = _scriptable(ctx, ctx.args)
    with texts.charging(ctx.root, target):  # refunds what its text was charged
        if not clear_script(target):
            raise UserError(f"{target.name} has no script.")
    ctx.server.scripts.forget(target.id)
    timers.forget_host(ctx.root, target)
    ctx.tell(f"Removed the script from {target.name}.")


def _wait_for_libraries(ctx: Context, target: Thing, source: str) -> None:
    """
    C{target}'s script C{source} is suspended for its problems: for each of
    its owner's own libraries it imports that has problems, each one he
    accepted that has, and each library offered to him that it imports and
    he has not accepted, remember it, so that saving the library fixed (by
    whoever owns it) or accepting it tells him to restart it.
    """
    offered: set[str] | None = None
    for name, _, _ in imported_names(source):
        found = find_library(ctx.root, target.owner, name)
        shared = importable(ctx.root, target.owner, name) if found is None else []
        if len(shared) == 1 and (shared[0].suspended is not None or shared[0].exports is None):
            # one he accepted: its owner's save without problems tells him
            ctx.server.scripts.libraries.wait_for(shared[0].owner, name, target.id,
                                                  target.owner)
            continue
        if found is not None:
            waits = found.suspended is not None or found.exports is None
        else:
            if offered is None:
                offered = ({shown for _, shown in offers_to(ctx.root, target.owner)}
                           if target.owner is not None else set())
            waits = name in offered and not importable(ctx.root, target.owner, name)
        if waits:
            ctx.server.scripts.libraries.wait_for(target.owner, name, target.id,
                                                  target.owner)


def _checked_again(ctx: Context, target: Thing, record: ScriptRecord
                   ) -> tuple[list[str], tuple[str, ...]]:
    """
    The problems and functions of C{target}'s script C{record} as it is
    stored, checked again now (run once, charged to C{target}'s owner, as a
    save is): what a library it imports says today, say.
    """
    ctx.server.scripts.may_save(ctx.turn, target)
    try:
        return ctx.server.scripts.analyse(ctx.turn, target, record.source)
    except WrongArguments as e:
        return e.problems, ()


def _restart(ctx: Context) -> None:
    target = _scriptable(ctx, ctx.args)
    record = script_of(target)
    if record is None:
        raise UserError(f"{target.name} has no script.")
    parent = parent_of(target)
    if record.suspended and record.failures >= SUSPEND_AFTER and parent is None:
        # Suspended for failing, not for errors: checked again as a save, and started.
        save(ctx, target, record.lines(), restart=True)
        return
    if record.suspended and record.failures >= SUSPEND_AFTER and parent is not None:
        # The script it runs (another's): checked again as a save of that
        # one (which keeps running as it was), then this one started.
        save(ctx, parent, record.lines())
        again = script_of(target)
        if again is None or again.suspended:
            return
    elif record.suspended:
        # Suspended for its errors: its stored text checked again (a library
        # it imports may have been fixed since), charged to its owner as a
        # save is; started if it now loads, else refused with today's reason.
        edited = parent or target
        problems, functions = _checked_again(ctx, edited, record)
        if problems:
            record.suspended = f"it has errors: {first_problem(problems)}"
            _wait_for_libraries(ctx, edited, record.source)
            held = library_advice(ctx.root, edited.owner, record.source, record.suspended,
                                  False, edited.name)
            advice = held or f"fix it and save it first (@script {edited.name})"
            ctx.tell(escape(f"The script on {whose_script(target)} is suspended "
                            f"({record.suspended}); {advice}."))
            return
        save(ctx, edited, record.lines(), restart=parent is None,
             checked=(problems, functions))
        again = script_of(target)
        if parent is None or again is None or again.suspended:
            return
    ctx.tell(f"Starting the script on {target.name} afresh: its timers are cancelled and its "
             "on_attach() runs.")
    ctx.server.scripts.attach(ctx.turn, target, ctx.actor)
    if parent is None:
        _restart_users(ctx, target)


def _use(ctx: Context) -> None:
    parts = split_equals(ctx.args)
    if parts is None or not parts[0] or not parts[1]:
        raise UserError("Type '@script/use <thing> = <thing whose script it runs>', e.g. "
                        "'@script/use kite2 = kite'.")
    target = _scriptable(ctx, parts[0])
    parent = _scriptable(ctx, parts[1])
    if not (may_be_parent(target) and may_be_parent(parent)):
        raise UserError("Only things and containers share scripts this way.")
    if parent is target:
        raise UserError(f"{target.name} cannot run its own script as another's.")
    grandparent = parent_of(parent)
    if grandparent is not None:
        raise UserError(f"{parent.name} runs the script of {grandparent.name} itself; "
                        f"use {grandparent.name}.")
    if parent.owner != target.owner:
        raise UserError(f"{target.name} and {parent.name} have different owners; a thing runs "
                        "only its own owner's scripts (share code with a library instead).")
    if script_of(parent) is None:
        raise UserError(f"{parent.name} has no script to share.")
    runtime = ctx.server.scripts
    had = script_of(target)
    with texts.charging(ctx.root, target):  # its own script goes: refunded
        set_parent(target, parent)
    runtime.forget(target.id)
    if had is None:
        tell_keeper(ctx, target)
    ctx.tell(f"{target.name} now runs the script of {parent.name}, with its own state and "
             f"timers; '@script {parent.name}' changes it for both.")
    runtime.attach(ctx.turn, target, ctx.actor)


def _errors(ctx: Context) -> None:
    if ctx.args.strip():
        raise UserError("Type '@script/errors' alone: it lists your scripts' last failures.")
    log = failures_of(timers.registry(ctx.root), ctx.actor.id)
    if log is None or not log.entries:
        ctx.tell("Your scripts have not failed lately.")
        return
    if log.unseen:
        log.unseen = 0
    lines = [f"The last {len(log.entries)} failure(s) of your scripts (at most "
             f"{FAILURES_KEPT} are kept, each cut to {FAILURE_BYTES} bytes), oldest first:"]
    for entry in log.entries:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(entry.when))
        lines.append(escape(f"[{when}] {entry.text}"))
    ctx.tell("\n".join(lines))


def login(ctx: Context) -> None:
    """
    At login: say how often the player's scripts failed while he was away
    (one line; C{@script/errors} shows them).
    """
    log = failures_of(timers.registry(ctx.root), ctx.actor.id)
    if log is None or not log.unseen:
        return
    count, log.unseen = log.unseen, 0
    times = "once" if count == 1 else f"{count} times"
    ctx.tell(f"Your scripts failed {times} while you were away: @script/errors shows the "
             f"last {FAILURES_KEPT}.")


def _line_args(ctx: Context, need_text: bool) -> tuple[Thing, str]:
    left = ctx.args
    if need_text:
        if "=" not in ctx.args:
            raise UserError(f"Type '@script/{ctx.switch} <thing> <line> = <text>'.")
        left = ctx.args.split("=", 1)[0]
    words = left.strip().rsplit(None, 1)
    if len(words) != 2:
        raise UserError("Say which line, e.g. '@script/edit bell 3 = here.say(\"ding\")'.")
    return _scriptable(ctx, words[0]), words[1]


def _numbered(text: str, last: int) -> int:
    try:
        return line_number(text, last)
    except EditorError as e:
        raise UserError(str(e)) from None


def _edit(ctx: Context) -> None:
    if "=" not in ctx.args:
        # No '=': the editor, on all that was typed ('@script/edit Room 101' edits
        # "Room 101"); a line number after a name says how to replace that line.
        words = ctx.args.split()
        if len(words) > 1 and words[-1].isascii() and words[-1].isdigit():
            try:
                ctx.find(ctx.args)
            except NoMatch:
                raise UserError("Type '@script/edit <thing> <line> = <text>'. Without '=' "
                                "it opens the editor on the thing named by all you typed, "
                                f"and nothing here is called {ctx.args.strip()!r}.") from None
        _start(ctx)
        return
    target, where = _line_args(ctx, True)
    lines = _lines_of(target)
    lines[_numbered(where, len(lines)) - 1] = _raw_text(ctx)
    save(ctx, target, lines)


def _insert(ctx: Context) -> None:
    target, where = _line_args(ctx, True)
    lines = _lines_of(target)
    lines.insert(_numbered(where, len(lines) + 1) - 1, _raw_text(ctx))
    save(ctx, target, lines)


def _delete(ctx: Context) -> None:
    target, where = _line_args(ctx, False)
    lines = _lines_of(target)
    try:
        start, end = line_range(where, len(lines))
    except EditorError as e:
        raise UserError(str(e)) from None
    del lines[start - 1:end]
    save(ctx, target, lines)


def _lines_of(target: Thing) -> list[str]:
    record = script_of(target)
    if record is None:
        raise UserError(f"{target.name} has no script yet. Type '@script {target.name}'.")
    return record.lines()


def _raw_text(ctx: Context) -> str:
    # What follows the first '=' exactly, less one space after it: indentation matters.
    return ctx.args.split("=", 1)[1].removeprefix(" ")


_SWITCHES = {"": _start, "show": _show, "list": _show, "clear": _clear, "edit": _edit,
             "insert": _insert, "delete": _delete, "restart": _restart, "use": _use,
             "errors": _errors}


# -- grants -----------------------------------------------------------------------


def grant(ctx: Context) -> None:
    """
    Hand a script a facet of something: @grant <thing>.<name> = <role> <target>

    The script on <thing> (yours) then finds <target> as grants["<name>"].
    Roles: view (look only), interact (also speak through it, tell people),
    control (everything its owner could do; only your own objects).
    '@grant bell.lamp = view lamp'. @grants lists grants, @revoke undoes one:
    a revoked facet is dead everywhere, for good.

    '@grant <player> = library <name>' offers one of your libraries: their
    scripts may import it once they accept it (see 'help @library').

    '@grant <thing>.<name> = channel <channel>' hands the script one of your
    chat channels: grants["<name>"].say("hello") talks on it, marked as the
    script's (see 'help @channel').
    """
    parts = split_equals(ctx.args)
    if parts is not None and is_library_spec(parts[1]):
        grant_library(ctx, parts[0], parts[1])
        return
    if parts is not None and "." in parts[0] and parts[1].lower().startswith("channel "):
        _grant_channel(ctx, parts[0], parts[1].split(None, 1)[1])
        return
    if parts is None or "." not in parts[0]:
        raise UserError("Type '@grant <thing>.<name> = <role> <target>', "
                        "e.g. '@grant bell.lamp = view lamp'.")
    host_name, _, name = parts[0].rpartition(".")
    words = parts[1].split(None, 1)
    if len(words) != 2:
        raise UserError("Say the role and the target, e.g. 'view lamp'.")
    role, target_name = words[0].lower(), words[1]
    host = _granting_host(ctx, host_name)
    target = ctx.find(target_name)
    if name.strip().lower() in channel_grants.names_on(ctx.root, host):
        raise UserError(f"{host.name} already has a grant named {name.strip().lower()}; revoke "
                        "it first (@revoke).")
    made = grants.grant(ctx.root, ctx.actor.id, host, name.strip(), target, role)
    ctx.server.scripts.forget(host.id)
    ctx.tell(f"Granted: {grants.describe(made)}")


def _granting_host(ctx: Context, name: str) -> Thing:
    """
    The thing called C{name}, whose grants the actor makes or revokes.

    @raise UserError: it is not theirs (and they are no wizard): said
        before anything of its grants is looked at, so that the answer
        tells nothing of what another's script holds.
    """
    host = ctx.find(name)
    if host.owner != ctx.actor.id and not ctx.is_at_least("wizard"):
        raise UserError(f"{host.name} is not yours; grant only to scripts on your own objects.")
    return host


def _grant_channel(ctx: Context, spec: str, channel_name: str) -> None:
    host_name, _, name = spec.rpartition(".")
    host = _granting_host(ctx, host_name)
    channel = channels.find(ctx.root, channel_name)
    made = channel_grants.grant(ctx.root, ctx.actor.id, host, name.strip(), channel,
                                wizard=ctx.is_at_least("wizard"))
    ctx.server.scripts.forget(host.id)
    ctx.tell(f"Granted: {channel_grants.describe(made)}")


def list_grants(ctx: Context) -> None:
    """
    List your grants: @grants [thing]

    With a thing of yours, the grants its script holds.
    """
    if ctx.args:
        host = ctx.find(ctx.args)
        wizard = ctx.is_at_least("wizard")
        if host.owner != ctx.actor.id and not wizard:
            raise UserError(f"{host.name} isn't yours; you can see the grants only of your own "
                            "things.")
        found = [g for g in grants.grants_on(ctx.root, host) if g.owner == ctx.actor.id or wizard]
        talking = [g for g in channel_grants.grants_on(ctx.root, host)
                   if g.owner == ctx.actor.id or wizard]
    else:
        found = grants.grants_of(ctx.root, ctx.actor.id)
        talking = channel_grants.grants_of(ctx.root, ctx.actor.id)
    lines = [grants.describe(g) for g in found] + [channel_grants.describe(g) for g in talking]
    if not ctx.args:
        lines += share_lines(ctx)
    if not lines:
        ctx.tell("No grants.")
        return
    ctx.tell("\n".join(lines))


def revoke(ctx: Context) -> None:
    """
    Revoke a grant: @revoke <number>   or   @revoke <thing>.<name>

    The facet dies everywhere at once: in the script, in its state, in
    timers, and everything obtained through it. It stays dead. A channel
    grant is revoked by its name, or as '@revoke c<number>'.
    '@revoke <player> = library <name>' stops sharing a library (or refuses
    one shared with you).
    """
    spec = ctx.args.strip()
    parts = split_equals(spec)
    if parts is not None and is_library_spec(parts[1]):
        revoke_library(ctx, parts[0], parts[1])
        return
    wizard = ctx.is_at_least("wizard")
    if spec[:1] in ("c", "C") and spec[1:].isascii() and spec[1:].isdigit():
        numbered = channel_grants.revoke_id(ctx.root, ctx.actor.id, int(spec[1:]),
                                            wizard=wizard)
        ctx.tell(f"Revoked: {channel_grants.describe(numbered)}")
        return
    if spec.isdigit():
        done = grants.revoke(ctx.root, ctx.actor.id, int(spec), wizard=wizard)
    elif "." in spec:
        host_name, _, name = spec.rpartition(".")
        host = _granting_host(ctx, host_name)
        talking = channel_grants.revoke_named(ctx.root, ctx.actor.id, host, name.strip(),
                                             wizard=wizard)
        if talking is not None:
            ctx.tell(f"Revoked: {channel_grants.describe(talking)}")
            return
        done = grants.revoke_named(ctx.root, ctx.actor.id, host, name.strip(), wizard=wizard)
    else:
        raise UserError("Type '@revoke <number>' (see @grants) or '@revoke <thing>.<name>'.")
    # The facets die through their cell; the script's module stays loaded,
    # as after '@holders/revoke' (a revoked grant changes its key: it loads
    # without the grant when it next runs).
    ctx.tell(f"Revoked: {grants.describe(done)}")


# -- meters and quotas -----------------------------------------------------------


def _usage_lines(ctx: Context, owner: int | None, name: str) -> list[str]:
    if timers.stranded(ctx.root, owner):  # counted no longer (at most his quota of them)
        ctx.turn.after_commit.append(ctx.server.scripts.wake)
    use = accounting.usage(ctx.root, owner)
    runtime = ctx.server.scripts
    ticks = runtime.meters.recent_ticks(owner)
    share = use.ticks_quota
    part = runtime.cpu_share(owner, ctx.root)
    minute_ticks, seconds, written = runtime.meters.window(owner)
    reserve = f"{OWN_RESERVE:.0%}"
    if runtime.resting(owner, ctx.root, own=True):
        resting = " -- resting, timers too, until the minute has passed"
    elif runtime.resting(owner, ctx.root):
        resting = (" -- resting until the minute has passed for what others wake; your "
                   f"timers still run on the last {reserve} of your share")
    else:
        resting = ""
    return [
        f"Scripts of {name}:",
        f"  ticks used in the last 10 minutes: {ticks} (share: {share} a minute)",
        f"  this minute: {minute_ticks} of {round(meters.CPU_TICKS * part)} ticks, "
        f"{seconds:.2f} of {meters.CPU_SECONDS * part:g} s of the server's time, "
        f"{written // 1024} of {round(meters.WRITE_BYTES * part) // 1024} KiB written{resting}",
        *_ceiling_lines(runtime.meters, owner),
        f"  timers pending: {use.timers} of {use.timers_quota}",
        f"  script storage: {use.stored_bytes} of {use.stored_bytes_quota} bytes "
        "(script state, properties, and the text of your objects and libraries)",
        f"  objects owned: {use.objects} of {use.objects_quota}",
        f"  libraries: {len(libraries_of(ctx.root, owner))} of {use.libraries_quota}",
        f"  loaded scripts: {ctx.server.scripts.modules.used(owner) // 1024} of "
        f"{ctx.server.scripts.modules.limit(owner) // 1024} KiB",
    ]


def _ceiling_lines(meters_: meters.Meters, owner: int | None) -> list[str]:
    """
    What @quota says of the server's ceiling on all scripts' time
    (L{meters.SERVER_SECONDS}) while it is passed: the fair part of it, what
    was counted toward C{owner} (what they woke, of anyone's scripts, and
    what their own did of their own accord), and whether that rests.
    """
    if owner is None or not meters_.busy():
        return []
    mine, level = meters_.caused(owner), meters_.level()
    woken = mine - meters_.caused(owner, own=True)
    lines = [f"  The server's scripts are busy: {meters_.server_seconds():.1f} s of its time this "
             f"minute, past {meters.SERVER_SECONDS:g} s; each player may take "
             f"{level:.2f} s of it, and you took {mine:.2f} s (the verbs you used, anyone's, "
             f"what you woke of the world's, what your scripts did of their own accord, and "
             f"{woken:.2f} s of them others' doings woke)."]
    now = meters_.clock.seconds()
    until = meters_.held_until(owner)
    if until is not None:
        lines.append(f"  -- so you rest: your scripts, and what you wake of others' and the "
                     f"world's, do nothing for up to {max(1, math.ceil(until - now))} seconds "
                     "(those who took less go on).")
    elif (until := meters_.held_until(owner, own=False)) is not None:
        lines.append("  -- so what others' doings wake of your scripts rests (your own timers "
                     f"and doings go on) for up to {max(1, math.ceil(until - now))} seconds.")
    return lines


def _limits(text: str) -> list[tuple[str, int | None]]:
    """
    C{"objects 20, cpu default"} as C{[("objects", 20), ("cpu", None)]}.
    """
    found: list[tuple[str, int | None]] = []
    for part in text.split(","):
        words = part.split()
        if len(words) != 2:
            raise UserError("Give each limit and its value, e.g. 'objects 20, storage 32768' "
                            f"(limits: {', '.join(accounting.LIMITS)}; 'default' resets one).")
        name, value = words[0].lower(), words[1].lower()
        if name not in accounting.LIMITS:
            raise UserError(f"There is no limit {name!r}; the limits are "
                            f"{', '.join(accounting.LIMITS)}.")
        if value == "default":
            found.append((name, None))
        elif value.isascii() and value.isdigit() and int(value) <= accounting.MAX_LIMIT:
            found.append((name, int(value)))
        else:
            raise UserError(f"A limit is a whole number from 0 to {accounting.MAX_LIMIT} "
                            f"(or 'default'), not {words[1]!r}.")
    return found


def _defaults(ctx: Context) -> None:
    if ctx.args:
        parts = split_equals(ctx.args)
        if parts is None or parts[0]:
            raise UserError("Type '@quota/default = <limit> <value>, ...', e.g. "
                            "'@quota/default = objects 20'.")
        for name, value in _limits(parts[1]):
            accounting.set_default_limit(ctx.root, name, value)
    lines = ["The world's default limits (for every owner without their own):"]
    for name, (_attribute, _setting, _default, what) in accounting.LIMITS.items():
        lines.append(f"  {name:<9} {accounting.default_limit(ctx.root, name):>10}  {what}")
    ctx.tell("\n".join(lines))


def _player(ctx: Context, name: str) -> Character:
    who = ctx.find_anywhere(name)
    if not isinstance(who, Character):
        raise UserError(f"{who.name} is not a player.")
    return who


def quota(ctx: Context) -> None:
    """
    See what your scripts use: @quota

    Recent ticks, pending timers, stored bytes and objects, against your
    limits. Wizards also see the top consumers, and set limits:

      @quota <player>                          what they use
      @quota <player> = objects 50, cpu 4000000   their own limits
      @quota <player> = objects default        back to the world's default
      @quota/default                           the world's defaults
      @quota/default = storage 32768           change one for everyone

    Limits: objects (owned), storage (bytes scripts keep in state), timers
    (pending), cpu (ticks a minute, all scripts together; the server time
    they may take scales with it), libraries (kept), memory (bytes the
    loaded scripts may hold).
    """
    wizard = ctx.is_at_least("wizard")
    switch = ctx.switch.lower()
    if switch not in ("", "default"):
        raise UserError(f"@quota has no /{switch}; try /default.")
    if ((switch and ctx.args) or "=" in ctx.args) and not wizard:
        raise UserError("Only wizards change limits.")
    if switch == "default":
        _defaults(ctx)
        return
    parts = split_equals(ctx.args)
    if parts is not None:
        who = _player(ctx, parts[0])
        for name, value in _limits(parts[1]):
            accounting.set_limit(ctx.root, who.id, name, value)
        ctx.tell("\n".join(_usage_lines(ctx, who.id, who.name)))
        return
    if ctx.args and wizard:
        who = _player(ctx, ctx.args)
        lines = _usage_lines(ctx, who.id, who.name)
    else:
        lines = _usage_lines(ctx, ctx.actor.id, "yours")
    if wizard:
        lines.append("Top consumers (ticks in the last 10 minutes; storage; timers; objects):")
        runtime = ctx.server.scripts
        owners = {u.owner for u in accounting.top_consumers(ctx.root, 10)}
        owners |= runtime.meters.owners()
        rows = []
        for owner in owners:
            use = accounting.usage(ctx.root, owner)
            holder = ctx.root.get(owner) if owner else None
            label = holder.name if holder is not None else "the world"
            rows.append((runtime.meters.recent_ticks(owner), use.stored_bytes, use.timers,
                         use.objects, label))
        rows.sort(reverse=True)
        for ticks, stored, timers, objects, label in rows[:10]:
            lines.append(f"  {label:<20} {ticks:>9} {stored:>8}B {timers:>3} {objects:>4}")
    ctx.tell("\n".join(lines))


def use(ctx: Context) -> None:
    """
    Use something: use <thing>

    What happens depends on the thing (its script's on_use).
    """
    if not ctx.args:
        raise UserError("Use what?")
    target = ctx.find(ctx.args)
    if not ctx.reaches(target):
        raise UserError(f"{target.name} is out of your reach; go to it first.")
    if not ctx.server.scripts.handles(ctx.turn, target, "on_use"):
        raise UserError(f"You can't think how to use {the(target.name)}{answers_to(target)}.")
    ctx.tell(f"You use {target.name}.")
    events.queue(ctx, target, "on_use", ctx.actor)
