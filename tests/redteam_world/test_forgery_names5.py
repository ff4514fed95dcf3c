# -*- test-case-name: tests.redteam_world.test_forgery_names5 -*-
"""
A name is not the game's notice of when it acts ("Restart at midnight",
"Reboot in five", "Maintenance tonight"), nor a character's going that
other games tell ("Bob timed out", "Bob got booted"), nor does it hide a
word of a login inside a longer word ("Mypassword", "Loginscreen"); the
names builders write ("Midnight Inn", "Update board", "Kicked can",
"Accountant's office") stay names.
"""

from __future__ import annotations

from tests.redteam_world.test_forgery_titles import ListedNameTests, NameRuleCase
from world import names
from world.errors import WorldError

#: Names that read as the game's notices or hide a login word.
REFUSED = (
    # A server's action followed by when:
    "Restart at midnight", "Reboot at 10pm", "Shutdown at 23:00", "Shutdown at 23.00",
    "Reboot at 10 pm", "Restart at noon", "Reboot at ten", "Update at 5",
    "Reboot in five", "Restart in 3", "Reboot in five, be ready", "Restart imminent",
    "Maintenance tonight",
    "Maintenance soon", "Update now", "Copyover soon", "Downtime tomorrow",
    "Reboot scheduled at 2300", "R3boot t0night", "Server maintenance tonight",
    # Comings and goings:
    "Bob timed out", "Bob kicked", "Bob got booted", "Bob idles", "Bob banned",
    "Bob idled out",
    # Words of a login inside longer words:
    "Mypassword", "Adminpassword here", "Loginscreen", "Rootpasswd", "Myusername",
    "My p4ssw0rdbox",
)

#: Names builders write, which stay names.
KEPT = (
    # No action of the server's before when: a name.
    "Midnight Inn", "Ten past ten tavern", "Tonight's show poster",
    # An action of the server's followed by no when: a name.
    "Update board", "Maintenance shed", "Restart button", "Reboot camp",
    "Maintenance at the docks", "Update on the war", "Reset switch", "Upgrade in one piece",
    "Update in 3 parts",
    # A going's word first, or after "the": a name.
    "Kicked can", "Timed lock", "Booted cat", "The banned books", "Timed out sign",
    # Login words' neighbours inside words:
    "Possession", "Accountant's office", "Blogging corner", "Signing table",
    "Sessional chamber",
)


class WhenNoticeTests(ListedNameTests, NameRuleCase):
    """
    L{names.check_thing_name} refuses names that read as the game's
    notices of when it acts, of comings and goings, or hide a login word,
    and keeps the names builders write.
    """

    refused_names = REFUSED
    kept_names = KEPT

    def test_refusal_says_why(self) -> None:
        """
        A refusal quotes the builder's words that make the notice or hold
        the login word.
        """
        for name, said, why in (
                ("Restart at midnight", "'Restart at midnight'", "the game's notice"),
                ("Maintenance tonight", "'Maintenance tonight'", "the game's notice"),
                ("Reboot in five", "'Reboot in five'", "the game's notice"),
                ("Bob timed out", "'Bob timed out'", "the game's notice"),
                ("Adminpassword here", "'Adminpassword'", "login")):
            error = self.assertRaises(WorldError, self.check, name)
            self.assertIn(said, str(error), name)
            self.assertIn(why, str(error), name)

    def test_rules_version(self) -> None:
        """
        The rules refuse more than before, so their version is raised and a
        world's stored names are read again at its next start (raised again
        by C{tests.redteam_world.test_forgery_names6}).
        """
        self.assertGreaterEqual(names.RULES_VERSION, 4)
