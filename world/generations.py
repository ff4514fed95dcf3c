# -*- test-case-name: tests.world.test_store -*-
"""
Schema generations: how stored worlds are upgraded, never deleted.

When a change alters what is stored, raise L{world.root.GENERATION} and add a
step here, keyed by the generation it upgrades *from*. Steps run in order, in
the same transaction that opens the world.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from world import mail, names, rules
from world.objects import Character, Contents, Room, keep_names
from world.properties import Properties, migrate
from world.root import add_comms_trees, add_script_trees

#: from-generation → function upgrading a root of that generation by one.
#:
#: A step receives the L{world.root.WorldRoot} and changes it in place, e.g.::
#:
#:     def _add_weather(root):            # generation 1 → 2
#:         for obj in root.all():
#:             if isinstance(obj, Room) and not hasattr(obj, "weather"):
#:                 obj.weather = None
#:     STEPS[1] = _add_weather
STEPS: dict[int, Callable[[Any], None]] = {}

#: How many objects a step changes between savepoints (L{in_batches}).
BATCH = 10_000


def in_batches(root: Any) -> Iterator[Any]:
    """
    Every object of C{root}, in id order, taking a savepoint of the upgrade's
    transaction after each L{BATCH} of them: a step that writes every object
    of a large world keeps what it changed in the database's temporary file,
    not all in memory, and the upgrade stays one transaction (a failure
    still leaves the stored world as it was).
    """
    jar = getattr(root, "_p_jar", None)
    for count, obj in enumerate(root.all(), 1):
        yield obj
        if jar is not None and count % BATCH == 0:
            jar.transaction_manager.savepoint(optimistic=True)


def _declare_script_trees(root: Any) -> None:
    """
    Generation 1 → 2: the trees scripts keep on the root (grants, timers,
    script state, accounting) are declared by L{world.root.WorldRoot}. A
    world of generation 1 got each only once a script first needed it: give
    it those it lacks, keeping those it has. (An empty accounting tree makes
    the engine count every owner's objects at start, as it did before.)
    """
    add_script_trees(root)


STEPS[1] = _declare_script_trees


def _properties_in_records(root: Any) -> None:
    """
    Generation 2 → 3: every object's properties move from one mapping (one
    record: every change rewrote all of them) to
    L{world.properties.Properties} (one record per key), charged to nobody.
    """
    for obj in root.all():
        old = getattr(obj, "properties", None)
        if old is not None and not isinstance(old, Properties):
            obj.properties = migrate(old)


STEPS[2] = _properties_in_records


def _add_libraries(root: Any) -> None:
    """
    Generation 3 → 4: players' libraries and their shares
    (L{world.libraries.LibraryRegistry}) get their tree on the root.
    """
    add_script_trees(root)


STEPS[3] = _add_libraries


def _count_what_builders_made(root: Any) -> None:
    """
    Generation 4 → 5: C{@dig} and C{@open} made rooms and exits without
    counting them against their owner's objects, and destroying anything
    refunded its owner whether it had counted or not. Objects now remember
    whether they counted; have the engine count every owner's objects again
    at start (L{world.root.WorldRoot.recount_objects}), and index grants by
    their target, so that destroying an object finds its grants without
    looking through them all.
    """
    root.recount_objects = True
    registry = getattr(root, "grants", None)
    if registry is not None and registry.by_target is None:
        registry.index_targets()


STEPS[4] = _count_what_builders_made


def _add_comms(root: Any) -> None:
    """
    Generation 5 → 6: chat channels (with the world's public channel, C{pub})
    and mail get their trees on the root (L{world.root.COMMS_TREES}).
    """
    add_comms_trees(root)


STEPS[5] = _add_comms


def _index_character_names(root: Any) -> None:
    """
    Generation 6 → 7: names are compared by their confusables skeleton;
    index every character's look-alike keys (L{world.names}).
    """
    root.character_names = None
    names.register_all(root)


STEPS[6] = _index_character_names


def _contents_in_records(root: Any) -> None:
    """
    Generation 7 → 8: every place's contents move from one list (one
    record: every arrival or departure rewrote all of it) to
    L{world.objects.Contents} (a B-tree by order of arrival), in the order
    they were listed.
    """
    for obj in in_batches(root):
        old = getattr(obj, "contents", None)
        if old is not None and not isinstance(old, Contents):
            obj.contents = Contents(old)


STEPS[7] = _contents_in_records


def _index_names(root: Any) -> None:
    """
    Generation 8 → 9: objects are found by name through an index of the
    words of their names (L{world.registries.NameIndex}): build it.
    """
    root.index_names(in_batches(root))


STEPS[8] = _index_names


def _index_exits(root: Any) -> None:
    """
    Generation 9 → 10: destroying a room finds the exits into it through an
    index of exits by where they lead (L{world.root.WorldRoot.exits_to}),
    not by looking through every object: build it.
    """
    root.index_exits(in_batches(root))


STEPS[9] = _index_exits


def _index_whole_names(root: Any) -> None:
    """
    Generation 10 → 11: the index by name also keeps each whole name, so
    that a lookup by an exact name reads only the objects so called (not
    every object with a common word such as 'a' in its name): build it
    again.
    """
    root.index_names(in_batches(root))


STEPS[10] = _index_whole_names


def _index_looks(root: Any) -> None:
    """
    Generation 11 → 12: a new account's name is checked against the things,
    rooms and exits through the index of names by look-alike key
    (L{world.registries.NameIndex.by_look}), not by looking through every
    object: build it.
    """
    root.index_looks(in_batches(root))


STEPS[11] = _index_looks


def _count_stored_holds(root: Any) -> None:
    """
    Generation 12 → 13: holds on characters (what others' scripts were
    handed of them) are charged to their hosts' owners and counted toward
    the ceiling per owner, whatever made them; have the engine bring those
    a world stored before that under both at start
    (L{world.root.WorldRoot.recount_holds}).
    """
    root.recount_holds = True


STEPS[12] = _count_stored_holds


def _index_holds(root: Any) -> None:
    """
    Generation 13 → 14: holds on characters are indexed by their owner,
    oldest first (so that an owner with no room gives up their oldest hold
    of anyone), and by their host (so that destroying a host refunds its
    holds at once): declare both trees, and have the engine index the
    holds stored before at start (L{world.root.WorldRoot.recount_holds}).
    """
    add_script_trees(root)
    root.recount_holds = True


STEPS[13] = _index_holds


def _keep_apart_characters_and_scripts(root: Any) -> None:
    """
    Generation 14 → 15: each place's contents keep its characters, its
    exits and the things in it that hold a script apart from the rest
    (L{world.objects.Contents.characters}, L{world.objects.Contents.exits},
    L{world.objects.Contents.scripted}), so that a move in, finding the
    way out, telling a room and waking its scripts read only those, not
    everything a builder piled there: sort what every place holds (what
    an upgrade missed is sorted the first time it is needed).
    """
    for obj in in_batches(root):
        contents = getattr(obj, "contents", None)
        if isinstance(contents, Contents):
            contents.recount()


STEPS[14] = _keep_apart_characters_and_scripts


def _charge_stored_channels(root: Any) -> None:
    """
    Generation 15 → 16: a player's chat channel is charged to its owner
    for its name, its description and its history's ceiling
    (L{world.channels.HISTORY_BYTES}) from the moment it is made; a
    channel stored before was charged nothing, or its name and
    description only, until its owner described it again. Have the engine
    charge each what it was not, once, at start
    (L{world.root.WorldRoot.recount_channels}).
    """
    root.recount_channels = True


STEPS[15] = _charge_stored_channels


def _order_holds_in_trees(root: Any) -> None:
    """
    Generation 16 → 17: each character lists the holds on it by owner in a
    tree (L{scripting.facets.holds.ORDER}), not in one mapping that a new
    hold rewrote whole, naming every owner holding her; and each owner's
    holds keep what they were charged in all (holds made before they cost
    480 bytes cost 64). Have the engine make each stored mapping a tree and
    total each owner's holds at start (L{world.root.WorldRoot.recount_holds}).
    """
    root.recount_holds = True


STEPS[16] = _order_holds_in_trees


def _index_mail_by_writer(root: Any) -> None:
    """
    Generation 17 → 18: each mailbox indexes its messages by writer
    (L{world.mail.Mailbox.by_writer}), so that sending to it and reviewing
    one's messages in it read that writer's few, not every message: index
    every stored mailbox (one the upgrade missed is indexed the first time
    it is needed).
    """
    jar = getattr(root, "_p_jar", None)
    for count, box in enumerate(root.mail.values(), 1):
        mail.writers(box)
        if jar is not None and count % 1000 == 0:
            jar.transaction_manager.savepoint(optimistic=True)


STEPS[17] = _index_mail_by_writer


def _index_names_in_places(root: Any) -> None:
    """
    Generation 18 → 19: each place's contents keep what is there by name
    (L{world.objects.Contents.answering}), so that naming one thing in a
    crowded room (C{look lantern}) reads the things answering to the name,
    not everything piled there: index what every place holds (what an
    upgrade missed is indexed the first time it is needed).
    """
    for obj in in_batches(root):
        contents = getattr(obj, "contents", None)
        if isinstance(contents, Contents):
            contents.index_names()


STEPS[18] = _index_names_in_places


def _index_channel_grants(root: Any) -> None:
    """
    Generation 19 → 20: the channel registry indexes its grants by owner
    and by channel (L{world.channels.ChannelRegistry.index_grants}); a
    registry stored before they were kept made them lazily, reading every
    grant in the world inside the turn of whichever player first listed
    grants or destroyed a channel. Make them here, once.
    """
    reg = getattr(root, "channels", None)
    if reg is not None:
        reg.index_grants()


STEPS[19] = _index_channel_grants


def _count_scripted_and_keep_character_names(root: Any) -> None:
    """
    Generation 20 → 21: each place's contents count the scripted things
    there (L{world.objects.Contents.listed}), so that a look reads only
    those it names; and each character keeps its names' look-alike keys
    (L{world.objects.keep_names}), so that naming someone beside a crowd
    of sleepers does not work them out for each: sort what every place
    holds, and keep every character's keys (what an upgrade missed is
    sorted the first time it is needed, and keys are worked out while
    they are not kept).
    """
    for obj in in_batches(root):
        contents = getattr(obj, "contents", None)
        if isinstance(contents, Contents):
            contents.recount()
        if isinstance(obj, Character):
            keep_names(obj)


STEPS[20] = _count_scripted_and_keep_character_names


def _reindex_names_and_clear_character_aliases(root: Any) -> None:
    """
    Generation 21 → 22: each place's index by name keeps its counts of
    alike things by kind, then owner, then name (L{world.objects.NAMES_LAYOUT}
    3), so that whether another owner's thing answers to a name is read
    in a few records however many kinds of things of one owner answer
    (L{world.objects.Answers.others}): index what every place holds again
    (what an upgrade missed is indexed the first time it is needed). And
    characters answer only to the name they were created with
    (L{world.rules.set_aliases}): the other names a character was given
    before that rule are taken away (L{clear_character_aliases}).
    """
    for obj in in_batches(root):
        if isinstance(obj, Character) and obj.aliases:
            clear_character_aliases(root, obj)
        contents = getattr(obj, "contents", None)
        if isinstance(contents, Contents):
            contents.index_names()


STEPS[21] = _reindex_names_and_clear_character_aliases


def _keep_deposits_in_seals(root: Any) -> None:
    """
    Generation 22 → 23: a thing put into another owner's sealed container
    by its owner (a payment, a deposit) is marked handed over, so that he
    cannot destroy it there; what was taken from him may be
    (L{world.rules.taken}). Before, the seal alone kept both, and whoever
    put a thing in was not recorded: every thing in another owner's seal
    (at any depth) is marked handed over, and stays as it did.
    """
    for obj in in_batches(root):
        if (not isinstance(obj, (Character, Room)) and not obj.handed_over
                and rules.seals_of_others(obj)):
            obj.handed_over = True


STEPS[22] = _keep_deposits_in_seals


def clear_character_aliases(root: Any, character: Character) -> None:
    """
    Take away the other names C{character} was given, keeping the indexes
    by name, and note what they were charged as stored bytes as due back to
    whom it was charged (as L{scripting.facets.texts.charging} refunds text
    that shrinks: never more than the character's text was charged): the
    accounts are the sandbox's, which the world does not import, so the
    engine refunds them at start (L{world.root.WorldRoot.refunds_due}).
    """
    aliases, old = character.aliases, character.given_names()
    character.aliases = ()
    root.renamed(character, old)  # (the world's index, and its place's list)
    charged = character.text_charged
    refund = min(sum(len(a.encode("utf-8", "surrogatepass")) for a in aliases), charged)
    if refund <= 0:
        return
    character.text_charged = charged - refund
    root.refunds_due = (*root.refunds_due, (character.text_charged_to, refund))


def upgrade(root: Any, stored: int, target: int) -> None:
    """
    Bring C{root} from generation C{stored} up to C{target}, one step at a time.

    The caller runs this inside one transaction and aborts it if anything
    raises, so a failed upgrade leaves the stored world as it was.

    @raise RuntimeError: a step is missing (a programming error).
    @raise Exception: whatever a failing step raised.
    """
    while stored < target:
        step = STEPS.get(stored)
        if step is None:
            raise RuntimeError(f"no upgrade step from schema generation {stored}")
        step(root)
        stored += 1
        root.generation = stored
