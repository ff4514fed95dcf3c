"""
One home for the rules: a name, a description or a list of aliases that a
builder's command refuses, a script's facet refuses too, with the same
words, because both ask L{world.rules} (the copies had drifted: scripts
could name a thing C{#1} or C{a=b}, give it any number of aliases, and
commands allowed descriptions twice as long as scripts).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.redteam_world.test_sealed import SlotCase
from tests.scripts.helpers import Scene, make
from world import rules

RENAMER = """
def verb_call(actor, dobj, prep, iobj, dobjstr, iobjstr):
    try:
        this.rename(iobjstr)
        actor.tell("renamed")
    except Exception as err:
        actor.tell("refused: " + str(err))

def verb_nick(actor, dobj, prep, iobj, dobjstr, iobjstr):
    try:
        this.set_aliases([n.strip() for n in iobjstr.split(",")])
        actor.tell("aliased")
    except Exception as err:
        actor.tell("refused: " + str(err))

def verb_paint(actor, dobj, prep, iobj, dobjstr, iobjstr):
    try:
        this.describe("d" * int(iobjstr))
        actor.tell("painted")
    except Exception as err:
        actor.tell("refused: " + str(err))
"""


def squash(text: str) -> str:
    return " ".join(text.split())


class SameRuleTests(TestCase):
    """
    The command and the script are refused alike, with the world's message.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "widget", RENAMER)
        self.s.bob.send("@create gizmo")
        self.s.read()

    def both(self, command: str, verb: str) -> tuple[str, str]:
        """
        What Bob is told when the command, then the script's verb, tries.
        """
        by_hand = squash(self.s.bob.send(command))
        by_script = squash(self.s.bob.send(verb))
        return by_hand, by_script

    def test_names_by_number(self) -> None:
        hand, script = self.both("@name gizmo = #1", "call widget with #1")
        self.assertIn("may not start with # or contain =", hand)
        self.assertIn("refused: A name may not start with # or contain =", script)
        self.assertEqual(self.s.thing("widget").name, "widget")

    def test_names_with_equals(self) -> None:
        hand, script = self.both("@name gizmo = a=b", "call widget with a=b")
        self.assertIn("may not start with # or contain =", hand)
        self.assertIn("refused: A name may not start with # or contain =", script)

    def test_aliases_by_number(self) -> None:
        hand, script = self.both("@alias gizmo = #2", "nick widget with #2")
        self.assertIn("An alias may not start with #", hand)
        self.assertIn("refused: An alias may not start with #", script)

    def test_too_many_aliases(self) -> None:
        names = ", ".join(f"n{i}" for i in range(rules.MAX_ALIASES + 1))
        hand, script = self.both(f"@alias gizmo = {names}", f"nick widget with {names}")
        limit = f"at most {rules.MAX_ALIASES} other names"
        self.assertIn(limit, hand)
        self.assertIn(limit, script)
        self.assertEqual(self.s.thing("gizmo").aliases, ())

    def test_description_length(self) -> None:
        over = rules.MAX_DESCRIPTION + 1
        hand, script = self.both("@describe gizmo = " + "d" * over, f"paint widget with {over}")
        limit = f"at most {rules.MAX_DESCRIPTION} characters"
        self.assertIn(limit, hand)
        self.assertIn(limit, script)
        self.assertIn("painted", self.s.bob.send(f"paint widget with {rules.MAX_DESCRIPTION}"))


class SealedAlikeTests(SlotCase):
    """
    The seal is one rule: Alice's coin in Bob's sealed slot stays there
    whether Alice reaches in by hand or her script pulls it out, and both
    are told the same.
    """

    def setUp(self) -> None:
        super().setUp()
        make(self.s.alice, "magnet", """
            def verb_arm(actor, *rest):
                coin = this.create("thing", "coin")
                state.set("coin", coin)

            def verb_pull(actor, *rest):
                try:
                    state.get("coin").move_to(here)
                    actor.tell("pulled")
                except Exception as err:
                    actor.tell("refused: " + str(err))
            """)
        self.s.alice.send("arm magnet")
        self.s.alice.send("get coin")
        self.s.alice.send("put coin in slot")
        self.s.read()

    def test_by_hand_and_by_script(self) -> None:
        by_hand = squash(self.s.alice.send("get coin from slot"))
        by_script = squash(self.s.alice.send("pull magnet"))
        refusal = "The slot won't let go of the coin."
        self.assertIn(refusal, by_hand)
        self.assertIn("refused: " + refusal, by_script)
        self.assertEqual(self.s.thing("coin").location.name, "slot")


class LockedAlikeTests(TestCase):
    """
    A locked exit stops a player walking and a script reaching through it,
    and both are told what its builder wrote.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        self.s.bob.send("north")
        self.s.carol.send("north")
        make(self.s.bob, "kite", """
            def verb_fly(actor, *rest):
                for e in here.exits:
                    if e.name == "down":
                        try:
                            this.move_to(e.destination)
                            actor.tell("flown")
                        except Exception as err:
                            actor.tell("refused: " + str(err))
            """)
        down = next(o.id for o in self.s.thing("Market").contents if o.name == "down")
        with self.s.world.store.turn() as turn:
            hatch = turn.root.get(down)
            hatch.set_property("locked", True)
            hatch.set_property("locked_message", "The hatch is bolted from below.")
        self.s.read()

    def test_walking_and_reaching(self) -> None:
        walked = squash(self.s.carol.send("down"))
        reached = squash(self.s.bob.send("fly kite"))
        self.assertIn("The hatch is bolted from below.", walked)
        self.assertIn("refused: The hatch is bolted from below.", reached)
        self.assertEqual(self.s.thing("kite").location.name, "Market")
