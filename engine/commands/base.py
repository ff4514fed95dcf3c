# -*- test-case-name: tests.engine.test_commands -*-
"""
The pieces every command uses: the context it runs in, how commands are
declared and found, and how players name objects.

A command is a function taking a L{Context}. Its docstring is its help: the
first line is the summary shown in C{help}, the rest the details shown by
C{help <command>}. A command reports a player's mistake by raising
L{world.errors.WorldError} (or L{UserError}); the whole turn is then rolled
back and the message shown, so a failing command changes nothing.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from itertools import islice
from typing import TYPE_CHECKING, Any

from attrs import Factory, field, frozen

from engine.accounts import Account, role_at_least
from engine.interfaces import IDispatcher
from engine.text import join
from world import rules
from world.errors import Ambiguous, NoMatch, WorldError
from world.events import Event
from world.matching import candidates, match, match_in
from world.names import character_called, character_like, fold, same_name
from world.objects import Character, Exit, Room, Thing

if TYPE_CHECKING:
    from engine.server import Server
    from engine.session import Session
    from world.store import Turn


#: The most players a name that is nobody's is asked about ("Did you mean
#: Alan or Alice?").
MOST_MEANT = 5


class UserError(WorldError):
    """
    The player asked for something that cannot be done; the message says why
    and what to do instead.
    """


@frozen
class Context:
    """
    Everything one command may use, for one turn.

    @ivar session: the player's session (to ask questions, or to close).
    @ivar server: shared server state (who is on, limits, shutdown).
    @ivar turn: the store turn the command runs in.
    @ivar actor: the player's character.
    @ivar account: the player's account record.
    @ivar verb: the command word as typed (without a C{/switch}).
    @ivar args: the rest of the line, stripped.
    @ivar switch: for C{@script/show lamp}, C{"show"}; else C{""}.
    @ivar reactions: script handlers the command woke, run once it is done
        (see L{engine.scripts.events}).
    @ivar dispatcher: the L{engine.interfaces.IDispatcher} running the
        command (its table for C{help}; its C{run} for commands that go on
        after asking the player something).
    """

    session: Session
    server: Server
    turn: Turn
    actor: Character
    account: Account
    verb: str
    args: str
    switch: str = ""
    reactions: list = field(default=Factory(list))
    dispatcher: IDispatcher = field(kw_only=True)

    @property
    def root(self) -> Any:
        """
        The world root.
        """
        return self.turn.root

    @property
    def here(self) -> Room:
        """
        The room the actor is in.
        """
        room = self.actor.room()
        if room is None:
            raise UserError("You are nowhere at all. Ask a wizard to @teleport you.")
        return room

    @property
    def role(self) -> str:
        """
        The actor's role.
        """
        return self.account.role

    @property
    def agent(self) -> rules.Agent:
        """
        The actor, acting in person, for the world's rules.
        """
        return rules.player(self.actor, wizard=self.is_at_least("wizard"))

    def building(self) -> AbstractContextManager[None]:
        """
        Charge the server's time the block takes to the actor's share, as
        their scripts' time is charged: for what may walk the whole world
        (building commands; a builder's C{@examine}).

        @raise world.errors.WorldError: (on entering) the share is spent,
            unless the actor is a wizard (charged, never refused); the
            message says until when.
        """
        return self.server.scripts.charging(self.turn, self.actor.id, "building commands",
                                            refuse=not self.is_at_least("wizard"))

    def is_at_least(self, role: str) -> bool:
        """
        Whether the actor has at least C{role}.
        """
        return role_at_least(self.account.role, role)

    def tell(self, text: str, kind: str = "output", data: dict | None = None) -> None:
        """
        Show C{text} to the actor (once the turn commits).
        """
        self.turn.tell(self.actor, Event(kind, text, actor=self.actor.id, data=data or {}))

    def tell_room(self, text: str, kind: str = "output", *, room: Thing | None = None,
                  actor_text: str | None = None, include_actor: bool = False,
                  data: dict | None = None) -> None:
        """
        Show C{text} to everyone in C{room} (default: here) but the actor;
        with C{include_actor} or C{actor_text}, the actor too.
        """
        room = room if room is not None else self.here
        event = Event(kind, text, actor=self.actor.id, location=room.id,
                      actor_text=actor_text, data=data or {})
        exclude = () if (include_actor or actor_text is not None) else (self.actor,)
        self.turn.tell_room(room, event, exclude=exclude)

    def tell_to(self, target: Thing, text: str, kind: str = "output",
                talker: str | None = None) -> None:
        """
        Show C{text} to C{target} only (C{talker}: who is speaking, for
        clients' chat windows).
        """
        data = {"talker": talker} if talker else {}
        self.turn.tell(target, Event(kind, text, actor=self.actor.id, data=data))

    # -- finding things ------------------------------------------------------

    def reaches(self, obj: Thing) -> bool:
        """
        Whether C{obj} is within the actor's reach: the actor, the room, what
        it carries and what is in the room (exits included). Scripts run
        (verbs, C{on_look}, C{on_use}) only on objects in reach; a builder's
        C{#id} names things anywhere, but wakes nothing there.
        """
        here = self.actor.room()
        if obj is self.actor or obj is here:
            return True
        # By where it is (a thing is in exactly one place): reads none of the
        # rest of the room.
        return obj.location is self.actor or (here is not None and obj.location is here)

    def find(self, query: str, candidates: Iterable[Thing] | None = None,
             what: str = "here") -> Thing:
        """
        The object C{query} names: C{me}, C{here}, C{#12} (builders) or a
        name among C{candidates} (default: what the actor carries and what is
        in the room, exits included, read through the index by name of the
        actor and of the room, L{world.matching.match_in}).
        """
        query = query.strip()
        if not query:
            raise UserError("Name something.")
        lowered = query.lower()
        if lowered in ("me", "self", "myself"):
            return self.actor
        if lowered == "here":
            return self.here
        if re.fullmatch(r"#\d+", query):
            if not self.is_at_least("builder"):
                raise UserError("Only builders refer to things by number.")
            found = self.root.get(int(query[1:]))
            if found is None:
                raise NoMatch(f"There is no object {query}.")
            return found
        if candidates is not None:
            return match(query, list(candidates), what=what, whose=self.whose)
        # What it carries and what is here, found by each place's index by
        # name: only the things answering to the name are read, however crowded the room.
        return match_in(query, [(self.actor, None), (self.here, self.actor)],
                        what=what, whose=self.whose)

    def own_or_near(self, query: str) -> Thing:
        """
        What a player's C{query} names: one of their own objects by id
        (C{#61}, wherever it is: a thing of hers someone took, or inside
        another's seal, whose script she may stop), or what L{find} finds
        near them. A builder's is what L{find} finds (any C{#id}).

        @raise NoMatch: an id of nothing they own (said alike for an object of
            someone else's and for none at all).
        """
        query = query.strip()
        if self.is_at_least("builder"):
            return self.find(query)
        if re.fullmatch(r"#\d+", query):
            found = self.root.get(int(query[1:]))
            if (found is None or found.owner != self.actor.id
                    or not rules.exists(self.root, found)):
                raise NoMatch(f"You own no object {query}. ('@examine <name>' names what is "
                              "near you.)")
            return found
        return self.find(query)

    def find_anywhere(self, query: str) -> Thing:
        """
        Like L{find}, but also any room or character in the world by exact
        name (for builders: @teleport, @open; wizards: @quota). A player's
        whole name names her first, wherever she is (L{named_character}),
        never a character here whose name starts with it.
        """
        named = self.named_character(query)
        if named is not None:
            return named
        try:
            return self.find(query)
        except NoMatch as e:
            found = [obj for obj in self.root.named(query)  # by the index of names
                     if isinstance(obj, (Room, Character))]
            if not found and str(e).startswith("You don't see"):
                # Not only here: say what else was looked for, and how to find it.
                raise NoMatch(f"You don't see {query.strip()!r} here, and no room or character "
                              "is called exactly that ('@find <name>' finds things by a word "
                              "of their name).") from None
            if not found:
                raise
            if len({obj.owner for obj in found}) > 1:
                # Two owners' Kitchens are never taken one for the other.
                shown = "; ".join(f"{obj.ref} is {obj.name} ({self.whose(obj.owner)})"
                                  for obj in found[:5])
                raise Ambiguous(f"Which {query.strip()!r} do you mean? {shown}.", found) from None
            return found[0]

    def named_character(self, query: str) -> Character | None:
        """
        The character whose whole name C{query} is (in any case, with or
        without its accents: L{world.names.same_name}), wherever she is, or
        None: a player's name names her alone, never another character
        whose name starts with it (Alicent for 'alice' while Alice is away),
        nor one whose name it only looks like ('A1ice').
        """
        key = character_called(self.root, query.strip())
        account = self.root.accounts.get(key) if key is not None else None
        found = self.root.get(account.character_id) if account is not None else None
        return found if isinstance(found, Character) else None

    def look_alike(self, query: str) -> Character | None:
        """
        The character whose name C{query} is or looks like (L{named_character}
        but for letters that only look alike), or None: to ask whether she was
        meant, never to act on.
        """
        key = character_like(self.root, query.strip())
        account = self.root.accounts.get(key) if key is not None else None
        found = self.root.get(account.character_id) if account is not None else None
        return found if isinstance(found, Character) else None

    def player_account(self, name: str, undone: str, called: str = "player") -> Account:
        """
        The account of the player whose whole name C{name} is: what is sent
        to, shared with or done to a player goes to the one named whole,
        never to one whose name starts with it or looks like it.

        @param undone: what was not done if nobody is called that
            (C{"nothing was sent"}).
        @param called: what nobody is called that (C{"account"}).
        @raise UserError: nobody is called that; asking whether the player
            it starts or looks like was meant (L{meant}).
        """
        typed = name.strip()
        key = character_called(self.root, typed) if typed else None
        if key is None:
            raise UserError(f"There is no {called} called {typed!r}; {undone}.{self.meant(typed)}")
        account: Account = self.root.accounts[key]
        return account

    def meant(self, typed: str, among: Iterable[Character] | None = None,
              also: Iterable[str] = ()) -> str:
        """
        C{" Did you mean Alice?"} (or C{" Did you mean Alan or Alice?"}),
        for a name that is not a player's whole name: the players (among
        the characters C{among}, else every account, read through the index
        of names, a few at most) whose name it starts or looks like, with
        the names C{also}; or C{""} if there are none.
        """
        typed = typed.strip()
        found: set[str] = set(also)
        alike = self.look_alike(typed) if typed else None
        if typed and among is not None:
            among = list(among)
            found.update(c.name for c in candidates(typed, among)
                         if c is not self.actor and not same_name(typed, c.name))
            if alike is not None and any(c is alike for c in among):
                found.add(alike.name)  # in capitals too ('AIice')
        elif typed and alike is not None:
            found.add(alike.name)
        if typed and among is None:
            start = fold(typed)
            for key in islice(self.root.accounts.keys(min=start, max=start + "\U0010ffff"),
                              MOST_MEANT + 1):
                found.add(self.root.accounts[key].name)
            found.discard(self.actor.name)
        if not found:
            return ""
        names = sorted(found, key=fold)
        if len(names) > MOST_MEANT:
            return f" Did you mean {', '.join(names[:MOST_MEANT])} or another? Type the whole name."
        return f" Did you mean {join(names, 'or')}?"

    def person_here(self, query: str) -> Character:
        """
        The character here (not the actor) whose whole name C{query} is,
        for whispering or handing something to: a player named whole must
        be here herself (L{named_character}); another character here (one
        without an account) must be named whole too, found through the
        room's index by name. A name only the start of, or looking like,
        the name of someone here names nobody, and asks whether they were
        meant.

        @raise NoMatch: the player named is not here, or nobody answers, or
            nobody here is called that whole.
        """
        named = self.named_character(query)
        if named is not None and named is not self.actor:
            if named.location is not self.here:
                raise NoMatch(f"You don't see {query.strip()!r} here.")
            return named
        try:
            found = match_in(query, [(self.here, self.actor)], what="here", whose=self.whose,
                             exits=False, only=Character)
        except Ambiguous as e:
            few = list(islice(iter(e.candidates), MOST_MEANT + 1))
            raise NoMatch(f"Nobody here is called {query.strip()!r}."
                          f"{self.meant(query, few)}") from None
        except NoMatch as e:
            like = self.look_alike(query)  # in capitals too ('AIice')
            if like is None or like.location is not self.here or like is self.actor:
                raise
            raise NoMatch(f"Nobody here is called {query.strip()!r}. Did you mean "
                          f"{like.name}?") from e
        assert isinstance(found, Character)
        if not same_name(query, found.name):
            raise NoMatch(f"Nobody here is called {query.strip()!r}.{self.meant(query, [found])}")
        return found

    def whose(self, owner: int | None) -> str:
        """
        Whose a thing owned by C{owner} is, for telling alike-named things
        apart: C{"Bob's"}, C{"yours"}, C{"the world's"}.
        """
        if owner is None:
            return "the world's"
        if owner == self.actor.id:
            return "yours"
        character = self.root.get(owner)
        return f"{character.name}'s" if character is not None else "nobody's"

    def require_control(self, obj: Thing) -> None:
        """
        @raise UserError: unless the actor may change C{obj}: wizards may
            change anything, builders what they own, players the things they
            own (rooms and exits are builders' work).
        """
        if self.is_at_least("wizard"):
            return
        builder = self.is_at_least("builder")
        if not builder and isinstance(obj, (Room, Exit)):
            raise UserError("Only builders can change rooms and exits.")
        if obj.owner == self.actor.id:
            return
        shown = f"{obj.name} ({obj.ref})" if builder else obj.name
        raise UserError(f"You don't own {shown}, so you can't change it.")


@frozen
class Command:
    """
    One entry of the command table.

    @ivar name: the main name.
    @ivar run: the function.
    @ivar aliases: other words that run it.
    @ivar role: the least role that may use it.
    @ivar category: the heading it is listed under in C{help}.
    """

    name: str
    run: Callable[[Context], None]
    aliases: tuple[str, ...] = ()
    role: str = "player"
    category: str = "General"

    @property
    def help(self) -> str:
        """
        The full help text (the docstring).
        """
        return inspect.getdoc(self.run) or "(No help written yet.)"

    @property
    def summary(self) -> str:
        """
        What the first line of the help says before its usage.
        """
        return self.help.splitlines()[0].split(": ")[0].rstrip(".")

    def words(self) -> tuple[str, ...]:
        """
        Every word that runs it.
        """
        return (self.name, *self.aliases)


class CommandTable:
    """
    The commands, by every word that runs them.
    """

    def __init__(self, commands: Iterable[Command]) -> None:
        self.commands = tuple(commands)
        self.by_word: dict[str, Command] = {}
        for command in self.commands:
            for word in command.words():
                if word in self.by_word:
                    raise ValueError(f"two commands answer to {word!r}")
                self.by_word[word] = command

    def find(self, word: str, role: str) -> Command | None:
        """
        The command C{word} runs for someone with C{role}, or None.
        """
        command = self.by_word.get(word.lower())
        if command is None or not role_at_least(role, command.role):
            return None
        return command

    def available(self, role: str) -> list[Command]:
        """
        The commands C{role} may use, in table order.
        """
        return [c for c in self.commands if role_at_least(role, c.role)]


def split_on(args: str, separator: str) -> tuple[str, str] | None:
    """
    C{"coin to bob"} split on C{" to "} (last occurrence, any case) into
    C{("coin", "bob")}, or None.
    """
    found = list(re.finditer(rf"\s+{re.escape(separator)}\s+", args, re.IGNORECASE))
    if not found:
        return None
    last = found[-1]
    return args[: last.start()].strip(), args[last.end():].strip()


def split_equals(args: str) -> tuple[str, str] | None:
    """
    C{"lamp = A brass lamp"} into C{("lamp", "A brass lamp")}, or None.
    """
    if "=" not in args:
        return None
    left, right = args.split("=", 1)
    return left.strip(), right.strip()


def exits_named(room: Room, word: str) -> list[Exit]:
    """
    The exits of C{room} whose name or alias is exactly C{word}.
    """
    word = word.lower().strip()
    return [e for e in room.exits() if word in e.names()]
