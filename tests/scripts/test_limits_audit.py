"""
Limits and refusals of the script editor and runtime that each need a test
of their own: a refused change says why and leaves the script as it was.
"""

from __future__ import annotations

import time

from twisted.internet.task import Clock
from twisted.trial.unittest import TestCase

from engine.commands import script as command
from engine.scripts.runtime import ScriptRuntime
from scripting.clocks import pause_free
from tests.scripts.helpers import Scene, make
from world.scripts import MAX_CHARS, MAX_LINES, script_of
from world.store import WorldStore

BELL = """
def verb_ring(actor, dobj, prep, iobj, dobjstr, iobjstr):
    here.emote("rings: DING!")
    actor.tell("You ring it.")
"""

#: A line of a script that is long but well under the input line limit.
LONG = "x = '" + "a" * 7990 + "'"


class EditorLimitTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)

    def assertUnchanged(self, version=1):
        self.assertIn(f"(version {version}, running)", self.s.alice.send("@script/show bell"))
        self.s.read()
        self.assertIn("You ring it.", self.s.carol.send("ring bell"))

    def test_editor_refuses_too_many_characters(self) -> None:
        """
        Typing past MAX_CHARS (each line well under the line limit) refuses
        the line, keeps editing, and keeps the old script.
        """
        make(self.s.alice, "bell", BELL)
        self.s.alice.send("@script bell")
        self.s.alice.send(".clear")
        count = MAX_CHARS // len(LONG)
        for _ in range(count):
            self.assertNotIn("too long", self.s.alice.send(LONG))
        out = " ".join(self.s.alice.send(LONG).split())
        self.assertIn(f"at most {MAX_LINES} lines, {MAX_CHARS} characters", out)
        self.assertIn("it was not added", out)
        self.assertIn("nothing was changed", self.s.alice.send(".abort"))
        self.assertUnchanged()

    def test_insert_past_character_limit_refused(self) -> None:
        """
        @script/insert that would take the script past MAX_CHARS is refused
        and saves nothing.
        """
        count = MAX_CHARS // len(LONG)
        source = BELL.strip("\n") + "\n" + "\n".join([LONG] * count)
        self.assertLess(len(source), MAX_CHARS)
        self.assertGreater(len(source) + len(LONG), MAX_CHARS)
        out = make(self.s.alice, "bell", source)
        self.assertIn("it defines verb_ring", out)
        out = self.s.alice.send(f"@script/insert bell 1 = {LONG}")
        self.assertIn(f"A script may have at most {MAX_LINES} lines and {MAX_CHARS} "
                      "characters.", out)
        self.assertEqual(len(script_of(self.s.thing("bell")).lines()), 3 + count)
        self.assertUnchanged()

    def test_insert_past_line_limit_refused(self) -> None:
        """
        @script/insert past MAX_LINES is refused by the save itself (the
        editor's own check is not the only one).
        """
        self.patch(command, "MAX_LINES", 4)
        make(self.s.alice, "bell", BELL + "pass\n")
        out = self.s.alice.send("@script/insert bell 1 = pass")
        self.assertIn("A script may have at most 4 lines", out)
        self.assertEqual(len(script_of(self.s.thing("bell")).lines()), 4)
        self.assertUnchanged()

    def test_line_number_bounds(self) -> None:
        make(self.s.alice, "bell", BELL)
        for bad in ("@script/edit bell 0 = pass", "@script/edit bell 4 = pass",
                    "@script/edit bell x = pass", "@script/delete bell 0",
                    "@script/delete bell 1-4", "@script/insert bell 5 = pass"):
            self.assertIn("Line numbers go from 1 to", self.s.alice.send(bad), bad)
        self.assertIn("Give the first line, then the last",
                      self.s.alice.send("@script/delete bell 3-2"))
        self.assertUnchanged()
        # One past the end is where insert appends.
        self.assertIn("(4 lines)", self.s.alice.send("@script/insert bell 4 = pass"))

    def test_usage_errors(self) -> None:
        make(self.s.alice, "bell", BELL)
        self.assertIn("@script has no /frob", self.s.alice.send("@script/frob bell"))
        self.assertIn("Type '@script/edit <thing> <line> = <text>'",
                      self.s.alice.send("@script/edit bell 2"))
        self.assertIn("Say which line", self.s.alice.send("@script/edit bell = pass"))
        self.assertIn("Script what?", self.s.alice.send("@script"))
        self.assertUnchanged()

    def test_no_script_yet(self) -> None:
        make(self.s.alice, "bell", None)
        self.assertIn("bell has no script. Type", self.s.alice.send("@script/show bell"))
        self.assertIn("bell has no script.", self.s.alice.send("@script/clear bell"))
        self.assertIn("has no script yet", self.s.alice.send("@script/edit bell 1 = pass"))
        self.assertIn("has no script yet", self.s.alice.send("@script/delete bell 1"))
        self.assertIsNone(script_of(self.s.thing("bell")))

    def test_object_destroyed_while_editing(self) -> None:
        """
        Saving a script whose object was destroyed meanwhile saves nothing
        and says so.
        """
        make(self.s.alice, "bell", None)
        bell = self.s.thing("bell")
        self.s.alice.send("@script bell")
        self.s.alice.send("def verb_ring(actor, *rest):")
        self.s.alice.send("    pass")
        self.s.world.set_role("Bob", "wizard")
        self.assertIn("destroy", self.s.bob.send(f"@destroy #{bell.id}").lower())
        self.assertIn("That object no longer exists; nothing was saved.",
                      self.s.alice.send("."))
        self.assertIsNone(self.s.world.object(bell.id))


class GrantAndUseUsageTests(TestCase):
    def setUp(self) -> None:
        self.s = Scene()
        self.addCleanup(self.s.world.close)
        make(self.s.alice, "bell", BELL)
        make(self.s.alice, "lamp", None)

    def test_grant_usage(self) -> None:
        self.assertIn("Type '@grant <thing>.<name> = <role> <target>'",
                      self.s.alice.send("@grant bell = view lamp"))
        self.assertIn("Say the role and the target",
                      self.s.alice.send("@grant bell.lamp = view"))
        self.assertIn("No grants.", self.s.alice.send("@grants"))

    def test_revoke_usage(self) -> None:
        self.assertIn("Type '@revoke <number>'", self.s.alice.send("@revoke lamp"))

    def test_use_refusals(self) -> None:
        self.assertIn("Use what?", self.s.carol.send("use"))
        self.assertIn("You can't think how to use the bell", self.s.carol.send("use bell"))

    def test_quota_of_a_thing(self) -> None:
        self.s.world.set_role("Alice", "wizard")
        self.assertIn("bell is not a player.", self.s.alice.send("@quota bell"))


class ModuleCacheTests(TestCase):
    """
    The runtime keeps an owner's instantiated modules within the owner's
    share of memory; one pushed out is loaded again when needed.
    """

    def test_bounded_and_reloaded(self) -> None:
        """
        With room for two of Alice's modules, striking three things in turn
        keeps at most two loaded, and each still sounds.
        """
        from engine.scripts.modules import DOMAIN_BYTES

        s = Scene()
        self.addCleanup(s.world.close)
        for name in ("bell", "gong", "chime"):
            make(s.alice, name, f"def verb_strike(actor, *rest):\n"
                                f"    actor.tell('{name} sounds.')\n")
        cache = s.world.server.scripts.modules
        s.carol.send("strike bell")
        alice = s.character("Alice").id
        (entry,) = cache.entries()
        entry.module.domain.measure(entry.module)
        one = entry.bytes()  # all three are the same size, less what their runs add
        cache.owner_bytes = DOMAIN_BYTES + int(one * 2.5)
        for name in ("bell", "gong", "chime", "bell"):
            self.assertIn(f"{name} sounds.", s.carol.send(f"strike {name}"))
            self.assertLessEqual(len(cache), 2)
            self.assertLessEqual(cache.used(alice), cache.owner_bytes)


class TaskClockTests(TestCase):
    def test_harness_counts_cpu_time(self) -> None:
        """
        In the harness a script's time budget counts the thread's CPU time
        (less the garbage collector's), so a test does not fail because a
        loaded machine kept it waiting.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        make(s.alice, "bell", BELL)
        clock = s.world.server.scripts.domain(s.character("Alice").id).clock
        self.assertIs(clock, pause_free(time.thread_time))
        self.assertIs(clock.base, time.thread_time)

    def test_harness_charges_cpu_time(self) -> None:
        """
        In the harness the server's time charged to owners (their share,
        past which their scripts rest) is the thread's CPU time too: a
        loaded machine cannot make an owner rest in a test.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        self.assertIs(s.world.server.scripts.meters.cpu_time, time.thread_time)

    def test_server_clock_leaves_out_collections(self) -> None:
        """
        A server's scripts' time budgets read the monotonic clock less the
        garbage collector's pauses (L{scripting.clocks}).
        """
        store = WorldStore(None)
        self.addCleanup(store.close)
        scripts = ScriptRuntime(store, Clock())
        self.assertIs(scripts.task_clock, pause_free(time.monotonic))

    def test_task_clock_bounds_verbs(self) -> None:
        """
        The domain's task clock is what a verb's time budget reads: when it
        runs fast, a busy verb runs out of time and what it did is undone.
        """
        s = Scene()
        self.addCleanup(s.world.close)
        now = [0.0]

        def jumping() -> float:
            now[0] += 1.0
            return now[0]

        make(s.alice, "bell", "def verb_ring(actor, *rest):\n"
                              "    this.rename('gong')\n"
                              "    for i in range(1000):\n"
                              "        pass\n")
        s.world.server.scripts.domain(s.character("Alice").id).clock = jumping
        s.read()
        said = s.alice.send("ring bell")
        self.assertIn("ran out of time", said)
        self.assertEqual(s.thing("bell").name, "bell")
