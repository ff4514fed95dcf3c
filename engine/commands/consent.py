# -*- test-case-name: tests.redteam_world.test_holders -*-
"""
What a player can refuse or revoke of what others' scripts hold of them:
C{@holders}.
"""

from __future__ import annotations

from typing import Any

from engine.commands.base import Context, UserError
from scripting.facets import grants, holds
from world import rules

#: The most entries C{@holders} lists at once.
SHOWN = 50


def _held(ctx: Context) -> list[tuple[str, Any]]:
    """
    What holds a facet of the actor: ("hold", Hold) for each scripted thing
    that was handed one, ("grant", Grant) for each grant of the actor made by
    someone else; in a stable order.
    """
    me = ctx.actor
    found: list[tuple[str, Any]] = [("hold", h) for h in holds.holds_of(ctx.root, me)]
    found += [("grant", g) for g in grants.grants_of_target(ctx.root, me)
              if g.owner != me.id and rules.exists(ctx.root, g.host)]
    return found


def _line(ctx: Context, number: int, kind: str, item: Any) -> str:
    host = item.host
    ref = f" ({host.ref})" if ctx.is_at_least("builder") else ""
    if kind == "hold":
        return f"  {number}. {host.name}{ref}, {ctx.whose(host.owner)}: was handed you"
    return (f"  {number}. {host.name}{ref}, {ctx.whose(host.owner)}: granted {item.role} of you "
            f"as {item.name!r}")


def holders(ctx: Context) -> None:
    """
    See and revoke what others' scripts hold of you: @holders, or
    @holders/revoke <n>|all
    (and @holders/shed: give up what your things hold of others)

    A script is handed a facet of you when you use it or look at it, when it
    sees you in its room, or when its owner grants it one. It can tell where
    you are, or speak to you, only while you are in its room; but it can keep
    the facet to recognise you later. A thing of someone else's that you carry
    perceives nothing of where you go, unless you use it. '@holders' lists
    every scripted thing of someone else that holds one. '@holders/revoke 2'
    kills everything that thing holds of you, wherever it keeps it (it can no
    longer even recognise you, until it meets you again); '@holders/revoke
    all' does it for every one.

    Your own scripted things pay for what they hold of others: each player's
    facet a thing of yours holds costs 480 bytes of your storage (one held
    since before holds cost that, 64). '@holders' says how many they hold;
    '@holders/shed' gives them up (your scripts meet those players again under
    new ones; a script failing through a facet it kept counts toward its
    suspension), all but those behind your grants (@grants): those stay,
    pinned, until you revoke the grant. Your things' other holds take at most
    a quarter of your storage: past that, or when your storage is full, a new
    one takes the place of your oldest.
    """
    if ctx.switch == "shed":
        given = holds.shed(ctx.root, ctx.actor.id)
        ctx.tell(f"Your things gave up {given} hold{'' if given == 1 else 's'} they had of "
                 "others.")
        return
    found = _held(ctx)
    if ctx.switch == "revoke":
        _revoke(ctx, found)
        return
    if ctx.switch:
        raise UserError("Type '@holders', '@holders/revoke <number>' or '@holders/shed'.")
    mine, cost = holds.holds_by(ctx.root, ctx.actor.id)
    if mine:
        whose = "player's facet" if mine == 1 else "players' facets"
        ctx.tell(f"Your things hold {mine} {whose} ({cost} bytes of your storage); "
                 "'@holders/shed' gives them up.")
    if not found:
        ctx.tell("No one else's script holds anything of you.")
        return
    lines = ["Scripts of others that hold a facet of you:"]
    lines += [_line(ctx, n, kind, item) for n, (kind, item) in enumerate(found[:SHOWN], 1)]
    if len(found) > SHOWN:
        lines.append(f"  ...and {len(found) - SHOWN} more ('@holders/revoke all' revokes all).")
    lines.append("'@holders/revoke <number>' (or 'all') revokes what one holds of you.")
    ctx.tell("\n".join(lines))


def _revoke(ctx: Context, found: list[tuple[str, Any]]) -> None:
    spec = ctx.args.strip().lower()
    if spec == "all":
        chosen = found
    elif spec.isdigit() and 1 <= int(spec) <= len(found):
        chosen = [found[int(spec) - 1]]
    else:
        raise UserError("Revoke which? Type '@holders' for the list, then "
                        "'@holders/revoke <number>' or '@holders/revoke all'.")
    if not chosen:
        raise UserError("No one else's script holds anything of you.")
    names = []
    for kind, item in chosen:
        if kind == "hold":
            holds.revoke(ctx.actor, item, ctx.root)
        else:
            # The player a grant is of may revoke it, as its granter may;
            # her doing, not the script's (unless it is her own grant): its
            # first failure through it does not count toward suspension.
            grants.revoke(ctx.root, item.owner, item.id,
                          not_its_own=item.owner != ctx.actor.id)
        # Its script's module stays loaded: the facets die through their
        # cell, and forgetting the module would make its owner pay for
        # loading it again at every revoke of hers (a revoked grant changes
        # the module's key, so the script loads without it when it next
        # runs, once for each grant its owner made).
        names.append(item.host.name)
    shown = ", ".join(dict.fromkeys(names))
    ctx.tell(f"Revoked: {shown} no longer hold{'s' if len(names) == 1 else ''} anything of you.")
