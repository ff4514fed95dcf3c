# -*- test-case-name: tests.facets.test_interfaces,tests.facets.test_attenuation -*-
"""
Roles: what a script holding a facet of a world object may do with it.

Each world class offers three roles, each a C{zope.interface} interface, each
extending the one before::

    view ⊂ interact ⊂ control

  - B{view}: what anyone who can see the object may read (its name,
    description, the properties of it, what is visibly inside it).
  - B{interact}: what someone next to it may do (tell a character text; speak
    or emote into a room on behalf of the facet's voice).
  - B{control}: the owner's powers (rename, describe, set properties, move it
    within reach, create objects, destroy it).

The roles are built from small blocks (L{IDescribed}, L{IEditable}, …) so that
what each class offers is visible at a glance in L{ROLES}. A facet's checker
allows exactly the names of its role (C{I.names(all=True)}) and nothing else;
see L{scripting.facets.checkers}.

Attributes marked "read-only" are read through the facet; no facet attribute
may ever be assigned (writes happen only through methods).

No method here takes a name or an id and returns an object: a facet leads only
to what its object visibly holds or leads to, or to objects it creates.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from zope.interface import Attribute, Interface

# -- Building blocks ---------------------------------------------------------


class IDescribed(Interface):
    """
    What anyone can read about an object.
    """

    name = Attribute("Display name (read-only str).")
    description = Attribute("What a player sees on looking at it (read-only str).")
    aliases = Attribute("Other names players may use (read-only tuple of str).")
    kind = Attribute('The world class: "thing", "container", "room", "exit" or "character".')

    def get_property(key, default=None):
        """
        A copy of the plain value stored under C{key} (a str), or C{default}.

        Changing the copy changes nothing in the world.
        """

    def property_names():
        """
        The property keys, sorted (tuple of str).
        """


class IPlaced(Interface):
    """
    Something that is somewhere.
    """

    location = Attribute(
        "A view facet of the room, container or character it is in (read-only)."
    )

    def room():
        """
        A view facet of the room it is in, however deeply nested, or None.
        """


class IHolder(Interface):
    """
    A place whose contents can be seen.
    """

    contents = Attribute(
        "View facets of what is inside, in order (read-only tuple); exits excluded."
    )


class IEditable(Interface):
    """
    Changing how an object reads.
    """

    def rename(name):
        """
        Give the object a new display name (one line of text, 1–80 characters).

        @raise FacetError: not acceptable text.
        """

    def describe(text):
        """
        Set the description (text up to 4000 characters; newlines allowed).

        @raise FacetError: not acceptable text.
        """

    def set_aliases(aliases):
        """
        Replace the aliases (a list or tuple of up to 10 names).

        @raise FacetError: not acceptable names.
        """


class IPropertiesEdit(Interface):
    """
    Changing an object's free-form properties.
    """

    def set_property(key, value):
        """
        Store a copy of the plain JSON-like C{value} under C{key}.

        @raise FacetError: C{key} is not a short str or C{value} is not plain.
        """

    def unset_property(key):
        """
        Remove C{key}; does nothing if it is not set.
        """


class IMovable(Interface):
    """
    Moving an object under world rules.
    """

    def move_to(place):
        """
        Move the object into C{place}, a facet of a room, container or
        character.

        The place must be within reach: in the same room as the object, or a
        room one exit away from that room; or the facet of the place must be
        a control facet (its owner lets you put things there). Containment
        rules apply (nothing inside itself, exits only in rooms). Bystanders
        in the rooms left and entered are told.

        @raise world.errors.WorldError: out of reach, or containment says no.
        @raise FacetError: C{place} is not a facet.
        """


class IVoice(Interface):
    """
    Making the object itself speak in the room it is in.
    """

    def say(text, said_by=None):
        """
        Everyone in the object's room hears: C{<name> says, "<text>"}.

        C{said_by}: if the text repeats a player's words (a note, a line
        heard), a facet of that player: whoever ignores them is not shown
        it (a wizard is never ignored). It changes nothing anyone sees:
        the text is still marked as this script's.
        """

    def emote(text, said_by=None):
        """
        Everyone in the object's room reads: C{<name> <text>}; C{said_by}
        as for L{say}.
        """


class ICreator(Interface):
    """
    Making new objects (parenthood).
    """

    def create(kind, name, description=""):
        """
        Make a new C{"thing"} or C{"container"} and return its B{control}
        facet.

        It goes inside this object if this object holds things, else where
        this object is. It belongs to the owner of the script that calls
        (the acting owner) and counts against that owner's object quota.

        @raise QuotaExceeded: the acting owner has no objects left.
        @raise FacetError: an unknown kind, or an unacceptable name.
        """


class IDestroyable(Interface):
    """
    Removing an object from the world.
    """

    def destroy():
        """
        Remove the object; what was inside it goes where it was. Every
        facet of it is dead afterwards ("no longer exists").
        """


# -- Thing ---------------------------------------------------------------


class IThingView(IDescribed, IPlaced):
    """
    Anyone's view of a thing.
    """


class IThingInteract(IThingView):
    """
    What someone next to a thing may do: for now, what they may see (script
    verbs are the integration step's way of interacting with things).
    """


class IThingControl(IThingInteract, IEditable, IPropertiesEdit, IMovable, IVoice,
                    ICreator, IDestroyable):
    """
    The owner's powers over a thing.
    """


# -- Container ---------------------------------------------------------------


class IContainerView(IThingView, IHolder):
    """
    Anyone's view of a container: its contents are visible.
    """


class IContainerInteract(IContainerView, IThingInteract):
    """
    What someone next to a container may do.
    """


class IContainerControl(IContainerInteract, IThingControl):
    """
    The owner's powers over a container.
    """

    def put_out(thing):
        """
        Put C{thing} (any facet of a thing directly inside this container,
        a view is enough) out into the place this container is in, as its
        owner may take it out by hand and drop it: a sealed container gives
        back what it will not keep. The rules of L{IMovable.move_to} apply
        (seals hold against all but their owner; nothing goes into a
        player's hands unasked; the ceiling of things per place), bystanders
        are told, and the same handlers wake. A thing that place is too full
        to take goes back into its owner's hands instead, if she has room
        and it holds nothing of anyone else's; she is told.

        @raise world.errors.WorldError: it is not directly inside, it is a
            character, or a rule says no.
        @raise FacetError: C{thing} is not a facet.
        """


# -- Room ---------------------------------------------------------------


class IRoomView(IDescribed, IHolder):
    """
    Anyone's view of a room.
    """

    area = Attribute("The area the room belongs to (read-only str).")
    exits = Attribute("View facets of the exits, in direction order (read-only tuple).")
    characters = Attribute(
        "View facets of the characters present (read-only tuple); each facet of another "
        "player costs the script's owner a hold, and a crowd past what they can hold in one "
        "turn is refused (use character_names or character_count to greet or count them).")
    character_names = Attribute(
        "The names of the characters present, as the room's look lists them, in the order "
        "they came: the newest 50 at most (read-only tuple of str). No facets, so no holds "
        "and never refused for a crowd. Only for a room the script's object is in: () "
        "elsewhere.")
    character_count = Attribute(
        "How many characters are present (read-only int; reads none of them). Only for a "
        "room the script's object is in: 0 elsewhere.")


class IRoomInteract(IRoomView):
    """
    What an occupant may do: speak in the room. The facet speaks with the
    voice of the object it was made for (usually the script's host), which
    must be in the room.
    """

    def say(text, said_by=None):
        """
        Everyone in the room hears: C{<voice> says, "<text>"}.

        C{said_by}: if the text repeats a player's words (a note, a line
        heard), a facet of that player: whoever ignores them is not shown
        it (a wizard is never ignored). It changes nothing anyone sees:
        the text is still marked as this script's.

        @raise world.errors.WorldError: the facet has no voice, or its voice
            is not in this room.
        """

    def emote(text, said_by=None):
        """
        Everyone in the room reads: C{<voice> <text>}; C{said_by} as for
        L{say}.

        @raise world.errors.WorldError: as for L{say}.
        """


class IRoomControl(IRoomInteract, IEditable, IPropertiesEdit, ICreator):
    """
    The owner's powers over a room (rooms are not moved or destroyed by
    scripts).
    """

    def announce(text, said_by=None):
        """
        Everyone in the room reads C{text} as it is, with no speaker.

        C{said_by}: if the text repeats a player's words (a note, a line
        heard), a facet of that player: whoever ignores them is not shown
        it (a wizard is never ignored). It changes nothing anyone sees:
        the text is still marked as this script's.
        """


# -- Exit ---------------------------------------------------------------


class IExitView(IDescribed, IPlaced):
    """
    Anyone's view of an exit.
    """

    destination = Attribute("A view facet of the room it leads to, or None (read-only).")


class IExitInteract(IExitView):
    """
    What someone next to an exit may do: see it.
    """


class IExitControl(IExitInteract, IEditable, IPropertiesEdit):
    """
    The owner's powers over an exit (exits are not moved by scripts).
    """


# -- Character ---------------------------------------------------------------


class ICharacterView(IDescribed, IPlaced):
    """
    Anyone's view of a character: not what they carry.
    """


class ICharacterInteract(ICharacterView):
    """
    A character's public facet: it can be told text; it cannot be moved.
    """

    def tell(text, said_by=None):
        """
        Show C{text} to the character's player (after the turn commits).

        C{said_by}: if the text repeats a player's words (a note, a line
        heard), a facet of that player: whoever ignores them is not shown
        it (a wizard is never ignored). It changes nothing anyone sees:
        the text is still marked as this script's.
        """


class ICharacterControl(ICharacterInteract, IPropertiesEdit):
    """
    A player's own powers over their character, as a script may hold them:
    describe it, keep properties on it, see what it carries. Never rename,
    move or destroy: those stay with the player's own commands.
    """

    inventory = Attribute("View facets of what the character carries (read-only tuple).")

    def describe(text):
        """
        Set the character's description.
        """


# -- Script state ---------------------------------------------------------------


class IScriptState(Interface):
    """
    A script's persistent storage on its host object: plain JSON-like values
    and facets, within the owner's stored-bytes quota.
    """

    def get(key, default=None):
        """
        A copy of what is stored under C{key} (facets come back as facets,
        still dead if they were revoked), or C{default}. A copy: changing it
        changes nothing stored until you store it back (notes =
        state.get("notes", []); notes.append(x); state["notes"] = notes).
        """

    def set(key, value):
        """
        Store C{value} (plain values and facets, nested in lists, tuples and
        str-keyed dicts) under C{key}; the same as C{state[key] = value}.

        @raise QuotaExceeded: the owner's quota would be exceeded; nothing is
            stored.
        @raise FacetError: C{value} holds something that is neither plain nor
            a facet.
        @raise Revoked: C{value} holds a revoked facet.
        """

    def delete(key):
        """
        Forget C{key}; does nothing if it is not stored.
        """

    def keys():
        """
        The stored keys, sorted (tuple of str).
        """

    def used():
        """
        The bytes this host's state counts against its owner's quota.
        """

    # The same, written as a dict's (C{state["k"] = v}, C{state["k"]},
    # C{del state["k"]}, C{"k" in state}, C{len(state)}, C{for k in state},
    # C{if state:}): the checker allows exactly these operations.

    def __getitem__(key):
        """
        A copy of what is stored under C{key}, as C{get} gives it.

        @raise KeyError: nothing is stored under C{key}.
        """

    def __setitem__(key, value):
        """
        Store C{value} under C{key}, as C{set} does (the same checks, caps and
        quota).
        """

    def __delitem__(key):
        """
        Forget C{key}, as C{delete} does.

        @raise KeyError: nothing is stored under C{key}.
        """

    def __contains__(key):
        """
        Whether something is stored under C{key}.
        """

    def __len__():
        """
        How many keys are stored.
        """

    def __iter__():
        """
        An iterator over the stored keys, sorted (a snapshot: deleting while
        iterating is safe).
        """

    def __bool__():
        """
        Whether anything is stored.
        """


class ITimers(Interface):
    """
    A script's timers on its host: persistent, capped per owner. When one
    fires, the engine calls the host script's function named C{handler}
    with C{data}, in a turn of its own.
    """

    def after(seconds, handler, data=None):
        """
        Call C{handler} once, C{seconds} from now (at least 1). Returns the
        timer's number.

        @raise QuotaExceeded: the owner has no timers left.
        @raise FacetError: bad seconds, handler name or data (plain values
            and facets, at most 4 KiB).
        """

    def every(seconds, handler, data=None):
        """
        Call C{handler} every C{seconds} (at least 5), starting C{seconds}
        from now. Returns the timer's number.
        """

    def cancel(timer_id):
        """
        Cancel this host's timer C{timer_id}; returns whether there was one.
        """

    def pending():
        """
        This host's timers: a tuple of C{(number, handler, seconds_left,
        interval_or_None)}.
        """


# -- Channels ---------------------------------------------------------------


class IChannel(Interface):
    """
    A chat channel its owner handed a script (C{@grant <thing>.<name> =
    channel <channel>}). The script talks as its host, and every line is
    marked as the script's: C{[Bob's gremlin] [chess] gremlin: hello}.
    """

    name = Attribute("The channel's name (read-only str).")

    def say(text, said_by=None):
        """
        Everyone on the channel who is connected reads C{[<channel>] <host>:
        <text>}; it is kept in the channel's history. At most 3 lines per
        channel in one turn; each counts against the owner's output rate.
        C{said_by}: as for L{IVoice.say} (kept in the history too).

        @raise world.errors.WorldError: the channel or the host is gone, or
            the script said too much this turn.
        @raise FacetError: C{text} is not acceptable text.
        """

    def emote(text, said_by=None):
        """
        Like L{say}, as an action: C{[<channel>] <host> <text>}.
        """


# -- The role table ---------------------------------------------------------------

#: Role names, weakest first.
ROLE_NAMES: tuple[str, ...] = ("view", "interact", "control")

#: kind → (view, interact, control) interfaces.
#: An interface, as mypy (with the zope plugin) sees one.
InterfaceType = type[Interface]

ROLES: dict[str, tuple[InterfaceType, InterfaceType, InterfaceType]] = {
    "thing": (IThingView, IThingInteract, IThingControl),
    "container": (IContainerView, IContainerInteract, IContainerControl),
    "room": (IRoomView, IRoomInteract, IRoomControl),
    "exit": (IExitView, IExitInteract, IExitControl),
    "character": (ICharacterView, ICharacterInteract, ICharacterControl),
}


def role_interface(kind: str, role: str) -> InterfaceType:
    """
    The interface for C{role} (C{"view"}, C{"interact"} or C{"control"}) of
    objects of C{kind}.

    @raise KeyError: an unknown kind or role.
    """
    if role not in ROLE_NAMES:
        raise KeyError(role)
    return ROLES[kind][ROLE_NAMES.index(role)]


def role_names(kind: str, role: str) -> frozenset[str]:
    """
    Every attribute name the C{role} of C{kind} exposes.

    @raise KeyError: an unknown kind or role.
    """
    if role not in ROLE_NAMES:
        raise KeyError(role)
    return _NAMES[(kind, role)]


#: (kind, role) → the names it exposes: a frozen table, trusted-only.
_NAMES: Mapping[tuple[str, str], frozenset[str]] = MappingProxyType({
    (kind, role): frozenset(interface.names(all=True))
    for kind, interfaces in ROLES.items()
    for role, interface in zip(ROLE_NAMES, interfaces, strict=True)
})
