"""
A new scripter who writes C{state["notes"].append(text)} changes a copy and
stores nothing: saving and the editor's C{.check} note the line, with how
to store the change back, and refuse nothing.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.content import report
from engine.scripts.copies import MAX_NOTED, changed_copies
from tests.scripts.helpers import Scene, content_folder, flat, make


class CopyNoteTests(TestCase):
    def test_mutating_a_read_is_noted(self) -> None:
        """
        A mutating method called on C{state[k]} or C{state.get(k)}, and an
        item of one assigned, augmented or deleted, are each noted with the
        line and the three lines to write instead.
        """
        source = "\n".join([
            "def verb_note(actor, dobj, prep, iobj, dobjstr, iobjstr):",
            "    state['notes'].append(dobjstr)",
            "    state.get('scores', {})['bob'] = 3",
            "    del state['seen'][0]",
        ])
        found = changed_copies(source)
        self.assertEqual([line for line, _ in found], [2, 3, 4])
        self.assertEqual(found[0][1],
                         "state['notes'] gives a copy, so changing it here stores nothing; "
                         "read it, change it, store it back: notes = state['notes']; "
                         "notes.append(...); state['notes'] = notes")
        self.assertIn("scores = state.get('scores', {}); scores['bob'] = ...; "
                      "state['scores'] = scores", found[1][1])
        self.assertIn("seen = state['seen']; del seen[0]; state['seen'] = seen", found[2][1])

    def test_augmented_item_of_a_read(self) -> None:
        """
        C{state["c"]["n"] += 1} is noted; C{state["c"] += [1]} (which stores
        back) is not.
        """
        found = changed_copies("state['c']['n'] += 1\nstate['c'] += [1]\n")
        self.assertEqual([line for line, _ in found], [1])

    def test_the_taught_way_is_not_noted(self) -> None:
        """
        Reading into a variable, changing it and storing it back, and
        reading without changing, are never noted.
        """
        source = "\n".join([
            "def verb_note(actor, dobj, prep, iobj, dobjstr, iobjstr):",
            "    notes = state.get('notes', [])",
            "    notes.append(dobjstr)",
            "    state['notes'] = notes",
            "    state['n'] = state.get('n', 0) + 1",
            "    actor.tell(str(state['notes'].count(dobjstr)) + state.get('x', {}).get('y', ''))",
            "    state['n'] += 1",
            "    del state['n']",
        ])
        self.assertEqual(changed_copies(source), [])

    def test_a_script_binding_state_itself_is_not_read(self) -> None:
        """
        A script that binds the name state (a dict of its own) is not noted:
        its state may not be the object's.
        """
        for binding in ("state = {}", "def f(state): pass", "import json as state",
                        "for state in []: pass"):
            self.assertEqual(changed_copies(binding + "\nstate['a'].append(1)\n"), [],
                             binding)

    def test_at_most_a_few_are_noted(self) -> None:
        """
        However many lines change copies, at most MAX_NOTED are noted.
        """
        source = "\n".join(f"state['k{i}'].append(1)" for i in range(50))
        self.assertEqual(len(changed_copies(source)), MAX_NOTED)

    def test_saving_notes_it_and_saves(self) -> None:
        """
        Saving a script that appends to a read notes the line, and saves
        the script all the same.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        said = flat(make(s.alice, "board", """
            def verb_note(actor, dobj, prep, iobj, dobjstr, iobjstr):
                state["notes"] = state.get("notes", [])
                state["notes"].append(dobjstr)
            """))
        self.assertIn("Saved the script on board", said)
        self.assertIn("Note: line 3: state['notes'] gives a copy, so changing it here stores "
                      "nothing", said)

    def test_editor_check_notes_it(self) -> None:
        """
        The editor's .check says the same before saving.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        s.alice.send("@create board")
        s.alice.send("@script board")
        s.alice.send("def verb_note(actor, *rest):")
        s.alice.send("    state['notes'].append(1)")
        said = flat(s.alice.send(".check"))
        s.alice.send(".abort")
        self.assertIn("line 2: state['notes'] gives a copy", said)

    def test_content_check_notes_it(self) -> None:
        """
        tessera content check notes it too, as a note that refuses nothing.
        """
        folder = content_folder(self.mktemp(), {
            "hall.toml": '[rooms.hall]\nname = "Hall"\ndescription = "A hall."\n'
                         'start = true\nscript = "hall.py"\n',
            "hall.py": "def verb_note(actor, *rest):\n    state['notes'].append(1)\n",
        })
        found = report(folder)
        self.assertEqual(found.errors, [])
        self.assertEqual(len(found.notes), 1)
        self.assertIn("hall.py:2: state['notes'] gives a copy", found.notes[0])
