# -*- test-case-name: tests.world.test_store,tests.world.test_limits_audit -*-
"""
The world's database and its turns.

A L{WorldStore} opens ZODB on a FileStorage file (or in memory for tests) and
runs every change to the world inside a L{Turn}: one transaction, committed or
rolled back whole. Events a turn emits are delivered to minds only after it
commits, so nobody perceives a turn that was rolled back.

A running server commits each turn to the file at once but asks the disk to
keep it (C{fsync}) once per reactor turn, for every turn committed in it (see
L{WorldStore.sync_in_batches}): a process killed at any moment loses at most
the turn in flight, and many players' commands share one wait for the disk.
"""

from __future__ import annotations

import contextlib
import os
import struct
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NoReturn

import transaction
import zc.lockfile
import ZODB
from twisted.logger import Logger
from ZODB.FileStorage import FileStorage
from ZODB.FileStorage.FileStorage import FileStorageError
from ZODB.FileStorage.FileStorage import packed_version as FILESTORAGE_MAGIC
from ZODB.FileStorage.format import TRANS_HDR, TRANS_HDR_LEN
from ZODB.MappingStorage import MappingStorage

from world import generations, names
from world import root as _root_module
from world.events import Event
from world.interfaces import IMind
from world.root import WorldRoot

ROOT_KEY = "tessera"
_log = Logger()

#: Persistent records the world's connection keeps in memory between turns
#: (ZODB's own default is 400). A world object is about four records (the
#: thing, its contents, properties and scripts), so this holds the working
#: set of a few thousand connected characters, their rooms and what is in
#: them; past it, least recently used records are let go at the end of a
#: turn and read from the file again when touched. Memory: roughly 0.5-1 KB a
#: record for ordinary objects (see docs/benchmarks.md), so about 100 MB at
#: the default. Raise it for a world whose busy part is larger.
DEFAULT_CACHE_SIZE = 200_000


def _looks_like_filestorage(path: str) -> bool:
    """
    Whether C{path} is missing, empty, or starts like a FileStorage file.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(len(FILESTORAGE_MAGIC))
    except FileNotFoundError:
        return True
    except OSError as e:
        raise StoreError(f"cannot read the database at {path}: {e.strerror}") from None
    return head in (b"", FILESTORAGE_MAGIC)


def _first_transaction_sane(path: str) -> bool:
    """
    Whether the first transaction record of the FileStorage file C{path} is
    whole (or there is none).

    FileStorage recovers from a crash by cutting off a damaged I{tail} of the
    file (saving it beside the file as C{.tr0}); that is what we want after a
    C{kill -9}. But if the very first record is damaged it would cut off
    everything and start an empty world, so that case is refused instead.
    """
    start = len(FILESTORAGE_MAGIC)
    if not os.path.exists(path):
        return True
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        if size <= start:
            return True
        f.seek(start)
        header = f.read(TRANS_HDR_LEN)
        if len(header) != TRANS_HDR_LEN:
            return False
        _tid, length, status, ul, dl, el = struct.unpack(TRANS_HDR, header)
        if (status not in b" up" or length < TRANS_HDR_LEN + ul + dl + el
                or start + length + 8 > size):
            return False
        f.seek(start + length)
        return struct.unpack(">Q", f.read(8))[0] == length


def _cut_tails(path: str) -> set[str]:
    """
    The files FileStorage has kept beside C{path} for cut-off tails
    (C{.tr0}, C{.tr1}...).
    """
    directory, name = os.path.split(os.path.abspath(path))
    try:
        return {f for f in os.listdir(directory)
                if f.startswith(name + ".tr") and f[len(name) + 3:].isdigit()}
    except OSError:
        return set()


def _report_cut(path: str, size: int, kept: set[str]) -> None:
    """
    If opening C{path} (C{size} bytes before) cut off a torn last
    transaction, say so, and where it was kept.
    """
    after = os.path.getsize(path)
    if after >= size:
        return
    new = sorted(_cut_tails(path) - kept)
    where = (f"it was kept in {os.path.join(os.path.dirname(path), new[-1])}" if new
             else "it was too short to keep")
    _log.warn("the last transaction in {path} was incomplete (the server stopped while "
              "writing it): {cut} bytes were cut off and {where}; every transaction before "
              "it is intact", path=path, cut=size - after, where=where)


def _discard(storage: FileStorage) -> None:
    """
    Let go of whatever a half-opened FileStorage holds (its lock above all).
    """
    for name in ("_file", "_tfile", "_lock_file", "_files"):
        thing = storage.__dict__.get(name)
        if thing is not None:
            with contextlib.suppress(Exception):
                thing.close()


def _raise_open_error(path: str) -> NoReturn:
    """
    Turn the exception being handled while opening C{path} into a
    L{StoreError}.
    """
    error = sys.exc_info()[1]
    if isinstance(error, zc.lockfile.LockError):
        raise StoreError(
            f"the database at {path} is in use by another process "
            "(is a Tessera server already running on it?)"
        ) from None
    if isinstance(error, (KeyboardInterrupt, SystemExit)):
        raise error
    if isinstance(error, OSError) and not isinstance(error, FileStorageError):
        raise StoreError(
            f"cannot open the database at {path}: {error.strerror or error}") from None
    raise StoreError(
        f"the database at {path} is damaged and cannot be opened "
        f"({type(error).__name__}; restore a backup)"
    ) from None


class _FileStorage(FileStorage):
    """
    A FileStorage that can leave the C{fsync} of its commits to
    L{sync_to_disk} (not ZODB's C{sync}, which is about other connections).

    @ivar defer_sync: whether a commit ends once its transaction is written
        to the file (in the operating system's hands: it survives the
        process, not a power cut) rather than on the disk.
    @ivar unsynced: whether a commit written since the last L{sync_to_disk}
        is not yet on the disk.
    """

    defer_sync = False
    unsynced = False

    def _finish_finish(self, tid: bytes) -> None:
        if not self.defer_sync:
            super()._finish_finish(tid)
            return
        # ZODB's FileStorage._finish_finish (a method of its own so that it can
        # be replaced) less its fsync, which sync_to_disk() makes later.
        self._file.flush()
        self.unsynced = True
        self._pos = self._nextpos
        self._index.update(self._tindex)
        self._ltid = tid
        self._blob_tpc_finish()

    def sync_to_disk(self) -> None:
        """
        Put every commit written so far on the disk (one C{fsync}).
        """
        with self._lock:
            if self.unsynced:
                self.unsynced = False
                os.fsync(self._file.fileno())


class StoreError(Exception):
    """
    The database cannot be opened or used. The message is one line for an
    operator.
    """


class Turn:
    """
    One transaction's worth of world changes, and the events they produce.

    @ivar root: the L{WorldRoot}.
    @ivar workers: who made this turn's work, for charging it: filled by
        whoever runs work on someone's behalf (the script runtime: owner →
        ticks their scripts used in it). Not rolled back by savepoints.
    @ivar destroyed: the id of each object destroyed in it, in order (a
        savepoint's rollback takes out those it brought back), for the
        server to forget what it keeps in memory for them once it commits.
    @ivar commit_seconds: how long committing it took (set once committed).
    @ivar written: the bytes committing it wrote to the database (set once
        committed).
    @ivar awake: the characters with a connected mind, by id (the store's
        L{WorldStore.minds}; None: everyone is, as for a turn made alone):
        what L{tell_room} reads instead of a crowded room's sleepers.
    """

    def __init__(self, root: WorldRoot, tm: Any = None,
                 awake: Mapping[int, Any] | None = None) -> None:
        self.root = root
        self.awake = awake
        self.events: list[tuple[int, Event]] = []
        self.after_commit: list[Callable[[], None]] = []
        self.after_abort: list[Callable[[], None]] = []
        self.workers: dict[Any, int] = {}
        self.destroyed: list[int] = []
        self.commit_seconds = 0.0
        self.written = 0
        self._tm = tm

    def savepoint(self) -> Savepoint:
        """
        Mark this point of the turn: L{Savepoint.rollback} undoes every world
        change made since, and forgets the events and hooks added since, while
        the rest of the turn goes on (an event handler that failed).
        """
        return Savepoint(self, self._tm.savepoint() if self._tm is not None else None)

    def tell(self, recipient: Any, event: Event) -> None:
        """
        Deliver C{event} to the mind of C{recipient} (an object or id) once the
        turn commits.
        """
        rid = recipient if isinstance(recipient, int) else recipient.id
        self.events.append((rid, event))

    def tell_room(self, room: Any, event: Event, *, exclude: tuple = ()) -> None:
        """
        Deliver C{event} to every character in C{room} except those in
        C{exclude} (objects or ids).

        Only an awake character (L{awake}) perceives anything, so where
        more characters are here than are awake in the whole world (an
        army of idle characters parked asleep in one room), the awake
        ones are read and those here kept, not the sleepers: telling a
        room reads at most as many characters as are connected, however
        many sleep there.
        """
        skip = {x if isinstance(x, int) else x.id for x in exclude}
        if room is None:
            return
        awake = self.awake
        if awake is not None and len(awake) < room.contents.count_people():
            for rid in list(awake):
                obj = self.root.get(rid)
                if obj is not None and obj.location is room and rid not in skip:
                    self.events.append((rid, event))
            return
        for obj in room.contents.characters():
            if obj.id not in skip:
                self.events.append((obj.id, event))


class Savepoint:
    """
    A point inside a turn to roll back to (see L{Turn.savepoint}).
    """

    def __init__(self, turn: Turn, zodb: Any) -> None:
        self.turn = turn
        self._zodb = zodb
        self._events = len(turn.events)
        self._commit = len(turn.after_commit)
        self._abort = len(turn.after_abort)
        self._destroyed = len(turn.destroyed)

    def rollback(self) -> None:
        """
        Undo the world changes, events and hooks added since this savepoint;
        the hooks for an abort added since still run now.
        """
        turn = self.turn
        if self._zodb is not None:
            self._zodb.rollback()
        del turn.events[self._events:]
        del turn.after_commit[self._commit:]
        del turn.destroyed[self._destroyed:]
        undone, turn.after_abort[self._abort:] = turn.after_abort[self._abort:], []
        for hook in undone:
            hook()


class WorldStore:
    """
    The open world database.

    @ivar minds: the connected minds, by character id (not persistent).
    @ivar committed: called with each turn just committed (its
        C{commit_seconds} and C{written} set), before its events are
        delivered: the script runtime charges the turn's workers for it.
    @ivar timer: reads elapsed seconds, to time commits (tests inject one).
    """

    def __init__(self, path: str | None = None, *, create: bool = True,
                 cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        """
        @param path: a FileStorage file, or None for a throwaway in-memory world.
        @param create: whether to create the file if there is none (otherwise
            a missing file is a L{StoreError}).
        @param cache_size: persistent records kept in memory between turns
            (see L{DEFAULT_CACHE_SIZE}).
        @raise StoreError: the database cannot be opened: the path is not
            writable, another process has it open, it is not a Tessera
            database, or it was written by a newer Tessera. The file is left
            exactly as it was.
        """
        self.path = path
        self.minds: dict[int, IMind] = {}
        self.committed: list[Callable[[Turn], None]] = []
        self.timer: Callable[[], float] = time.perf_counter
        self._turn: Turn | None = None
        self._later: Callable[[Callable[[], None]], object] | None = None
        self._sync_pending = False
        self._closed = False
        self.db = self._open_db(path, create, cache_size)
        self.tm = transaction.TransactionManager(explicit=True)
        self.connection = self.db.open(self.tm)
        try:
            self._prepare()
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _open_db(path: str | None, create: bool = True,
                 cache_size: int = DEFAULT_CACHE_SIZE) -> ZODB.DB:
        if path is None:
            return ZODB.DB(MappingStorage(), large_record_size=1 << 30, cache_size=cache_size)
        if os.path.isdir(path):
            raise StoreError(f"the database path {path} is a directory; give a file name")
        if not create and not os.path.exists(path):
            raise StoreError(f"there is no database at {path}")
        directory = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(directory, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create {directory}: {e.strerror}") from None
        if not os.access(directory, os.W_OK) or (
            os.path.exists(path) and not os.access(path, os.W_OK)
        ):
            raise StoreError(f"cannot write the database at {path}: permission denied")
        if not _looks_like_filestorage(path):
            raise StoreError(
                f"the file at {path} is not a Tessera database "
                "(it was left untouched; choose another --db, or restore a backup)"
            )
        if not _first_transaction_sane(path):
            raise StoreError(
                f"the database at {path} is damaged and cannot be opened "
                "(it was left untouched; restore a backup)"
            )
        # Build the storage in two steps so that, if opening fails half-way,
        # the lock and temporary file it already took can be let go.
        storage = _FileStorage.__new__(_FileStorage)
        kept = _cut_tails(path)
        size = os.path.getsize(path) if os.path.exists(path) else 0
        try:
            FileStorage.__init__(storage, path)  # (the class is untyped)
        except BaseException:
            _discard(storage)
            _raise_open_error(path)
        _report_cut(path, size, kept)
        try:
            return ZODB.DB(storage, large_record_size=1 << 30, cache_size=cache_size)
        except Exception:
            storage.close()
            raise StoreError(
                f"the database at {path} is damaged: its root cannot be read "
                "(restore a backup; a damaged tail, if any, was saved beside it in a .tr file)"
            ) from None

    def _prepare(self) -> None:
        with self.tm:
            dbroot = self.connection.root()
            world = dbroot.get(ROOT_KEY)
            if world is None:
                dbroot[ROOT_KEY] = WorldRoot()
                return
            if not isinstance(world, WorldRoot):
                raise StoreError(f"the database at {self.path} holds something that is not "
                                 "a Tessera world")
            stored = getattr(world, "generation", 0)
            target = _root_module.GENERATION
            if stored > target:
                raise StoreError(
                    f"the database at {self.path} was written by a newer Tessera (schema "
                    f"generation {stored}; this version understands up to {target}): "
                    "upgrade Tessera, or restore a backup"
                )
            if stored < target:
                _log.info("upgrading the database at {path} from schema generation {stored} "
                          "to {target}", path=self.path, stored=stored, target=target)
            try:
                generations.upgrade(world, stored, target)
                index = world.name_index
                if index is not None and index.looks_made_by != names.keys_stamp():
                    # Look-alike keys made by another table or other keys.
                    world.index_looks(generations.in_batches(world))
            except Exception as e:
                raise StoreError(
                    f"upgrading the database at {self.path} from schema generation "
                    f"{stored} to {target} failed ({e}); it was left unchanged"
                ) from None

    @property
    def root(self) -> WorldRoot:
        """
        The world root (for reading; change it only inside a turn).
        """
        return self.connection.root()[ROOT_KEY]

    @contextlib.contextmanager
    def turn(self) -> Iterator[Turn]:
        """
        Run one turn: yields a L{Turn}; commits when the block ends, rolls
        everything back (objects in memory included) if it raises.

        Events are delivered to minds after the commit, never for a rolled-back
        turn; C{turn.after_commit} hooks run after a commit, C{turn.after_abort}
        hooks after a rollback.
        """
        if self._turn is not None:
            raise RuntimeError("turns do not nest")
        self.tm.begin()
        turn = self._turn = Turn(self.root, self.tm, self.minds)
        try:
            with _root_module.recording_destroyed(turn.root, turn.destroyed):
                yield turn
            if turn.workers:  # someone is charged for it: measure what committing costs
                size, last = self._written_so_far(), self.db.lastTransaction()
                began = self.timer()
                self.tm.commit()
                turn.commit_seconds = max(0.0, self.timer() - began)
                if self.db.lastTransaction() != last:
                    turn.written = self._written_since(size)
            else:
                self.tm.commit()
        except BaseException:
            self.tm.abort()
            self._turn = None
            for hook in turn.after_abort:
                try:
                    hook()
                except Exception:
                    _log.failure("a hook run after a rolled-back turn failed")
            raise
        finally:
            self._turn = None
        self._sync_soon()
        for observe in self.committed:
            try:
                observe(turn)
            except Exception:
                _log.failure("an observer of committed turns failed")
        self.deliver(turn.events)
        for hook in turn.after_commit:
            hook()

    def sync_in_batches(self, later: Callable[[Callable[[], None]], object]) -> None:
        """
        From now on, let commits leave their C{fsync} to one L{sync_to_disk} for
        every turn committed before it: the first turn committed after a
        sync calls C{later(self.sync_to_disk)}, which must call it soon (a server
        passes C{lambda f: reactor.callLater(0, f)}: once per reactor turn,
        before the reactor waits for the network again).

        What this changes: a turn is written to the file before its events
        are delivered, as ever, so a process killed at any moment (C{kill
        -9}, a crash) loses at most the turn in flight; an operating system
        that stops (a power cut) may lose the turns of the last reactor turn,
        whose answers may already have left. A world in memory has no disk.
        """
        storage = self.db.storage
        if isinstance(storage, _FileStorage):
            storage.defer_sync = True
            self._later = later

    def _sync_soon(self) -> None:
        storage = self.db.storage
        if (self._later is not None and not self._sync_pending
                and getattr(storage, "unsynced", False)):
            self._sync_pending = True
            self._later(self.sync_to_disk)

    def sync_to_disk(self) -> None:
        """
        Put every turn committed so far on the disk (see L{sync_in_batches}).
        """
        self._sync_pending = False
        storage = self.db.storage
        if isinstance(storage, _FileStorage) and not self._closed:
            storage.sync_to_disk()

    def _written_so_far(self) -> int:
        storage = self.db.storage
        return storage.getSize() if isinstance(storage, FileStorage) else 0

    def _written_since(self, size: int) -> int:
        """
        The bytes the transaction just committed wrote: the growth of a
        FileStorage file; for other storages, its records' data.
        """
        storage = self.db.storage
        if isinstance(storage, FileStorage):
            return max(0, storage.getSize() - size)
        tid = self.db.lastTransaction()
        try:
            return sum(len(record.data or b"") for txn in storage.iterator(tid, tid)
                       for record in txn)
        except Exception:
            _log.failure("measuring a commit failed")
            return 0

    @property
    def current_turn(self) -> Turn | None:
        """
        The turn in progress, if any.
        """
        return self._turn

    def deliver(self, events: list[tuple[int, Event]]) -> None:
        """
        Hand events to the minds of their recipients. A mind that raises is
        reported to C{self.on_mind_error} and delivery goes on.
        """
        for rid, event in events:
            mind = self.minds.get(rid)
            if mind is None:
                continue
            try:
                mind.perceive(event)
            except Exception as e:
                self.on_mind_error(rid, e)

    def on_mind_error(self, rid: int, error: Exception) -> None:
        """
        Called when a mind fails to perceive an event. Logs it.
        """
        _log.failure("mind of #{rid} failed to perceive an event", rid=rid)

    @property
    def generation(self) -> int:
        """
        The schema generation of the open world.
        """
        return self.root.generation

    def pack(self, days: float = 0) -> None:
        """
        Remove old object revisions from the file, keeping C{days} of history.

        @raise StoreError: packing failed (the file is as it was).
        """
        if self._turn is not None:
            raise RuntimeError("cannot pack during a turn")
        try:
            self.db.pack(days=days)
        except Exception as e:
            raise StoreError(f"packing the database at {self.path} failed: {e}") from None

    def close(self) -> None:
        """
        Close the connection and the database (releasing the file lock).
        Closing twice is harmless.
        """
        if self._closed:
            return
        with contextlib.suppress(Exception):
            self.tm.abort()
        try:
            self.sync_to_disk()
        except OSError:
            _log.failure("putting the last turns on the disk failed")
        self._closed = True
        with contextlib.suppress(Exception):
            self.connection.close()
        self.db.close()
