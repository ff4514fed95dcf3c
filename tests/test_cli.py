"""
Tests for the C{tessera} command (L{engine.cli}), the world service in the
composition root (L{engine.tap}) and the twistd plugin: bad input of every
kind ends in one line on stderr and a non-zero exit, never a traceback, and
never a changed database.
"""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys

from twisted.application.service import IServiceMaker
from twisted.internet.testing import MemoryReactorClock
from twisted.python import usage
from twisted.trial import unittest

import world.root
from engine import cli, tap
from engine.web.connection import WebLimits
from world.loader import ContentError
from world.objects import Room
from world.store import StoreError, WorldStore

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT = os.path.join(ROOT, "content", "world")


class CLITestCase(unittest.TestCase):
    def setUp(self) -> None:
        self.directory = os.path.abspath(self.mktemp())
        os.makedirs(self.directory)
        self.db = os.path.join(self.directory, "world.fs")

    def run_cli(self, *argv: str) -> tuple[int, str, str]:
        """
        Run C{tessera argv} in this process: its exit status, stdout, stderr.
        """
        out, err = io.StringIO(), io.StringIO()
        self.patch(sys, "stdout", out)
        self.patch(sys, "stderr", err)
        status = cli.main(list(argv))
        return status, out.getvalue(), err.getvalue()

    def assertOneLineError(self, status: int, err: str, fragment: str) -> None:
        self.assertEqual(status, 1)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertTrue(err.startswith("tessera: "), err)
        self.assertIn(fragment, err)
        self.assertNotIn("Traceback", err)

    def content(self, name: str, text: str) -> str:
        folder = os.path.join(self.directory, name)
        os.makedirs(folder)
        with open(os.path.join(folder, "area.toml"), "w") as f:
            f.write(text)
        return folder

    def read_db(self) -> bytes:
        with open(self.db, "rb") as f:
            return f.read()


class ContentCommandTests(CLITestCase):
    """
    C{tessera content check} and C{tessera content load}.
    """

    def test_check_clean(self) -> None:
        """
        Checking the default world succeeds quietly.
        """
        status, out, err = self.run_cli("content", "check", DEFAULT)
        self.assertEqual((status, out, err), (0, f"{DEFAULT}: no problems\n", ""))

    def test_check_problems(self) -> None:
        """
        Checking broken content lists every problem with file:line and a
        count, and exits 1.
        """
        folder = self.content("bad", '[rooms.a]\nname = "A"\nstart = true\nexits.up = "b"\n')
        status, _out, err = self.run_cli("content", "check", folder)
        self.assertEqual(status, 1)
        self.assertEqual(err.splitlines(), [
            f"{folder}/area.toml:1: [rooms.a] has no 'description' (it needs a non-empty "
            "string)",
            f"{folder}/area.toml:4: exit 'up' of room 'a' leads to unknown room 'b'",
            "2 problem(s) found",
        ])

    def test_check_missing_folder(self) -> None:
        """
        Checking a folder that is not there is one problem.
        """
        status, _out, err = self.run_cli("content", "check", "no/such/folder")
        self.assertEqual(status, 1)
        self.assertEqual(err.splitlines()[0], "no/such/folder: the content folder does not exist")

    def test_load(self) -> None:
        """
        Loading into a new database creates the world; loading again with the
        options after the folder changes nothing.
        """
        status, out, err = self.run_cli("content", "load", "--db", self.db, DEFAULT)
        self.assertEqual((status, err), (0, ""))
        self.assertIn(" created, 0 updated, 0 unchanged", out)
        status, out, err = self.run_cli("content", "load", DEFAULT, "--db", self.db)
        self.assertEqual((status, err), (0, ""))
        self.assertIn(": 0 created, 0 updated, ", out)

    def test_load_bad_content(self) -> None:
        """
        Loading broken content is one line naming the first problem; the
        database is not changed.
        """
        self.run_cli("content", "load", DEFAULT, "--db", self.db)
        before = self.read_db()
        folder = self.content("bad", "[rooms.a\n")
        status, _out, err = self.run_cli("content", "load", folder, "--db", self.db)
        self.assertOneLineError(status, err, f"{folder}/area.toml:1: not valid TOML")
        self.assertEqual(self.read_db(), before)

    def test_load_locked(self) -> None:
        """
        Loading into a database a running server holds is refused.
        """
        store = WorldStore(self.db)
        self.addCleanup(store.close)
        status, _out, err = self.run_cli("content", "load", DEFAULT, "--db", self.db)
        self.assertOneLineError(status, err, "in use by another process")

    def test_load_unwritable(self) -> None:
        """
        A database path that cannot be created is refused.
        """
        blocker = os.path.join(self.directory, "file")
        with open(blocker, "w") as f:
            f.write("")
        status, _out, err = self.run_cli("content", "load", DEFAULT, "--db",
                                        os.path.join(blocker, "world.fs"))
        self.assertOneLineError(status, err, "cannot create")

    def test_load_newer(self) -> None:
        """
        A database written by a newer Tessera is refused and left unchanged.
        """
        store = WorldStore(self.db)
        with store.turn() as turn:
            turn.root.generation = world.root.GENERATION + 5
        store.close()
        before = self.read_db()
        status, _out, err = self.run_cli("content", "load", DEFAULT, "--db", self.db)
        self.assertOneLineError(status, err, "written by a newer Tessera")
        self.assertEqual(self.read_db(), before)

    def test_load_corrupt(self) -> None:
        """
        A file that is not a database is refused and left unchanged.
        """
        with open(self.db, "wb") as f:
            f.write(b"\x00garbage" * 64)
        status, _out, err = self.run_cli("content", "load", DEFAULT, "--db", self.db)
        self.assertOneLineError(status, err, "is not a Tessera database")
        self.assertEqual(self.read_db(), b"\x00garbage" * 64)


class OtherCommandTests(CLITestCase):
    """
    C{tessera db pack}, usage errors and C{tessera run}'s options.
    """

    def test_pack(self) -> None:
        """
        Packing an existing database succeeds and keeps the world.
        """
        self.run_cli("content", "load", DEFAULT, "--db", self.db)
        status, out, err = self.run_cli("db", "pack", "--db", self.db)
        self.assertEqual((status, err), (0, ""))
        self.assertTrue(out.startswith(f"packed {self.db}: "), out)
        store = WorldStore(self.db)
        self.addCleanup(store.close)
        self.assertEqual(store.root.start_room.name, "The Harbour Wall")

    def test_pack_missing(self) -> None:
        """
        Packing a database that does not exist is refused, and none is made.
        """
        status, _out, err = self.run_cli("db", "pack", "--db", self.db)
        self.assertOneLineError(status, err, "there is no database at")
        self.assertFalse(os.path.exists(self.db))

    def test_pack_locked(self) -> None:
        """
        Packing a database a running server holds is refused.
        """
        store = WorldStore(self.db)
        self.addCleanup(store.close)
        status, _out, err = self.run_cli("db", "pack", "--db", self.db)
        self.assertOneLineError(status, err, "in use by another process")

    def test_usage_errors(self) -> None:
        """
        A command line that does not parse exits 2 with the reason first.
        """
        for argv in ([], ["frobnicate"], ["content"], ["content", "check"],
                     ["db", "pack", "--days", "-1"], ["run", "--port", "many"]):
            status, _out, err = self.run_cli(*argv)
            self.assertEqual(status, 2, argv)
            self.assertTrue(err.startswith("tessera: "), (argv, err))
            self.assertNotIn("Traceback", err)

    def test_run_options(self) -> None:
        """
        C{tessera run --memory --port 0} parses into the composition root's
        options.
        """
        options = cli.TesseraOptions()
        options.parseOptions(["run", "--memory", "--port", "0", "--pack-interval", "0"])
        self.assertEqual(options.subCommand, "run")
        sub = options.subOptions
        self.assertIsInstance(sub, tap.Options)
        self.assertEqual((sub["memory"], sub["port"], sub["pack-interval"]), (True, 0, 0.0))
        self.assertEqual(sub["db"], os.path.join("var", "world.fs"))

    def test_run_refuses_meaningless_limits(self) -> None:
        """
        Every limit option refuses values below its least sensible value, NaN
        and infinity, naming the option; the defaults and the least values
        themselves parse.
        """
        for name, (least, _what) in tap.Options.BOUNDS.items():
            for bad in ("nan", "inf", str(least - 1)):
                options = tap.Options()
                with self.assertRaises(usage.UsageError) as caught:
                    options.parseOptions([f"--{name}", bad])
                if bad not in ("nan", "inf"):  # int options refuse those while parsing
                    self.assertIn(f"--{name} must be", str(caught.exception))
            value = str(int(least)) if float(least).is_integer() else str(least)
            tap.Options().parseOptions([f"--{name}", value])
        tap.Options().parseOptions([])
        for argv in (["--port", "65536"], ["--default-role", "god"], ["--web-port", "-1"],
                     ["--web-port", "65536"], ["--web-origin", "mud.example.org"],
                     ["--web-origin", "https://mud.example.org/play"], ["--web-origin", "ftp://x"]):
            self.assertRaises(usage.UsageError, tap.Options().parseOptions, argv)
        status, _out, err = self.run_cli("run", "--command-rate", "nan")
        self.assertEqual(status, 2)
        self.assertTrue(err.startswith("tessera: --command-rate must be"), err)


class WorldServiceTests(CLITestCase):
    """
    The world service in L{tap.makeService}: content at start, packing on
    schedule, the store closed at stop. The whole tree is built, on a
    memory reactor (its listener listens nowhere).
    """

    def options(self, *argv: str) -> tap.Options:
        options = tap.Options()
        options.parseOptions(list(argv))
        return options

    def test_memory_world_with_listeners(self) -> None:
        """
        A memory world loads the default content, and the server the
        listeners serve holds the same store.
        """
        reactor = MemoryReactorClock()
        top = tap.makeService(self.options("--memory", "--port", "0"), reactor)
        top.startService()
        self.addCleanup(top.stopService)
        world = top.getServiceNamed("world")
        self.assertIs(top.getServiceNamed("sessions").server.store, world.store)
        self.assertTrue(top.getServiceNamed("telnet").running)
        self.assertEqual(len(reactor.tcpServers), 1)
        self.assertIsNotNone(world.store.root.by_content("harbour"))
        self.assertIsNone(top.namedServices.get("packer"))

    def test_web_listener(self) -> None:
        """
        --web-port adds the web client's listener on the same server, with
        the web options; without it there is none.
        """
        reactor = MemoryReactorClock()
        top = tap.makeService(self.options(
            "--memory", "--port", "0", "--web-port", "4080", "--web-interface", "127.0.0.1",
            "--web-origin", "https://mud.example.org/, http://other.example:8080",
            "--web-max-message", "2048", "--web-timeout", "5", "--web-per-address", "3"),
            reactor)
        top.startService()
        self.addCleanup(top.stopService)
        web = top.getServiceNamed("web")
        self.assertTrue(web.running)
        self.assertEqual([(port, interface) for port, _f, _b, interface in reactor.tcpServers],
                         [(0, "localhost"), (4080, "127.0.0.1")])
        factory = reactor.tcpServers[1][1]
        self.assertEqual(factory.web, WebLimits(max_message=2048, timeout=5.0, per_address=3,
                                                origins=("https://mud.example.org",
                                                         "http://other.example:8080")))
        self.assertIs(factory.limits, top.getServiceNamed("sessions").server.limits)
        without = tap.makeService(self.options("--memory", "--port", "0"), MemoryReactorClock())
        self.assertIsNone(without.namedServices.get("web"))

    def test_bad_content_releases_database(self) -> None:
        """
        Content with problems stops the start with L{ContentError}, and the
        database is closed so it can be opened again.
        """
        folder = self.content("bad", "[rooms.a]\n")
        top = tap.makeService(self.options("--db", self.db, "--content", folder),
                              MemoryReactorClock())
        self.assertRaises(ContentError, top.startService)
        WorldStore(self.db).close()

    def test_server_syncs_once_per_reactor_turn(self) -> None:
        """
        A server on a file database commits its turns without waiting for
        the disk and puts them there with one fsync on the reactor's next
        turn.
        """
        clock = MemoryReactorClock()
        top = tap.makeService(self.options("--db", self.db, "--pack-interval", "0"), clock)
        top.startService()
        self.addCleanup(top.stopService)
        clock.advance(0)  # what start leaves for after listening (reading names) is done
        store = top.getServiceNamed("world").store
        synced: list[bool] = []
        self.patch(store.db.storage, "sync_to_disk", lambda: synced.append(True))
        with store.turn() as turn:
            turn.root.create(Room, "Attic")
        with store.turn() as turn:
            turn.root.create(Room, "Cellar")
        self.assertEqual(synced, [])
        clock.advance(0)
        self.assertEqual(synced, [True])

    def test_sync_every_turn(self) -> None:
        """
        --sync-every-turn: each turn waits for the disk as it commits.
        """
        top = tap.makeService(self.options("--db", self.db, "--pack-interval", "0",
                                           "--sync-every-turn"), MemoryReactorClock())
        top.startService()
        self.addCleanup(top.stopService)
        self.assertFalse(top.getServiceNamed("world").store.db.storage.defer_sync)

    def test_packs_on_schedule(self) -> None:
        """
        The database is packed every pack-interval seconds, the first time one
        interval after start (not during it); a failed pack is logged and the
        next one still happens.
        """
        clock = MemoryReactorClock()
        top = tap.makeService(self.options("--db", self.db, "--pack-interval", "60",
                                           "--pack-days", "2"), clock)
        world = top.getServiceNamed("world")
        calls: list[float] = []

        def pack(days: float) -> None:
            calls.append(days)
            if len(calls) == 2:
                raise StoreError("disk on fire")

        self.patch(world.store, "pack", pack)
        top.startService()
        self.assertEqual(calls, [])
        clock.advance(60)
        self.assertEqual(calls, [2.0])
        clock.advance(60)
        self.assertEqual(calls, [2.0, 2.0])
        clock.advance(60)
        self.assertEqual(calls, [2.0, 2.0, 2.0])
        top.stopService()
        clock.advance(600)
        self.assertEqual(calls, [2.0, 2.0, 2.0])

    def test_stop_closes_store(self) -> None:
        """
        Stopping the server releases the database.
        """
        top = tap.makeService(self.options("--db", self.db, "--pack-interval", "0"),
                              MemoryReactorClock())
        top.startService()
        top.stopService()
        WorldStore(self.db).close()


AREA = """[rooms.a]
name = "A"
description = "Room A."
start = true
exits.north = "b"
[rooms.b]
name = "B"
description = "Room B."
exits.south = "a"
"""


class ContentSourceTests(CLITestCase):
    """
    A world remembers the content folder it was loaded from, so that loading
    another folder (or a plain restart) never silently swaps its content and
    removes the exits only its own folder has.
    """

    def options(self, *argv: str) -> tap.Options:
        options = tap.Options()
        options.parseOptions(list(argv))
        return options

    def two_folders(self) -> tuple[str, str]:
        mine = self.content("mine", AREA + 'exits.up = "c"\n[rooms.c]\nname = "C"\n'
                                           'description = "Room C."\nexits.down = "b"\n')
        other = self.content("other", AREA)
        return mine, other

    def exits_of_b(self) -> list[str]:
        store = WorldStore(self.db)
        try:
            return sorted(e.name for e in store.root.by_content("b").exits())
        finally:
            store.close()

    def test_load_of_another_folder_refused(self) -> None:
        """
        'content load' of another folder into a world is refused in one line
        naming both folders, and changes nothing; '--replace' loads it.
        """
        mine, other = self.two_folders()
        self.assertEqual(self.run_cli("content", "load", mine, "--db", self.db)[0], 0)
        before = self.read_db()
        status, out, err = self.run_cli("content", "load", other, "--db", self.db)
        self.assertOneLineError(status, err, f"this world was loaded from {mine}, not {other}")
        self.assertIn("--replace", err)
        self.assertEqual(self.read_db(), before)
        self.assertEqual(self.exits_of_b(), ["south", "up"])
        status, out, err = self.run_cli("content", "load", other, "--db", self.db, "--replace")
        self.assertEqual((status, err), (0, ""))
        self.assertIn("1 exit(s) removed", out)
        self.assertEqual(self.exits_of_b(), ["south"])

    def test_plain_start_loads_the_worlds_own_content(self) -> None:
        """
        A server started without --content loads the folder its world was
        loaded from, not the default world.
        """
        mine, _ = self.two_folders()
        self.run_cli("content", "load", mine, "--db", self.db)
        top = tap.makeService(self.options("--db", self.db, "--pack-interval", "0"),
                              MemoryReactorClock())
        top.startService()
        world = top.getServiceNamed("world")
        self.assertIsNone(world.store.root.by_content("harbour"))
        self.assertIsNotNone(world.store.root.by_content("c"))
        top.stopService()
        self.assertEqual(self.exits_of_b(), ["south", "up"])

    def test_start_with_another_folder_refused(self) -> None:
        """
        A server asked to load another folder than its world's does not
        start (one line, the database released and unchanged).
        """
        mine, other = self.two_folders()
        self.run_cli("content", "load", mine, "--db", self.db)
        before = self.read_db()
        top = tap.makeService(self.options("--db", self.db, "--content", other),
                              MemoryReactorClock())
        error = self.assertRaises(ContentError, top.startService)
        self.assertIn(f"this world was loaded from {mine}", str(error))
        self.assertEqual(self.read_db(), before)

    def test_a_new_world_gets_the_default(self) -> None:
        """
        A new world started without --content loads the default world, and
        remembers it.
        """
        top = tap.makeService(self.options("--db", self.db, "--pack-interval", "0"),
                              MemoryReactorClock())
        top.startService()
        world = top.getServiceNamed("world")
        self.assertIsNotNone(world.store.root.by_content("harbour"))
        self.assertEqual(world.store.root.settings["content.source"], os.path.realpath(DEFAULT))
        top.stopService()

    def test_content_folder_gone(self) -> None:
        """
        If the world's own folder is gone, a plain start loads nothing and
        the world stays as it was.
        """
        import shutil

        mine, _ = self.two_folders()
        self.run_cli("content", "load", mine, "--db", self.db)
        shutil.rmtree(mine)
        top = tap.makeService(self.options("--db", self.db, "--pack-interval", "0"),
                              MemoryReactorClock())
        top.startService()
        top.stopService()
        self.assertEqual(self.exits_of_b(), ["south", "up"])


class PluginTests(unittest.TestCase):
    """
    The twistd plugin calls the one composition root.
    """

    def test_plugin_module(self) -> None:
        """
        twisted/plugins/tessera_plugin.py offers a service maker named
        tessera built from engine.tap.
        """
        path = os.path.join(ROOT, "twisted", "plugins", "tessera_plugin.py")
        spec = importlib.util.spec_from_file_location("tessera_plugin_under_test", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        maker = module.tessera
        self.assertTrue(IServiceMaker.providedBy(maker))
        self.assertEqual(maker.tapname, "tessera")
        self.assertIs(maker.options, tap.Options)
        calls: list = []
        self.patch(tap, "limit_address_space", lambda mib: calls.append(("limit", mib)))
        self.patch(tap, "quiet_script_finalizers", lambda: calls.append(("quiet",)))
        self.patch(tap, "makeService", lambda options: calls.append(("make", options)) or "svc")
        options = tap.Options()
        options.parseOptions(["--address-space", "1234"])
        self.assertEqual(maker.makeService(options), "svc")
        self.assertEqual(calls, [("limit", 1234), ("quiet",), ("make", options)])

    def test_twistd_finds_the_plugin(self) -> None:
        """
        twistd's plugin discovery (the installed checkout) lists tessera.
        """
        from twisted.plugin import getPlugins

        self.assertIn("tessera", [maker.tapname for maker in getPlugins(IServiceMaker)])


class FinalizerNoiseTests(unittest.TestCase):
    """
    Script objects finalised outside a task do not flood the console.
    """

    def test_generators_collected_later_print_nothing(self) -> None:
        """
        A script leaving a hundred suspended generators with finally blocks
        behind: when they are collected outside the task, stderr stays empty
        and the finally blocks never run. (Scripts may no longer pause a
        generator inside a try with finally, L{scripting.validate}: the rule
        is lifted here, as L{tests.scripting.test_finalizers.lift_generator_rule}
        does, to test the defence behind it.)
        """
        code = ("import gc\n"
                "from engine.tap import quiet_script_finalizers\n"
                "import scripting\n"
                "from scripting import compiler, validate\n"
                "compiler.validate = lambda tree: [v for v in validate.validate(tree)\n"
                "                                  if \"'yield' inside a 'try'\" not in v.reason]\n"
                "quiet_script_finalizers()\n"
                "source = ('def g():\\n    try:\\n        yield 1\\n    finally:\\n'\n"
                "          '        print(\"ran\")\\n'\n"
                "          'kept = []\\nfor i in range(100):\\n    x = g()\\n    next(x)\\n'\n"
                "          '    kept.append(x)\\n')\n"
                "domain = scripting.Domain('ann')\n"
                "module = domain.load(source, name='gens')\n"
                "print(module.result.ok)\n"
                "del module, domain\n"
                "gc.collect()\n"
                "import sys\n"
                "print(sys.unraisablehook.stopped >= 100)\n")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=False, cwd=ROOT)
        self.assertEqual(done.stdout.split(), ["True", "True"], done.stderr)
        self.assertEqual(done.stderr, "")


class AddressSpaceTests(unittest.TestCase):
    """
    The process-wide memory backstop behind the sandbox's charges.
    """

    def test_limit_refuses_allocations_past_it(self) -> None:
        """
        Under a 256 MiB limit, allocating 512 MiB fails with MemoryError and
        the process goes on.
        """
        code = ("from engine.tap import limit_address_space\n"
                "limit_address_space(256)\n"
                "try:\n"
                "    bytearray(512 * 1024 * 1024)\n"
                "except MemoryError:\n"
                "    print('refused')\n"
                "print('alive')\n")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=False, cwd=ROOT)
        self.assertEqual(done.stdout.split(), ["refused", "alive"], done.stderr)

    def test_zero_means_no_limit(self) -> None:
        """
        --address-space 0 leaves the limit as it was.
        """
        import resource

        before = resource.getrlimit(resource.RLIMIT_AS)
        tap.limit_address_space(0)
        self.assertEqual(resource.getrlimit(resource.RLIMIT_AS), before)


class ConsoleScriptTests(CLITestCase):
    """
    The installed C{tessera} script, run as a separate process.
    """

    def tessera(self, *argv: str) -> subprocess.CompletedProcess:
        script = os.path.join(os.path.dirname(sys.executable), "tessera")
        command = [script] if os.path.exists(script) else [sys.executable, "-m", "engine.cli"]
        return subprocess.run([*command, *argv], capture_output=True, text=True, check=False)

    def test_run_with_bad_content(self) -> None:
        """
        A server whose content has problems does not start: one line on
        stderr (not in the log), exit 1, and the database is released.
        """
        folder = self.content("bad", "[rooms.a]\n")
        result = self.tessera("run", "--db", self.db, "--port", "0", "--content", folder)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stderr.splitlines(), [
            f"tessera: cannot load {folder}: {folder}/area.toml:1: [rooms.a] has no 'name' "
            "(it needs a one-line string of at most 80 characters); run 'tessera content "
            f"check {folder}' to see all 3"])
        WorldStore(self.db).close()

    def test_locked_database(self) -> None:
        """
        With a server's store holding the database, the console script
        prints one line, no traceback, and exits 1.
        """
        store = WorldStore(self.db)
        self.addCleanup(store.close)
        result = self.tessera("content", "load", DEFAULT, "--db", self.db)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stderr.splitlines(), [
            f"tessera: the database at {self.db} is in use by another process "
            "(is a Tessera server already running on it?)"])

    def test_version(self) -> None:
        """
        'tessera --version' names Tessera's version (then Twisted's and
        Python's), not Twisted's alone.
        """
        from importlib.metadata import version

        result = self.tessera("--version")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.startswith(f"tessera {version('tessera')} (Twisted "),
                        result.stdout)

    def test_port_in_use(self) -> None:
        """
        A port another program holds is one line on stderr and exit 1, no
        traceback.
        """
        import socket

        taken = socket.socket()
        self.addCleanup(taken.close)
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = self.tessera("run", "--memory", "--content", "", "--interface", "127.0.0.1",
                              "--port", str(port))
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stderr.splitlines(), [
            f"tessera: cannot listen on 127.0.0.1:{port}: Address already in use (is another "
            "server running there? choose another --port)"])
