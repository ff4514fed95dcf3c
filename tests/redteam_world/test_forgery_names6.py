# -*- test-case-name: tests.redteam_world.test_forgery_names6 -*-
"""
A name is not the game's notice of when it acts however the time is put
("Restart 10pm", "Restart by midnight", "Maintenance on Friday"), nor of
its coming back ("Back at midnight", "Online by 10pm"); the names builders
write with the same words ("Back door", "Back at the ranch", "Reset by the
well", "Update for 5 gold") stay names.
"""

from __future__ import annotations

from tests.redteam_world.test_forgery_titles import ListedNameTests, NameRuleCase
from world import names
from world.errors import WorldError

#: Names that read as the game's notices: a notice's word and a time.
REFUSED = (
    # A server's action and a time of day as one word, or after a word of time:
    "Restart 10pm", "Reset 23h", "Reboot @ midnight", "Restart by midnight",
    "Maintenance until midnight", "Reboot before 10pm", "Downtime after 2am",
    "Update from midnight", "Maintenance on Friday", "Restart scheduled for 10pm",
    "Wipe till noon", "R3start by M1DN1GHT",
    # The server's coming back and a time:
    "Back at midnight", "Back by 10pm", "Back at 10", "Back at ten, maybe", "Back on Monday",
    "Back in five", "Online at 9am", "Offline until noon", "Back online at 10pm",
    "B4ck at midnight",
)

#: Names builders write with the same words, which stay names.
KEPT = (
    # Coming back's words with no time after them:
    "Back door", "Back room", "Back at the ranch", "Back by popular demand", "Back soon",
    "Back tonight", "Back in one piece", "Back at ten paces", "Back of beyond", "Backpack",
    "Online shop", "Offline archive",
    # A server's action with a word of time but no time, or a count:
    "Reset by the well", "Upgrade after the war", "Update on the war", "Upgrade by two",
    "Update for 5 gold", "Restart 2", "Restart button",
    # Times with no notice's word before them:
    "Midnight Inn", "By midnight", "Friday market", "Sunday best", "Gift for Monday",
    "Backgammon at noon", "Drawback at midnight", "Till at noon",
)


class TimeNoticeTests(ListedNameTests, NameRuleCase):
    """
    L{names.check_thing_name} refuses a notice's word followed by a time,
    and keeps the names builders write with those words.
    """

    refused_names = REFUSED
    kept_names = KEPT

    def test_refusal_says_why(self) -> None:
        """
        A refusal quotes the builder's words that make the notice.
        """
        for name, said in (("Restart 10pm", "'Restart 10pm'"),
                           ("Back at midnight", "'Back at midnight'"),
                           ("Back online at 10pm", "'online at 10pm'"),
                           ("Maintenance on Friday", "'Maintenance on Friday'")):
            error = self.assertRaises(WorldError, self.check, name)
            self.assertIn(said, str(error), name)
            self.assertIn("the game's notice", str(error), name)

    def test_one_read_as_i(self) -> None:
        """
        A "1" inside a word is read as an "i" as well as an "l": beside a
        small "m" the two keep apart in the word's skeleton, and "Adm1n"
        and "m1dn1ght" passed for no word of the rules.
        """
        for name in ("Adm1n room", "R3start by m1dn1ght", "Back at m1dn1ght",
                     "Ma1ntenance tonight", "The adm1n"):
            self.assertRaises(WorldError, self.check, name)
        for name in ("K1ng Arthur", "Adm1ral Nelson", "Room 101", "Mil1 pond", "1st floor"):
            self.assertEqual(self.check(name), name)

    def test_rules_version(self) -> None:
        """
        The rules refuse more than before, so their version is raised and a
        world's stored names are read again at its next start.
        """
        self.assertGreaterEqual(names.RULES_VERSION, 5)
