# -*- test-case-name: tests.scripts.test_libraries -*-
"""
Players' libraries from the command line: @library (write, show, remove,
list), and sharing one with another player (@grant <player> = library
<name>, @revoke, @grants call the functions here).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from engine.colour import escape
from engine.commands.base import Context, UserError
from engine.commands.editor import at_lines, first_problem, numbered, open_editor
from engine.commands.talk import refuse_ignored
from engine.scripts.libraries import RELOAD_SPACING
from engine.scripts.notes import notes as save_notes
from engine.scripts.runtime import SUSPEND_AFTER
from scripting.facets import accounting, texts
from scripting.imports import unknown_imports
from world import ignores
from world.errors import WorldError
from world.libraries import (
    LibraryRecord,
    accept,
    accepted,
    check_name,
    grantees,
    importable,
    importable_names,
    libraries_of,
    offers_shown,
    remove_library,
    set_library,
    share,
    shared_with,
    unshare,
)
from world.libraries import (
    library as find_library,
)
from world.objects import Character
from world.scripts import MAX_CHARS, MAX_LINES, script_of


def _lines(count: int) -> str:
    return "1 line" if count == 1 else f"{count} lines"


def _name(ctx: Context, text: str) -> str:
    if not text.strip():
        switch = f"/{ctx.switch.lower()}" if ctx.switch and ctx.verb.lower().startswith(
            "@librar") else ""
        raise UserError(f"Name the library, e.g. '@library{switch} greetings'.")
    try:
        return check_name(text.strip().lower())
    except WorldError as e:
        raise UserError(str(e)) from None


def save(ctx: Context, name: str, lines: list[str], *, editing: bool = False) -> list[str]:
    """
    Check C{lines} as the actor's library C{name} and keep it: with its
    problems listed (by the editor instead, if C{editing}) and nobody able
    to import it until they are fixed, if it has any; then its notes, as
    a script's save says them (L{engine.scripts.notes}). Scripts that
    imported it load it again.

    @return: the problems it was saved with (empty: none); if C{editing},
        followed by its notes, for the editor to list after them.
    """
    source = "\n".join(lines)
    if len(lines) > MAX_LINES or len(source) > MAX_CHARS:
        raise UserError(f"A library may have at most {MAX_LINES} lines and {MAX_CHARS} "
                        "characters.")
    owner = ctx.actor.id
    old = find_library(ctx.root, owner, name)
    charged = texts.charge_library(ctx.root, owner, old, source)  # refused before any work
    if old is None and not ctx.is_at_least("wizard"):
        use = accounting.usage(ctx.root, owner)
        if len(libraries_of(ctx.root, owner)) >= use.libraries_quota:
            raise UserError(f"You already have {use.libraries_quota} libraries, your limit. "
                            "Remove one you no longer need (@library/remove), or ask a "
                            "wizard for more.")
    runtime = ctx.server.scripts
    runtime.may_analyse(ctx.turn, owner)  # saving runs it, at its owner's cost
    problems, exports = runtime.analyse_library(ctx.turn, owner, name, source)
    record = set_library(ctx.root, owner, name, source, owner)
    record.charged = charged
    runtime.library_changed(owner, name, saved=True)
    notes = save_notes(runtime.parsed(source), library=True)
    said_notes = "".join(f"\n{note}" for note in notes)
    if problems:
        record.suspended = f"it has errors: {first_problem(problems)}"
        ctx.tell(escape(f"Saved the library {name} ({_lines(len(lines))}), but it has "
                        f"{len(problems)} problem(s), and no script can import it until "
                        "they are fixed" + (":" if editing else ":\n" + at_lines(problems, lines)
                                            + f"\n(@library {name} to fix it in the editor.)"
                                            + said_notes)))
        # The editor lists the problems under the heading, then the notes.
        return problems + notes if editing else problems
    record.exports = exports
    said = (f"Saved the library {name} ({_lines(len(lines))}); it exports "
            f"{', '.join(exports)}. Your scripts may 'import {name}'.{said_notes}")
    unknown = unknown_imports(source, importable_names(ctx.root, owner))
    if unknown:
        said += "\nNote: " + "; ".join(str(v) for v in unknown)
    said += _still_waiting(ctx, owner, name, "it had problems", others=True)
    ctx.tell(escape(said))
    return []


def _still_waiting(ctx: Context, owner: int, name: str, why: str, *,
                   others: bool = False) -> str:
    """
    What to say of C{owner}'s scripts saved suspended while his scripts
    could not import the library C{name} (L{_waiting}), for C{why}: empty
    if there are none. With C{others} (he saved his library C{name} without
    problems), the players who accepted it and saved scripts suspended
    while it had problems are told of theirs (unless they ignore him).
    """
    waiting = _waiting(ctx, owner, name)
    if others:
        for player, names in waiting.items():
            who = ctx.root.get(player) if player != owner else None
            if isinstance(who, Character) and (
                    ctx.is_at_least("wizard") or not ignores.refuses(ctx.root, who, owner)):
                ctx.tell_to(who, f"{ctx.actor.name} fixed the library {name}: your scripts "
                                 f"saved while it had problems are still suspended: "
                                 f"{_some(names)}; '@script/restart <thing>' checks and starts "
                                 "each.", "system")
    mine = waiting.get(owner)
    if not mine:
        return ""
    return (f"\nYour scripts saved while {why} are still suspended: {_some(mine)}; "
            "'@script/restart <thing>' checks and starts each.")


def _some(names: list[str]) -> str:
    # The first 10 names, and how many more.
    more = f" and {len(names) - 10} more" if len(names) > 10 else ""
    return ", ".join(names[:10]) + more


def _waiting(ctx: Context, owner: int, name: str) -> dict[int, list[str]]:
    """
    The names of the things whose scripts were saved suspended while they
    could not import C{owner}'s library C{name} (or the one of that name
    offered to him) and are still suspended for errors, by their owner
    (none is run: restarting each is its owner's choice, and his cost);
    forgotten now.
    """
    found: dict[int, list[str]] = {}
    for host in map(ctx.root.get, ctx.server.scripts.libraries.fixed(owner, name)):
        record = script_of(host) if host is not None and host.owner is not None else None
        if record is not None and record.suspended and record.failures < SUSPEND_AFTER:
            found.setdefault(host.owner, []).append(host.name)
    return found


def library(ctx: Context) -> None:
    """
    Write shared code: @library <name>

    A library is a script that belongs to you, not to a thing: its
    functions, classes and values, listed in 'exports = ("hello", ...)',
    are what your scripts get with 'import <name>' (or 'from <name> import
    hello'). Each script that imports it gets its own copy, run on that
    script's budget, with no 'this', 'here' or 'state' of its own: a library
    has only what your scripts hand its functions. Saving checks it as a
    script's save does: its problems by line, then its notes (a name
    nothing defines, a function defined twice).

      @library                   your libraries, and those shared with you
      @library <name>            write or change one, in the editor
      @library/show <name>       list one (yours, or one shared with or
                                 offered to you)
      @library/remove <name>     remove one of yours (and its shares)
      @library/accept <player> <name>   let your scripts import a library
                                 that player offered you

    Share one with another player: '@grant bob = library greetings' offers
    it to Bob; once he accepts it ('@library/accept alice greetings'), his
    scripts may import it, each its own copy, on his budget. Nothing
    another player offers you runs in your scripts until you accept it, and
    you accept one library of a name at most. '@revoke bob = library
    greetings' stops a share, and Bob can refuse one (or an offer) the
    same way ('@revoke alice = library greetings').
    """
    switch = ctx.switch.lower()
    if switch == "" and not ctx.args.strip():
        _list(ctx)
    elif switch == "":
        _start(ctx)
    elif switch in ("show", "list"):
        _show(ctx)
    elif switch == "remove":
        _remove(ctx)
    elif switch == "accept":
        _accept(ctx)
    else:
        raise UserError(f"@library has no /{switch}; try /show, /remove or /accept.")


def _start(ctx: Context) -> None:
    name = _name(ctx, ctx.args)
    owner = ctx.actor.id
    record = find_library(ctx.root, owner, name)

    def checking(ctx: Context, lines: list[str]) -> list[str]:
        # What saving would find (charged like a save, refused like one while resting).
        ctx.server.scripts.may_analyse(ctx.turn, owner)
        source = "\n".join(lines)
        found = ctx.server.scripts.analyse_library(ctx.turn, owner, name, source)[0]
        return found + save_notes(ctx.server.scripts.parsed(source), library=True)

    open_editor(ctx, f"the library {name}", record.lines() if record is not None else [],
                lambda ctx, lines: save(ctx, name, lines, editing=True), checking,
                kind="library")


def _whose(ctx: Context, record: LibraryRecord) -> str:
    if record.owner == ctx.actor.id:
        return "yours"
    return f"{_owner_name(ctx, record)}'s"


def _accept(ctx: Context) -> None:
    words = ctx.args.split()
    if len(words) != 2:
        raise UserError(_offers_said(ctx, words))
    owner = _player(ctx, words[0], "nothing was accepted")
    name = _name(ctx, words[1])
    if ignores.hidden_among(ctx.root, ctx.account, {owner.id}):
        # Not even whether he offered it: the same words either way. To
        # take it she unignores him first (the explicit confirmation).
        raise UserError(f"You ignore {owner.name}, and accept no library from them; nothing "
                        f"was accepted. '@unignore {owner.name}' first, if you mean to.")
    if accepted(ctx.root, owner.id, name, ctx.actor.id):
        raise UserError(f"You accepted {owner.name}'s library {name} already.")
    for record in importable(ctx.root, ctx.actor.id, name):
        if record.owner == ctx.actor.id:
            raise UserError(f"You have a library called {name} of your own, and 'import "
                            f"{name}' finds yours: '@library/remove {name}' removes it, "
                            f"then accept {owner.name}'s.")
        raise UserError(f"Your scripts import {_whose(ctx, record)} library {name} already; "
                        f"refuse it first ('{_revoking(_owner_name(ctx, record), name)}'): "
                        f"'import {name}' names one.")
    _change(accept, ctx, owner.id, name, ctx.actor.id,
            f"{owner.name} has not offered you a library called {name}.")
    ctx.tell(escape(f"You accept {owner.name}'s library {name}: your scripts may now "
                    f"{_importing(name, 'your')}. '{_revoking(owner.name, name)}' refuses it "
                    "again." + _still_waiting(ctx, ctx.actor.id, name,
                                             "they could not import it")))
    ctx.tell_to(owner, f"{ctx.actor.name} accepted your library {name}.", "system")


def _offers_said(ctx: Context, words: list[str]) -> str:
    """
    What '@library/accept' says typed with C{words} (not a player and a
    library): the libraries offered to the actor (by the player named, if
    one is), L{OFFERS_SHOWN} at most, and what to type.
    """
    usage = ("Type '@library/accept <player> <library>', e.g. '@library/accept alice "
             "greetings'.")
    offered = offers_shown(ctx.root, ctx.actor.id)
    if len(words) == 1:
        owner = _player(ctx, words[0], "nothing was accepted")
        names = [name for by, name in offered if by == owner.id]
        if not names:
            return f"{owner.name} offers you no library. {usage}"
        shown = ", ".join(names[:OFFERS_SHOWN]) + (
            f" and {len(names) - OFFERS_SHOWN} more" if len(names) > OFFERS_SHOWN else "")
        return (f"{owner.name} offers you: {shown}. Type '@library/accept {owner.name} "
                f"{names[0]}' to accept {names[0]}.")
    if not offered:
        return f"You have no library offers. {usage}"
    shown = ", ".join(f"{name} ({_owner_name_of(ctx, by)}'s)" for by, name
                      in offered[:OFFERS_SHOWN])
    more = f" and {len(offered) - OFFERS_SHOWN} more" if len(offered) > OFFERS_SHOWN else ""
    return f"Shared with you, not accepted yet: {shown}{more}. {usage}"


def _change(change: Callable[[object, int | None, str, int], bool], ctx: Context, owner: int,
            name: str, grantee: int, unchanged: str) -> None:
    """
    C{change(root, owner, name, grantee)} (L{share} or L{accept}): what it
    refuses said as the user's mistake, and C{unchanged} if it changed
    nothing.
    """
    try:
        done = change(ctx.root, owner, name, grantee)
    except WorldError as e:
        raise UserError(str(e)) from None
    if not done:
        raise UserError(unchanged)


def _importing(name: str, whose: str) -> str:
    # What a player's scripts may do with a library shared with them.
    return f"'import {name}' (each its own copy, on {whose} budget)"


def _revoking(who: str, name: str) -> str:
    # The command that ends a share or an offer between the actor and C{who}.
    return f"@revoke {who} = library {name}"


def _owner_name(ctx: Context, record: LibraryRecord) -> str:
    return _owner_name_of(ctx, record.owner)


def _owner_name_of(ctx: Context, owner: int | None) -> str:
    holder = ctx.root.get(owner) if owner is not None else None
    return holder.name if holder is not None else "the world"


def _list(ctx: Context) -> None:
    mine = libraries_of(ctx.root, ctx.actor.id)
    others = shared_with(ctx.root, ctx.actor.id)
    offered = offers_shown(ctx.root, ctx.actor.id)
    if not mine and not others and not offered:
        ctx.tell("You have no libraries yet. '@library <name>' writes one; 'help @library' "
                 "says how they work.")
        return
    lines = []
    for record in mine:
        ids = grantees(ctx.root, ctx.actor.id, record.name)
        taken = [ctx.root.get(g) for g in ids if accepted(ctx.root, ctx.actor.id, record.name, g)]
        waiting = [ctx.root.get(g) for g in ids
                   if not accepted(ctx.root, ctx.actor.id, record.name, g)]
        shared = ", ".join(c.name for c in taken if c is not None)
        asked = ", ".join(c.name for c in waiting if c is not None)
        lines.append(f"  {record.name}: {_status(record)}"
                     + (f"; shared with {shared}" if shared else "")
                     + (f"; offered to {asked}" if asked else ""))
    if mine:
        lines.insert(0, "Your libraries:")
    if others:
        lines.append("Shared with you:")
        lines += [f"  {r.name} ({_whose(ctx, r)}): {_status(r)}" for r in others]
    if offered:
        lines.append("Shared with you, not accepted yet ('@library/accept <player> <library>' "
                     "accepts one):")
        for owner, name in offered[:OFFERS_SHOWN]:
            lines.append(f"  {name} ({_owner_name_of(ctx, owner)}'s)")
        if len(offered) > OFFERS_SHOWN:
            lines.append(f"  and {len(offered) - OFFERS_SHOWN} more")
    ctx.tell(escape("\n".join(lines)))


#: Offers of libraries '@library' lists (the first, by owner).
OFFERS_SHOWN = 20


def _status(record: LibraryRecord) -> str:
    if record.suspended:
        return f"has problems ({record.suspended})"
    return f"exports {', '.join(record.exports or ())}"


def _show(ctx: Context) -> None:
    name = _name(ctx, ctx.args)
    found = importable(ctx.root, ctx.actor.id, name)
    if not found:  # offered ones, to read before accepting one
        found = [r for r in (find_library(ctx.root, owner, shown)
                             for owner, shown in offers_shown(ctx.root, ctx.actor.id)
                             if shown == name) if r is not None]
    if not found:
        raise UserError(f"There is no library {name} of yours or shared with you.")
    parts = []
    for record in found:
        status = f"has problems: {record.suspended}" if record.suspended else _status(record)
        parts.append(escape(f"Library {name} ({_whose(ctx, record)}, version "
                            f"{record.version}, {status}):\n")
                     + (numbered(record.lines()) or "(empty)"))
    ctx.tell("\n\n".join(parts))


def _remove(ctx: Context) -> None:
    name = _name(ctx, ctx.args)
    owner = ctx.actor.id
    record = find_library(ctx.root, owner, name)
    shares = grantees(ctx.root, owner, name)
    takers = [g for g in shares if accepted(ctx.root, owner, name, g)]
    offered = [g for g in shares if g not in takers]
    if record is None or not remove_library(ctx.root, owner, name):
        raise UserError(f"You have no library called {name}.")
    texts.forget_library(ctx.root, record)  # refunds what its source was charged
    runtime = ctx.server.scripts
    runtime.libraries.removed(owner, name, takers)
    runtime.library_changed(owner, name)
    ctx.tell(f"Removed your library {name}; scripts that import it will fail until they "
             "no longer do.")
    for taker in map(ctx.root.get, takers):
        if isinstance(taker, Character):
            ctx.tell_to(taker, f"{ctx.actor.name} removed the library {name}, which you "
                               "accepted: your scripts that import it fail until they no "
                               "longer do.", "system")
    now = runtime.clock.seconds()
    for asked in map(ctx.root.get, offered):
        if not isinstance(asked, Character):
            continue
        # The offer is taken back with it: offering it again waits, as after
        # '@revoke', so that removing and offering again cannot flood them.
        runtime.libraries.offer_withdrawn(owner, asked.id, now)
        if ctx.is_at_least("wizard") or not ignores.refuses(ctx.root, asked, owner):
            ctx.tell_to(asked, f"{ctx.actor.name} removed the library {name}, offered to "
                               "you and not accepted: there is nothing to accept now.",
                        "system")


# -- sharing (for @grant, @revoke, @grants) -------------------------------------


def is_library_spec(text: str) -> bool:
    """
    Whether the right side of C{@grant}/C{@revoke} names a library
    (C{"library greetings"}).
    """
    return text.strip().lower().startswith("library ")


def _player(ctx: Context, name: str, undone: str) -> Character:
    # Her whole name: never the start of another's, nor one like it.
    account = ctx.player_account(name, undone)
    found = ctx.root.get(account.character_id)
    if not isinstance(found, Character):
        raise UserError(f"There is no player called {name.strip()!r}; {undone}.")
    return found


def grant_library(ctx: Context, who: str, spec: str) -> None:
    """
    C{@grant <player> = library <name>}: share one of the actor's libraries.
    """
    name = _name(ctx, spec.split(None, 1)[1])
    grantee = _player(ctx, who, "nothing was shared")
    # Its notice names a library he named: refused as his page would be.
    refuse_ignored(ctx, grantee, "library offers")
    wait = ctx.server.scripts.share_wait(ctx.actor.id, grantee.id)
    if wait > 0 and find_library(ctx.root, ctx.actor.id, name) is not None:
        raise UserError(f"You stopped sharing a library with {grantee.name} less than "
                        f"{RELOAD_SPACING:.0f} seconds ago (or took back an offer, or removed "
                        "a library offered to them); you may "
                        f"share one with them again in {math.ceil(wait)} seconds.")
    _change(share, ctx, ctx.actor.id, name, grantee.id,
            f"Your library {name} is shared with {grantee.name} already."
            if accepted(ctx.root, ctx.actor.id, name, grantee.id) else
            f"Your library {name} is offered to {grantee.name} already; {grantee.name}'s "
            f"scripts may import it once {grantee.name} accepts it ('@library/accept "
            f"{ctx.actor.name} {name}').")
    ctx.tell(f"Shared your library {name} with {grantee.name}: once they accept it, their "
             f"scripts may {_importing(name, 'their own')}. "
             f"'{_revoking(grantee.name, name)}' stops it.")
    ctx.tell_to(grantee, f"{ctx.actor.name} offers you the library {name}: nothing of it "
                         f"runs in your scripts unless you accept it ('@library/accept "
                         f"{ctx.actor.name} {name}'; '@library/show {name}' lists it; "
                         f"'{_revoking(ctx.actor.name, name)}' refuses it).", "system")


def revoke_library(ctx: Context, who: str, spec: str) -> None:
    """
    C{@revoke <player> = library <name>}: stop sharing one of the actor's
    libraries with the player, or refuse the player's library shared with
    the actor.
    """
    name = _name(ctx, spec.split(None, 1)[1])
    other = _player(ctx, who, "nothing was changed")
    offered = not accepted(ctx.root, ctx.actor.id, name, other.id)
    if unshare(ctx.root, ctx.actor.id, name, other.id):
        ctx.server.scripts.library_changed(ctx.actor.id, name, grantee=other.id)
        if offered:  # the next offer to them waits, as after an unshare
            runtime = ctx.server.scripts
            runtime.libraries.offer_withdrawn(ctx.actor.id, other.id, runtime.clock.seconds())
            ctx.tell(f"You took back the offer of your library {name} to {other.name}.")
            if ctx.is_at_least("wizard") or not ignores.refuses(ctx.root, other, ctx.actor.id):
                # (one who ignores him since his offer hears no more of it)
                ctx.tell_to(other, f"{ctx.actor.name} took back the offer of the library "
                                   f"{name}.", "system")
            return
        ctx.tell(f"Your library {name} is no longer shared with {other.name}; their scripts "
                 "can no longer import it.")
        ctx.tell_to(other, f"{ctx.actor.name} no longer shares the library {name} with you: "
                           f"your scripts that import it fail until they no longer do (or it "
                           "is shared again).", "system")
        return
    was_offered = not accepted(ctx.root, other.id, name, ctx.actor.id)
    if unshare(ctx.root, other.id, name, ctx.actor.id):
        ctx.server.scripts.library_changed(other.id, name, grantee=ctx.actor.id,
                                           refused=True)
        if was_offered:
            ctx.tell(f"You refused {other.name}'s offer of the library {name}.")
            ctx.tell_to(other, f"{ctx.actor.name} refused your offer of the library {name}.",
                        "system")
            return
        ctx.tell(f"{other.name}'s library {name} is no longer shared with you.")
        ctx.tell_to(other, f"{ctx.actor.name} refused your library {name}: their scripts no "
                           "longer import it.", "system")
        return
    raise UserError(f"No library {name} is shared between you and {other.name}.")


def share_lines(ctx: Context) -> list[str]:
    """
    The actor's library shares, both ways, for C{@grants}.
    """
    lines = []
    for record in libraries_of(ctx.root, ctx.actor.id):
        for grantee in grantees(ctx.root, ctx.actor.id, record.name):
            holder: Any = ctx.root.get(grantee)
            if holder is not None:
                how = ("shared with" if accepted(ctx.root, ctx.actor.id, record.name, grantee)
                       else "offered to")
                lines.append(f"library {record.name}: {how} {holder.name}")
    for record in shared_with(ctx.root, ctx.actor.id):
        lines.append(f"library {record.name}: {_whose(ctx, record)}, shared with you")
    return lines
