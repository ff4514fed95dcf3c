# -*- test-case-name: tests.redteam_world.test_r6_world_names -*-
"""
Only a player's whole name reaches her (issue 9, round 6). Bob typed
'page ali = ...' meaning a friend called Ali, who has no account: it went
to Alice, whose name starts with it; 'page A1ice', 'whisper A1ice', 'give
gem to A1ice' and '@mail A1ice' (a one for the l) went to Alice too, found
by her name's look-alike skeleton. A serious MUD delivers only to the
player whose whole name was typed (in any case, with or without its
accents: 'zoe' is Zoë's name); a name that is only the start of a player's
name, or looks like it, sends nothing and asks "Did you mean Alice?"; a
name that is nobody's says there is no such player.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, flat


class WholeNameTests(TestCase):
    """
    Alice, Bob and Carol in the town square; Bob types Alice's name
    short, or in look-alike letters.
    """

    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def nothing_for_alice(self) -> None:
        heard = self.s.alice.output()
        self.assertNotIn("secret", heard)
        self.assertNotIn("gem", heard)
        self.assertNotIn("mail", heard)

    def test_page_a_prefix_asks(self) -> None:
        """
        'page ali' sends nothing and asks whether Alice was meant.
        """
        said = flat(self.s.bob.send("page ali = secret"))
        self.assertIn("Did you mean Alice?", said)
        self.assertIn("nothing was sent", said)
        self.assertNotIn("You page", said)
        self.nothing_for_alice()

    def test_page_a_look_alike_asks(self) -> None:
        """
        'page A1ice' (a digit one) and 'page Аlice' (a Cyrillic A) send
        nothing and ask whether Alice was meant (so does "AIice", a capital I).
        """
        for name in ("A1ice", "\u0410lice", "AIice"):
            said = flat(self.s.bob.send(f"page {name} = secret"))
            self.assertIn("Did you mean Alice?", said, name)
            self.assertNotIn("You page", said, name)
        self.nothing_for_alice()

    def test_page_nobody_says_so(self) -> None:
        """
        A name no player has, nor starts, says there is no such player.
        """
        said = flat(self.s.bob.send("page wombat = secret"))
        self.assertIn("There is no player called 'wombat'", said)
        self.assertNotIn("Did you mean", said)

    def test_page_several_prefixes_asks_which(self) -> None:
        """
        'page al' while Alice and Alan are on names both, and sends to
        neither.
        """
        alan = self.s.world.login("Alan")
        alan.output()
        said = flat(self.s.bob.send("page al = secret"))
        self.assertIn("Did you mean Alan or Alice?", said)
        self.assertNotIn("secret", alan.output())
        self.nothing_for_alice()

    def test_page_whole_names_reach(self) -> None:
        """
        The whole name in any case reaches her; so does a name typed
        without its accents ('zoe' for Zoë, whose name it is).
        """
        self.assertIn("You page Alice: hi", self.s.bob.send("page ALICE = hi"))
        self.assertIn("Bob pages: hi", self.s.alice.output())
        zoe = self.s.world.login("Zoë")
        zoe.output()
        self.assertIn("You page Zoë: hi", self.s.bob.send("page zoe = hi"))
        self.assertIn("Bob pages: hi", zoe.output())

    def test_whisper_short_or_alike_asks(self) -> None:
        """
        'whisper ali' and 'whisper A1ice' whisper nothing and ask.
        """
        for name in ("ali", "A1ice", "AIice"):
            said = flat(self.s.bob.send(f"whisper {name} = secret"))
            self.assertIn("Did you mean Alice?", said, name)
            self.assertNotIn("You whisper", said, name)
        self.nothing_for_alice()
        self.assertNotIn("whispers", self.s.carol.output())

    def test_give_short_or_alike_keeps_it(self) -> None:
        """
        'give gem to ali' and 'give gem to A1ice' leave the gem in Bob's
        hands and ask.
        """
        self.s.bob.send("@create gem")
        for name in ("ali", "A1ice"):
            said = flat(self.s.bob.send(f"give gem to {name}"))
            self.assertIn("Did you mean Alice?", said, name)
        self.assertEqual(self.s.thing("gem").location.name, "Bob")
        self.nothing_for_alice()

    def test_mail_alike_sends_nothing(self) -> None:
        """
        '@mail A1ice = ...' sends nothing and asks.
        """
        said = flat(self.s.bob.send("@mail A1ice = secret/the code is 1234"))
        self.assertIn("Did you mean Alice?", said)
        self.assertIn("nothing was sent", said)
        self.nothing_for_alice()
        self.assertIn("You have no mail", self.s.alice.send("@mail"))

    def test_grant_library_to_alike_refused(self) -> None:
        """
        '@grant A1ice = library tools' shares nothing with Alice.
        """
        self.s.bob.send("@library tools")
        for line in (".clear", "exports = ('hammer',)", "hammer = 1", "."):
            self.s.bob.send(line)
        said = flat(self.s.bob.send("@grant A1ice = library tools"))
        self.assertIn("Did you mean Alice?", said)
        self.assertNotIn("tools", self.s.alice.send("@grants"))
        self.assertIn("Shared your library tools with Alice",
                      flat(self.s.bob.send("@grant alice = library tools")))
