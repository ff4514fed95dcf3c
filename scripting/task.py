# -*- test-case-name: tests.scripting.test_escapes,tests.scripting.test_guards -*-
"""Tasks and budgets: one task is one turn of script execution.

A task carries its budget (ticks, wall seconds, call depth, bytes). Script code is charged at
the points the rewriter inserted (C{$t} countdown, refilled here in chunks of C{REFILL}). When
any budget runs out the task is *aborted*: an C{Abort} (a C{BaseException} subclass that no
script can name) is raised, and from then on every tick point raises it again, so no
C{except} or C{finally} in the script can keep running. No signals, no asynchronous exceptions:
budgets are checked only at safe points inside script code.

A module's countdown is a closure cell (C{$cell}'s C{$t}, see L{scripting.rewrite._as_function})
that its globals hold as C{$t} for its C{$tick} hook and for the task; no script can name it.
Each refill probes the call depth and grants C{REFILL} times the module's cheapest frame entry
(C{$least}), shared among the task's modules that hold a grant: at most C{REFILL} frames open
between two probes, however dear each is and however many modules they belong to. The shares
follow use (L{Task.refill}): a module left idle gives its grant back, so one module in use is
granted the whole window however many others ran earlier in the task. The frames no countdown's tick
point opens (comprehensions and generator expressions, which Python 3.11 runs in frames of
their own) are charged to the task per element, and L{Task.charge} probes the depth as it
reads the clock, every C{REFILL} ticks.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import CellType, FrameType

import attrs

REFILL = 100  # frames a module may open between two depth probes (see Task.refill)
#: the module global (set by its own code, L{scripting.rewrite._as_function}) holding its
#: cheapest tick point that may open a frame; a refill hands C{REFILL} times that
LEAST = "$least"
LEAST_MAX = 10  # so a grant is at most 1 000 ticks
#: a refill reads the task's clock when the task has spent this many ticks since the
#: last read (not at every refill: a module of one-tick functions refills every REFILL
#: ticks, and the server's clock is a Python call); so at most this many ticks and one
#: grant run between two reads
CLOCK_TICKS = REFILL * LEAST_MAX
#: a frame, in the units a task keeps its modules' shares of the window in: every
#: `$least` (1 to LEAST_MAX) divides it, so a grant's frames are counted exactly
UNIT = 2520
#: every IDLE refills per module holding a grant, those that did not refill since the
#: last look give back what they hold (see Task.refill)
IDLE = 4
#: Python frames of any kind (script and trusted) a task may open above where it began:
#: CPython's limit is 1000 (C calls count towards it too on 3.11), so a task stops far
#: below it whatever route it recursed through (docs/scripting.md, "Depth")
MAX_FRAMES = 200
#: beyond DEEP frames above its start, a task's depth is probed every MID ticks (a refill
#: grants MID times `$least`), beyond DEEPER every NEAR: the nearer the limit, the fewer
#: tick points (each with the few trusted frames a dunder called from C brings) between
#: two probes; REFILL's far from it, where loops run
DEEP = 32
MID = 25
DEEPER = 96
NEAR = 8
#: a probe first looks this many frames above where the task began, or DEEP if fewer
#: (see Task._too_deep): a frame there exists, without raising, on any stack with a
#: few frames of a refill above the task's start
NEAR_ABOVE = 4
_getframe = sys._getframe


@attrs.frozen
class Budget:
    """What one task may spend. The defaults suit a foreground turn (a player command)."""

    ticks: int = 100_000
    seconds: float = 0.5
    depth: int = 60
    memory: int = 32 * 1024 * 1024  # bytes charged by amplifying operations
    output: int = 16 * 1024  # characters of printed output

    @classmethod
    def background(cls) -> Budget:
        """A smaller budget for timers and events."""
        return cls(ticks=50_000, seconds=0.25)


class Abort(BaseException):
    """A task ran out of budget (or was stopped). Terminal: scripts cannot catch it for good."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ScriptResourceError(Exception):
    """Internal marker base for limits that abort the task (never shown to scripts)."""


@attrs.define(eq=False)
class _State:
    task: Task | None = None


STATE = _State()


@attrs.frozen(eq=False)
class Raised:
    """An error trusted code raised in a task for its script (L{Task.raising})."""

    error: BaseException
    #: the ticks the task had used when it was raised
    ticks: int
    #: the dead cell that raised it (L{scripting.facets.membrane}), if any
    cell: object = None


@attrs.define(eq=False)
class Task:
    """One turn of script execution, charged to one domain."""

    budget: Budget
    owner: str
    domain: object = None  # the domain whose code this task runs (identity only)
    write: Callable[[str], None] | None = None
    ticks_left: int = 0
    memory_left: int = 0
    #: bytes of memory_left that comprehensions reserved for the elements they walk
    #: and have not yet settled (L{scripting.hooks.ckept})
    reserved: int = 0
    output_left: int = 0
    deadline: float = 0.0
    #: L{charge} reads the clock when ticks_left falls below this: every
    #: L{REFILL} ticks charged since the last read or refill, and by the time
    #: CLOCK_TICKS were spent since the last read
    clock_at: int = 0
    #: a refill reads the clock when ticks_left is at most this: CLOCK_TICKS
    #: below where it was at the last read
    clock_due: int = 0
    aborted: str | None = None
    counters: dict = attrs.Factory(dict)  # id -> module globals holding part of our ticks
    #: id -> [the module's `$least`, what its grant may open in 1/UNIT frames,
    #: whether it refilled since the last look for idle modules; the window, the
    #: number of modules holding a grant, the window in 1/UNIT frames and the grant
    #: (ticks) of its last grant]
    shares: dict = attrs.Factory(dict)
    load: int = 0  # the sum of the shares' frames (1/UNIT): at most window * UNIT
    until_sweep: int = 0  # refills among others until the next look for idle modules
    probe_depth: int = 0
    base_depth: int = 0
    #: frame indexes (from the probe) of DEEP, DEEPER and MAX_FRAMES frames above the
    #: task's start
    deep_at: int = 0
    #: ids of the frames where the task began and under it, and how far under the
    #: probe looks for one of them first, and at the least (see L{_too_deep})
    below: frozenset = frozenset()
    near_probe: int = 0
    first_probe: int = 0
    deeper_at: int = 0
    frames_at: int = 0
    #: ticks until the next probe, by how deep the last one found the stack: REFILL,
    #: MID or NEAR (see L{_too_deep})
    window: int = REFILL
    used_at_abort: int = 0
    output_chunks: list = attrs.Factory(list)
    output_truncated: bool = False
    clock: Callable[[], float] = time.monotonic  # wall budgets are checked against it
    #: the last C{Revoked} raised in this task for a dead cell someone else
    #: killed, with that cell (L{scripting.facets.membrane.check_alive}):
    #: the task's failure is blamed on the cell only if that very error
    #: ended it, unhandled (L{unhandled})
    dead_cell: Raised | None = None
    #: the last hold of a player refused in this task because its owner's
    #: things were handed as many players as they can hold this turn
    #: (L{scripting.facets.holds}): a failure that very error ended,
    #: unhandled (L{unhandled}), is not the script's, but the crowd's around
    #: it, and is not counted
    crowded: Raised | None = None

    def __attrs_post_init__(self) -> None:
        self.ticks_left = self.budget.ticks
        self.clock_at = self.ticks_left - REFILL
        self.clock_due = self.ticks_left  # the first refill reads the clock
        self.memory_left = self.budget.memory
        self.output_left = self.budget.output

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> Task:
        if STATE.task is not None:
            raise RuntimeError("a script task is already running")
        self.deadline = self.clock() + self.budget.seconds
        depth = 0
        below = []
        frame: FrameType | None = sys._getframe(1)
        while frame is not None:
            depth += 1
            below.append(id(frame))
            frame = frame.f_back
        # the frames where the task began and under it (alive, at the same ids, as
        # long as it runs): a probe that lands on one found the stack shallow
        self.below = frozenset(below)
        self.near_probe = self.first_probe = min(DEEP, depth + NEAR_ABOVE)
        # script frames + the few trusted frames between them must stay under this
        self.probe_depth = depth + self.budget.depth * 2 + 12
        self.base_depth = depth
        self.deep_at = depth + DEEP
        self.deeper_at = depth + DEEPER
        self.frames_at = depth + MAX_FRAMES
        STATE.task = self
        return self

    def __exit__(self, *exc: object) -> None:
        self.reclaim()
        self.below = frozenset()
        STATE.task = None

    def reclaim(self) -> None:
        """Take back ticks handed to module countdowns; leave every countdown at zero."""
        for g in self.counters.values():
            left = countdown(g)
            if left > 0 and not self.aborted:
                self.ticks_left += left
            set_countdown(g, 0)
        self.counters.clear()
        self.shares.clear()
        self.load = 0
        self.until_sweep = 0

    @property
    def ticks_used(self) -> int:
        pending = sum(max(countdown(g), 0) for g in self.counters.values())
        return self.budget.ticks - self.ticks_left - pending

    def remaining(self) -> int:
        """Ticks this task may still spend (what C{ticks_left()} shows scripts)."""
        if self.aborted:
            return 0
        return self.ticks_left + sum(max(countdown(g), 0) for g in self.counters.values())

    def raising(self, error: BaseException, cell: object = None) -> Raised:
        """
        Note C{error}, which trusted code is about to raise in this task,
        with the ticks the task has used so far (L{unhandled}).

        @param cell: the dead cell that raised it, if any.
        """
        return Raised(error, self.ticks_used, cell)

    def unhandled(self, exc: BaseException, raised: Raised | None) -> bool:
        """
        Whether C{exc}, ending this task, is the error C{raised} noted and
        ended the task straight from where it was raised: no script code ran
        since. Script code that runs after an error (an C{except} or
        C{finally} block, a function called) starts at a tick point, which
        spends a tick at least; so a script that caught the error, kept it
        and raised it again later (for a failure of its own) is blamed for it.
        """
        return raised is not None and raised.error is exc and self.ticks_used == raised.ticks

    # -- charging -----------------------------------------------------------------------------
    def abort(self, reason: str) -> Abort:
        """Make the task terminally aborted; return the exception to raise."""
        if self.aborted is None:
            self.aborted = reason
            self.used_at_abort = self.ticks_used
        for g in self.counters.values():
            set_countdown(g, 0)  # every later tick point in every module calls $tick: raises
        self.ticks_left = 0
        return Abort(self.aborted)

    def refill(self, g: dict) -> None:
        """Called by a module's C{$tick} when its countdown went below zero."""
        cell = g.get("$t")
        if type(cell) is not CellType:  # a module's code sets it before its top level runs
            raise self.abort("script code ran without its countdown")
        if self.aborted is not None:
            cell.cell_contents = 0
            raise Abort(self.aborted)
        # A tick point charges its whole cost at once, so the countdown may be several
        # ticks below zero: that debt is paid before the next grant. (This runs every
        # REFILL ticks, recursion's and calls' largest cost after the tick points
        # themselves: plain comparisons, not max() and min(), which build a tuple each.)
        left = cell.cell_contents
        owed = -left if left < 0 else 1
        ticks = self.ticks_left
        if ticks < owed:
            cell.cell_contents = 0
            raise self.abort("ran out of ticks")
        if ticks <= self.clock_due:  # CLOCK_TICKS spent since the clock was last read
            if self.clock() > self.deadline:
                cell.cell_contents = 0
                raise self.abort("ran out of time")
            self.clock_due = ticks - CLOCK_TICKS
            read = True
        else:
            read = False
        if self._too_deep():
            cell.cell_contents = 0
            raise self.abort("calls nested too deeply")
        # Every tick point that may open a frame of this module (an entry, or any tick
        # point of a generator, whose frame each resume pushes again) costs at least
        # `$least` ticks, so a grant of W times that lets the module open at most W
        # frames before it refills (and probes the depth) again. Modules count down
        # apart, so the task's W frames (the window) are shared among the modules that
        # hold a grant: what each holds is kept in `shares` in units of 1/UNIT frame,
        # their sum (`load`) never above W * UNIT after a grant. Shares follow use:
        # every IDLE refills per module holding a grant, the modules that did not refill
        # since the last look give back what they hold, and so do others, those idle
        # first, when the rest leave too little for this one; either rejoins at its next
        # tick point. A refill among the same number of modules under the same window as
        # its last, with what all hold still within it, repeats its last grant. So a
        # module alone in use is granted the whole window however many others ran
        # earlier in the task; a smaller window (a deeper stack) takes back the grants
        # made for a larger one. (Read once per module and task: `counters`
        # holds the module while it holds a grant, so its id is not reused.)
        window = self.window
        shares = self.shares
        share = shares.get(id(g))
        if share is None:
            grant, ticks = self._share(g, ticks, window)
        elif len(shares) == 1:  # alone: the whole window
            grant = window * share[0]
            share[1] = self.load = window * UNIT
        elif share[3] == window and share[4] == len(shares) and self.load <= share[5]:
            # Among the same modules under the same window as at its last grant, and
            # what all hold still fits it: the same grant again (the load is unchanged).
            share[2] = True
            grant = share[6]
            left = self.until_sweep - 1
            self.until_sweep = left
            if left < 0:
                ticks = self._sweep(ticks)
        else:
            grant, ticks = self._share(g, ticks, window)
        grant += owed
        if grant > ticks:
            grant = ticks
        left = ticks - grant
        self.ticks_left = left
        # a trusted charge reads the clock (and probes the depth) within a window of
        # ticks of this probe, and of the last read at the latest
        due = self.clock_due
        self.clock_at = left - window if read or left - window > due else due
        cell.cell_contents = grant - owed

    def _share(self, g: dict, ticks: int, window: int) -> tuple[int, int]:
        """The ticks to grant module C{g} (joining, or among others changed since its
        last grant), as its share of the window; and the task's ticks, with what
        modules gave back."""
        key = id(g)
        shares = self.shares
        share = shares.pop(key, None)
        if share is None:
            least = g.get(LEAST)
            if type(least) is not int or not 0 < least <= LEAST_MAX:
                least = 1
            share = [least, 0, True, 0, 0, 0, 0]
            self.counters[key] = g
        else:
            self.load -= share[1]
        least = share[0]
        cap = window * UNIT
        grant = cap // (len(shares) + 1) * least // UNIT or 1
        units = grant * UNIT // least
        if self.load > cap - units:
            # first those that have not refilled since the last look for idle ones
            for other in sorted(shares, key=lambda k: shares[k][2]):
                ticks = self._take_back(other, ticks)
                if self.load <= cap - units:
                    break
        shares[key] = share
        share[1:] = [units, True, window, len(shares), cap, grant]
        self.load += units
        return grant, ticks

    def _sweep(self, ticks: int) -> int:
        """Take back the grants of the modules that have not refilled since the last
        look, IDLE refills per module holding a grant ago; return the task's ticks with
        what they held."""
        shares = self.shares
        for key in [k for k, share in shares.items() if not share[2]]:
            ticks = self._take_back(key, ticks)
        for share in shares.values():
            share[2] = False
        self.until_sweep = IDLE * len(shares)
        return ticks

    def _take_back(self, key: int, ticks: int) -> int:
        """Empty a module's countdown and forget its share; the task's ticks, with what
        it held (its debt is not forgiven)."""
        self.load -= self.shares.pop(key)[1]
        cell = self.counters.pop(key).get("$t")
        if type(cell) is CellType:
            left = cell.cell_contents
            if type(left) is int and left > 0:
                cell.cell_contents = 0
                ticks += left
        return ticks

    def charge(self, ticks: int) -> None:
        """Charge work done on the script's behalf (before it is done)."""
        if self.aborted is not None:
            raise Abort(self.aborted)
        if ticks > self.ticks_left:
            # draw on what the countdowns hold before giving up
            for g in self.counters.values():
                left = countdown(g)
                if left > 0:
                    self.ticks_left += left
                    set_countdown(g, 0)
            if ticks > self.ticks_left:
                raise self.abort("ran out of ticks")
        left = self.ticks_left - ticks
        self.ticks_left = left
        if left < self.clock_at:
            # trusted code charging for slow C work, a tick a step, is held
            # to the time budget as script code is (at each refill); and the
            # frames no tick point of a countdown opens (a comprehension's or
            # generator expression's, charged here per element) to the depth
            if self.deadline and self.clock() > self.deadline:
                raise self.abort("ran out of time")
            if self.probe_depth and self._too_deep():
                raise self.abort("calls nested too deeply")
            self.clock_at = left - self.window
            self.clock_due = left - CLOCK_TICKS

    def _too_deep(self) -> bool:
        """
        Whether more frames are open than the task may open: more than
        L{MAX_FRAMES} of any kind above where it began, or more script frames
        than the budget allows (counted only when the stack is deep enough that
        they could be: a frame at C{probe_depth} exists). Notes whether the
        stack is beyond L{DEEP} or L{DEEPER}, for the next probe to come sooner
        (L{window}).
        """
        # At most DEEP frames above where the task began, the common case: the frame
        # k frames under this one (k at most DEEP) is where the task began or under
        # it (found in `below`), or there is none, the whole stack being shallower
        # than k. A frame there above the start: more than k frames above it, so one
        # k + (frames under the start) frames under this one exists; look there,
        # until DEEP. Raising and catching ValueError was about a third of a refill's
        # cost: the probe starts where the last one found the start (`near_probe`),
        # and raises only when the stack got shallower than that, or is shallow.
        k = self.near_probe
        below = self.below
        try:
            found = id(_getframe(k)) in below
        except ValueError:
            if k > self.first_probe:
                self.near_probe = max(self.first_probe, k - self.base_depth)
            self.window = REFILL
            return False
        step = self.base_depth
        while not found and k < DEEP:
            k = k + step if k + step < DEEP else DEEP
            found = id(_getframe(k)) in below
        if found:
            self.near_probe = k
            self.window = REFILL
            return False
        try:
            sys._getframe(self.deep_at)
        except ValueError:
            self.window = REFILL
            return False
        try:
            sys._getframe(self.deeper_at)
        except ValueError:
            self.window = MID
            return False
        self.window = NEAR
        try:
            sys._getframe(self.frames_at)
        except ValueError:
            pass
        else:
            return True
        try:
            sys._getframe(self.probe_depth)
        except ValueError:
            return False
        return _script_depth(self) > self.budget.depth

    def charge_memory(self, nbytes: int) -> None:
        if self.aborted is not None:
            raise Abort(self.aborted)
        if nbytes > self.memory_left:
            raise self.abort("used too much memory")
        self.memory_left -= nbytes

    def emit(self, text: str) -> None:
        """Send printed text to the output sink, within the output budget."""
        if self.output_truncated or not text:
            return
        if len(text) > self.output_left:
            text = text[: self.output_left]
            self.output_truncated = True
        self.output_left -= len(text)
        self.output_chunks.append(text)
        if self.write is not None:
            self.write(text)

    @property
    def output(self) -> str:
        return "".join(self.output_chunks)


def countdown(g: dict) -> int:
    """The ticks a module's countdown holds (0 before its code made the countdown)."""
    cell = g.get("$t")
    if type(cell) is not CellType:
        return 0
    left = cell.cell_contents
    return left if type(left) is int else 0


def set_countdown(g: dict, ticks: int) -> None:
    """Set a module's countdown (nothing to set before its code made it)."""
    cell = g.get("$t")
    if type(cell) is CellType:
        cell.cell_contents = ticks


def _script_depth(task: Task) -> int:
    """Count script frames on the stack (only on the slow path, when the probe fires)."""
    n = 0
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        # the top level runs in `$main`, called by the module's code: one frame
        if code.co_filename.startswith("<script:") and code.co_name != "$main":
            n += 1
        frame = frame.f_back
    return n


def current() -> Task:
    """
    The running task.

    @raise Abort: no task is running (script code outside a task stops at once).
    """
    task = STATE.task
    if task is None:
        raise Abort("script code may only run inside a task")
    return task
