# -*- test-case-name: tests.engine.test_channels -*-
"""
Chat channels from the command line: C{@channel} (list, create, join,
leave, who, history; for a channel's owner describe, mute, ban, destroy),
and talking on one: C{pub hello}, C{+pub hello}, C{pub :waves}.

The channels themselves, and their rules, are L{world.channels}. Clients
with tabs get each line as GMCP C{Comm.Channel.Text} (L{engine.oob}) and the
channels a player is on as C{Comm.Channel.List}, at login and when it
changes.

A player's channel's name and description are stored bytes of its owner,
charged to their stored-bytes quota as the text of their things is
(L{charge}), and so is its history's ceiling
(L{world.channels.HISTORY_BYTES}), from the moment it is made, whoever
talks on it: describing it again charges or refunds the difference, and
destroying it refunds all; past the quota the command is refused and
changes nothing. A wizard's change to another's channel is charged to its
owner too, but never refused for the owner's quota (as wizards' building
is counted, never refused): moderating a channel never waits on its owner
making room.
"""

from __future__ import annotations

import time
from typing import Any

from attrs import evolve

from engine.commands.base import Context, UserError, split_equals
from scripting.facets import accounting
from scripting.facets import channels as channel_grants
from scripting.facets.errors import QuotaExceeded
from world import channels, ignores
from world.channels import Channel
from world.events import Event
from world.words import is_login_word

#: The GMCP package listing a player's channels.
LIST_PACKAGE = "Comm.Channel.List"

#: Lines of history shown when no count is given.
HISTORY_SHOWN = 20


def channel_list(root: Any, character_id: int) -> list[dict[str, str]]:
    """
    The C{Comm.Channel.List} body: the channels C{character_id} is on, each
    as C{{"name": "pub", "caption": <description>, "command": "pub"}} (the
    word that talks on it).
    """
    return [{"name": c.name, "caption": c.description or c.name, "command": c.name}
            for c in channels.registry(root).of(character_id)]


def send_list(ctx: Context) -> None:
    """
    Send the player's client the channels they are on (GMCP), now.
    """
    ctx.session.client.send_oob(LIST_PACKAGE, channel_list(ctx.root, ctx.actor.id))


def _tell(ctx: Context, text: str) -> None:
    # What the player reads, with their channels for clients that keep tabs.
    ctx.tell(text, data={LIST_PACKAGE: channel_list(ctx.root, ctx.actor.id)})


def _online(ctx: Context) -> list[int]:
    # The characters connected now: only they are told; the rest read the history.
    return list(ctx.server.store.minds)


# -- talking ------------------------------------------------------------------------------


def talk(ctx: Context, channel: Channel, text: str) -> None:
    """
    Say C{text} on C{channel} as the player (C{:waves} emotes).

    @raise UserError: not on it, muted, or the text breaks a rule.
    """
    actor = ctx.actor
    if not channel.is_member(actor.id):
        raise UserError(f"You are not on {channel.name}. Type '@channel/join {channel.name}' "
                        "to join it.")
    text = text.strip()
    if not text:
        raise UserError(f"Say what on {channel.name}? Type '{channel.name} <words>' "
                        f"('@channel/history {channel.name}' shows what was said).")
    if actor.id in channel.muted:
        raise UserError(f"You are muted on {channel.name}: you hear it, but cannot talk on it.")
    emote = text[0] in ":;"
    if emote:
        text = text[1:].lstrip() if text[0] == ";" or text[1:2] == " " else text[1:]
    said = channels.line(channel, actor.name, channels.check_text(text), emote=emote)
    channels.post(ctx.turn, channel, said, ctx.server.clock.seconds(), _online(ctx),
                  talker=actor.name, actor=actor.id, speaker=actor.id)


def try_talk(ctx: Context) -> bool:
    """
    If the typed word is a channel the player is on (C{pub hello}) or starts
    with C{+} (C{+pub hello}), talk on it and return True.

    @raise UserError: C{+name} names no channel, or one the player is not on.
    """
    word = ctx.verb
    prefixed = word.startswith("+")
    if prefixed:
        word = word[1:]
    channel = channels.registry(ctx.root).get(word)
    if channel is None:
        if prefixed:
            raise UserError(f"There is no channel called {word!r}. ('@channel' lists them.)")
        return False
    if not prefixed and (not channel.is_member(ctx.actor.id) or is_login_word(word)):
        return False  # (a login word, on a channel named before the rule: never heard)
    talk(ctx, channel, ctx.args)
    return True


def not_on(ctx: Context) -> None:
    """
    @raise UserError: the typed word is a channel the player is not on.
    """
    channel = channels.registry(ctx.root).get(ctx.verb)
    if channel is not None and not channel.is_member(ctx.actor.id):
        raise UserError(f"You are not on the channel {channel.name}. Type "
                        f"'@channel/join {channel.name}' to join it.")


# -- @channel ---------------------------------------------------------------------------


def channel_command(ctx: Context) -> None:
    """
    Chat channels: @channel[/switch] [<channel>] [= <more>]

    Talk on a channel you are on by typing its name, then your words:
    'pub hello' (or '+pub hello', which always means the channel);
    'pub :waves' acts something out. Everyone on it hears you, wherever
    they are: '[pub] Alice: hello'. Everyone is on pub unless they leave.

      @channel                       list the channels
      @channel/join <channel>        join one
      @channel/leave <channel>       leave one
      @channel/who <channel>         who is on it (and connected)
      @channel/history <channel> [<n>]  the last lines said on it
      @channel/create <name> [= <what it is for>]   make one (you own it)

    A channel's owner (and wizards) may also:

      @channel/describe <channel> = <text>   say what it is for
      @channel/mute <channel> = <player>     they hear it but cannot talk
      @channel/unmute <channel> = <player>
      @channel/ban <channel> = <player>      off it, and cannot join again
      @channel/unban <channel> = <player>
      @channel/destroy <channel>             remove it (and every grant of it)

    A player's channel bans at most 200 characters and mutes at most 200.

    '@channel join chess' is '@channel/join chess', and so on for each.
    Names are a letter then letters or digits, 2 to 16, and only wizards'
    channels are called by, or start or end with, a word that speaks
    for the game ('staff', 'systemnews', 'mudadmins'). Each player may own
    5 channels; a channel keeps its last 100 lines, at most 8192 bytes of
    them. A channel you own counts against your storage quota (@quota):
    its name, its description and 8192 bytes for its history. Hand one of your
    scripts a channel of yours with '@grant <thing>.<name> = channel
    <channel>' (its lines are then marked as the script's).
    """
    switch = ctx.switch.lower()
    word, _, rest = ctx.args.partition(" ")
    if not switch and word.lower() in _SUBCOMMANDS:
        # '@channel join chess', as other MUDs spell it, means '@channel/join chess'
        # (no channel may be called a subcommand's word).
        switch, ctx = word.lower(), evolve(ctx, switch=word.lower(), args=rest.strip())
    if switch in ("", "list") and not ctx.args:
        _list(ctx)
        return
    handler = _SWITCHES.get(switch or "who")
    if handler is None:
        raise UserError(f"@channel has no /{switch}; try /join, /leave, /who, /history, "
                        "/create, /describe, /mute, /unmute, /ban, /unban or /destroy.")
    handler(ctx)


def _named(ctx: Context, text: str) -> Channel:
    if not text.strip():
        raise UserError("Which channel? ('@channel' lists them.)")
    return channels.find(ctx.root, text)


def _list(ctx: Context) -> None:
    found = channels.registry(ctx.root).all()
    lines = ["Channels (* you are on it):"]
    for channel in found:
        on = "*" if channel.is_member(ctx.actor.id) else " "
        members = _members(channel)
        about = f": {channel.description}" if channel.description else ""
        lines.append(f" {on} {channel.name} ({ctx.whose(channel.owner)}, {members}){about}")
    lines.append("Talk on one by typing its name and your words ('pub hello'); "
                 "'help @channel' for more.")
    ctx.tell("\n".join(lines))


def _members(channel: Channel, *, bare: bool = False) -> str:
    """
    Who is on C{channel}, as a few words: how many joined it, or, for the
    world's public channels, everyone but how many left or were banned
    (C{bare}: only the number of those who joined)
    (counted from those lists, never by reading every account: a command
    any player types reads a bounded part of the world).
    """
    if channel.everyone:
        off = len(channel.left) + len(channel.banned)
        return f"everyone but {off}" if off else "everyone"
    size = len(channel.members)
    if bare:
        return str(size)
    return "1 member" if size == 1 else f"{size} members"


def charge(ctx: Context, channel: Channel) -> None:
    """
    Charge C{channel}'s owner for what it stores now, its name and
    description and its history's ceiling: what that grew by since last
    charged, or refund what it shrank by (the world's channels are charged
    to nobody; a world stored before channels' histories were charged has
    its channels charged at start, L{channel_grants.charge_stored}). A
    wizard changing another's channel charges its owner without being
    refused.

    @raise QuotaExceeded: the owner, changing their own channel, has no
        room for the growth (the command's turn is rolled back: the
        channel is as it was).
    """
    if channel.owner is None:
        return
    stored = channel_grants.stored_size(channel)
    growth = stored - channel.charged
    if growth > 0 and channel.owner != ctx.actor.id and ctx.is_at_least("wizard"):
        accounting.account(ctx.root, channel.owner).stored_bytes += growth
    elif growth:
        try:
            accounting.charge_bytes(ctx.root, channel.owner, growth)
        except QuotaExceeded as e:
            raise QuotaExceeded(f"{e} (A channel counts its name, its description and "
                                f"{channels.HISTORY_BYTES} bytes for its history.)") from None
    channel.charged = stored


def refund(ctx: Context, channel: Channel) -> None:
    """
    Give C{channel}'s owner back what it was charged (it is destroyed).
    """
    if channel.charged and channel.owner is not None:
        accounting.charge_bytes(ctx.root, channel.owner, -channel.charged)
        channel.charged = 0


def _create(ctx: Context) -> None:
    parts = split_equals(ctx.args)
    name, description = parts if parts is not None else (ctx.args, "")
    if not name.strip():
        raise UserError("Name it: '@channel/create <name> = <what it is for>'.")
    channel = channels.create(ctx.root, ctx.actor.id, name, description,
                              ctx.server.clock.seconds(),
                              reserved=(*ctx.dispatcher.table.by_word, *_SUBCOMMANDS),
                              authority=ctx.is_at_least("wizard"))
    charge(ctx, channel)
    _tell(ctx, f"You made the channel {channel.name}, and are on it. Talk on it with "
               f"'{channel.name} <words>'.")


def _join(ctx: Context) -> None:
    channel = _named(ctx, ctx.args)
    channels.join(ctx.root, channel, ctx.actor.id)
    _tell(ctx, f"You join {channel.name}. Talk on it with '{channel.name} <words>'.")


def _leave(ctx: Context) -> None:
    channel = _named(ctx, ctx.args)
    if channel.owner == ctx.actor.id:
        raise UserError(f"You own {channel.name}; destroy it instead "
                        f"('@channel/destroy {channel.name}').")
    channels.leave(ctx.root, channel, ctx.actor.id)
    _tell(ctx, f"You leave {channel.name}.")


def _who(ctx: Context) -> None:
    channel = _named(ctx, ctx.args)
    if not channel.is_member(ctx.actor.id) and not _moderates(ctx, channel):
        raise UserError(f"You are not on {channel.name}.")
    # Those connected now who are on it, from the smaller of the two lists
    # (a public channel's members are every account: never read them all).
    online = set(_online(ctx))
    candidates = sorted(online) if channel.everyone else \
        [m for m in channel.members if m in online]
    names = []
    for member in candidates:
        if channel.is_member(member):
            character = ctx.root.get(member)
            if character is not None:
                muted = " (muted)" if member in channel.muted else ""
                names.append(character.name + muted)
    said = (f"{channel.name}: {channel.description or '(no description)'}\n"
            f"Owner: {ctx.whose(channel.owner)}. Members: {_members(channel, bare=True)}. ")
    said += f"Connected now: {', '.join(names)}." if names else "Nobody on it is connected now."
    ctx.tell(said)


def _history(ctx: Context) -> None:
    words = ctx.args.split()
    if not words:
        raise UserError("Which channel? Type '@channel/history <channel> [<lines>]'.")
    channel = channels.find(ctx.root, words[0])
    if not channel.is_member(ctx.actor.id) and not _moderates(ctx, channel):
        raise UserError(f"You are not on {channel.name}; join it to read its history.")
    count = HISTORY_SHOWN
    if len(words) > 1:
        if not (words[1].isascii() and words[1].isdigit()):
            raise UserError("Say how many lines as a number, e.g. '@channel/history pub 50'.")
        count = min(int(words[1]), channels.HISTORY)
    lines = channels.recent(channel, count,
                            lambda speakers: ignores.hidden_among(ctx.root, ctx.account, speakers))
    if not lines:
        ctx.tell(f"Nothing has been said on {channel.name} yet.")
        return
    # Indented under a header: a line of history never passes for one said now.
    shown = "\n".join(f"  {time.strftime('%H:%M', time.gmtime(when))} {said}"
                      for when, said in lines)
    ctx.tell(f"The last {len(lines)} line(s) on {channel.name} (times UTC):\n{shown}")


def _moderates(ctx: Context, channel: Channel) -> bool:
    return channel.owner == ctx.actor.id or ctx.is_at_least("wizard")


def _owned(ctx: Context, text: str) -> Channel:
    channel = _named(ctx, text)
    if not _moderates(ctx, channel):
        raise UserError(f"Only {channel.name}'s owner can do that.")
    return channel


def _channel_and_player(ctx: Context, what: str) -> tuple[Channel, int, str]:
    parts = split_equals(ctx.args)
    if parts is None or not parts[0] or not parts[1]:
        raise UserError(f"Type '@channel/{what} <channel> = <player>'.")
    channel = _owned(ctx, parts[0])
    account = ctx.player_account(parts[1], "nothing was changed", "character")
    return channel, account.character_id, account.name


def _describe(ctx: Context) -> None:
    parts = split_equals(ctx.args)
    if parts is None:
        raise UserError("Type '@channel/describe <channel> = <what it is for>'.")
    channel = _owned(ctx, parts[0])
    channel.description = channels.check_description(parts[1])
    charge(ctx, channel)
    ctx.tell(f"{channel.name}: {channel.description or '(no description)'}")


def _notify(ctx: Context, character_id: int, text: str) -> None:
    ctx.turn.tell(character_id, Event("system", text, actor=ctx.actor.id,
                                      data={LIST_PACKAGE: channel_list(ctx.root, character_id)}))


def _mute(ctx: Context) -> None:
    channel, who, name = _channel_and_player(ctx, "mute")
    channels.mute(channel, who)
    ctx.tell(f"{name} is muted on {channel.name}: they hear it but cannot talk on it.")
    _notify(ctx, who, f"You were muted on the channel {channel.name}.")


def _unmute(ctx: Context) -> None:
    channel, who, name = _channel_and_player(ctx, "unmute")
    channels.unmute(channel, who)
    ctx.tell(f"{name} may talk on {channel.name} again.")
    _notify(ctx, who, f"You may talk on the channel {channel.name} again.")


def _ban(ctx: Context) -> None:
    channel, who, name = _channel_and_player(ctx, "ban")
    was_on = channel.is_member(who)
    channels.ban(ctx.root, channel, who)
    ctx.tell(f"{name} is banned from {channel.name}.")
    if was_on:  # (one never on it is not told: its owner moderates it, not the world)
        _notify(ctx, who, f"You were banned from the channel {channel.name}.")


def _unban(ctx: Context) -> None:
    channel, who, name = _channel_and_player(ctx, "unban")
    channels.unban(channel, who)
    back = "is on it again" if channel.everyone else "may join it again"
    ctx.tell(f"{name} {back} ({channel.name}).")
    if channel.is_member(who):  # back on a public channel; else they may join, untold
        _notify(ctx, who, f"You are no longer banned from the channel {channel.name}.")


def _destroy(ctx: Context) -> None:
    channel = _owned(ctx, ctx.args)
    online = _online(ctx)
    members = [m for m in online if channel.is_member(m) and m != ctx.actor.id]
    refund(ctx, channel)
    for grant in channels.destroy(ctx.root, channel):
        # The facets die through their cell; the scripts' modules stay
        # loaded (forgetting them would make each grantee pay a reload).
        channel_grants.revoke(ctx.root, grant, f"The channel {channel.name} was destroyed.",
                              not_its_own=grant.owner != ctx.actor.id)
    _tell(ctx, f"You destroyed the channel {channel.name}.")
    for member in members:
        _notify(ctx, member, f"The channel {channel.name} was destroyed.")


_SWITCHES = {
    "join": _join, "leave": _leave, "who": _who, "history": _history, "create": _create,
    "describe": _describe, "desc": _describe, "mute": _mute, "unmute": _unmute,
    "ban": _ban, "unban": _unban, "destroy": _destroy,
}

#: The words that may follow '@channel' instead of a switch.
_SUBCOMMANDS = frozenset({*_SWITCHES, "list"})


def login(ctx: Context) -> None:
    """
    At login: send the client the channels the player is on (GMCP).
    """
    send_list(ctx)


__all__ = ["channel_command", "login", "not_on", "talk", "try_talk"]
