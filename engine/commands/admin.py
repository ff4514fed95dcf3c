# -*- test-case-name: tests.engine.test_commands -*-
"""
Accounts and the server: @password, and the wizards' @boot,
@shutdown, @ban, @unban, @role, @newpassword and @badnames.

The account rules (passwords, bans, roles, the last wizard) are the
L{engine.login.AccountService}'s; these commands parse, ask and tell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.accounts import Account, check_password
from engine.bans import (
    NARROWEST_IPV6,
    WIDEST,
    Network,
    SiteBans,
    canonical_sites,
    read_site,
    too_wide,
)
from engine.colour import escape
from engine.commands.base import Context, UserError, split_equals
from engine.server import BANNED_SITES
from world import names
from world.errors import WorldError
from world.events import Event

if TYPE_CHECKING:
    from engine.interfaces import IPlayer
    from engine.login import AccountService


def _account_named(ctx: Context, name: str) -> Account:
    # The whole name: never the start of another's, nor one like it.
    return ctx.player_account(name, "nothing was changed", "account")


def password(ctx: Context) -> None:
    """
    Change your password: @password   (or @password <old> <new>)

    With no arguments you are asked for the old password and the new one
    twice, without them showing on screen.
    """
    words = ctx.args.split()
    if words and len(words) != 2:
        raise UserError("Type '@password' alone to be asked, or '@password <old> <new>'.")
    session, accounts, key = ctx.session, ctx.server.accounts, ctx.account.key

    def start() -> None:
        # The dialogue waits for the hash (and the player), outside this turn.
        if words:
            old, new = words
            session.run_dialogue(_change_password(session, accounts, key, old, new))
        else:
            session.run_dialogue(_ask_password(session, accounts, key))

    ctx.turn.after_commit.append(start)


async def _ask_password(session: IPlayer, accounts: AccountService, key: str) -> None:
    old = await session.question("Current password: ", hidden=True)
    new = await session.question("New password: ", hidden=True)
    again = await session.question("New password again: ", hidden=True)
    if again != new:
        session.write("The two new passwords differ; nothing changed.")
        return
    await _change_password(session, accounts, key, old, new)


async def _change_password(session: IPlayer, accounts: AccountService, key: str, old: str,
                           new: str) -> None:
    try:
        await accounts.change_password(key, old, new, session.address)
    except WorldError as e:
        session.write(str(e))
        return
    session.write("Your password has been changed.")


def boot(ctx: Context) -> None:
    """
    Disconnect a player: @boot <name> [= <reason>]
    """
    parts = split_equals(ctx.args)
    name, reason = parts if parts is not None else (ctx.args, "")
    if not name:
        raise UserError("Boot whom?")
    account = _account_named(ctx, name)
    session = ctx.server.session_for(account.character_id)
    if session is None:
        raise UserError(f"{account.name} is not connected.")
    if session is ctx.session:
        raise UserError("Use 'quit' to leave.")
    message = f"You have been disconnected by {ctx.actor.name}."
    if reason:
        message += f" Reason: {reason}"
    ctx.turn.after_commit.append(lambda: session.close(message))
    ctx.tell(f"You boot {account.name}.")


def shutdown(ctx: Context) -> None:
    """
    Stop the server: @shutdown [<message>]

    Everyone is told, the world is saved, and the process exits.
    """
    message = ctx.args or "The server is shutting down. See you soon!"
    server, name = ctx.server, ctx.actor.name

    def stop() -> None:
        # Closures run after the commit: they hold plain values, never world objects.
        for session in server.playing():
            session.write(f"*** {name} shuts the server down: {message}")
        server.shutdown()

    ctx.turn.after_commit.append(stop)
    ctx.tell("Shutting down.")


def ban(ctx: Context) -> None:
    """
    Ban an account or a network: @ban <name>   or   @ban site <network>

    A banned account cannot log in (and is disconnected now). A site ban
    refuses connections from a network, written in CIDR form ('@ban site
    203.0.113.0/24', '@ban site 2001:db8::/48'), as one address (an IPv4
    address alone; an IPv6 address bans its /64, which its owner could
    otherwise take another address of), or as a prefix ending in a dot or a
    colon ('@ban site 203.0.113.' is 203.0.113.0/24). An IPv6 ban narrower
    than a /64 bans its /64. An IPv6 address or network carrying an IPv4 one
    (::ffff:10.0.0.1, NAT64 64:ff9b::10.0.0.1, 6to4 2002::/16, Teredo) bans
    that IPv4 network, as its connections count as their IPv4 address. You are
    told the network banned, in the form '@ban' lists it. A ban wider than an
    IPv4 /8 or an IPv6 /16 is refused unless forced: '@ban/force site
    <network>'. '@ban' alone lists the bans.

    Connections already open from the network stay (a site is often
    shared): you are told how many there are and who plays on them.
    '@ban/kick site <network>' also disconnects them (yours excepted),
    each told why; '@ban/kick/force' does both.
    """
    words = ctx.args.split()
    switches = set(ctx.switch.lower().split("/")) - {""}
    force, kick = "force" in switches, "kick" in switches
    if switches and not (switches <= {"force", "kick"} and words
                         and words[0].lower() == "site"):
        raise UserError("Type '@ban <name>', '@ban site <network>' or "
                        "'@ban/force site <network>' ('/kick' also disconnects "
                        "who is connected from it).")
    if not words:
        banned = [a.name for a in ctx.root.accounts.values() if a.banned]
        sites = canonical_sites(ctx.root.settings.get(BANNED_SITES, ()))
        ctx.tell(f"Banned accounts: {', '.join(banned) or 'none'}.\n"
                 f"Banned sites: {', '.join(sites) or 'none'}.")
        return
    if words[0].lower() == "site":
        if len(words) != 2:
            raise UserError("Type '@ban site <address>'.")
        network, widened = _network(words[1], "@ban")
        if too_wide(network) and not force:
            raise UserError(f"{network} is wider than an IPv4 /{WIDEST[4]} or an IPv6 "
                            f"/{WIDEST[6]}; type '@ban/force site {network}' if you mean it.")
        sites = canonical_sites(ctx.root.settings.get(BANNED_SITES, ()))
        ctx.root.settings[BANNED_SITES] = canonical_sites((*sites, str(network)))
        ctx.tell(f"Connections from {network} are now refused"
                 + (f" (an IPv6 ban covers at least a /{NARROWEST_IPV6}, as every limit "
                    "counts one)." if widened else ".")
                 + "\n" + _connected_from(ctx, network, kick))
        return
    account = _account_named(ctx, ctx.args)
    ctx.server.accounts.ban(account, ctx.account)
    session = ctx.server.session_for(account.character_id)
    if session is not None:
        ctx.turn.after_commit.append(lambda: session.close("You have been banned."))
    ctx.tell(f"{account.name} is banned.")


def _connected_from(ctx: Context, network: Network, kick: bool) -> str:
    """
    Say who is connected from C{network} now (at every door, logged in or
    not); with C{kick}, disconnect them once the ban is committed, each
    told why, except the wizard's own connection.
    """
    inside = SiteBans([str(network)]).banned
    found = [s for s in ctx.server.sessions if inside(s.address)]
    own = ctx.session in found
    others = [s for s in found if s is not ctx.session]
    if not found:
        return f"Nobody is connected from {network}."
    names = sorted(s.name for s in others if s.state == "playing" and s.name)
    waiting = len(others) - len(names)
    who = (f"playing: {', '.join(names)}" if names else "nobody playing") + \
        (f"; {waiting} waiting to log in" if waiting else "")
    yours = " (yours too: you stay connected)" if own else ""
    if not others:
        return f"Only your own connection is from {network}: you stay connected."
    if not kick:
        return (f"{len(others)} connection{'s' if len(others) != 1 else ''} from {network} "
                f"are open ({who}){yours}; they stay: '@ban/kick site {network}' "
                "disconnects them, '@boot <name>' one player.")
    message = (f"Connections from your address are no longer allowed here: "
               f"{ctx.actor.name} disconnected you.")

    def disconnect() -> None:
        for session in others:
            session.close(message)

    ctx.turn.after_commit.append(disconnect)
    return (f"You disconnected {len(others)} connection{'s' if len(others) != 1 else ''} "
            f"from {network} ({who}){yours}.")


def unban(ctx: Context) -> None:
    """
    Lift a ban: @unban <name>   or   @unban site <network>

    The network may be written in any form '@ban site' takes.
    """
    words = ctx.args.split()
    if not words:
        raise UserError("Unban whom?")
    if words[0].lower() == "site":
        if len(words) != 2:
            raise UserError("Type '@unban site <address>'.")
        sites = canonical_sites(ctx.root.settings.get(BANNED_SITES, ()))
        if words[1] in sites:
            site = words[1]  # A ban stored as text before, that is no network.
        else:
            site = str(_network(words[1], "@unban")[0])
        if site not in sites:
            raise UserError(f"{site} is not banned.")
        ctx.root.settings[BANNED_SITES] = tuple(s for s in sites if s != site)
        ctx.tell(f"Connections from {site} are allowed again.")
        return
    account = _account_named(ctx, ctx.args)
    ctx.server.accounts.unban(account)
    ctx.tell(f"{account.name} may log in again.")


def _network(text: str, verb: str) -> tuple[Network, bool]:
    """
    The network a wizard typed as C{text}, and whether it was widened to
    an IPv6 /64 (L{read_site}).

    @raise UserError: it is no address or network; the usage of C{verb}.
    """
    try:
        return read_site(text)
    except ValueError:
        raise UserError(
            f"'{escape(text)}' is not an address or a network. Type '{verb} site' and a "
            f"network ('{verb} site 203.0.113.0/24', '{verb} site 2001:db8::/48'), an "
            f"address, or a prefix ending in a dot ('{verb} site 203.0.113.').") from None


def role(ctx: Context) -> None:
    """
    Change someone's role: @role <name> = <role>

    Roles are player, builder and wizard.

    Builders can build and change what they own; wizards can change anything
    and run the server. The last wizard cannot stop being one.
    """
    parts = split_equals(ctx.args)
    if parts is None:
        raise UserError("Type '@role <name> = player', 'builder' or 'wizard'.")
    account = _account_named(ctx, parts[0])
    new = parts[1].lower()
    old = ctx.server.accounts.set_role(ctx.root, account, new)
    ctx.tell(f"{account.name} is now a {new} (was {old}).")
    if account.key != ctx.account.key:
        ctx.turn.tell(account.character_id, Event(
            "system", f"{ctx.actor.name} made you a {new}."))


def newpassword(ctx: Context) -> None:
    """
    Set someone's password: @newpassword <name> = <password>

    For players who forgot theirs. Tell them the new one privately; they can
    change it with @password.
    """
    parts = split_equals(ctx.args)
    if parts is None or not parts[0] or not parts[1]:
        raise UserError("Type '@newpassword <name> = <password>'.")
    account = _account_named(ctx, parts[0])
    check_password(parts[1], account.name)
    session, accounts = ctx.session, ctx.server.accounts
    key, name, new = account.key, account.name, parts[1]

    async def reset() -> None:
        await accounts.set_password(key, new)
        session.write(f"{name}'s password has been changed.")

    def start() -> None:
        session.run_dialogue(reset())

    ctx.turn.after_commit.append(start)


#: The most refused names one '@badnames' shows, the most objects it reads,
#: and the most names and aliases it checks against the rules of names: the
#: costliest name of 80 characters checks in some 9,000 steps (about a
#: millisecond on a busy two-core machine), so a page's turn stays near a
#: fifth of a second whatever names builders gave.
BADNAMES_SHOWN = 20
BADNAMES_READ = 5000
BADNAMES_CHECKED = 200


def badnames(ctx: Context) -> None:
    """
    List stored names the rules now refuse: @badnames   (or @badnames #<number>)

    Names given before a rule of names refused them are kept, never
    renamed; this lists them, with the reason, for you to rename with
    @name. A page at a time: it reads the world from #<number> on (from the
    start if none is given) and says where to go on.
    """
    text = ctx.args.strip().removeprefix("#")
    if text and not (text.isascii() and text.isdigit()):
        raise UserError("Type '@badnames' or '@badnames #<number>' to go on from an object.")
    start = int(text) if text else 0
    found, after = names.refusals_from(ctx.root, start, BADNAMES_SHOWN, BADNAMES_READ,
                                       checking=BADNAMES_CHECKED)
    lines = [escape(f"#{ref} is called {name!r}: {why}") for ref, name, why in found]
    if not lines:
        lines.append("No stored name is refused" + (f" from #{start}" if start else "") + ".")
    if after is not None:
        lines.append(f"More may follow: type '@badnames #{after}'.")
    ctx.tell("\n".join(lines))
