"""
'tessera content check' notes a library's undefined names as saving one in
the game does (the library is that of L{tests.engine.test_library_newuser}).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine.scripts.content import report
from tests.scripts.helpers import content_folder
from tests.scripts.test_content_check import LIBRARY_ROOM


class ContentLibraryNotesTests(TestCase):
    """
    'tessera content check' notes a library's undefined names as a save does.
    """

    def test_undefined_name_noted(self) -> None:
        """
        A content library reading a name nothing defines is noted at its line,
        and told it has no 'this' of its own.
        """
        folder = content_folder(self.mktemp(), {
            "hall.toml": LIBRARY_ROOM, "hall.py": "import sayings\n",
            "sayings.py": 'exports = ("motto",)\ndef motto():\n    return mottos + this.name\n'})
        found = report(folder)
        self.assertEqual(found.errors, [])
        notes = " | ".join(found.notes)
        self.assertIn("sayings.py:3: mottos is not defined", notes)
        self.assertIn("sayings.py:3: this is not defined; a library has no this of its own",
                      notes)
