# -*- test-case-name: tests.facets.test_attenuation,tests.facets.test_checkers -*-
"""
Facet targets for each world class, and the functions that make facets.

A facet is C{Proxy(adapter, FacetChecker(names, cells))}: the adapter (one
class per world class, implementing that class's control interface) does the
work, and the checker decides which of its names the holder may use. Every
method acts through the acting context's current turn
(L{scripting.facets.context}); rule violations raise
L{world.errors.WorldError} with text for the player.

Nothing here looks an object up by name or id: an adapter reaches only its
own object, what that object visibly holds or leads to, places handed to it
as facets, and objects it creates.
"""

from __future__ import annotations

from typing import Any

from zope.interface import implementer
from zope.interface.interface import InterfaceClass
from zope.security.proxy import Proxy, getChecker, getObject

from scripting.facets import accounting, holds, inputs, properties, texts
from scripting.facets.base import FacetBase
from scripting.facets.checkers import (
    FacetChecker,
    checkers_installed,
    install_checkers,
    interface_names,
    is_facet,
)
from scripting.facets.context import charge, current, current_turn
from scripting.facets.errors import FacetError
from scripting.facets.interfaces import (
    ROLE_NAMES,
    ICharacterControl,
    IContainerControl,
    IExitControl,
    IRoomControl,
    IThingControl,
    role_names,
)
from scripting.facets.membrane import RevocationCell, check_alive
from world import containment, rules
from world.errors import WorldError
from world.events import Event
from world.objects import Character, Container, Exit, Room, Thing

#: What C{create} may make.
CREATABLE: dict[str, type[Thing]] = {"thing": Thing, "container": Container}
#: How many aliases an object may have (the world's rule).
MAX_ALIASES = rules.MAX_ALIASES


#: The most names C{here.character_names} gives (the newest arrivals'): it
#: loads each character it names, so a room of a thousand reads fifty.
MAX_CHARACTER_NAMES = 50

#: Whether an object is still in the world (the world's rule).
exists = rules.exists


# -- Building blocks (mixins matching the interface blocks) -----------------------


class _Adapter(FacetBase):
    __slots__ = ()

    @staticmethod
    def _listed(items: Any) -> Any:
        charge(len(items))
        return items

    def _live(self) -> tuple[Thing, Any]:
        turn = current_turn()
        obj = self._target
        if not exists(turn.root, obj):
            raise WorldError(f"{obj.name} no longer exists.")
        return obj, turn

    def _in_sight(self, obj: Thing) -> bool:
        """
        Whether this facet may tell where C{obj} is (or speak to it), seen
        from its host (the object the facet was handed to), by the world's
        rule (L{world.rules.in_sight}): a character, or what they carry,
        only while they are in the host's room, or are the player whose
        command this script answers, or the script is their own; never
        from a host riding in someone else's pocket. A facet of a character
        kept in state therefore does not track them.
        """
        return rules.in_sight(self._voice, obj, _agent(), current().actor)

    def _seen(self, obj: Thing | None) -> Any:
        """
        The view facet of C{obj} as seen from this facet's host.
        """
        return view(obj, self._voice)

    def _seen_all(self, objects: Any) -> tuple:
        return tuple(view(o, self._voice) for o in objects)


def _agent() -> rules.Agent:
    """
    Who acts for the world's rules: the acting owner, at the request of the
    player who typed the verb running (if any).
    """
    acting = current()
    return rules.Agent(owner=acting.owner, person=acting.person, acted_on=acting.acted_on)


def _thing_name(value: Any, what: str) -> str:
    """
    C{value} as one line of text a script may offer as a name or alias (the
    world's naming rules are checked by L{world.rules}).
    """
    return inputs.line(value, what, rules.MAX_NAME)


class _Described(_Adapter):
    __slots__ = ()

    @property
    def name(self) -> str:
        return str(self._live()[0].name)

    def _readable(self) -> Thing | None:
        """
        The object, if this facet may read more of it than its name and
        kind: anything but a character always; a character (L{_in_sight})
        only while she is in the host's room, or is the one acting, or the
        script is her own. A kept facet of a player therefore tells nothing
        of how she looks or what her properties say once she walks away:
        those could track her (a description or property her own scripts
        change where she goes). Her name stays public.
        """
        obj = self._live()[0]
        if isinstance(obj, Character) and not self._in_sight(obj):
            return None
        return obj

    @property
    def description(self) -> str:
        obj = self._readable()
        return str(obj.description) if obj is not None else ""

    @property
    def aliases(self) -> tuple[str, ...]:
        obj = self._readable()
        return tuple(str(a) for a in obj.aliases) if obj is not None else ()

    @property
    def kind(self) -> str:
        return str(self._live()[0].kind)

    def get_property(self, key: Any, default: Any = None) -> Any:
        obj = self._readable()
        key = inputs.key(key, "property name")
        if obj is None or key not in obj.properties:
            return inputs.plain_copy(default)
        value = obj.properties[key]
        charge(inputs.canonical_size(value) // 64)
        return inputs.plain_copy(value)

    def property_names(self) -> tuple[str, ...]:
        obj = self._readable()
        if obj is None:
            return ()
        props = obj.properties
        charge(len(props))
        return tuple(sorted(str(k) for k in props))


class _Placed(_Adapter):
    __slots__ = ()

    @property
    def location(self) -> Any:
        obj = self._live()[0]
        return self._seen(obj.location) if self._in_sight(obj) else None

    def room(self) -> Any:
        obj = self._live()[0]
        return self._seen(obj.room()) if self._in_sight(obj) else None


class _Holder(_Adapter):
    __slots__ = ()

    @property
    def contents(self) -> tuple:
        obj = self._live()[0]
        if not self._sees_inside(obj):
            return ()
        return self._seen_all(o for o in self._listed(obj.contents) if not isinstance(o, Exit))

    def _sees_inside(self, obj: Thing) -> bool:
        """
        Whether this facet sees what C{obj} holds, seen from its host, by the
        world's rule (L{world.rules.sees_inside}): never behind a locked exit
        or two rooms off.
        """
        return rules.sees_inside(self._voice, obj, _agent(), current().actor)


class _Editable(_Adapter):
    __slots__ = ()

    def rename(self, name: Any) -> None:
        obj, turn = self._live()
        with texts.charging(turn.root, obj):  # to its owner's stored bytes
            rules.rename(turn.root, obj, _thing_name(name, "name"))

    def describe(self, text: Any) -> None:
        obj, turn = self._live()
        with texts.charging(turn.root, obj):  # to its owner's stored bytes
            rules.describe(obj, inputs.text(text, "description", rules.MAX_DESCRIPTION))

    def set_aliases(self, aliases: Any) -> None:
        if type(aliases) not in (list, tuple):
            raise FacetError("Aliases must be a list of names.")
        rules.check_alias_count(len(aliases))  # before reading a long list
        obj, turn = self._live()
        with texts.charging(turn.root, obj):
            rules.set_aliases(turn.root, obj, [_thing_name(a, "alias") for a in aliases])


class _Properties(_Adapter):
    __slots__ = ()

    def set_property(self, key: Any, value: Any) -> None:
        obj, turn = self._live()
        key = inputs.key(key, "property name")
        copy = inputs.plain_copy(value, limit=inputs.MAX_PROPERTY_BYTES)
        if inputs.canonical_size(copy) > inputs.MAX_PROPERTY_BYTES:
            raise FacetError(
                f"That value is too big for a property (at most {inputs.MAX_PROPERTY_BYTES} "
                "bytes); keep big values in script state."
            )
        properties.set_property(turn.root, obj, key, copy)  # charged to the owner

    def unset_property(self, key: Any) -> None:
        obj, turn = self._live()
        properties.unset_property(turn.root, obj, inputs.key(key, "property name"))


class _Movable(_Adapter):
    __slots__ = ()

    def move_to(self, place: Any) -> None:
        obj, turn = self._live()
        dest, names = _place_argument(place, turn)
        # Reach: a control facet of the place is its owner's leave to put
        # things there; otherwise the place must be within the object's reach.
        if not names >= role_names(dest.kind, "control"):
            rules.check_reach(obj, dest)
        source = obj.location
        rules.deliver(turn, rules.move(obj, dest, _agent()))
        current().woken.append((obj, source, dest))  # the engine wakes their handlers


def author_of(value: Any) -> int | None:
    """
    The id of the player whose words a script says its text repeats
    (C{said_by=} of C{tell}, C{say}, C{emote} and C{announce}): whoever
    ignores that player is not shown the text (L{world.ignores.hides}).

    C{value} is None (the text is the script's own) or a facet of a
    character, of any role, revoked or not: naming her gives the script no
    power over her and changes nothing anyone is shown (the text stays
    marked as the script's), it only keeps the script's own text from
    those who ignore her; and her revoking what a notice board holds of
    her must not make her notes reach them. A name or id is never taken
    (a script names only those it was handed), nor a thing.

    @raise FacetError: C{value} is anything else.
    """
    if value is None:
        return None
    if is_facet(value):
        target = getObject(value)._target
        if isinstance(target, Character):
            return int(target.id)
    raise FacetError("said_by must be a facet of the player whose words these are, or None.")


def _speak(turn: Any, speaker: Thing, room: Room, kind: str, text: Any,
           author: Any = None) -> None:
    said = inputs.line(text, "text")
    by = author_of(author)
    if kind == "say":
        line = f'{speaker.name} says, "{said}"'
    else:
        line = f"{speaker.name} {said}"
    turn.tell_room(room, Event(kind, line, actor=speaker.id, location=room.id, said_by=by))


class _Voice(_Adapter):
    __slots__ = ()

    def _where(self) -> tuple[Thing, Room, Any]:
        obj, turn = self._live()
        room = obj.room()
        if room is None:
            raise WorldError(f"{obj.name} is nowhere anyone could hear it.")
        return obj, room, turn

    def say(self, text: Any, said_by: Any = None) -> None:
        obj, room, turn = self._where()
        _speak(turn, obj, room, "say", text, said_by)

    def emote(self, text: Any, said_by: Any = None) -> None:
        obj, room, turn = self._where()
        _speak(turn, obj, room, "emote", text, said_by)


class _Creator(_Adapter):
    __slots__ = ()

    def create(self, kind: Any, name: Any, description: Any = "") -> Any:
        obj, turn = self._live()
        if type(kind) is not str or kind not in CREATABLE:
            raise FacetError(f"Scripts can create only: {', '.join(sorted(CREATABLE))}.")
        name = _thing_name(name, "name")
        description = inputs.text(description, "description", rules.MAX_DESCRIPTION)
        where = obj if containment.can_hold(obj) else obj.location
        if where is None:
            raise WorldError(f"{obj.name} is nowhere; there is nowhere to put {name}.")
        agent = _agent()
        owner = agent.owner
        accounting.check_object(turn.root, owner)  # before: a refusal changes nothing
        texts.check_new(turn.root, owner, name, description)
        made, told = rules.create(turn.root, CREATABLE[kind], name, where, agent,
                                  owner=owner, appear=True, description=description)
        accounting.count_object(turn.root, made)  # after: a refused create is not charged
        texts.charge_made(turn.root, made)
        rules.deliver(turn, told)
        return facet(made, "control", voice=self._voice)


class _Destroyable(_Adapter):
    __slots__ = ()

    def destroy(self) -> None:
        obj, turn = self._live()
        # lifecycle reaches every facet service, and they make facets with
        # this module: importing it at the top would close a loop.
        from scripting.facets.lifecycle import destroy

        rules.deliver(turn, destroy(turn.root, obj, _agent()))


# -- The adapters, one per world class ---------------------------------------------


@implementer(IThingControl)
class ThingFacet(_Described, _Placed, _Editable, _Properties, _Movable, _Voice, _Creator,
                 _Destroyable):
    """
    A thing's facet target.
    """

    __slots__ = ()


@implementer(IContainerControl)
class ContainerFacet(ThingFacet, _Holder):
    """
    A container's facet target.
    """

    __slots__ = ()

    def put_out(self, thing: Any) -> None:
        box, turn = self._live()
        if not is_facet(thing):
            raise FacetError("Say what to put out with a facet of it.")
        check_alive(getChecker(thing).cells)
        item = getObject(thing)._target
        if not exists(turn.root, item):
            raise WorldError(f"{item.name} is not in {box.name}.")
        # The world's rule: out where the box is, or (that place full) back
        # into its owner's hands.
        dest, told = rules.put_out(turn.root, item, box, _agent())
        rules.deliver(turn, told)
        current().woken.append((item, box, dest))  # the engine wakes their handlers


@implementer(IRoomControl)
class RoomFacet(_Described, _Holder, _Editable, _Properties, _Creator):
    """
    A room's facet target. Its C{say}/C{emote} speak with the facet's voice.
    """

    __slots__ = ()

    @property
    def area(self) -> str:
        return str(self._live()[0].area)

    @property
    def exits(self) -> tuple:
        room = self._live()[0]
        charge(len(room.contents))
        return self._seen_all(room.exits())

    @property
    def characters(self) -> tuple:
        room = self._live()[0]
        charge(len(room.contents))
        return self._seen_all(room.characters()) if self._sees_inside(room) else ()

    @property
    def character_names(self) -> tuple[str, ...]:
        room = self._present()
        if room is None:
            return ()
        people = tuple(room.contents.characters())  # (not loaded: read below)
        shown = people[-MAX_CHARACTER_NAMES:]
        charge(len(people) // 64 + len(shown))
        return tuple(str(c.name) for c in shown)

    @property
    def character_count(self) -> int:
        room = self._present()
        if room is None:
            return 0
        contents = room.contents
        return len(contents) - contents.count_things()  # (both counted: nothing loaded)

    def _present(self) -> Room | None:
        """
        This room, if this facet's host is in it (and sees inside it,
        L{_sees_inside}: not from someone else's pocket), else None: who
        is here is told only to a thing standing here, never to a facet of
        a room next door or far away (what the room's look shows those in
        it, and no more).
        """
        room = self._live()[0]
        voice = self._voice
        if voice is None or voice.room() is not room or not self._sees_inside(room):
            return None
        return room

    def _voiced(self) -> tuple[Room, Thing, Any]:
        room, turn = self._live()
        voice = self._voice
        if voice is None:
            raise WorldError("Nobody is there to speak.")
        if not exists(turn.root, voice) or voice.room() is not room:
            raise WorldError(f"{voice.name} is not in {room.name}.")
        return room, voice, turn

    def say(self, text: Any, said_by: Any = None) -> None:
        room, voice, turn = self._voiced()
        _speak(turn, voice, room, "say", text, said_by)

    def emote(self, text: Any, said_by: Any = None) -> None:
        room, voice, turn = self._voiced()
        _speak(turn, voice, room, "emote", text, said_by)

    def announce(self, text: Any, said_by: Any = None) -> None:
        room, turn = self._live()
        line = inputs.line(text, "text")
        by = author_of(said_by)
        turn.tell_room(room, Event("script", line, location=room.id, said_by=by))


@implementer(IExitControl)
class ExitFacet(_Described, _Placed, _Editable, _Properties):
    """
    An exit's facet target.
    """

    __slots__ = ()

    @property
    def destination(self) -> Any:
        return self._seen(self._live()[0].destination)


@implementer(ICharacterControl)
class CharacterFacet(_Described, _Placed, _Properties):
    """
    A character's facet target.
    """

    __slots__ = ()

    def tell(self, text: Any, said_by: Any = None) -> None:
        obj, turn = self._live()
        # What a character carries may always speak to them (they can drop
        # it): that tells the script nothing of where they are.
        if not (self._in_sight(obj) or rules.holder(self._voice) is obj):
            raise WorldError(f"{obj.name} is not here to hear that.")
        voice = self._voice
        line = inputs.line(text, "text")
        by = author_of(said_by)
        turn.tell(obj, Event("script", line, actor=voice.id if voice is not None else None,
                             target=obj.id, said_by=by))

    def describe(self, text: Any) -> None:
        obj, turn = self._live()
        with texts.charging(turn.root, obj):  # to its owner's stored bytes
            rules.describe(obj, inputs.text(text, "description", rules.MAX_DESCRIPTION))

    @property
    def inventory(self) -> tuple:
        return self._seen_all(self._listed(self._live()[0].contents))


#: kind → adapter class.
ADAPTERS: dict[str, type[FacetBase]] = {
    "thing": ThingFacet,
    "container": ContainerFacet,
    "room": RoomFacet,
    "exit": ExitFacet,
    "character": CharacterFacet,
}

def _ensure_installed() -> None:
    # The composition root installs the checkers; facets made without one
    # (tests, tools) install them first, so a raw object is never bare.
    if not checkers_installed():
        install_checkers()


# -- Making facets -------------------------------------------------------------------


def seal(target: Thing, names: frozenset[str] | set[str], *, cells: tuple = (),
         voice: Thing | None = None) -> Any:
    """
    A facet of C{target} exposing C{names} (never more than the control role
    of its class), dying with C{cells}, speaking (rooms) as C{voice}.
    Trusted code only.
    """
    _ensure_installed()
    allowed = frozenset(names) & role_names(target.kind, "control")
    cells = tuple(cells)
    return Proxy(ADAPTERS[target.kind](target, voice, cells), FacetChecker(allowed, cells))


def facet(target: Thing, role: str = "view", *, cells: tuple = (),
          voice: Thing | None = None, root: Any = None, pin: bool = False) -> Any:
    """
    The C{role} facet (C{"view"}, C{"interact"} or C{"control"}) of
    C{target}. Trusted code only: the engine makes endowments with it
    (C{this} = the host's control facet, C{here} = its room's interact facet
    voiced by the host, C{actor} = the actor's interact facet).

    @param root: the world root, to charge the hold of a character handed
        to another owner's script (L{holds.hold}); by default the root of
        the turn in progress.
    @param pin: the facet is a grant's: its hold is pinned (never given up
        for a newer one; L{holds.hold}).
    @raise QuotaExceeded: C{voice}'s owner cannot pay for holding
        C{target}, a character (nothing is made).
    @raise FacetError: a hold is needed and there is no turn to charge it
        in (a programming error).
    """
    if voice is not None and isinstance(target, Character) and role != "control":
        # A facet of a player handed to another's script: the player can
        # see it and revoke it (@holders), and its owner pays for it.
        held = holds.hold(target, voice, root if root is not None else current_turn().root,
                          pin=pin)
        if held is not None:
            cells = (*tuple(cells), held)
    return seal(target, role_names(target.kind, role), cells=cells, voice=voice)


def view(target: Thing | None, host: Thing | None = None) -> Any:
    """
    The view facet of C{target} as seen from C{host} (the object whose
    script holds it: what it may see of characters is judged from there),
    or None.
    """
    return None if target is None else facet(target, "view", voice=host)


def attenuate(value: Any, role: Any) -> Any:
    """
    A facet of the same object exposing at most what both C{value} and
    C{role} allow, dying with the same cells. Attenuation only narrows:
    C{attenuate(f, "control")} of a view facet is still a view facet.

    Scripts may call this (with a role name); trusted code may also pass an
    interface.

    @param role: C{"view"}, C{"interact"} or C{"control"}, or an interface.
    @raise FacetError: C{value} is not a facet, or C{role} is not a role.
    @raise scripting.facets.errors.Revoked: C{value} is revoked.
    """
    if not is_facet(value):
        raise FacetError("Only a facet can be attenuated.")
    checker, inner = getChecker(value), getObject(value)
    check_alive(checker.cells)
    if type(role) is str and role in ROLE_NAMES:
        names = role_names(inner._target.kind, role)
    elif type(role) is InterfaceClass:
        names = interface_names(role)
    else:
        raise FacetError(f"A role is one of: {', '.join(ROLE_NAMES)}.")
    return Proxy(inner, FacetChecker(checker.names & names, checker.cells))


def revocable(value: Any, cell: RevocationCell | None = None) -> tuple[Any, RevocationCell]:
    """
    A caretaker: a facet like C{value} that also dies when C{cell} (a new
    one if not given) is revoked, with the cell. Trusted code only.
    """
    if not is_facet(value):
        raise FacetError("Only a facet can be made revocable.")
    checker, inner = getChecker(value), getObject(value)
    check_alive(checker.cells)
    cell = RevocationCell() if cell is None else cell
    cells = (*checker.cells, cell)
    return Proxy(inner.with_cells(cells), FacetChecker(checker.names, cells)), cell


# -- Arguments and reach ---------------------------------------------------------


def _place_argument(place: Any, turn: Any) -> tuple[Thing, frozenset[str]]:
    if not is_facet(place):
        raise FacetError("Say where with a facet of a room, container or character.")
    checker, inner = getChecker(place), getObject(place)
    check_alive(checker.cells)
    dest = inner._target
    if not exists(turn.root, dest):
        raise WorldError(f"{dest.name} no longer exists.")
    return dest, checker.names


__all__ = [
    "ADAPTERS", "CharacterFacet", "ContainerFacet", "ExitFacet", "RoomFacet", "ThingFacet",
    "attenuate", "exists", "facet", "revocable", "seal", "view",
]
