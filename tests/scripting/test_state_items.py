"""
Scripts use their state as a dict (C{state["n"] = 1}, C{state["n"] += 1},
C{del state["n"]}, C{"n" in state}, C{len(state)}, C{for key in state}),
charged and capped as C{state.set}, and told clearly what went wrong.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from scripting.facets import accounting, state
from tests.scripts.helpers import Scene, flat, make


class StateItemScriptTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_a_counter_written_as_a_dict(self) -> None:
        """
        C{state["n"] = ...}, C{state["n"] += 1}, C{state["n"]} and C{"n" in
        state} keep a count across runs.
        """
        said = make(self.s.alice, "abacus", """
            def verb_count(actor, *rest):
                if "n" not in state:
                    state["n"] = 0
                state["n"] += 1
                actor.tell("count " + str(state["n"]))
            """)
        self.assertIn("Saved the script on abacus", flat(said))
        self.assertIn("count 1", flat(self.s.carol.send("count abacus")))
        self.assertIn("count 2", flat(self.s.carol.send("count abacus")))

    def test_iterate_len_and_delete(self) -> None:
        """
        A script iterates its keys (sorted), counts them with len, deletes
        them with del, and sees an empty state as false.
        """
        make(self.s.alice, "abacus", """
            def verb_fill(actor, *rest):
                state["b"] = [1]
                state["a"] = {"x": 2}
                actor.tell("keys " + ",".join(state) + " len " + str(len(state)))
                actor.tell("sorted " + ",".join(sorted(state)) + " list " + str(list(state)))
            def verb_empty(actor, *rest):
                for key in state:
                    del state[key]
                actor.tell("left " + str(len(state)) + " " + str(bool(state)))
            """)
        told = flat(self.s.carol.send("fill abacus"))
        self.assertIn("keys a,b len 2", told)
        self.assertIn("sorted a,b list ['a', 'b']", told)
        self.assertIn("left 0 False", flat(self.s.carol.send("empty abacus")))

    def test_missing_key_says_what_to_write(self) -> None:
        """
        Reading a key never stored fails with a KeyError that says to test
        with 'in' or use state.get with a default; a script can catch it.
        """
        make(self.s.alice, "abacus", """
            def verb_count(actor, *rest):
                state["n"] = state["n"] + 1
            def verb_try(actor, *rest):
                try:
                    del state["n"]
                except KeyError as e:
                    actor.tell("caught " + str(e))
            """)
        self.s.alice.output()
        self.s.carol.send("count abacus")
        told = flat(self.s.alice.output())
        self.assertIn("KeyError", told)
        self.assertIn('Nothing is stored under "n": test first ("n" in state), or use '
                      'state.get("n", 0)', told)
        caught = flat(self.s.carol.send("try abacus"))
        self.assertIn('caught \'Nothing is stored under "n" to delete', caught)

    def test_values_read_are_copies(self) -> None:
        """
        Changing a list read from state changes nothing stored until it is
        assigned back.
        """
        make(self.s.alice, "board", """
            def verb_pin(actor, *rest):
                state["notes"] = ["one"]
                state["notes"].append("lost")
                notes = state["notes"]
                notes.append("two")
                actor.tell("before " + str(state["notes"]))
                state["notes"] = notes
                actor.tell("after " + str(state["notes"]))
            """)
        told = flat(self.s.carol.send("pin board"))
        self.assertIn("before ['one']", told)
        self.assertIn("after ['one', 'two']", told)

    def test_item_assignment_over_quota_is_refused(self) -> None:
        """
        C{state["k"] = v} past the owner's quota fails the run with the
        quota's message, and nothing is stored.
        """
        alice = self.s.character("Alice")
        with self.s.world.store.turn() as turn:
            accounting.set_quota(turn.root, alice.id, stored_bytes=2500)
        make(self.s.alice, "abacus", """
            def verb_fill(actor, *rest):
                state["big"] = "x" * 3000
            def verb_show(actor, *rest):
                actor.tell("stored " + str(len(state)) + " " + str(state.used()))
            """)
        self.s.alice.output()
        self.s.carol.send("fill abacus")
        told = flat(self.s.alice.output())
        self.assertIn("QuotaExceeded", told)
        self.assertIn("more bytes of storage", told)
        self.assertIn("stored 0 0", flat(self.s.carol.send("show abacus")))


#: Bob's library, handed Alice's state by her script: it tries everything.
POKER = '''
exports = ("poke",)

def poke(st):
    st["bob"] = "was here"
    said = [",".join(st), str(len(st)), str("bob" in st)]
    for name in ("values", "host", "items", "owner"):
        try:
            getattr(st, name)
            said.append(name + " READ")
        except AttributeError:
            said.append(name + " refused")
    return " ".join(said)
'''


class StateHandedToAnotherOwnersCodeTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def test_another_owners_library_gets_only_the_facet(self) -> None:
        """
        Bob's library function, handed Alice's state by her script, runs in
        her domain: its item operations are the facet's (her state, her
        quota), and nothing else of it is reachable.
        """
        self.s.bob.send("@library poker")
        self.s.bob.send(".clear")
        for line in POKER.strip("\n").split("\n"):
            self.s.bob.send(line)
        self.assertIn("Saved the library poker", flat(self.s.bob.send(".")))
        self.s.bob.send("@grant alice = library poker")
        self.assertIn("You accept Bob's library poker",
                      flat(self.s.alice.send("@library/accept bob poker")))
        make(self.s.alice, "abacus", """
            import poker
            def verb_poke(actor, *rest):
                actor.tell(poker.poke(state))
            """)
        alice, bob = self.s.character("Alice"), self.s.character("Bob")
        abacus = self.s.thing("abacus")
        with self.s.world.store.turn() as turn:
            alice_bytes = accounting.usage(turn.root, alice.id).stored_bytes
            bob_bytes = accounting.usage(turn.root, bob.id).stored_bytes
        told = flat(self.s.carol.send("poke abacus"))
        self.assertIn("bob 1 True values refused host refused items refused owner refused",
                      told)
        with self.s.world.store.turn() as turn:
            self.assertEqual(state.host_state(turn.root, abacus).values["bob"], "was here")
            self.assertGreaterEqual(accounting.usage(turn.root, alice.id).stored_bytes,
                                    alice_bytes + state.used(turn.root, abacus)
                                    + state.RECORD_BYTES)
            self.assertEqual(accounting.usage(turn.root, bob.id).stored_bytes, bob_bytes)
