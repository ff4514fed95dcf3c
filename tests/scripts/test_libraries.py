"""
Players' libraries: written in the game, imported by their owner's scripts,
shared with other players by a revocable grant. Each importing script gets
its own copy, run in its own owner's domain, on its owner's budget, seeing
only the exports.

The attack tests come first: a library must never become a channel for
mutable state or authority between domains (nor between two scripts).
"""

from __future__ import annotations

import textwrap

from twisted.trial.unittest import TestCase

from engine.testing import SimulatedClient
from tests.scripts.helpers import Scene, make, script

COUNTER = """
exports = ("note", "count", "keep", "kept", "COLOURS", "Greeter")
SEEN = []
COLOURS = ["red"]

def note(word):
    SEEN.append(word)
    return len(SEEN)

def count():
    return len(SEEN)

KEPT = []

def keep(thing):
    KEPT.append(thing)

def kept():
    return [k.name for k in KEPT]

class Greeter:
    def __init__(self, name):
        self.name = name
    def greet(self):
        return "Hello, " + self.name + "!"
"""

USER = """
import counter

def verb_tally(actor, dobj, prep, iobj, dobjstr, iobjstr):
    actor.tell("tally " + str(counter.note(dobjstr)))

def verb_hoard(actor, *rest):
    counter.keep(this)
    actor.tell("hoard " + str(counter.kept()))

def verb_paint(actor, *rest):
    counter.COLOURS.append("blue")
    actor.tell("colours " + str(counter.COLOURS))
"""


def library(player: SimulatedClient, name: str, source: str) -> str:
    """
    Write the library C{name} in the editor (in place of any text it had)
    and save it; what the save said. Saved with problems, the editor is
    left (C{.abort}; the library stays saved).
    """
    player.send(f"@library {name}")
    player.send(".clear")
    for line in textwrap.dedent(source).strip("\n").split("\n"):
        player.send(line)
    said = " ".join(player.send(".").split())
    if "leaves it as saved." in said:
        player.send(".abort")
    return said


def flat(text: str) -> str:
    return " ".join(text.split())


#: A library for the tests of sharing one: greet.
GREET = """
exports = ("hello",)

def hello():
    return "Hello from greet."
"""

#: A script importing greet: 'ring bell' tells the ringer what it says.
BELL = """
import greet

def verb_ring(actor, *rest):
    actor.tell(greet.hello())
"""


def offer(case: TestCase, owner: SimulatedClient, grantee: str) -> None:
    """
    C{owner} writes the library greet (L{GREET}) and offers it to the player
    called C{grantee}, as players do.
    """
    case.assertIn("it exports hello", library(owner, "greet", GREET))
    case.assertIn(f"Shared your library greet with {grantee.capitalize()}",
                  flat(owner.send(f"@grant {grantee} = library greet")))


def share_bell(case: TestCase, owner: SimulatedClient, carol: SimulatedClient,
               owner_name: str) -> None:
    """
    C{owner} (called C{owner_name}) writes greet and offers it to Carol, who
    accepts it and makes a bell importing it (L{BELL}), which rings.
    """
    offer(case, owner, "carol")
    case.assertIn(f"You accept {owner_name}'s library greet",
                  flat(carol.send(f"@library/accept {owner_name.lower()} greet")))
    make(carol, "bell", BELL)
    case.assertIn("Hello from greet.", carol.send("ring bell"))


class LibraryAttackTests(TestCase):
    """
    Alice writes a library and shares it with Bob: nothing mutable, and no
    authority, crosses between them (or between two of one owner's scripts).
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.assertIn("it exports COLOURS, Greeter, count, keep, kept, note",
                      library(self.s.alice, "counter", COUNTER))
        self.assertIn("Shared your library counter with Bob",
                      flat(self.s.alice.send("@grant bob = library counter")))
        self.s.bob.send("@library/accept alice counter")
        make(self.s.alice, "abacus", USER.replace("tally", "tally").replace(
            "verb_tally", "verb_tally").replace("verb_hoard", "verb_hoard"))
        make(self.s.bob, "slate", USER.replace("verb_tally", "verb_mark")
             .replace("verb_hoard", "verb_stash").replace("verb_paint", "verb_daub"))
        make(self.s.bob, "tablet", USER.replace("verb_tally", "verb_scratch")
             .replace("verb_hoard", "verb_bury").replace("verb_paint", "verb_smear"))
        self.s.read()

    def test_no_state_shared_between_owners(self) -> None:
        """
        What Alice's copy remembers, Bob's copy never sees, and the other
        way round: each counts from one.
        """
        self.assertIn("tally 1", self.s.carol.send("tally abacus"))
        self.assertIn("tally 2", self.s.carol.send("tally abacus"))
        self.assertIn("tally 1", self.s.carol.send("mark slate"))
        self.assertIn("tally 3", self.s.carol.send("tally abacus"))

    def test_no_state_shared_between_two_scripts(self) -> None:
        """
        Two of Bob's objects importing the same library get a copy each.
        """
        self.assertIn("tally 1", self.s.carol.send("mark slate"))
        self.assertIn("tally 2", self.s.carol.send("mark slate"))
        self.assertIn("tally 1", self.s.carol.send("scratch tablet"))

    def test_exported_values_are_the_importers_own(self) -> None:
        """
        An exported list changed by one importer is unchanged for the others.
        """
        self.assertIn("colours ['red', 'blue']", self.s.carol.send("daub slate"))
        self.assertIn("colours ['red', 'blue']", self.s.carol.send("paint abacus"))
        self.assertIn("colours ['red', 'blue', 'blue']", self.s.carol.send("daub slate"))
        self.assertIn("colours ['red', 'blue']", self.s.carol.send("smear tablet"))

    def test_no_authority_through_a_library(self) -> None:
        """
        A facet Bob's script hands the library stays in Bob's copy: Alice's
        copy (and Alice's scripts) never hold it.
        """
        self.assertIn("hoard ['slate']", self.s.carol.send("stash slate"))
        self.assertIn("hoard ['abacus']", self.s.carol.send("hoard abacus"))
        self.assertIn("hoard ['slate', 'slate']", self.s.carol.send("stash slate"))

    def test_library_has_no_endowments(self) -> None:
        """
        A library's code has no 'this', 'here', 'state', 'timers', 'grants'
        or 'clock' of its own: it cannot reach its author's objects from an
        importer's domain (nor anyone's).
        """
        for name in ("this", "here", "state", "timers", "grants", "clock", "actor"):
            library(self.s.alice, "sneaky", f"""
                exports = ("peek",)
                def peek():
                    return repr({name})
                """)
            self.s.alice.send("@grant bob = library sneaky")
            self.s.bob.send("@library/accept alice sneaky")
            script(self.s.bob, "slate", f"import sneaky  # {name}\n"
                                        "def verb_peek(actor, *rest):\n"
                                        "    actor.tell(sneaky.peek())\n")
            said = self.s.bob.send("peek slate")
            self.assertIn(f"NameError: name '{name}' is not defined", said)

    def test_only_exports_are_seen(self) -> None:
        """
        Names the library does not export cannot be imported, read through
        the namespace, or reached through an exported function.
        """
        for body, error in (("from counter import SEEN",
                             "ImportError: cannot import name 'SEEN' from 'counter'"),
                            ("counter.SEEN", "has no attribute 'SEEN'"),
                            ("counter.KEPT", "has no attribute 'KEPT'")):
            script(self.s.bob, "slate", f"import counter\ndef verb_poke(actor, *rest):\n"
                                        f"    {body}\n")
            self.assertIn(error, self.s.bob.send("poke slate"))
        said = script(self.s.bob, "slate", "import counter\ndef verb_poke(actor, *rest):\n"
                                           "    counter.note.__globals__\n")
        self.assertIn("names starting with '_' are private", said)

    def test_namespace_is_read_only(self) -> None:
        """
        An importer cannot rebind or add a name in a library's namespace.
        """
        for body in ("counter.note = print", "counter.extra = 1", "del counter.note"):
            script(self.s.bob, "slate", f"import counter\ndef verb_poke(actor, *rest):\n"
                                        f"    {body}\n    actor.tell('changed')\n")
            said = self.s.carol.send("poke slate")
            self.assertNotIn("changed", said)

    def test_runs_on_the_importers_budget(self) -> None:
        """
        A library function that loops forever stops the importer's task, on
        the importer's budget: Bob's meters are charged, Alice's are not.
        """
        library(self.s.alice, "spin", """
            exports = ("forever",)
            def forever():
                while True:
                    pass
            """)
        self.s.alice.send("@grant bob = library spin")
        self.s.bob.send("@library/accept alice spin")
        script(self.s.bob, "slate", "import spin\ndef verb_spin(actor, *rest):\n"
                                    "    spin.forever()\n")
        meters = self.s.world.server.scripts.meters
        alice = self.s.character("Alice").id
        bob = self.s.character("Bob").id
        before = meters.recent_ticks(alice), meters.recent_ticks(bob)
        said = self.s.carol.send("spin slate")
        self.assertIn("The script on slate ran out of budget", said)
        self.assertEqual(meters.recent_ticks(alice), before[0])
        self.assertGreater(meters.recent_ticks(bob) - before[1], 90_000)

    def test_classes_belong_to_the_importer(self) -> None:
        """
        A class from a library makes objects of the importer's domain: the
        importer may set their attributes, and they hold nothing of Alice's.
        """
        script(self.s.bob, "slate", "import counter\ndef verb_greet(actor, *rest):\n"
                                    "    g = counter.Greeter('Bob')\n    g.name = 'Robert'\n"
                                    "    actor.tell(g.greet())\n")
        self.assertIn("Hello, Robert!", self.s.carol.send("greet slate"))

    def test_not_shared_not_importable(self) -> None:
        """
        Carol, with whom nothing was shared, cannot import Alice's library;
        the error lists what she may import.
        """
        self.s.world.set_role("Carol", "player")
        saved = make(self.s.carol, "pebble", "import counter\n")
        self.assertIn("no module named 'counter' (scripts may import: json, math, random, re, "
                      "string)", flat(saved))

    def test_revoked_share_stops_imports(self) -> None:
        """
        After Alice revokes the share, Bob's script that imported the library
        loads again and fails to import it; Alice's own still works.
        """
        self.assertIn("tally 1", self.s.carol.send("mark slate"))
        said = flat(self.s.alice.send("@revoke bob = library counter"))
        self.assertIn("no longer shared with Bob", said)
        self.assertIn("no module named 'counter'", self.s.bob.send("mark slate"))
        self.assertIn("tally 1", self.s.carol.send("tally abacus"))

    def test_grantee_refuses_a_share(self) -> None:
        """
        Bob can refuse a library shared with him the same way.
        """
        self.assertIn("Alice's library counter is no longer shared with you",
                      flat(self.s.bob.send("@revoke alice = library counter")))
        self.assertIn("no module named 'counter'", self.s.bob.send("mark slate"))

    def test_own_library_comes_first(self) -> None:
        """
        Bob's own library of the same name is what his scripts import; a
        standard module's name cannot be taken.
        """
        library(self.s.bob, "counter", """
            exports = ("note",)
            def note(word):
                return "bob's own"
            """)
        self.assertIn("tally bob's own", self.s.carol.send("mark slate"))
        self.assertIn("the name of a module every script has",
                      flat(self.s.alice.send("@library math")))

    def test_circular_imports(self) -> None:
        """
        Libraries that import each other fail the import, and do not hang.
        """
        library(self.s.alice, "ping", 'exports = ("x",)\nx = 1\n')
        library(self.s.alice, "pong", 'import ping\nexports = ("y",)\ny = 2\n')
        self.assertIn("Saved the library ping (3 lines); it exports x.", library(
            self.s.alice, "ping", 'import pong\nexports = ("x",)\nx = 1\n'))
        said = script(self.s.alice, "abacus", "def verb_ring(actor, *rest):\n"
                                               "    import ping\n")
        self.assertIn("Saved", said)
        self.assertIn("imports itself", self.s.alice.send("ring abacus"))


class LibraryTests(TestCase):
    """
    Writing, changing, listing and sharing libraries.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_write_and_import(self) -> None:
        """
        A player writes a library in the editor; their scripts import it
        ('import' and 'from ... import').
        """
        saved = library(self.s.carol, "greetings", """
            exports = ("hello", "WORDS")
            WORDS = ("hi", "hello")
            def hello(name):
                return "Hello, " + name + "!"
            """)
        self.assertIn("Saved the library greetings (4 lines); it exports WORDS, hello.", saved)
        make(self.s.carol, "parrot", "from greetings import hello\nimport greetings\n"
                                     "def verb_greet(actor, *rest):\n"
                                     "    actor.tell(hello(actor.name) + greetings.WORDS[0])\n")
        self.assertIn("Hello, Bob!hi", self.s.bob.send("greet parrot"))

    def test_editing_updates_importers(self) -> None:
        """
        Saving a library again reaches the scripts that imported it.
        """
        library(self.s.carol, "greetings", 'exports = ("hello",)\n'
                                           'def hello(name):\n    return "Hello"\n')
        make(self.s.carol, "parrot", "import greetings\ndef verb_greet(actor, *rest):\n"
                                     "    actor.tell(greetings.hello(actor.name))\n")
        self.assertIn("Hello", self.s.bob.send("greet parrot"))
        self.s.carol.send("@library greetings")
        self.s.carol.send('.e 3     return "Ahoy"')
        self.s.carol.send(".")
        self.assertIn("Ahoy", self.s.bob.send("greet parrot"))

    def test_problems_listed_and_import_refused(self) -> None:
        """
        A library with problems is kept, listed with its lines; importing it
        says it has problems. One without exports is a problem too.
        """
        said = library(self.s.carol, "broken", 'exports = ("x",)\nx = this.__class__\n')
        self.assertIn("1 problem(s)", said)
        self.assertIn("line 2", said)
        self.assertIn("exports nothing", library(self.s.carol, "quiet", "x = 1\n"))
        self.assertIn("exports names it does not define: y",
                      library(self.s.carol, "liar", 'exports = ("y",)\n'))
        make(self.s.carol, "parrot", "def verb_greet(actor, *rest):\n    import broken\n")
        self.assertIn("the library broken has problems", self.s.carol.send("greet parrot"))

    def test_list_show_remove(self) -> None:
        """
        @library lists yours (with shares and offers), those shared with
        you and those offered to you; /show lists one numbered (an offered
        one too, to read before accepting it); /accept accepts an offer;
        /remove removes one and its shares.
        """
        library(self.s.alice, "greetings", 'exports = ("x",)\nx = 1\n')
        self.s.alice.send("@grant carol = library greetings")
        self.assertIn("Alice offers you the library greetings", flat(self.s.carol.output()))
        self.assertIn("greetings: exports x; offered to Carol", flat(self.s.alice.send("@library")))
        self.assertIn("library greetings: offered to Carol", self.s.alice.send("@grants"))
        self.assertIn("Shared with you, not accepted yet ('@library/accept <player> <library>' "
                      "accepts one): greetings (Alice's)", flat(self.s.carol.send("@library")))
        self.assertIn("1: exports = (\"x\",)", self.s.carol.send("@library/show greetings"))
        self.assertIn("has not offered you a library called nope",
                      self.s.carol.send("@library/accept alice nope"))
        self.assertIn("You accept Alice's library greetings",
                      flat(self.s.carol.send("@library/accept alice greetings")))
        self.assertIn("Carol accepted your library greetings", self.s.alice.output())
        self.assertIn("accepted Alice's library greetings already",
                      self.s.carol.send("@library/accept alice greetings"))
        listed = flat(self.s.alice.send("@library"))
        self.assertIn("greetings: exports x; shared with Carol", listed)
        self.assertIn("greetings (Alice's): exports x", flat(self.s.carol.send("@libraries")))
        self.assertIn("1: exports = (\"x\",)", self.s.carol.send("@library/show greetings"))
        self.assertIn("library greetings: shared with Carol", self.s.alice.send("@grants"))
        self.assertIn("library greetings: Alice's, shared with you",
                      self.s.carol.send("@grants"))
        self.assertIn("There is no library greetings",
                      self.s.bob.send("@library/show greetings"))
        self.assertIn("Removed your library greetings",
                      self.s.alice.send("@library/remove greetings"))
        self.assertIn("no libraries", self.s.carol.send("@library"))

    def test_library_limit(self) -> None:
        """
        Players keep at most their 'libraries' limit; a wizard changes it.
        """
        self.s.world.set_role("Alice", "wizard")
        self.s.alice.send("@quota carol = libraries 1")
        library(self.s.carol, "one", 'exports = ("x",)\nx = 1\n')
        said = library(self.s.carol, "two", 'exports = ("x",)\nx = 1\n')
        self.assertIn("your limit", said)
        self.assertIn("abandoned", self.s.carol.send(".abort"))
        self.assertIn("Saved", library(self.s.carol, "one", 'exports = ("x",)\nx = 2\n'))

    def test_share_errors(self) -> None:
        """
        Sharing what you do not have, with nobody, twice, or with yourself is
        refused with what to do.
        """
        library(self.s.alice, "greetings", 'exports = ("x",)\nx = 1\n')
        self.assertIn("no library called nope", self.s.alice.send("@grant bob = library nope"))
        self.assertIn("no player called 'zed'", self.s.alice.send("@grant zed = library greetings"))
        self.s.alice.send("@grant bob = library greetings")
        self.assertIn("already", self.s.alice.send("@grant bob = library greetings"))
        self.assertIn("import your own", self.s.alice.send("@grant alice = library greetings"))
        self.assertIn("cannot name a library", flat(self.s.alice.send("@library Bad-Name")))
        self.assertIn("No library greetings is shared between you and Carol",
                      flat(self.s.alice.send("@revoke carol = library greetings")))


KITE = """
def on_attach():
    state.set("flights", 0)

def verb_fly(actor, *rest):
    flights = state.get("flights", 0) + 1
    state.set("flights", flights)
    actor.tell(this.name + " flies (" + str(flights) + ")")
"""


class PrototypeTests(TestCase):
    """
    Several things run one script (a parent, as MOO players expect), each
    with its own this, state and timers; editing the parent changes them all.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "kite", KITE)
        self.s.alice.send("@create glider")
        self.s.alice.send("drop glider")
        self.s.read()

    def test_children_run_the_parents_script(self) -> None:
        """
        A child runs the parent's verbs as itself, with its own state.
        """
        said = flat(self.s.alice.send("@script/use glider = kite"))
        self.assertIn("glider now runs the script of kite", said)
        self.assertIn("kite flies (1)", self.s.carol.send("fly kite"))
        self.assertIn("glider flies (1)", self.s.carol.send("fly glider"))
        self.assertIn("glider flies (2)", self.s.carol.send("fly glider"))
        self.assertIn("kite flies (2)", self.s.carol.send("fly kite"))
        self.assertIn("Script of kite, which glider runs",
                      self.s.alice.send("@script/show glider"))

    def test_editing_the_parent_changes_all(self) -> None:
        """
        A line edit of the parent reaches every child at once.
        """
        self.s.alice.send("@script/use glider = kite")
        self.s.alice.send('@script/edit kite 7 =     actor.tell(this.name + " soars")')
        self.assertIn("glider soars", self.s.carol.send("fly glider"))
        self.assertIn("kite soars", self.s.carol.send("fly kite"))

    def test_child_is_edited_through_its_parent(self) -> None:
        """
        Editing a child's script points to the parent; clearing it gives the
        child no script, and then one of its own.
        """
        self.s.alice.send("@script/use glider = kite")
        self.assertIn("glider runs the script of kite", flat(self.s.alice.send("@script glider")))
        self.assertIn("glider runs the script of kite",
                      flat(self.s.alice.send("@script/edit glider 1 = x = 1")))
        self.assertIn("Removed the script from glider",
                      self.s.alice.send("@script/clear glider"))
        self.assertIn("The glider does not answer to 'fly'.",
                      flat(self.s.carol.send("fly glider")))
        self.assertIn("Saved", script(self.s.alice, "glider",
                                      "def verb_fly(actor, *rest):\n    actor.tell('own')\n"))
        self.assertIn("own", self.s.carol.send("fly glider"))

    def test_only_the_same_owners_things(self) -> None:
        """
        A thing runs only its own owner's scripts: Bob cannot make his thing
        run Alice's (nor touch hers); rooms do not share scripts.
        """
        self.s.bob.send("@create balloon")
        self.s.bob.send("drop balloon")
        self.assertIn("isn't yours", self.s.bob.send("@script/use balloon = kite"))
        self.assertIn("isn't yours", self.s.bob.send("@script/use glider = kite"))
        self.s.world.set_role("Alice", "wizard")
        self.assertIn("Only things and containers",
                      self.s.alice.send("@script/use glider = here"))
        self.assertIn("different owners", flat(self.s.alice.send("@script/use balloon = kite")))

    def test_parent_destroyed(self) -> None:
        """
        A child of a destroyed parent runs nothing.
        """
        self.s.alice.send("@script/use glider = kite")
        self.s.alice.send("@destroy kite")
        self.assertIn("Huh?", self.s.carol.send("fly glider"))


class ImportNoteTests(TestCase):
    """
    Saving a script that imports, in a function not run yet, what it cannot
    import says so at once.
    """

    def test_note_on_save(self) -> None:
        """
        The save names the line and what may be imported; the script is saved.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        said = flat(make(s.carol, "parrot", "def verb_greet(actor, *rest):\n"
                                            "    import greetingz\n"))
        self.assertIn("Saved the script on parrot", said)
        self.assertIn("Note: line 2, column 5: no module named 'greetingz'", said)
