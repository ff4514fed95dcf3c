"""
Every player scripts: any character may make things and script them, within
per-owner limits that wizards tune for one player or for the whole world.
"""

from __future__ import annotations

from twisted.trial.unittest import TestCase

from engine import tap
from engine.testing import TestWorld
from scripting.facets import accounting
from tests.scripts.helpers import make

LOOP = """
def verb_spin(actor, *rest):
    for i in range(3000):
        pass
    actor.tell("whirr")
"""


class PlayersScriptTests(TestCase):
    """
    A player who is not a builder makes a thing and scripts it.
    """

    def setUp(self) -> None:
        self.world = TestWorld()
        self.addCleanup(self.world.close)
        self.wizard = self.world.login("Wiz")  # the first account: the wizard
        self.dora = self.world.login("Dora")   # a player
        self.eve = self.world.login("Eve")     # another
        for who in (self.wizard, self.dora, self.eve):
            who.output()

    def limits(self, who: str) -> accounting.Usage:
        with self.world.store.turn() as turn:
            from engine.accounts import find_account

            return accounting.usage(turn.root, find_account(turn.root, who).character_id)

    def test_player_makes_and_scripts_a_thing(self) -> None:
        """
        A brand-new player creates a thing, scripts a verb on it, and anyone
        here can use it.
        """
        saved = make(self.dora, "bell", 'def verb_ring(actor, *rest):\n'
                                        '    here.emote("rings: DING!")\n')
        self.assertIn("Saved the script on bell", saved)
        self.assertIn("bell rings: DING!", self.eve.send("ring bell"))

    def test_player_object_limit(self) -> None:
        """
        Players make things up to their object limit; a wizard raises or
        lowers it for one player, and 'default' gives back the world's.
        """
        shown = self.wizard.send("@quota dora = objects 1")
        self.assertIn("objects owned: 0 of 1", shown)
        self.assertIn("You create kite", self.dora.send("@create kite"))
        self.assertIn("your limit", self.dora.send("@create kettle"))
        self.assertIn("objects owned: 1 of 1", self.dora.send("@quota"))
        self.assertIn("You create kettle", self.eve.send("@create kettle"))  # not Eve's limit
        self.wizard.send("@quota dora = objects default")
        self.assertEqual(self.limits("Dora").objects_quota, accounting.DEFAULT_OBJECTS)
        self.assertIn("You create kettle", self.dora.send("@create kettle"))

    def test_world_default_limits(self) -> None:
        """
        @quota/default changes a limit for everyone without their own, and
        lists the defaults; a player's own limit still wins.
        """
        self.wizard.send("@quota eve = objects 5")
        shown = self.wizard.send("@quota/default = objects 2, storage 1000")
        self.assertIn("objects", shown)
        self.assertRegex(shown, r"objects\s+2 ")
        self.assertRegex(shown, r"storage\s+1000 ")
        self.assertEqual(self.limits("Dora").objects_quota, 2)
        self.assertEqual(self.limits("Dora").stored_bytes_quota, 1000)
        self.assertEqual(self.limits("Eve").objects_quota, 5)
        self.wizard.send("@quota/default = objects default")
        self.assertEqual(self.limits("Dora").objects_quota, accounting.DEFAULT_OBJECTS)

    def test_only_wizards_change_limits(self) -> None:
        """
        Players see their own meters and nobody else's, and change no limit.
        """
        self.assertIn("Only wizards change limits.", self.dora.send("@quota dora = objects 500"))
        self.assertIn("Only wizards change limits.",
                      self.dora.send("@quota/default = objects 500"))
        self.assertIn("The world's default limits", self.dora.send("@quota/default"))
        self.assertIn("Scripts of yours", self.dora.send("@quota eve"))
        self.assertEqual(self.limits("Dora").objects_quota, accounting.DEFAULT_OBJECTS)

    def test_bad_limits_are_refused(self) -> None:
        """
        Unknown limits, negative or absurd values and missing values are
        refused with what to type, and nothing changes.
        """
        self.assertIn("There is no limit 'fish'", self.wizard.send("@quota dora = fish 3"))
        self.assertIn("whole number", self.wizard.send("@quota dora = objects -1"))
        self.assertIn("whole number", self.wizard.send("@quota dora = objects lots"))
        self.assertIn("whole number", self.wizard.send(f"@quota dora = objects {2**41}"))
        self.assertIn("Give each limit", self.wizard.send("@quota dora = objects"))
        self.assertIn("not a player", self.wizard.send("@quota fountain = objects 3"))
        self.assertIn("has no /x", self.wizard.send("@quota/x"))
        # all or nothing: a bad second limit leaves the first unchanged
        self.wizard.send("@quota dora = objects 3, fish 3")
        self.assertEqual(self.limits("Dora").objects_quota, accounting.DEFAULT_OBJECTS)

    def test_cpu_share_per_player(self) -> None:
        """
        A wizard's 'cpu' limit is the ticks a minute one player's scripts
        may use: past it they rest, while another player's run. (Eve and
        Dora spin the top in turn: one player alone may spend only a part
        of what others may wake, L{engine.scripts.runtime.PLAYER_PART}.)
        """
        # Only ticks count here: the server's own time is a clock that stands still.
        self.world.server.scripts.meters.cpu_time = lambda: 0.0
        make(self.dora, "top", LOOP)
        make(self.eve, "wheel", LOOP.replace("verb_spin", "verb_turn"))
        self.wizard.send("@quota dora = cpu 5000")
        self.assertIn("share: 5000 a minute", self.dora.send("@quota"))
        self.assertIn("whirr", self.eve.send("spin top"))
        self.assertIn("whirr", self.dora.send("spin top"))
        self.assertIn("does nothing just now", self.eve.send("spin top"))
        for _ in range(5):
            self.assertIn("whirr", self.dora.send("turn wheel"))
        self.world.clock.advance(61)
        self.assertIn("whirr", self.eve.send("spin top"))

    def test_cpu_share_world_default(self) -> None:
        """
        The world's default 'cpu' limit is every player's share unless they
        have their own: past it their scripts rest, and a player given more
        of their own keeps going.
        """
        self.world.server.scripts.meters.cpu_time = lambda: 0.0
        make(self.dora, "top", LOOP)
        make(self.eve, "wheel", LOOP.replace("verb_spin", "verb_turn"))
        self.wizard.send("@quota/default = cpu 5000")
        self.wizard.send("@quota eve = cpu 50000")
        self.assertIn("whirr", self.eve.send("spin top"))
        self.assertIn("whirr", self.dora.send("spin top"))  # (Eve alone spends her part)
        self.assertIn("does nothing just now", self.eve.send("spin top"))
        for _ in range(5):
            self.assertIn("whirr", self.dora.send("turn wheel"))
        self.wizard.send("@quota/default = cpu default")
        self.assertIn("whirr", self.eve.send("spin top"))


class QuotaOptionTests(TestCase):
    """
    The operator sets the world's default limits when starting the server.
    """

    def test_options_become_world_defaults(self) -> None:
        """
        tessera run --quota-objects/--quota-storage/--quota-timers/--quota-cpu
        keep their values in the world as its defaults.
        """
        options = tap.Options()
        options.parseOptions(["--memory", "--content", "", "--quota-objects", "7",
                              "--quota-storage", "900", "--quota-timers", "2",
                              "--quota-cpu", "12345"])
        from twisted.internet.task import Clock

        top = tap.makeService(options, Clock())
        world = top.getServiceNamed("world")
        world.startService()
        self.addCleanup(world.stopService)
        with world.store.turn() as turn:
            use = accounting.usage(turn.root, 99)
        self.assertEqual((use.objects_quota, use.stored_bytes_quota, use.timers_quota,
                          use.ticks_quota), (7, 900, 2, 12345))

    def test_bad_quota_option(self) -> None:
        """
        A negative quota is refused, naming the option.
        """
        from twisted.python import usage

        options = tap.Options()
        error = self.assertRaises(usage.UsageError, options.parseOptions,
                                  ["--quota-objects", "-1"])
        self.assertIn("--quota-objects", str(error))


class ScriptMessageTests(TestCase):
    """
    What the game says when a script makes or moves things reads as English.
    """

    def test_articles(self) -> None:
        """
        "A loaf of bread appears.", "An apple is now in Town Square.", and a
        proper name stays as it is.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        world.login("Wiz")
        dora = world.login("Dora")
        eve = world.login("Eve")
        make(dora, "oven", "def verb_bake(actor, *rest):\n"
                           "    this.create('thing', 'loaf of bread')\n"
                           "    apple = this.create('thing', 'apple')\n"
                           "    apple.move_to(here)\n"
                           "    named = this.create('thing', 'Biscuit')\n"
                           "    named.move_to(here)\n")
        eve.output()
        dora.send("bake oven")
        seen = " ".join(eve.output().split())
        self.assertIn("A loaf of bread appears.", seen)
        self.assertIn("An apple appears.", seen)
        self.assertIn("An apple is now in Town Square.", seen)
        self.assertIn("Biscuit is now in Town Square.", seen)

    def test_into_someones_hands(self) -> None:
        """
        A thing a verb hands to the player who typed it "is now in Eve's
        hands", not "in Eve".
        """
        world = TestWorld()
        self.addCleanup(world.close)
        world.login("Wiz")
        dora = world.login("Dora")
        eve = world.login("Eve")
        make(dora, "kettle", "def verb_grab(actor, *rest):\n    this.move_to(actor)\n")
        dora.output()
        eve.send("grab kettle")
        self.assertIn("A kettle is now in Eve's hands.", " ".join(dora.output().split()))


class MemoryLimitTests(TestCase):
    """
    A wizard tunes how much one player's loaded scripts may hold.
    """

    def test_memory_limit_per_player(self) -> None:
        """
        Under a small 'memory' limit a script that keeps a lot cannot stay
        loaded (its owner is told why); another player's same script runs.
        """
        world = TestWorld()
        self.addCleanup(world.close)
        wizard = world.login("Wiz")
        dora = world.login("Dora")
        eve = world.login("Eve")
        hoard = ("BIG = ['x' * 1000 + str(i) for i in range(600)]\n"
                 "def verb_count(actor, *rest):\n    actor.tell('kept ' + str(len(BIG)))\n")
        make(dora, "hoard", hoard)
        make(eve, "pile", hoard.replace("verb_count", "verb_tally"))
        self.assertIn("loaded scripts: 0 of 32768 KiB", dora.send("@quota"))
        wizard.send("@quota dora = memory 300000")
        said = " ".join(dora.send("count hoard").split())
        self.assertIn("it cannot stay loaded", said)
        self.assertIn("more than your scripts may hold (292 KiB)", said)
        self.assertIn("kept 600", eve.send("tally pile"))
        wizard.send("@quota dora = memory default")
        self.assertIn("kept 600", dora.send("count hoard"))
