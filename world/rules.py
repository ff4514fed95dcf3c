# -*- test-case-name: tests.world.test_rules -*-
"""
The rules of the game, in one place.

Players' and builders' commands (C{engine/commands}) and scripts' facets
(C{scripting/facets}) change the world only through these functions, so a
rule holds the same for a player, a builder and a script:

  - B{seals}: a sealed container (C{sealed} property) takes things in but
    lets nothing out, at any depth, unless whoever acts controls it (its
    owner, a wizard); whoever carries it takes out only what is their own;
    a thing taken from its owner (not handed over, nor put in by him) he
    may still destroy in it, so that no seal holds his quota hostage;
  - B{consent}: nothing enters or leaves what a character carries (their
    hands, and containers they carry, at any depth) unless that character
    acts in person, or it is done on their own authority (their own
    scripts); the one exception is C{give}, a player handing a thing to
    someone beside them, who can always drop it again;
  - B{locked exits} stop whoever would pass, walking or reaching through;
  - B{reach}: a script's object reaches its own room and the rooms one
    open exit away; a builder reaches the room they stand in and the
    places they control;
  - B{arrivals and departures} are told to the rooms left and entered,
    and wake the same script handlers (L{moved}) whoever moves;
  - B{names} follow L{world.names} (never a character's, never speech), and
    no thing or room is called by a direction or a word like C{here} or
    C{all} (L{PARTICLES}): C{sit down} names nothing;
  - B{destruction} spills what a thing held where it was and tells the room.

Each function checks every rule before it changes anything, raising
L{world.errors.WorldError} (a message for the player) if one says no; on
success it returns the events to deliver (L{Told}), which the caller hands
to L{deliver} with its turn.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from attrs import field, frozen

from world import containment, names
from world.errors import WorldError
from world.events import Event
from world.objects import (
    DIRECTIONS,
    MAX_NAME_KEYS,
    OPPOSITES,
    Character,
    Exit,
    Room,
    Thing,
    canonical_direction,
    name_keys,
)
from world.phrases import a, capitalise, one_line, said_about, the

T = TypeVar("T", bound=Thing)


# -- Who acts ------------------------------------------------------------------------


@frozen
class Agent:
    """
    Who is acting, and on whose authority.

    @ivar owner: the owner whose authority this is: the player's character
        id for a command typed in person, the script's owner for a script,
        None for the world itself (builder content, whose scripts are the
        game's own).
    @ivar person: the character whose own request this is: the player who
        typed the command, or who typed the verb a script answers. Only that
        character (or their own scripts) may change what they carry.
    @ivar wizard: controls everything (a wizard's command).
    @ivar acted_on: what the person acted on, when a script verb acts at
        their request: the ids of the verb's own thing and of the things
        they named. Their consent then covers taking only those (and what
        is inside them) out of their holdings. None: a command typed in
        person, which acts on everything it names.
    """

    owner: int | None
    person: int | None = None
    wizard: bool = False
    acted_on: frozenset[int] | None = None

    def controls(self, obj: Thing) -> bool:
        """
        Whether this agent may change C{obj} as its owner would.
        """
        return self.wizard or obj.owner == self.owner

    def speaks_for(self, character: Character) -> bool:
        """
        Whether this agent acts for C{character}: it is the character in
        person, or the character's own scripts.
        """
        return character.id == self.person or character.id == self.owner

    def lets_go(self, keeper: Character, obj: Thing) -> bool:
        """
        Whether this agent may take C{obj} out of what C{keeper} carries (or
        destroy it there): C{keeper}'s own scripts may; C{keeper} in person
        may, but a script verb they typed only for what they acted on
        (L{acted_on}) and what is inside it.
        """
        if keeper.id == self.owner:
            return True
        if keeper.id != self.person:
            return False
        if self.acted_on is None:
            return True
        place: Thing | None = obj
        while place is not None and place is not keeper:
            if place.id in self.acted_on:
                return True
            place = place.location
        return False


def player(actor: Character, *, wizard: bool = False) -> Agent:
    """
    The agent for C{actor}'s own command.
    """
    return Agent(owner=actor.id, person=actor.id, wizard=wizard)


# -- What to tell ----------------------------------------------------------------------


def _ids(ids: Iterable[int]) -> tuple[int, ...]:
    return tuple(ids)


@frozen
class Told:
    """
    An event to deliver once the change stands: to everyone in C{room} but
    the ids in C{exclude}, or to the one object C{to}.
    """

    event: Event
    room: Room | None = None
    to: Thing | None = None
    exclude: tuple[int, ...] = field(default=(), converter=_ids)
    #: If given, the event as made at delivery from the world's root (to
    #: name owners, whom the rules know by id only); C{event} otherwise.
    fill: Callable[[Any], Event] | None = None


def deliver(turn: Any, told: Iterable[Told]) -> None:
    """
    Hand C{told} to C{turn} (a L{world.store.Turn}), which delivers after it
    commits.
    """
    for item in told:
        event = item.fill(turn.root) if item.fill is not None else item.event
        if item.to is not None:
            turn.tell(item.to, event)
        elif item.room is not None:
            turn.tell_room(item.room, event, exclude=item.exclude)


def exists(root: Any, obj: Thing) -> bool:
    """
    Whether C{obj} is still in the world (not destroyed). Compares identity
    only; never returns an object.
    """
    if isinstance(obj, Room):
        return root.objects.get(obj.id) is obj
    return obj.location is not None


# -- Where things are ------------------------------------------------------------------


def holder(place: Thing | None) -> Character | None:
    """
    The character whose holdings C{place} is part of: the character itself,
    or the one carrying it (however deeply), or None.
    """
    while place is not None and not isinstance(place, Room):
        if isinstance(place, Character):
            return place
        place = place.location
    return None


def inside(obj: Thing | None, place: Thing) -> bool:
    """
    Whether C{obj} is C{place} or (however deeply) inside it.
    """
    while obj is not None:
        if obj is place:
            return True
        obj = obj.location
    return False


def passable(exit: Exit) -> bool:
    """
    Whether one may pass through C{exit} now: it leads somewhere and is not
    locked.
    """
    return exit.destination is not None and not exit.properties.get("locked")


def check_passable(exit: Exit) -> Room:
    """
    Where C{exit} leads, if one may pass.

    @raise WorldError: it leads nowhere, or is locked (saying its
        C{locked_message}, as one line).
    """
    if exit.destination is None:
        raise WorldError(f"{capitalise(the(exit.name))} leads nowhere yet.")
    if exit.properties.get("locked"):
        raise WorldError(builders_message(exit, "locked_message", "is locked."))
    return exit.destination


def builders_message(obj: Thing, key: str, otherwise: str) -> str:
    """
    The message C{obj}'s property C{key} holds, as players are shown it:
    after C{obj}'s name (L{said_about}) if a player made C{obj}; as it is
    (one line) if the world's own content did, which speaks as the game.
    Without one, C{obj}'s name and C{otherwise} (C{"is locked."}).
    """
    message = obj.properties.get(key)
    if not isinstance(message, str) or not message.strip():
        return f"{capitalise(the(obj.name))} {otherwise}"
    return one_line(message) if obj.owner is None else said_about(obj.name, message)


def within_reach(obj: Thing, place: Thing) -> bool:
    """
    Whether C{place} is within reach of C{obj}: in the same room (the room
    itself, or anything in it however deeply), or a room one passable exit
    away. A locked exit stops reach as it stops walking.
    """
    here = obj.room()
    if here is None:
        return False
    if place.room() is here:
        return True
    return isinstance(place, Room) and any(
        e.destination is place and passable(e) for e in here.exits())


def check_reach(obj: Thing, place: Thing) -> None:
    """
    Whether C{place} is within reach of C{obj} (L{within_reach}).

    @raise WorldError: it is not: a room beyond a locked exit says what
        the exit's builder wrote (as walking into it would), anything else
        that it is out of reach.
    """
    if within_reach(obj, place):
        return
    here = obj.room()
    if here is not None and isinstance(place, Room):
        for exit in here.exits():
            if exit.destination is place:
                check_passable(exit)
    raise WorldError(f"{place.name} is out of reach of {obj.name}.")


def near(viewer: Thing, obj: Thing) -> bool:
    """
    Whether C{obj} is in the same room as C{viewer} (however deeply either
    is inside it).
    """
    here = viewer.room()
    return here is not None and obj.room() is here


def in_view(viewer: Thing, room: Room) -> bool:
    """
    Whether C{viewer} sees into C{room}: it is the viewer's room, or one
    passable exit away (never behind a locked exit).
    """
    here = viewer.room()
    if here is None:
        return False
    return room is here or any(e.destination is room and passable(e) for e in here.exits())


def pocketed(viewer: Thing | None, agent: Agent, actor: int | None = None) -> bool:
    """
    Whether C{viewer} rides in the holdings of a character it does not act
    for: carried by someone other than the agent's own character, who is
    not the one acting now (C{actor}: the character whose act woke the
    script). A thing in someone's pocket perceives nothing of where they go
    or who is with them (as it hears nothing said around them), except
    while they use it themselves.
    """
    keeper = holder(viewer.location) if viewer is not None else None
    return keeper is not None and not (agent.speaks_for(keeper) or keeper.id == actor)


def in_sight(viewer: Thing | None, obj: Thing, agent: Agent, actor: int | None = None) -> bool:
    """
    Whether C{agent}, looking from C{viewer}, may tell where C{obj} is (or
    speak to it): always, unless C{obj} is a character or something a
    character carries. Then only while that character is in C{viewer}'s
    room (and C{viewer} is not in someone else's pocket: L{pocketed}), or
    is the one acting (C{actor}, or C{agent.person}), or C{agent} is the
    character's own. A kept facet of a character therefore does not track
    them.
    """
    keeper = holder(obj)
    if keeper is None or agent.speaks_for(keeper) or keeper.id == actor:
        return True
    return viewer is not None and not pocketed(viewer, agent, actor) and near(viewer, keeper)


def sees_inside(viewer: Thing | None, obj: Thing, agent: Agent,
                actor: int | None = None) -> bool:
    """
    Whether C{agent}, looking from C{viewer}, sees what C{obj} (a room or a
    container) holds: a room only from its own room or one passable exit
    away (never behind a locked exit, never two rooms off); a container only
    where its room is seen so, and, if a character carries it, under
    L{in_sight}. Whoever controls a container (its owner, a wizard) sees
    into it from anywhere while no other character carries it; what a
    character carries (at any depth) is seen by that character, their own
    scripts, and the script whose handler they woke (C{actor}), and by
    others only beside them: a purse sold to her tells its maker nothing
    of what she keeps in it. A viewer in someone else's pocket
    (L{pocketed}) sees into nothing else.
    """
    keeper = holder(obj)
    if keeper is not None and (agent.speaks_for(keeper) or keeper.id == actor):
        return True
    if not isinstance(obj, Room) and keeper is None and agent.controls(obj):
        return True
    if viewer is None or pocketed(viewer, agent, actor):
        return False
    room = obj if isinstance(obj, Room) else obj.room()
    return (room is not None and in_view(viewer, room)
            and (keeper is None or near(viewer, keeper)))


def builder_reaches(agent: Agent, standing_in: Room | None, place: Thing) -> bool:
    """
    Whether a builder may send things to C{place}: a place they control, or
    anything in the room they stand in.
    """
    return agent.controls(place) or (standing_in is not None and place.room() is standing_in)


def check_portable(obj: Thing, taker: Character) -> None:
    """
    Whether C{taker} may pick C{obj} up by hand: not a person, an exit or a
    room, and not C{fixed} (whose C{fixed_message}, one line, says why).

    @raise WorldError: they may not.
    """
    if obj is taker:
        raise WorldError("You can't pick yourself up.")
    if isinstance(obj, Character):
        raise WorldError(f"{obj.name} would not like that.")
    if isinstance(obj, (Exit, Room)):
        raise WorldError(f"You can't take {the(obj.name)}.")
    if obj.properties.get("fixed"):
        raise WorldError(builders_message(obj, "fixed_message", "won't budge."))


# -- Moving ------------------------------------------------------------------------------


@frozen
class Motion:
    """
    How a move is told. C{depart} goes to the room left and C{arrive} to
    the room entered (when they differ); C{within} to the room when a thing
    moves inside one room. None: tell nothing. Everyone but the mover hears.

    @ivar data: extra event data for the departure (e.g. the exit's name).
    """

    depart: str | None = None
    arrive: str | None = None
    within: str | None = None
    data: tuple = ()


def scripted_motion(obj: Thing, dest: Thing) -> Motion:
    """
    How a move a script makes is told: C{lamp leaves.}, C{lamp arrives.},
    C{lamp is now in box.}
    """
    told = sentence_name(obj)
    return Motion(f"{told} leaves.", f"{told} arrives.", f"{told} is now in {place_name(dest)}.")


def sentence_name(obj: Thing) -> str:
    """
    How a thing is named at the start of the game's sentence about it:
    C{A loaf of bread}, C{An apple}, C{Biscuit}.
    """
    return capitalise(a(obj.name))


def place_name(place: Thing) -> str:
    """
    How a place is named after "in": C{the box}, C{Alice's hands}, C{the
    Harbour Wall}.
    """
    if isinstance(place, Character):
        return f"{place.name}'s hands"
    return the(place.name)


def check_move(obj: Thing, dest: Thing, agent: Agent, *, given: bool = False) -> None:
    """
    Every rule a move of C{obj} into C{dest} by C{agent} must follow: seals,
    consent, and containment (no cycles, exits only in rooms, rooms nowhere);
    an exit is moved only by an agent that controls it, and only into a room
    that agent controls (as L{create} makes one only there): a way out of
    someone else's room is theirs to make and to keep.

    @param given: a player hands C{obj} to C{dest}, a character beside them,
        in person (C{give}): the recipient's consent is not asked.
    @raise WorldError: a rule says no; nothing has changed.
    """
    if isinstance(obj, Exit) and dest is not obj.location and not agent.controls(obj):
        raise WorldError(f"{capitalise(the(obj.name))} is not yours: a way out of a room is "
                         "its builder's to move.")
    if (isinstance(obj, Exit) and isinstance(dest, Room) and dest is not obj.location
            and not agent.controls(dest)):
        raise WorldError(f"You don't own {dest.name}, so you can't open a way out of it.")
    check_sealed(obj, agent, dest)
    keeper = holder(obj.location)
    if keeper is not None and keeper is not obj and not agent.lets_go(keeper, obj):
        raise _kept(obj, keeper)
    receiver = holder(dest)
    if receiver is not None and receiver is not obj and not agent.speaks_for(receiver):
        if not (given and receiver is dest and agent.person is not None):
            raise WorldError(f"{receiver.name} has not asked for {the(obj.name)}; only "
                             f"{receiver.name} can take things into their hands.")
    containment.check(obj, dest)
    check_into_seals(obj, dest, agent)


def check_sealed(obj: Thing, agent: Agent, dest: Thing | None = None) -> None:
    """
    Whether C{agent} may take C{obj} out of the sealed containers it is in
    (at any depth), into C{dest}, or (C{dest} None) destroy it where it
    lies: a seal holds against all but its owner, wherever it is, so that
    whoever picks it up cannot empty it, and what was put in it (a payment,
    a deposit) is not taken back by being destroyed either. Whoever carries
    it takes out what is their own, on their own authority (sealed from
    afar, it would keep what they put in). Moves within the seal pass.

    But a seal cannot hold a thing taken from its owner hostage: its owner
    (or his script) may destroy what was taken from him (L{taken}: he did
    not hand it over, nor put it into the seal himself), in anyone's seal,
    so it does not count against his quota for good (L{destroy} tells the
    seal's owner).

    @raise WorldError: a seal holds it; nothing has changed.
    """
    reclaimed = dest is None and agent.owner == obj.owner and taken(obj)
    place = obj.location
    while place is not None and not isinstance(place, Room):
        carrier = holder(place)
        if (place.properties.get("sealed") and not agent.controls(place) and not reclaimed
                and not (dest is not None and inside(dest, place))
                and not (carrier is not None and carrier.id == agent.owner
                         and obj.owner == agent.owner)):
            raise WorldError(f"{capitalise(the(place.name))} won't let go of "
                             f"{the(obj.name)}.")
        place = place.location


def seals_of_others(obj: Thing) -> list[Thing]:
    """
    The sealed containers C{obj} is in (at any depth, innermost first)
    whose owner is not C{obj}'s.
    """
    found = []
    place = obj.location
    while place is not None and not isinstance(place, Room):
        if place.properties.get("sealed") and place.owner != obj.owner:
            found.append(place)
        place = place.location
    return found


def not_owned_within(container: Thing, allowed: Callable[[int | None], bool]
                     ) -> tuple[list[Thing], bool]:
    """
    The things inside C{container} (at any depth, not itself) whose owner
    is not C{allowed}, and the characters in it (what is inside those is
    not looked through), read through at most L{containment.MOST_READ}
    things.

    @return: those found, and whether there was more than could be read
        (then not all were looked through).
    """
    others: list[Thing] = []
    read = 0
    places = [container]
    while places:
        place = places.pop()
        read += place.contents.count_things() + place.contents.count_people()
        if read > containment.MOST_READ:
            return others, True
        for item in place.contents:
            if isinstance(item, Character) or not allowed(item.owner):
                others.append(item)
            elif containment.can_hold(item):
                places.append(item)
    return others, False


def _too_much(obj: Thing, then: str) -> WorldError:
    """
    The refusal to seal C{obj}, or move it into a seal, when it holds more
    than L{not_owned_within} reads (L{containment.MOST_READ}): C{then} says
    what to do.
    """
    return WorldError(f"{capitalise(the(obj.name))} holds too much to be sure none of it is "
                      f"anyone else's (more than {containment.MOST_READ} things, at any "
                      f"depth); {then}")


def check_into_seals(obj: Thing, dest: Thing, agent: Agent) -> None:
    """
    Whether C{obj} may be moved by C{agent} into C{dest}, as far as the
    sealed containers C{dest} is in (at any depth, itself too) and C{obj}
    is not yet in are concerned: not while C{obj} holds, at any depth,
    anything (or anyone) that is neither C{agent}'s own (a deposit of his
    own things) nor the owner's of every such seal (read through at most
    L{containment.MOST_READ} things; past them, no). Moving an open
    container into a seal would seal it (L{check_seal}): what others put
    into it open stays theirs to take out. C{obj} itself may go in (a
    payment; a thing taken from its owner he may still destroy there).

    @raise WorldError: it holds another's things; nothing has changed.
    """
    seals = []
    place: Thing | None = dest
    while place is not None and not isinstance(place, Room):
        if place.properties.get("sealed") and not inside(obj, place):
            seals.append(place)
        place = place.location
    if not seals or not containment.can_hold(obj):
        return
    owners = {seal.owner for seal in seals}

    def allowed(owner: int | None) -> bool:
        return owner == agent.owner or owners == {owner}

    others, too_many = not_owned_within(obj, allowed)
    seal = the(seals[-1].name)
    if too_many:
        raise _too_much(obj, f"it cannot go into {seal}, sealed, until some is taken out.")
    if others:
        first = others[0]
        what = first.name if isinstance(first, Character) else f"{the(first.name)} ({first.ref})"
        more = f" and {len(others) - 1} more" if len(others) > 1 else ""
        raise WorldError(f"{capitalise(the(obj.name))} holds {what}{more}, not yours nor "
                         f"{seal}'s owner's: {seal} is sealed, and would keep them from whoever "
                         "put them in. Take them out first.")


def check_seal(root: Any, container: Thing, value: Any) -> None:
    """
    Whether C{container} may be sealed (its C{sealed} property set to
    C{value}; every route to it, C{@set} and scripts' C{set_property}, asks
    here): not while it holds, at any depth, anything of another owner's
    (or a character), read through at most L{containment.MOST_READ} things.
    What others put into an open container stays theirs to take out again:
    a seal set after would keep it from them (only what its owner hands
    over into a seal, a payment, is the seal's to keep). A value that seals
    nothing (false, 0, empty), or a container already sealed, passes.

    @raise WorldError: it holds another's things (naming the first of them
        and whose, and how many more), or more than can be read through;
        nothing has changed.
    """
    if not value or container.properties.get("sealed") or not containment.can_hold(container):
        return
    others, too_many = not_owned_within(container, lambda owner: owner == container.owner)
    if too_many:
        raise _too_much(container, "take some out before sealing it.")
    if others:
        first = others[0]
        if isinstance(first, Character):
            what = first.name
        else:
            owner = root.get(first.owner) if first.owner is not None else None
            whose = f"{owner.name}'s" if isinstance(owner, Character) else "the world's"
            what = f"{whose} {first.name} ({first.ref})"
        more = f" and {len(others) - 1} more not yours" if len(others) > 1 else ""
        raise WorldError(f"{capitalise(the(container.name))} holds {what}{more}: a seal would "
                         "keep them from whoever put them in. Seal it once it holds only your "
                         "own things.")


def _kept(obj: Thing, keeper: Character) -> WorldError:
    """
    The refusal to take C{obj} from C{keeper}, who carries it.
    """
    return WorldError(f"{capitalise(the(obj.name))} is {keeper.name}'s to keep: only "
                      f"{keeper.name} can let go of it.")


def move(obj: Thing, dest: Thing, agent: Agent, motion: Motion | None = None, *,
         given: bool = False) -> list[Told]:
    """
    Move C{obj} into C{dest} for C{agent}, following every rule of
    L{check_move}; what to tell the rooms (C{motion}, default: as a script's
    move is told).

    @raise WorldError: a rule says no; nothing has changed.
    """
    check_move(obj, dest, agent, given=given)
    motion = motion if motion is not None else scripted_motion(obj, dest)
    old_room = obj.room()
    old_keeper = holder(obj.location)
    containment.move(obj, dest)
    _hand_over(obj, agent)
    new_room = obj.room()
    told: list[Told] = []
    keeper = holder(dest)
    if keeper is not None and keeper is not old_keeper and keeper is not obj:
        told += _riding(obj, keeper)
    if old_room is not new_room:
        if old_room is not None and motion.depart:
            told.append(Told(Event("depart", motion.depart, actor=obj.id,
                                   location=old_room.id, data=motion.data),
                             room=old_room, exclude=(obj.id,)))
        if new_room is not None and motion.arrive:
            told.append(Told(Event("arrive", motion.arrive, actor=obj.id,
                                   location=new_room.id),
                             room=new_room, exclude=(obj.id,)))
    elif new_room is not None and motion.within:
        told.append(Told(Event("move", motion.within, actor=obj.id, location=new_room.id,
                               target=dest.id),
                         room=new_room, exclude=(obj.id,)))
    return told


#: The most things L{riders} reads of what a thing holds (besides the
#: scripted things it lists, at most L{MOST_RIDERS}).
MOST_LOOKED = 200
#: The most scripted things L{riders} lists.
MOST_RIDERS = 5


def riders(obj: Thing, keeper: Character) -> tuple[list[Thing], bool]:
    """
    The things inside C{obj}, at any depth, that hold a script of another
    player than C{keeper} (the world's own do not count): what would ride
    along, unseen, wherever she carries it. Read through each place's list
    of its scripted things, and through the things of each place (to find
    the containers in it) only while at most L{MOST_LOOKED} were read.

    @return: at most L{MOST_RIDERS} of them, and whether there were places
        too full to be looked through (or more riders than listed).
    """
    found: list[Thing] = []
    more = False
    read = 0
    places = [obj] if containment.can_hold(obj) else []
    while places:
        place = places.pop(0)
        for item in place.contents.some_scripted(MOST_RIDERS + 1):
            if item.owner is not None and item.owner != keeper.id and item is not obj:
                if len(found) == MOST_RIDERS:
                    more = True
                    break
                found.append(item)
        count = place.contents.count_things()
        if read + count > MOST_LOOKED:
            more = more or count > 0
            continue
        read += count
        places += [item for item in place.contents
                   if containment.can_hold(item) and not isinstance(item, Character)]
    return found, more


def _riding(obj: Thing, keeper: Character) -> list[Told]:
    """
    What to tell C{keeper}, into whose keeping C{obj} came, of the other
    players' scripted things it holds (L{riders}): so that nothing runs
    another's script wherever she goes without her knowing.
    """
    found, more = riders(obj, keeper)
    if not found and not more:
        return []
    place = capitalise(the(obj.name))

    def text(named: Callable[[int | None], str]) -> Event:
        lines = [f"{place} holds {a(item.name)}, owned by {named(item.owner)}, that runs a "
                 "script ('get <thing> from <container>' and 'drop' rid you of it)."
                 for item in found]
        if more:
            lines.append(f"{place} holds more than could be looked through: things in it may "
                         "run other players' scripts ('look in' it, and drop what is not "
                         "yours).")
        return Event("system", "\n".join(lines))

    def owner_name(root: Any) -> Callable[[int | None], str]:
        def named(owner: int | None) -> str:
            character = root.get(owner) if owner is not None else None
            return character.name if isinstance(character, Character) else "another player"
        return named

    return [Told(text(lambda owner: "another player"), to=keeper,
                 fill=lambda root: text(owner_name(root)))]


def _hand_over(obj: Thing, agent: Agent) -> None:
    """
    Mark C{obj}, just moved by C{agent}, as handed over if its owner (or
    the owner's script; for the world's things, the world's) put it into
    another character's keeping, or into another owner's sealed container
    (a payment, a deposit: L{seals_of_others}), and as not if it is back in
    its owner's hands (L{Thing.handed_over}).
    """
    keeper = holder(obj.location)
    if keeper is obj:
        return
    if keeper is not None and keeper.id == obj.owner:
        if obj.handed_over:
            obj.handed_over = False
    elif (agent.owner == obj.owner and not obj.handed_over
          and (keeper is not None or seals_of_others(obj))):
        obj.handed_over = True


def handed_over(obj: Thing, keeper: Character | None = None) -> bool:
    """
    Whether its owner handed C{obj} over (L{Thing.handed_over}): it, or
    anything of his it is in (on the way to C{keeper}, who carries it;
    with no keeper, at any depth), was handed over by him. A container of
    another owner's handed on does not make what was taken from him
    inside it handed over by him.
    """
    place: Thing | None = obj
    while place is not None and place is not keeper and not isinstance(place, Room):
        if place.handed_over and place.owner == obj.owner:
            return True
        place = place.location
    return False


def taken(obj: Thing) -> bool:
    """
    Whether C{obj} is where it is without its owner having handed it over
    (L{handed_over}): he may destroy it anywhere, in another's hands or
    seal (L{destroy}).
    """
    return not handed_over(obj)


@frozen
class Wake:
    """
    A script handler a change wakes: C{host}'s C{function} with C{args}; or,
    with C{around}, that handler of every scripted thing in the room
    C{host} but C{host} itself (fairly shared between owners and bounded,
    by the engine).
    """

    host: Thing
    function: str
    args: tuple
    around: bool = False


def moved(obj: Thing, source: Thing | None, dest: Thing, actor: Character | None) -> list[Wake]:
    """
    The handlers a move of C{obj} from C{source} into C{dest} wakes, the
    same for a player's command and a script's C{move_to}: C{on_leave(actor,
    obj, dest)} of the place left and C{on_enter(actor, obj)} of the place
    entered (rooms and containers, not a character's hands); and when a
    character changes rooms, C{on_depart(actor, room)} around the room left
    and C{on_arrive(actor)} around the room entered.

    @param actor: the character who did it (for a script's move, whoever's
        command woke the script; None for a timer).
    """
    woken: list[Wake] = []
    if source is not None and not isinstance(source, Character):
        woken.append(Wake(source, "on_leave", (actor, obj, dest)))
    if isinstance(obj, Character) and isinstance(source, Room) and isinstance(dest, Room) \
            and source is not dest:
        woken.append(Wake(source, "on_depart", (actor, dest), around=True))
    if not isinstance(dest, Character):
        woken.append(Wake(dest, "on_enter", (actor, obj)))
    if isinstance(obj, Character) and isinstance(source, Room) and isinstance(dest, Room) \
            and source is not dest:
        woken.append(Wake(dest, "on_arrive", (actor,), around=True))
    return woken


def arrival_phrase(direction: str | None) -> str:
    """
    Where someone who walked C{direction} arrives from: C{"from the south"}
    for north, C{"from below"} for up, C{""} for a named exit.
    """
    special = {"up": "from below", "down": "from above", "in": "from outside",
               "out": "from inside"}
    if direction in special:
        return special[direction]
    if direction in OPPOSITES:
        return f"from the {OPPOSITES[direction]}"
    return ""


def departure_phrase(exit: Exit) -> str:
    """
    How someone leaving through C{exit} goes: C{"leaves north"}, C{"goes up"},
    C{"leaves through the gate"}.
    """
    direction = canonical_direction(exit.name)
    if direction in ("up", "down", "in", "out"):
        return f"goes {direction}"
    if direction is not None:
        return f"leaves {direction}"
    return f"leaves through {the(exit.name)}"


def walk(walker: Character, exit: Exit, agent: Agent) -> tuple[Room, list[Told]]:
    """
    C{walker} goes through C{exit}: it must be passable (not locked).

    @return: the room reached, and what to tell.
    @raise WorldError: the exit is locked or leads nowhere.
    """
    destination = check_passable(exit)
    where = arrival_phrase(canonical_direction(exit.name))
    motion = Motion(f"{walker.name} {departure_phrase(exit)}.",
                    f"{walker.name} arrives{' ' + where if where else ''}.",
                    data=(("exit", exit.name),))
    return destination, move(walker, destination, agent, motion)


def give(obj: Thing, recipient: Character, agent: Agent) -> list[Told]:
    """
    The player C{agent.person} hands C{obj}, which they carry, to
    C{recipient} beside them.

    @raise WorldError: they do not carry it, or the recipient is not there.
    """
    giver = holder(obj.location)
    if giver is None or giver.id != agent.person:
        raise WorldError(f"You are not holding {the(obj.name)}.")
    if recipient.room() is not giver.room() or recipient is giver:
        raise WorldError(f"{recipient.name} is not here to take it.")
    return move(obj, recipient, agent, Motion(), given=True)


def open_to(agent: Agent, room: Room, standing_in: Room | None, start: Room | None) -> bool:
    """
    Whether a builder may go to C{room} in an instant (C{@teleport} of
    themselves): a room they control (a wizard: any), a room its owner has
    marked C{public} (a property set to true), the start room, or a room
    they could walk to now (where they stand, or one passable exit away).
    Never, otherwise, into another builder's private room or behind a
    locked exit.
    """
    return (agent.controls(room) or room.properties.get("public") is True or room is start
            or (standing_in is not None and (room is standing_in or any(
                e.destination is room and passable(e) for e in standing_in.exits()))))


def teleport(obj: Thing, dest: Thing, agent: Agent, standing_in: Room | None,
             start: Room | None = None) -> list[Told]:
    """
    A builder sends C{obj} to C{dest}. Their own character goes (to the
    room of the place named) only where L{open_to} says; anything else
    goes only to a place they control or to the room they stand in (or
    into what is in it), never into what another character carries, and a
    character goes only to a room.

    @param start: the world's start room (open to everyone).
    @raise WorldError: a rule says no; nothing has changed.
    """
    if isinstance(obj, Room):
        raise WorldError("Rooms stay where they are.")
    named = dest
    if isinstance(obj, Character) and not isinstance(dest, Room):
        # People go to rooms: beside a person, or to the room a box is in.
        dest = dest.room() or dest
    if obj.id != agent.person and not agent.controls(obj):
        raise WorldError(f"You don't own {obj.name}, so you can't send it anywhere.")
    if (obj.id == agent.person and isinstance(dest, Room)
            and not open_to(agent, dest, standing_in, start)):
        # Named by who or what is there: the room is not named (nor where a
        # player is thereby told, as in_sight tells it to no one afar).
        where = f"{dest.name} is" if named is dest else f"{named.name} is somewhere"
        raise WorldError(f"{where} not open to you: you go in an instant only to rooms "
                         "you own, rooms marked public, the start room, or a room you could "
                         "walk to from here.")
    if obj.id != agent.person and not builder_reaches(agent, standing_in, dest):
        raise WorldError(f"{dest.name} is out of your reach: send things only to places "
                         "you own or to the room you are in.")
    told = sentence_name(obj)
    return move(obj, dest, agent, Motion(f"{told} vanishes.", f"{told} appears.",
                                         f"{told} is now in {place_name(dest)}."))


# -- Making, naming and destroying -----------------------------------------------------------


#: The longest name or alias of a thing, room or exit.
MAX_NAME = names.MAX_LENGTH
#: The longest description of anything.
MAX_DESCRIPTION = 4000
#: The most other names (aliases) one thing, room or exit has.
MAX_ALIASES = 10


def clean_name(name: str, what: str = "name") -> str:
    """
    C{name} with its spaces tidied, if it is a name at all: not empty, at
    most L{MAX_NAME} characters, not starting with C{#} (which names things
    by number) and without C{=} (which ends the name in C{@describe x = ...}).

    @param what: what the name is, for the message (C{"alias"}).
    @raise WorldError: it is not.
    """
    name = " ".join(name.split())
    if not name:
        raise WorldError(f"The {what} is empty.")
    if len(name) > MAX_NAME:
        raise WorldError(f"{capitalise(a(what))} may be at most {MAX_NAME} characters.")
    if name.startswith("#") or "=" in name:
        raise WorldError(f"{capitalise(a(what))} may not start with # or contain =.")
    return name


#: Words players type for a direction, or to mean "this", "me" or "everything"
#: (C{sit down}, C{get up}, C{drop all}): never the name or an alias of a
#: thing or room, so such a line names nothing by accident (and a script
#: verb's thing is not taken as asked for). Exits keep their direction
#: words.
PARTICLES = frozenset({
    *DIRECTIONS, *(short for shorts in DIRECTIONS.values() for short in shorts),
    "here", "there", "me", "self", "myself", "it", "them", "all", "everything",
    "back", "away", "around",
})


@functools.cache
def _particle_keys() -> frozenset[str]:
    """
    The look-alike keys of L{PARTICLES} (L{names.keys}), as names are matched.
    """
    return frozenset(key for word in PARTICLES for key in names.keys(word))


def check_not_particle(name: str, what: str = "name") -> str:
    """
    C{name}, unless it is one of L{PARTICLES} or looks like one (in any
    case, with look-alike letters or spaces between them: players' typed
    words match names by their look-alike keys), which no thing or room may
    be called.

    @raise WorldError: it is.
    """
    if names.keys(name) & _particle_keys():
        raise WorldError(f"{capitalise(a(what))} may not be a direction or a word like "
                         f"'here', 'me', 'it' or 'all': players type {name!r} without "
                         "meaning a thing.")
    return name


def check_name(root: Any, name: str, what: str = "name") -> str:
    """
    C{name} (tidied by L{clean_name}) if a thing, room or exit may take it
    (see also L{world.names.check_thing_name}): the same rule for a
    builder's command and a script's facet. The name kept is its plain
    (NFKC) form, which is tidied and checked again: C{＃1} is C{#1}.

    @raise WorldError: it may not.
    """
    return clean_name(names.check_thing_name(root, clean_name(name, what)), what)


def describe(obj: Thing, text: str) -> None:
    """
    Give C{obj} the description C{text} (empty: none).

    @raise WorldError: it is longer than L{MAX_DESCRIPTION}.
    """
    if len(text) > MAX_DESCRIPTION:
        raise WorldError(f"A description may be at most {MAX_DESCRIPTION} characters.")
    obj.description = text


def create(root: Any, cls: type[T], name: str, where: Thing | None, agent: Agent, *,
           owner: int | None, appear: bool = False, **kw: Any) -> tuple[T, list[Told]]:
    """
    Make a C{cls} called C{name} in C{where} (None: a room) owned by
    C{owner}. Nothing is made inside what a character carries but by that
    character or their scripts; an exit only from and into rooms the agent
    controls.

    @param appear: tell the room C{<name> appears.}
    @raise WorldError: a rule says no; nothing is made.
    """
    name = check_name(root, name)
    if not issubclass(cls, Exit):
        check_not_particle(name)
    if issubclass(cls, Exit):
        # A way out of a room, or into one, is its owner's to make: an exit
        # into someone else's room would lead round the doors they lock.
        for end in (where, kw.get("destination")):
            if end is not None and not agent.controls(end):
                raise WorldError(f"You don't own {end.name}, so you can't open a way "
                                 f"{'out of' if end is where else 'into'} it.")
    if where is not None:
        receiver = holder(where)
        if receiver is not None and not agent.speaks_for(receiver):
            raise WorldError(f"{receiver.name} has not asked for {the(name)}; only "
                             f"{receiver.name} can take things into their hands.")
    made = root.create(cls, name, location=where, owner=owner, **kw)
    told: list[Told] = []
    room = made.room()
    if appear and room is not None:
        told.append(Told(Event("appear", f"{sentence_name(made)} appears.", actor=made.id,
                               location=room.id), room=room))
    return made, told


def rename(root: Any, obj: Thing, name: str) -> None:
    """
    Give C{obj} the name C{name} (characters keep theirs).

    @raise WorldError: a rule says no.
    """
    if isinstance(obj, Character):
        raise WorldError("Characters keep the names they were created with.")
    name = check_name(root, name)
    if isinstance(obj, Exit):
        name = canonical_direction(name) or name
    else:
        check_not_particle(name)
    check_name_keys((name, *obj.aliases))
    check_no_exit_alike(obj, (name, *obj.aliases))
    old = obj.given_names()
    obj.name = name
    root.renamed(obj, old)  # the index of names


def check_alias_count(count: int) -> None:
    """
    @raise WorldError: C{count} aliases are more than one thing may have.
    """
    if count > MAX_ALIASES:
        raise WorldError(f"A thing may have at most {MAX_ALIASES} other names.")


def check_name_keys(names: Iterable[str]) -> None:
    """
    @raise WorldError: C{names} (a thing's name and aliases) have more
        words and look-alike forms to be found by than one thing may
        (L{world.objects.MAX_NAME_KEYS}): each is written to the index by
        name of every place the thing moves through.
    """
    count = len(name_keys(names))
    if count > MAX_NAME_KEYS:
        raise WorldError(f"A thing may have at most {MAX_NAME_KEYS} different words and forms "
                         f"to be found by; these names have {count}. Use fewer or shorter names.")


def check_no_exit_alike(obj: Thing, names: Iterable[str]) -> None:
    """
    Refuse to give the exit C{obj} the names C{names} (its name and aliases)
    if another exit of its room answers to one of them (renamed 'east'
    beside an east already there): players would reach only one of them.
    Builders' commands and scripts alike ask this.

    @raise WorldError: another exit of C{obj}'s room has one of C{names}.
    """
    room = obj.location
    if not isinstance(obj, Exit) or not isinstance(room, Room):
        return
    wanted = {n.lower() for n in names}
    for other in room.exits():
        shared = sorted(wanted & set(other.names())) if other is not obj else []
        if shared:
            raise WorldError(f"{room.name} ({room.ref}) already has an exit called "
                             f"{shared[0]}: {other.name} ({other.ref}). Nothing was changed.")


def set_aliases(root: Any, obj: Thing, aliases: Iterable[str]) -> None:
    """
    Give C{obj} the other names C{aliases} (a direction exit keeps its short
    form).

    A character answers only to the name it was created with (as it keeps
    that name, L{rename}): an alias would take a short form of another
    player's name ('ali') or a word players page for help ('mod'), and
    receive what they page or whisper to it. It may only lose the aliases
    a world stored before this rule gave it.

    @raise WorldError: a rule says no for any of them; nothing changes.
    """
    aliases = list(aliases)
    if isinstance(obj, Character) and aliases:
        raise WorldError("Characters keep the names they were created with, and answer to no "
                         "other.")
    check_alias_count(len(aliases))
    checked = [check_name(root, alias, "alias") for alias in aliases]
    if not isinstance(obj, Exit):
        checked = [check_not_particle(alias, "alias") for alias in checked]
    if isinstance(obj, Exit):
        direction = canonical_direction(obj.name)
        if direction is not None:
            checked = [*DIRECTIONS[direction], *checked]
    aliases = tuple(dict.fromkeys(checked))
    check_name_keys((obj.name, *aliases))
    check_no_exit_alike(obj, (obj.name, *aliases))
    old = obj.given_names()
    obj.aliases = aliases
    root.renamed(obj, old)  # the index of names


def destroy(root: Any, obj: Thing, agent: Agent) -> tuple[list[Thing], list[Told]]:
    """
    Remove C{obj} from the world for C{agent} (the caller has checked the
    authority to: ownership, or a control facet of it). What it held falls
    out where it was; exits into a destroyed room go too, and anyone in it
    is moved to the start room and told.

    A thing another character carries (in their hands, or in a container
    they carry) that its owner handed over (gave, or sold by script:
    L{handed_over}) is theirs to keep while they do: its owner cannot
    destroy it from under them, by command or by script. Only that
    character may (in person, as L{Agent.lets_go} says, or by their own
    scripts), or a wizard; they can always give it back. A thing they took
    (from the floor, out of an open box) is still its owner's, and counts
    against his quota: he may destroy it wherever it is, and the one
    carrying it is told.

    Nor may anyone but the seal's owner (or a wizard) destroy a thing
    inside a sealed container (L{check_sealed}): nothing leaves a seal by being
    destroyed, as nothing is taken out of it; but for a thing taken from
    its owner (L{taken}), which he may destroy in anyone's seal, so that
    it cannot be held there against his quota: each owner of a seal it
    was in is told (one carrying it already is).

    @return: every object destroyed (for the caller to forget what belonged
        to each: scripts, grants, timers, quota), and what to tell.
    @raise WorldError: C{obj} is a character, or the start room, or another
        character keeps what was handed over to them, or a seal holds it.
    """
    if isinstance(obj, Character):
        raise WorldError("Characters cannot be destroyed; a wizard can @ban an account.")
    check_sealed(obj, agent)  # (a wizard controls every seal)
    keeper = holder(obj.location)
    if (keeper is not None and not agent.wizard and not agent.lets_go(keeper, obj)
            and not (agent.controls(obj) and not handed_over(obj, keeper))):
        raise WorldError(f"{keeper.name} is carrying {the(obj.name)}: it is theirs to keep "
                         f"while they do; ask {keeper.name} to give it back first.")
    room = obj.room() if not isinstance(obj, Room) else None
    inside_room = list(obj.contents.characters()) if isinstance(obj, Room) else []
    seals = [] if agent.wizard else [s for s in seals_of_others(obj) if not agent.controls(s)]
    returned: list[tuple[Thing, Thing]] = []
    gone = root.destroy(obj, returned=returned)
    # One carrying it who did not ask for it is told who did.
    robbed = keeper if keeper is not None and not agent.speaks_for(keeper) else None
    told = [Told(Event("vanish", f"{obj.name} vanishes.", actor=obj.id, location=room.id),
                 room=room, exclude=(robbed.id,) if robbed is not None else ())
            ] if room is not None else []
    told += [Told(Event("system", f"{obj.name} dissolves around you."), to=c)
             for c in inside_room]
    if robbed is not None:
        owner = root.get(obj.owner) if obj.owner is not None else None
        by = f"its owner, {owner.name}," if isinstance(owner, Character) else "its owner"
        told.append(Told(Event("system", f"{capitalise(the(obj.name))} you carried vanishes: "
                                         f"{by} destroyed it."), to=robbed))
    told += _reclaimed(root, obj, seals, robbed)
    for item, full in returned:  # (told if she is awake; nothing is lost if not)
        told.append(_came_back(item, full, f"when {the(obj.name)} was destroyed"))
    return gone, told


def _reclaimed(root: Any, obj: Thing, seals: list[Thing], told: Character | None) -> list[Told]:
    """
    What to tell the owner of each of C{seals} (others', at most one line
    each) that C{obj}'s owner destroyed it in it (taken from him, or in a
    seal he carries); C{told}, who carried it, was told already.
    """
    owner = root.get(obj.owner) if obj.owner is not None else None
    by = f"{owner.name}, its owner" if isinstance(owner, Character) else "its owner"
    said: list[Told] = []
    kept: set[int] = {told.id} if told is not None else set()
    for seal in seals:
        keeper = root.get(seal.owner) if seal.owner is not None else None
        if isinstance(keeper, Character) and keeper.id not in kept:
            kept.add(keeper.id)
            said.append(Told(Event("system", f"{capitalise(the(obj.name))} in "
                                             f"{the(seal.name)} was destroyed by {by} (a thing "
                                             "taken from its owner is still theirs to "
                                             "destroy)."), to=keeper))
    return said


def _came_back(item: Thing, full: Thing, why: str) -> Told:
    """
    What to tell the owner of C{item}, which went back into her hands
    because C{full} could not take it (C{why}).
    """
    return Told(Event("system", f"{capitalise(the(item.name))} came back into your hands {why}: "
                                f"{the(full.name)} was too full to take it."),
                to=item.location)


def put_out(root: Any, item: Thing, box: Thing, agent: Agent) -> tuple[Thing, list[Told]]:
    """
    C{agent} puts C{item}, directly inside the container C{box}, out into
    the place C{box} is in, by the rules of L{move} (seals hold against
    all but their owner; nothing goes into a player's hands unasked). A
    thing that place is too full to take (the ceiling of things per place)
    goes back into its owner's hands instead, as a destroyed container's
    contents do, if she has room and it holds nothing of anyone else's
    (L{containment.owners_only}): she is told.

    @return: where it went, and what to tell.
    @raise WorldError: it is not directly inside, it is a character, or a
        rule says no; nothing has changed.
    """
    if item.location is not box or isinstance(item, Character):
        raise WorldError(f"{item.name} is not in {box.name}.")
    dest = box.location
    if dest is None:
        raise WorldError(f"{box.name} is nowhere to put things out.")
    owner = root.get(item.owner) if item.owner is not None else None
    if (holder(dest) is None and dest.contents.count_things() >= containment.MAX_CONTENTS
            and isinstance(owner, Character) and owner.room() is not None
            and owner.contents.count_things() < containment.MAX_CONTENTS
            and containment.owners_only(item)):
        check_sealed(item, agent, dest)
        keeper = holder(box)
        if keeper is not None and not agent.lets_go(keeper, item):
            raise _kept(item, keeper)
        containment.move(item, owner)
        _hand_over(item, agent)
        return owner, [_came_back(item, dest, f"from {the(box.name)}")]
    return dest, move(item, dest, agent)


__all__ = [
    "PARTICLES",
    "Agent",
    "Motion",
    "Told",
    "builder_reaches",
    "builders_message",
    "check_alias_count",
    "check_move",
    "check_name",
    "check_not_particle",
    "check_passable",
    "check_portable",
    "check_reach",
    "check_seal",
    "check_sealed",
    "clean_name",
    "create",
    "deliver",
    "describe",
    "destroy",
    "exists",
    "give",
    "handed_over",
    "holder",
    "in_sight",
    "inside",
    "move",
    "moved",
    "open_to",
    "passable",
    "player",
    "pocketed",
    "put_out",
    "rename",
    "scripted_motion",
    "seals_of_others",
    "sees_inside",
    "set_aliases",
    "taken",
    "teleport",
    "walk",
    "within_reach",
]
