# -*- test-case-name: tests.engine.test_commands,tests.engine.test_limits_audit -*-
"""
Talking: say, emote, whisper, page; and ignoring a player (L{world.ignores}).
"""

from __future__ import annotations

from engine.commands.base import Context, UserError, split_equals
from engine.scripts import events
from engine.text import capitalise, join
from world import ignores
from world.events import Event
from world.objects import Character

#: The longest thing one may say at once, in characters.
MAX_SPEECH = 2000


def _speech(ctx: Context, what: str) -> str:
    text = ctx.args.strip()
    if not text:
        raise UserError(f"{capitalise(what)} what?")
    if len(text) > MAX_SPEECH:
        raise UserError(f"That is too long to {what} at once; keep it under "
                        f"{MAX_SPEECH} characters.")
    return text


def _verb(text: str) -> tuple[str, str]:
    if text.endswith("?"):
        return "ask", "asks"
    if text.endswith("!"):
        return "exclaim", "exclaims"
    return "say", "says"


def say(ctx: Context) -> None:
    """
    Say something to everyone here: say <text>   (or "<text>)

    'say hello' or '"hello' shows everyone in the room: Alice says, "hello".
    """
    text = _speech(ctx, "say")
    you, they = _verb(text)
    ctx.tell_room(f'{ctx.actor.name} {they}, "{text}"', "say",
                  actor_text=f'You {you}, "{text}"', data={"talker": ctx.actor.name})
    events.broadcast(ctx, ctx.here, "on_hear", ctx.actor, text)


def emote(ctx: Context) -> None:
    """
    Act something out: emote <action>   (or :<action>)

    ':waves.' shows everyone here: Alice waves. Start with an apostrophe or a
    comma to attach it to your name: ":'s eyes twinkle." shows Alice's eyes
    twinkle.
    """
    text = _speech(ctx, "emote")
    joined = text if text[0] in "',:" else " " + text
    ctx.tell_room(f"{ctx.actor.name}{joined}", "emote", include_actor=True,
                  data={"talker": ctx.actor.name})


def _split_target(ctx: Context, what: str) -> tuple[str, str]:
    parts = split_equals(ctx.args)
    if parts is None:
        words = ctx.args.split(None, 1)
        if len(words) < 2:
            raise UserError(f"{capitalise(what)} to whom, and what? "
                            f"Type '{what} <name> = <message>'.")
        parts = (words[0], words[1])
    name, text = parts
    if not name or not text:
        raise UserError(f"Type '{what} <name> = <message>'.")
    if len(text) > MAX_SPEECH:
        raise UserError(f"That is too long; keep it under {MAX_SPEECH} characters.")
    return name, text


def whisper(ctx: Context) -> None:
    """
    Whisper to someone here: whisper <name> = <text>

    Only they hear the words; others here see that you whispered to them.
    ('whisper bob hello' works too when the name is one word.) Type the
    whole name: 'whisper ali' whispers nothing, and asks whether you meant
    Alice.
    """
    name, text = _split_target(ctx, "whisper")
    # Found by the room's list of its characters, which keeps their names:
    # the one named is read, not every character asleep here.
    target = ctx.person_here(name)
    refuse_ignored(ctx, target, "whispers")
    ctx.tell(f'You whisper to {target.name}, "{text}"', "whisper")
    ctx.tell_to(target, f'{ctx.actor.name} whispers to you, "{text}"', "whisper",
                talker=ctx.actor.name)
    ctx.turn.tell_room(ctx.here, _event(ctx, f"{ctx.actor.name} whispers something to "
                                        f"{target.name}."),
                       exclude=(ctx.actor, target))


def _event(ctx: Context, text: str) -> Event:
    return Event("whisper", text, actor=ctx.actor.id, location=ctx.here.id)


def page(ctx: Context) -> None:
    """
    Send a message to someone anywhere: page <name> = <text>

    Reaches a connected player wherever they are. ('page bob hello' works too.)
    Type the whole name: 'page ali' pages nobody, and asks whether you
    meant Alice.
    """
    name, text = _split_target(ctx, "page")
    online = []
    for session in ctx.server.playing():
        character = ctx.root.get(session.character_id) if session.character_id else None
        if isinstance(character, Character):
            online.append(character)
    # Her whole name is hers: never the start of another's, nor letters
    # that only look like it ('ali', 'A1ice' ask whether Alice was meant).
    target = ctx.named_character(name)
    if target is None:
        hint = ctx.meant(name, online) or " Type 'who' to see who is on."
        raise UserError(f"There is no player called {name!r}; nothing was sent.{hint}")
    if target is ctx.actor:
        raise UserError("Talking to yourself? Try 'say'.")
    if not any(c is target for c in online):
        raise UserError(f"Nobody called {name!r} is connected; nothing was sent. Type 'who' to "
                        f"see who is, or '@mail {target.name} = <subject>' to leave a message.")
    refuse_ignored(ctx, target, "pages")
    ctx.tell(f"You page {target.name}: {text}", "page")
    ctx.tell_to(target, f"{ctx.actor.name} pages: {text}", "page", talker=ctx.actor.name)


def refuse_ignored(ctx: Context, target: Character, what: str) -> None:
    """
    Refuse to send C{what} (C{"pages"}) to C{target} if she ignores the
    actor; a wizard is never refused (he cannot be ignored).

    @raise UserError: she ignores him; saying only that she does not accept
        C{what} from him.
    """
    if not ctx.is_at_least("wizard") and ignores.refuses(ctx.root, target, ctx.actor.id):
        raise UserError(f"{target.name} is not accepting {what} from you; nothing was sent.")


def _keep_session(ctx: Context) -> None:
    """
    Once the turn commits, have the player's session hide what those she
    now ignores say (L{engine.session.Session.ignoring}).
    """
    ignoring = frozenset(ignores.ignored(ctx.account))
    session = ctx.session

    def kept() -> None:
        session.ignoring = ignoring

    ctx.turn.after_commit.append(kept)


def ignore(ctx: Context) -> None:
    """
    Stop hearing from a player: @ignore <player>   ('@ignore' lists them)

    Type the whole name. Once you ignore someone, their pages, whispers,
    gifts, library offers and @mail to you are refused (they are told only
    that you are not accepting them), and you are no longer shown what they
    say or emote where you are, their lines on channels, anything sent by
    things they own (their scripted things, whoever carries them), or their
    words repeated by things that say whose they are (the notice board). An
    offer of theirs is not accepted until you '@unignore' them. You still
    see them come, go and act, so you always know who is with you. You may
    ignore up to 200 players. Wizards cannot be ignored; if one troubles you,
    tell another. '@unignore <player>' hears them again.
    """
    if not ctx.args:
        shown = [ctx.root.get(cid) for cid in ignores.ignored(ctx.account)]
        names = sorted(c.name for c in shown if c is not None)
        if not names:
            ctx.tell("You ignore nobody. '@ignore <player>' stops hearing from someone.")
        else:
            ctx.tell(f"You ignore {join(names)} ({len(names)} of at most "
                     f"{ignores.MOST_IGNORED}). '@unignore <player>' hears one again.")
        return
    account = ctx.player_account(ctx.args, "nobody was ignored")
    if account.character_id == ctx.actor.id:
        raise UserError("You cannot ignore yourself.")
    if account.role == "wizard":
        raise UserError(f"{account.name} is a wizard, and wizards cannot be ignored; if one "
                        "troubles you, tell another wizard.")
    if not ignores.ignore(ctx.account, account.character_id):
        ctx.tell(f"You ignore {account.name} already. ('@unignore {account.name}' hears "
                 "them again.)")
        return
    _keep_session(ctx)
    ctx.tell(f"You now ignore {account.name}: you will not hear from them or their things, "
             f"and their pages, whispers, gifts, library offers and mail are refused. "
             f"('@unignore "
             f"{account.name}' hears them again.)")


def unignore(ctx: Context) -> None:
    """
    Hear a player you ignored again: @unignore <player>
    """
    if not ctx.args:
        raise UserError("Type '@unignore <player>' to hear someone again ('@ignore' lists "
                        "whom you ignore).")
    account = ctx.player_account(ctx.args, "nothing was changed")
    if not ignores.unignore(ctx.account, account.character_id):
        raise UserError(f"You do not ignore {account.name}. ('@ignore' lists whom you ignore.)")
    _keep_session(ctx)
    ctx.tell(f"You no longer ignore {account.name}.")
