"""
The C{tessera} command: run the server, check and load content, pack the
database.

Every failure an operator can cause (a bad path, a locked or newer database,
broken content) ends in one clear line on stderr and a non-zero exit, never a
traceback.
"""

from __future__ import annotations

import sys
from typing import Sequence

from twisted.python import usage

from engine import tap
from world.store import StoreError, WorldStore


class ContentCheckOptions(usage.Options):
    synopsis = "DIR"

    def parseArgs(self, directory: str) -> None:
        self["directory"] = directory


class ContentLoadOptions(usage.Options):
    synopsis = "DIR"
    optParameters = [["db", "d", "var/world.fs", "World database file."]]

    def parseArgs(self, directory: str) -> None:
        self["directory"] = directory


class ContentOptions(usage.Options):
    subCommands = [
        ["check", None, ContentCheckOptions, "Report every error in a content folder."],
        ["load", None, ContentLoadOptions, "Load a content folder into a world (idempotent)."],
    ]

    def postOptions(self) -> None:
        if self.subCommand is None:
            raise usage.UsageError("say 'content check DIR' or 'content load DIR'")


class PackOptions(usage.Options):
    optParameters = [
        ["db", "d", "var/world.fs", "World database file."],
        ["days", None, 0.0, "Keep this many days of history.", float],
    ]


class DbOptions(usage.Options):
    subCommands = [["pack", None, PackOptions, "Pack the database file now."]]

    def postOptions(self) -> None:
        if self.subCommand is None:
            raise usage.UsageError("say 'db pack'")


class TesseraOptions(usage.Options):
    synopsis = "tessera COMMAND [options]"
    subCommands = [
        ["run", None, tap.Options, "Run the server."],
        ["content", None, ContentOptions, "Check or load builder content."],
        ["db", None, DbOptions, "Database maintenance."],
    ]

    def postOptions(self) -> None:
        if self.subCommand is None:
            raise usage.UsageError("say 'tessera run', 'tessera content check DIR', ...")


def main(argv: Sequence[str] | None = None) -> int:
    """
    Entry point of the C{tessera} console script.
    """
    options = TesseraOptions()
    try:
        options.parseOptions(list(sys.argv[1:] if argv is None else argv))
    except usage.UsageError as e:
        print(f"tessera: {e}", file=sys.stderr)
        print(str(options), file=sys.stderr)
        return 2
    try:
        return _dispatch(options.subCommand, options.subOptions)
    except StoreError as e:
        print(f"tessera: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _dispatch(command: str, sub: usage.Options) -> int:
    if command == "run":
        return _run(sub)
    if command == "content":
        return _content(sub.subCommand, sub.subOptions)
    if command == "db":
        store = WorldStore(sub.subOptions["db"])
        try:
            store.pack(sub.subOptions["days"])
        finally:
            store.close()
        print(f"packed {sub.subOptions['db']}")
        return 0
    raise AssertionError(command)


def _content(command: str, sub: usage.Options) -> int:
    from world.loader import ContentError, check, load

    if command == "check":
        problems = check(sub["directory"])
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} problem(s) found", file=sys.stderr)
            return 1
        print(f"{sub['directory']}: no problems")
        return 0
    store = WorldStore(sub["db"])
    try:
        report = load(store, sub["directory"])
    except ContentError as e:
        print(f"tessera: {e}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(report)
    return 0


def _run(options: tap.Options) -> int:
    from twisted.internet import reactor
    from twisted.logger import globalLogBeginner, textFileLogObserver

    from world.loader import ContentError

    globalLogBeginner.beginLoggingTo([textFileLogObserver(sys.stdout)])
    try:
        top = tap.makeService(options, reactor)
        top.startService()
    except ContentError as e:
        print(f"tessera: {e}", file=sys.stderr)
        return 1
    reactor.addSystemEventTrigger("before", "shutdown", top.stopService)
    reactor.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
