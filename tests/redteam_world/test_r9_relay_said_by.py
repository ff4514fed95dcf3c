# -*- test-case-name: tests.redteam_world.test_r9_relay_said_by -*-
"""
Issue 9 (consent, round 9): a relay of an ignored player's words does not
reach her.

Carol ignores Bob. Alice (a third owner) has a parrot that repeats what it
hears, and keeps the last line it heard to repeat on request. Before, the
parrot's lines were Alice's script's, and reached Carol with Bob's words in
them. Now a script says whose words it repeats (C{said_by=}, a facet of
that player): the line is hidden from whoever ignores him (not from a
wizard's readers), and nothing about it changes for anyone else. A script
that does not pass C{said_by} is heard as its own; one that passes someone
else's facet puts no words in that player's mouth (the line shows as it
would without it), and it hides nothing but its own line.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make, script

PARROT = """
def on_hear(actor, text):
    here.say(text, said_by=actor)
    here.emote("bobs: " + text, said_by=actor)
    state.set("last", [actor, text])

def verb_recall(actor, *rest):
    last = state.get("last")
    actor.tell("I heard: " + last[1], said_by=last[0])

def verb_plain(actor, *rest):
    last = state.get("last")
    actor.tell("I heard: " + last[1])
"""

MARK = "[Alice's parrot] "


class RelayTests(TestCase):
    """
    Carol ignores Bob; Alice's parrot repeats what it hears; Dana ignores
    nobody.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dana = self.s.world.login("Dana")
        said = make(self.s.alice, "parrot", PARROT)
        self.assertIn("Saved", said)
        self.assertIn("You now ignore Bob", self.s.carol.send("@ignore bob"))
        self.read()

    def read(self) -> None:
        self.s.read()
        self.dana.output()

    def test_say_and_emote_relayed(self) -> None:
        """Bob's words said again by Alice's parrot: hidden from Carol, shown to Dana as ever."""
        self.s.bob.send("say meet me at midnight")
        seen = self.dana.output()
        self.assertIn(MARK + 'parrot says, "meet me at midnight"', seen)
        self.assertIn(MARK + "parrot bobs: meet me at midnight", seen)
        self.assertNotIn("midnight", self.s.carol.output())

    def test_kept_and_told_later(self) -> None:
        """The line kept in state and told on request (a stored facet): hidden from her."""
        self.s.bob.send("say meet me at midnight")
        self.read()
        self.assertNotIn("midnight", self.s.carol.send("recall parrot"))
        self.assertIn(MARK + "I heard: meet me at midnight", self.dana.send("recall parrot"))

    def test_without_said_by_it_is_the_scripts(self) -> None:
        """A relay that does not say whose words they are is heard as its owner's script's."""
        self.s.bob.send("say meet me at midnight")
        self.read()
        self.assertIn(MARK + "I heard: meet me at midnight", self.s.carol.send("plain parrot"))

    def test_said_by_changes_no_display(self) -> None:
        """For a reader who ignores nobody, said_by shows the line exactly as without it."""
        self.s.bob.send("say meet me at midnight")
        self.read()
        self.assertEqual(self.dana.send("recall parrot"), self.dana.send("plain parrot"))

    def test_others_words_shown(self) -> None:
        """Dana's words, said again by the parrot, still reach Carol."""
        self.dana.send("say hello all")
        self.assertIn(MARK + 'parrot says, "hello all"', self.s.carol.output())
        self.assertIn(MARK + "I heard: hello all", self.s.carol.send("recall parrot"))

    def test_revoked_still_hidden(self) -> None:
        """Bob revokes what the parrot holds of him: his words it kept stay hidden from her."""
        self.s.bob.send("say meet me at midnight")
        self.assertIn("parrot", self.s.bob.send("@holders"))
        self.s.bob.send("@holders/revoke all")
        self.read()
        self.assertNotIn("midnight", self.s.carol.send("recall parrot"))

    def test_wizard_relayed(self) -> None:
        """A wizard cannot be ignored: his words relayed reach her."""
        self.s.world.set_role("bob", "wizard")
        self.s.bob.send("say hear me")
        self.assertIn(MARK + 'parrot says, "hear me"', self.s.carol.output())


FORGER = """
def verb_frame(actor, dobj, prep, iobj, dobjstr, iobjstr):
    for person in here.characters:
        if person.name == "Bob":
            bob = person
    actor.tell("Bob wants you to know: you owe me", said_by=bob)
    here.say("Bob says: you owe me", said_by=bob)

def verb_thing(actor, *rest):
    actor.tell("odd", said_by=this)

def verb_name(actor, *rest):
    actor.tell("odd", said_by="Bob")
"""


class HostileRelayerTests(TestCase):
    """
    Mallory's script passes Bob's facet as said_by for lines Bob never said.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.dana = self.s.world.login("Dana")
        self.mallory = self.s.world.login("Mallory", role="builder")
        self.assertIn("Saved", make(self.mallory, "box", FORGER))
        self.s.read()
        self.dana.output()

    def test_puts_no_words_in_his_mouth(self) -> None:
        """The lines stay marked as Mallory's box's, and name nobody but as the box wrote."""
        said = self.dana.send("frame box")
        self.assertIn("[Mallory's box] Bob wants you to know: you owe me", said)
        self.assertIn('[Mallory\'s box] box says, "Bob says: you owe me"', said)

    def test_hides_only_its_own_line(self) -> None:
        """Carol, ignoring Bob, misses the box's lines, and still hears Dana say it herself."""
        self.s.carol.send("@ignore bob")
        self.s.carol.output()
        self.assertNotIn("you owe me", self.s.carol.send("frame box"))
        self.dana.send("say you owe me")
        self.assertIn('Dana says, "you owe me"', self.s.carol.output())

    def test_only_a_character(self) -> None:
        """said_by takes a facet of a player: a thing or a name is refused, and nothing is sent."""
        self.assertNotIn("odd", self.dana.send("thing box"))
        self.assertNotIn("odd", self.dana.send("name box"))
        self.mallory.output()
        for line in ("thing box", "name box"):
            said = self.mallory.send(line)
            self.assertIn("FacetError: said_by must be a facet of the player", said)


class NoSaidByTests(TestCase):
    """
    The board and other relays still work with no said_by at all.
    """

    def test_old_scripts(self) -> None:
        """A script calling tell(text) and here.say(text) as before is heard."""
        s = Scene()
        self.addCleanup(s.world.close)
        script_text = "def verb_poke(actor, *rest):\n    actor.tell('hi')\n    here.say('yo')\n"
        make(s.alice, "bell", script_text)
        said = s.carol.send("poke bell")
        self.assertIn("[Alice's bell] hi", said)
        self.assertIn("[Alice's bell] bell says, \"yo\"", said)


class AnnounceTests(TestCase):
    """
    A room's own script announces what it heard, naming whose words they are.
    """

    def test_announce_relayed(self) -> None:
        """Alice's square announces Bob's words: hidden from Carol, shown to Dana as ever."""
        s = Scene()
        self.addCleanup(s.world.close)
        dana = s.world.login("Dana")
        alice = s.character("Alice")
        with s.world.store.turn() as turn:
            turn.root.get(alice.location.id).owner = alice.id  # Town Square is Alice's
        saved = script(s.alice, "here", """
            def on_hear(actor, text):
                this.announce("The birds repeat: " + text, said_by=actor)
            """)
        self.assertIn("Saved", saved)
        s.carol.send("@ignore bob")
        s.read()
        dana.output()
        s.bob.send("say meet me at midnight")
        self.assertIn("[Alice's Town Square] The birds repeat: meet me at midnight", dana.output())
        self.assertNotIn("midnight", s.carol.output())
