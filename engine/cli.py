# -*- test-case-name: tests.test_cli -*-
"""
The C{tessera} command: run the server, check and load content, pack the
database.

Every failure an operator can cause (a bad path, a locked or newer database,
broken content) ends in one clear line on stderr and a non-zero exit, never a
traceback.
"""

from __future__ import annotations

import contextlib
import getopt
import os
import platform
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

import twisted
from twisted.internet.error import CannotListenError
from twisted.logger import globalLogBeginner, textFileLogObserver
from twisted.python import usage

from engine import tap
from engine.network import KeyFileError, run_stopping_on_signals
from engine.scripts.content import report as check_report
from scripting.facets.lifecycle import KEEPER
from world.loader import ContentError, load
from world.store import StoreError, WorldStore


class _AnyOrder(usage.Options):
    """
    Options that may come before or after the positional arguments
    (C{content load DIR --db PATH} as well as C{content load --db PATH DIR}).
    """

    def parseOptions(self, options: Sequence[str] | None = None) -> None:
        argv = list(sys.argv[1:] if options is None else options)
        try:
            opts, args = getopt.gnu_getopt(argv, self.shortOpt, self.longOpt)
        except getopt.error as e:
            raise usage.UsageError(str(e)) from None
        ordered: list[str] = []
        for opt, value in opts:
            if opt.startswith("--"):
                takes = opt[2:] + "=" in self.longOpt
                ordered.append(f"{opt}={value}" if takes else opt)
            else:
                takes = opt[1] + ":" in self.shortOpt
                ordered.append(opt + value if takes else opt)
        super().parseOptions([*ordered, "--", *args])


class ContentCheckOptions(_AnyOrder):
    """
    C{tessera content check DIR}.
    """
    synopsis = "DIR"

    # usage.Options subclasses name their positional arguments here (Twisted's
    # documented way), which its annotations do not foresee.
    def parseArgs(self, directory: str) -> None:  # type: ignore[override]
        self["directory"] = directory


class ContentLoadOptions(_AnyOrder):
    """
    C{tessera content load DIR}.
    """
    synopsis = "DIR [--db PATH] [--replace]"
    optParameters = [["db", "d", "var/world.fs", "World database file."]]
    optFlags = [["replace", None,
                 "Load DIR even if the world was loaded from another folder, which it "
                 "replaces from now on."]]

    def parseArgs(self, directory: str) -> None:  # type: ignore[override]
        self["directory"] = directory


class _Group(usage.Options):
    """
    A command that only holds subcommands (C{content}, C{db}).
    """

    synopsis = ""

    def getSynopsis(self) -> str:
        return super().getSynopsis().rstrip()


class ContentOptions(_Group):
    """
    C{tessera content}: check or load a content folder.
    """
    subCommands = [
        ["check", None, ContentCheckOptions,
         "Report every error in a content folder (and warn of likely mistakes)."],
        ["load", None, ContentLoadOptions, "Load a content folder into a world (idempotent)."],
    ]

    def postOptions(self) -> None:
        if self.subCommand is None:
            raise usage.UsageError("say 'content check DIR' or 'content load DIR'")


class PackOptions(_AnyOrder):
    """
    C{tessera db pack}.
    """
    synopsis = "[--db PATH] [--days DAYS]"
    optParameters = [
        ["db", "d", "var/world.fs", "World database file."],
        ["days", None, 0.0, "Keep this many days of history.", float],
    ]

    def postOptions(self) -> None:
        if self["days"] < 0:
            raise usage.UsageError("--days cannot be negative")


class DbOptions(_Group):
    """
    C{tessera db}: database maintenance.
    """
    subCommands = [["pack", None, PackOptions, "Pack the database file now."]]

    def postOptions(self) -> None:
        if self.subCommand is None:
            raise usage.UsageError("say 'db pack'")


class TesseraOptions(usage.Options):
    """
    The C{tessera} command line: run, content, db.
    """
    synopsis = "Usage: tessera"
    subCommands = [
        ["run", None, tap.Options, "Run the server."],
        ["content", None, ContentOptions, "Check or load builder content."],
        ["db", None, DbOptions, "Database maintenance."],
    ]

    def postOptions(self) -> None:
        if self.subCommand is None:
            raise usage.UsageError("say 'tessera run', 'tessera content check DIR', ...")

    def opt_version(self) -> None:
        """
        Print Tessera's version (and Twisted's and Python's) and exit.
        """
        print(version_line())
        sys.exit(0)


def version_line() -> str:
    """
    C{tessera 0.1.0 (Twisted 24.3.0, Python 3.11.7)}.
    """
    try:
        mine = version("tessera")
    except PackageNotFoundError:  # run from a checkout that was never installed
        mine = "(not installed)"
    return f"tessera {mine} (Twisted {twisted.__version__}, Python {platform.python_version()})"


def main(argv: Sequence[str] | None = None) -> int:
    """
    Entry point of the C{tessera} console script.

    @return: the exit status: 0 on success, 1 when something failed (one line
        on stderr says what), 2 for a command line that does not parse.
    """
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into something that stopped reading (| head) is not
        # worth a traceback.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _main(argv: list[str]) -> int:
    options = TesseraOptions()
    try:
        options.parseOptions(argv)
    except usage.UsageError as e:
        print(f"tessera: {e}", file=sys.stderr)
        print(str(options), file=sys.stderr)
        return 2
    try:
        return _dispatch(options.subCommand or "", options.subOptions)
    except (StoreError, ContentError, KeyFileError) as e:
        print(f"tessera: {e}", file=sys.stderr)
        return 1


def _dispatch(command: str, sub: usage.Options) -> int:
    if command == "run":
        assert isinstance(sub, tap.Options)
        return _run(sub)
    if command == "content":
        return _content(sub.subCommand or "", sub.subOptions)
    if command == "db":
        return _pack(sub.subOptions)
    raise AssertionError(command)


def _pack(options: usage.Options) -> int:
    path = options["db"]
    store = WorldStore(path, create=False)
    try:
        before = os.path.getsize(path)
        store.pack(options["days"])
        after = os.path.getsize(path)
    finally:
        store.close()
    print(f"packed {path}: {before} bytes before, {after} after")
    return 0


def _content(command: str, sub: usage.Options) -> int:
    if command == "check":
        # Errors fail the check; notes (a function defined twice, a name nothing
        # defines) are printed as warnings and do not.
        found = check_report(sub["directory"])
        for problem in found.errors:
            print(problem, file=sys.stderr)
        for note in found.notes:
            print(f"warning: {note}", file=sys.stderr)
        warned = f", {len(found.notes)} warning(s)" if found.notes else ""
        if found.errors:
            print(f"{len(found.errors)} problem(s) found{warned}", file=sys.stderr)
            return 1
        print(f"{sub['directory']}: no problems{warned}")
        return 0
    store = WorldStore(sub["db"])
    try:
        report = load(store, sub["directory"], keeper=KEEPER, replace=sub["replace"])
    finally:
        store.close()
    print(f"loaded {sub['directory']} into {sub['db']}: {report}")
    return 0


def _run(options: tap.Options) -> int:
    # Importing the reactor installs it: only when the server really runs.
    from twisted.internet import reactor

    tap.limit_address_space(options["address-space"])
    tap.quiet_script_finalizers()
    top = tap.makeService(options, reactor)
    # Keep stderr for the one-line errors main() prints.
    globalLogBeginner.beginLoggingTo([textFileLogObserver(sys.stdout)], redirectStandardIO=False)
    try:
        top.startService()
    except CannotListenError as e:
        with contextlib.suppress(Exception):  # release the database; we are stopping anyway
            top.getServiceNamed("world").stopService()
        reason = getattr(e.socketError, "strerror", None) or str(e.socketError)
        print(f"tessera: cannot listen on {e.interface or '*'}:{e.port}: {reason} (is another "
              "server running there? choose another --port)", file=sys.stderr)
        return 1
    reactor.addSystemEventTrigger("before", "shutdown", top.stopService)
    # A second signal while it stops is a line, not a traceback; one after
    # it stopped is ignored, not the process's exit status.
    run_stopping_on_signals(reactor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
