"""
Revoking a grant reaches its facets through their revocation cell: the
holding script's module stays loaded, as after C{@holders/revoke}. Else
each C{@revoke}, and each destroyed channel that scripts were granted,
would make their owners pay for loading their scripts again (a channel's
owner destroying it would make every grantee's scripts reload).
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from tests.scripts.helpers import Scene, make

TALKER = """
count = 0

def verb_talk(actor, *rest):
    global count
    count += 1
    chess = grants.get("chess")
    try:
        chess.say("hello")
        actor.tell("said " + str(count))
    except Exception as err:
        actor.tell("silenced " + str(count) + ": " + str(err))

def verb_peek(actor, *rest):
    actor.tell("sees " + grants["eye"].name)
"""


class RevokeReloadTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.bob, "talker", TALKER)
        self.s.bob.send("@create gizmo")
        self.s.bob.send("drop gizmo")
        self.s.bob.send("@channel/create chess = A board game")
        self.talker = self.s.thing("talker").id

    def send(self, line: str) -> str:
        self.s.world.clock.advance(1)
        return " ".join(self.s.bob.send(line).split())

    def kept(self) -> bool:
        return self.s.world.server.scripts.modules.keeps_host(self.talker)

    def test_revoking_a_channel_grant_reloads_nothing(self) -> None:
        """
        Bob revokes his talker's channel grant, by name and by number: its
        module stays loaded (its count goes on), and the facet is dead.
        """
        for revoke in ("@revoke talker.chess", "@revoke c{id}"):
            made = self.send("@grant talker.chess = channel chess")
            self.assertIn("Granted", made)
            grant_id = made.split("Granted: c", 1)[1].split(":", 1)[0]
            said = self.send("talk talker")
            self.assertIn("said", said)
            count = int(said.split("said ", 1)[1].split()[0])
            self.assertIn("Revoked", self.send(revoke.format(id=grant_id)))
            self.assertTrue(self.kept(), revoke)
            self.assertIn(f"silenced {count + 1}", self.send("talk talker"))

    def test_destroying_a_channel_reloads_nothing(self) -> None:
        """
        Bob destroys the channel his talker was granted: its module stays
        loaded, and the facet is dead.
        """
        self.send("@grant talker.chess = channel chess")
        self.assertIn("said 1", self.send("talk talker"))
        self.assertIn("You destroyed the channel chess", self.send("@channel/destroy chess"))
        self.assertTrue(self.kept())
        said = self.send("talk talker")
        self.assertIn("silenced 2", said)
        self.assertIn("destroyed", said)

    def test_revoking_an_object_grant_forgets_nothing(self) -> None:
        """
        Bob revokes his talker's grant of the gizmo: its module is not
        forgotten at the revoke (its script loads without the grant when
        it next runs, as after '@holders/revoke'), and the facet is gone.
        """
        self.send("@grant talker.eye = view gizmo")
        self.assertIn("sees gizmo", self.send("peek talker"))
        self.assertIn("Revoked", self.send("@revoke talker.eye"))
        self.assertTrue(self.kept())
        self.assertNotIn("sees gizmo", self.send("peek talker"))
        self.send("@grant talker.eye = view gizmo")
        self.assertIn("sees gizmo", self.send("peek talker"))
        self.assertIn("Revoked", self.send("@revoke 2"))
        self.assertTrue(self.kept())
