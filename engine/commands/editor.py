# -*- test-case-name: tests.scripts.test_editor -*-
"""
The script editor a player is in after C{@script <thing>}.

It opens with the thing's current script (numbered), so a player fixes a
line instead of typing the whole script again. Lines typed are added at the
end; a line starting with C{.} is an editor command (L{COMMANDS}); C{.}
alone saves. Nothing is saved until then: the buffer lives in the player's
session, and C{.abort} leaves the script as it was.

Clients that edit in a window of their own (the web page) are told, out of
band (GMCP), what is being edited:

  - C{Editor.Open} C{{"name": "the script on bell", "lines": [...]}} when
    the editor opens;
  - C{Editor.Text} C{{"name": ..., "lines": [...]}} after C{.e}, C{.i} or
    C{.d} changed the lines (added lines and C{.clear} it can follow by
    itself);
  - C{Editor.Unsaved} C{{"name": ...}} when saving failed, or
    C{{"name": ..., "saved": true}} when it saved the script with problems
    (either way the editor stays open);
  - C{Editor.Close} C{{"name": ..., "saved": true}} when it closes.

Such a client saves by sending C{.clear}, the lines and C{.}, as a player
could type them.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from attrs import define, field

from engine.colour import escape
from world.phrases import one_line
from world.scripts import MAX_CHARS, MAX_LINES
from world.words import is_login_line

if TYPE_CHECKING:
    from engine.commands.base import Context
    from engine.session import Session

#: The one line of help shown when the editor opens and after a mistake.
HELP_LINE = ("Type lines to add them at the end. .l lists, .e <n> <text> replaces line n, "
             ".i <n> <text> inserts before it, .d <n>[-<m>] deletes, .clear empties it, "
             ".help for more; "
             "'.' alone saves, .abort gives up.")

#: The whole help (C{.help}).
HELP = """\
The script editor. Lines you type are added at the end of the script.
A line that starts with '.' is a command (indent a line of code that starts
with '.', or it is read as one):
  .                   save the script and leave the editor (if it has
                      problems, it is saved and you stay, to fix them)
  .l [<n>[-<m>]]      list the script (or some lines) with line numbers
  .e <n> <text>       replace line n (everything after '<n> ' is the line)
  .i <n> <text>       insert a line before line n (n = last + 1: at the end)
  .d <n>[-<m>]        delete line n, or lines n to m
  .clear              empty the script (to type it again from the start)
  .check              check it for problems without saving
  .abort              leave without saving (also @abort)
  .help               this list
Saving an edit keeps the script's timers running; '@script/restart <thing>'
(outside the editor) starts it afresh. Long form: 'help scripting'."""


class EditorError(Exception):
    """
    A command typed in the editor could not be done; the message says why.
    """


def numbered(lines: list[str], first: int = 1) -> str:
    """
    C{lines} numbered from C{first}, as C{@script/show} and C{.l} list them
    (colour markup shown as typed).
    """
    width = len(str(first + len(lines) - 1)) if lines else 1
    return escape("\n".join(f"{n:>{width}}: {line}" for n, line in enumerate(lines, first)))


def listed(problems: list[str]) -> str:
    """
    Problems one under another, indented; a problem of several lines (a
    traceback) keeps its later lines further in, under its first.
    """
    return "\n".join("  " + p.replace("\n", "\n    ") for p in problems)


#: Where a problem is: C{line 3, column 5: ...} (L{scripting.validate.Violation}).
_WHERE = re.compile(r"line (\d+)(?:, column \d+)?: ")


def at_lines(problems: list[str], lines: list[str]) -> str:
    """
    Problems one under another, as L{listed}, each that names a line of
    C{lines} after that line numbered as C{.l} lists it, so that
    C{.e <n> <text>} can replace it at once:

        2:     print(actor.__class__)
           line 2, column 11: ...

    Colour markup is left as typed (quote the whole for a player).
    """
    out = []
    for problem in problems:
        found = _WHERE.match(problem)
        number = int(found.group(1)) if found else 0
        if not 1 <= number <= len(lines):
            out.append(listed([problem]))
            continue
        under = " " * (len(str(number)) + 4)
        out.append(f"  {number}: {lines[number - 1]}\n{under}"
                   + problem.replace("\n", "\n  " + under))
    return "\n".join(out)


def first_problem(problems: list[str]) -> str:
    """
    The first of C{problems} on one line (a traceback: its first line and
    its last, which says what went wrong; control characters made spaces),
    at most 300 characters, and how many more there are.
    """
    said = list(filter(None, map(one_line, problems[0].split("\n")))) if problems else []
    first = said[0] if len(said) < 2 else f"{said[0]} ... {said[-1]}"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return first[:300] + more


def line_number(text: str, last: int) -> int:
    """
    C{text} as a line number from 1 to C{last}.

    @raise EditorError: it is not one.
    """
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= last:
        raise EditorError(f"Line numbers go from 1 to {last}." if last else
                          "Nothing is written yet; type lines to add them.")
    return int(text)


def line_range(text: str, last: int) -> tuple[int, int]:
    """
    C{"3"} or C{"3-5"} as the first and last line numbers.

    @raise EditorError: not a range of lines from 1 to C{last}.
    """
    first, _, end = text.partition("-")
    start = line_number(first.strip(), last)
    stop = line_number(end.strip(), last) if end else start
    if stop < start:
        raise EditorError("Give the first line, then the last (e.g. 3-5).")
    return start, stop


def fits(lines: list[str]) -> bool:
    """
    Whether C{lines} make a script within the limits.
    """
    return len(lines) <= MAX_LINES and sum(len(x) + 1 for x in lines) - 1 <= MAX_CHARS


#: What saving does: given the lines, save them (in a turn of the player's);
#: returns None if they were not saved, else the problems they were saved
#: with (empty: none).
Saver = Callable[[list[str]], list[str] | None]
#: What checking does: the problems of the lines (empty: none; None: it
#: could not check, and said why).
Checker = Callable[[list[str]], list[str] | None]


def open_editor(ctx: Context, name: str, lines: list[str],
                save: Callable[[Context, list[str]], list[str]],
                check: Callable[[Context, list[str]], list[str]],
                unchanged: str = "", kind: str = "script") -> None:
    """
    Open an L{Editor} for the player of C{ctx} once this command's turn is
    done. Saving and checking each run as a command of the player's, in a
    turn of its own: C{save(ctx, lines)} keeps the lines and returns the
    problems they were kept with (if any, the player keeps editing), or
    raises L{engine.commands.base.UserError} (nothing is kept, and the
    player keeps editing);
    C{check(ctx, lines)} returns their problems (and changes nothing).
    C{unchanged} is said after "No changes" when '.' saves nothing.
    C{kind} is what is edited, for messages: C{"script"} or C{"library"}.
    """
    session, dispatcher, verb = ctx.session, ctx.dispatcher, ctx.verb

    def saving(lines: list[str]) -> list[str] | None:
        saved: list[list[str]] = []

        def body(ctx: Context) -> None:
            problems = save(ctx, lines)
            ctx.turn.after_commit.append(lambda: saved.append(problems))

        dispatcher.run(session, body, verb)
        return saved[0] if saved else None

    def checking(lines: list[str]) -> list[str] | None:
        found: list[list[str]] = []

        def body(ctx: Context) -> None:
            found.append(check(ctx, lines))

        dispatcher.run(session, body, verb)
        return found[0] if found else None

    table, role = ctx.dispatcher.table, ctx.account.role

    def is_command(word: str) -> bool:
        return table.find(word.partition("/")[0] if word.startswith("@") else word,
                          role) is not None

    ctx.turn.after_commit.append(Editor(session, name, lines, saving, checking,
                                          unchanged=unchanged, is_command=is_command,
                                          kind=kind).open)


#: What may follow a command word in a Python line that starts with it
#: (C{i = 0}, C{look(x)}, C{say.x}): such a line is not taken for a command.
_PYTHON_AFTER_WORD = tuple("=([.,:;+-*/%&|^<>!@")


def reads_as_command(text: str, is_command: Callable[[str], bool]) -> bool:
    """
    Whether the script line C{text} reads as a command typed by mistake:
    it starts at the line's start with a command's word (C{@library},
    C{@script/show bell}, C{look}), which is not followed as Python would
    follow a name (C{i = 0}), or with two names side by side, as a thing's
    verb is typed (C{ring bell}). Only ever a reason to warn: C{@library} is
    the start of a decorator in Python.
    """
    if not text or text[0].isspace():
        return False
    word, _, rest = text.partition(" ")
    rest = rest.lstrip()
    if not word.startswith("@") and rest.startswith(_PYTHON_AFTER_WORD):
        return False
    if is_command(word):
        return True
    # two names side by side are no Python (C{ring bell}, C{say hi}): a verb
    # of a thing's script, or a command, typed by mistake; a keyword first
    # is Python (C{import json}, C{match x:})
    return (word.isidentifier() and not keyword.iskeyword(word)
            and not keyword.issoftkeyword(word) and rest[:1].isidentifier())


@define
class Editor:
    """
    One player editing one thing's script.

    @ivar session: the player's session (lines come from it).
    @ivar name: what is edited, for messages: C{"the script on bell"},
        C{"the library greetings"}.
    @ivar lines: the text being edited.
    @ivar save: saves the lines (see L{Saver}).
    @ivar check: lists the lines' problems (see L{Checker}).
    @ivar original: the lines when the editor opened, or as last saved (to
        notice no change).
    @ivar flawed: whether the lines last saved had problems (the script
        saved does not run until they are fixed).
    @ivar unchanged: said after "No changes" (e.g. how to lift a
        suspension that saving the same text does not).
    @ivar is_command: whether a word is a command's (C{@library}, C{look}).
    @ivar kind: what is edited, in a word: C{"script"} or C{"library"}.
    @ivar warning: whether a line that reads as a command is added with a
        warning that the player is still editing: from a save with
        problems (or refused), after which the editor stays open, until a
        line that does not read as one.
    """

    session: Session
    name: str
    lines: list[str]
    save: Saver
    check: Checker
    original: list[str] = field(factory=list)
    unchanged: str = ""
    flawed: bool = False
    is_command: Callable[[str], bool] = field(default=lambda word: False)
    warning: bool = False
    kind: str = "script"

    def __attrs_post_init__(self) -> None:
        self.original = list(self.lines)

    def open(self) -> None:
        """
        Show the script and wait for the first line.
        """
        if self.lines:
            count = len(self.lines)
            self.session.write(f"Editing {self.name} ({count} line{'' if count == 1 else 's'})"
                               f":\n{numbered(self.lines)}")
        else:
            self.session.write(f"Writing {self.name}.")
        self.session.write(HELP_LINE)
        self._tell("Editor.Open", lines=[escape(x) for x in self.lines])
        self._next()

    def _unusable(self) -> str:
        # What a save with problems means, for what is edited.
        return ("no script can import it" if self.kind == "library"
                else "it will not run")

    def _changed(self) -> None:
        self._tell("Editor.Text", lines=[escape(x) for x in self.lines])

    def _tell(self, package: str, **body: object) -> None:
        # Lines are quoted (escape) so that GMCP's plain text keeps their bars.
        self.session.client.send_oob(package, {"name": self.name, **body})

    def _next(self) -> None:
        self.session.ask("", self.answer)

    def answer(self, line: str) -> None:
        """
        One line typed in the editor: a command, or a line of the script.
        """
        text = line.rstrip("\r")
        word = text.strip()
        if word == "." or word in (".abort", "@abort", ".q", ".quit"):
            if word == ".":
                if self.lines == self.original:
                    said = ("No changes since it was saved with its problems; "
                            f"{self._unusable()} until they are fixed." if self.flawed
                            else "No changes; nothing was saved.")
                    self.session.write(" ".join(filter(None, (said, self.unchanged))))
                    self._tell("Editor.Close", saved=False)
                    return
                problems = self.save(list(self.lines))
                if problems is None:
                    # A corrected line typed now goes at the end, after the wrong one.
                    self.session.write(f"Still editing {self.name}: a line you type is added "
                                       "at the end; '.e <n> <text>' replaces line n ('.l' "
                                       "lists them). '.' tries again, .abort gives up.")
                    self._tell("Editor.Unsaved")
                    self.warning = True
                    self._next()
                    return
                if problems:
                    self.original, self.flawed = list(self.lines), True
                    self.session.write(escape(at_lines(problems, self.lines)))
                    self.session.write(f"Still editing {self.name}: '.e <n> <text>' replaces "
                                       "line n ('.l' lists them); '.' saves again, .abort "
                                       "leaves it as saved.")
                    self._tell("Editor.Unsaved", saved=True)
                    self.warning = True
                    self._next()
                    return
                self._tell("Editor.Close", saved=True)
                return
            if self.flawed:
                self.session.write(f"{self.kind.capitalize()} editing abandoned: {self.name} "
                                   "stays as last saved, with its problems; "
                                   f"{self._unusable()} until they are fixed.")
            else:
                self.session.write(f"{self.kind.capitalize()} editing abandoned; nothing was "
                                   "changed.")
            self._tell("Editor.Close", saved=False)
            return
        try:
            if text.startswith("."):
                self.command(text)
            else:
                self.add(len(self.lines), text)
                self.warning = self.warning and reads_as_command(text, self.is_command)
                if self.warning:
                    last = len(self.lines)
                    self.session.write(f"Still editing {self.name}: that was added as line "
                                       f"{last} ('.d {last}' removes it, '.' saves, "
                                       "'.abort' leaves).")
        except EditorError as e:
            self.session.write(str(e))
        self._next()

    def add(self, index: int, text: str) -> None:
        """
        Put C{text} at C{index} (0-based), if the script stays within its
        limits.

        @raise EditorError: it would not.
        """
        if is_login_line(text, self.session.name or ""):
            # A password typed at the wrong prompt: a shared library's readers would read it.
            raise EditorError(f"You are editing {self.name}, and that line looks like a login "
                              "or a password, so it was not added. '.' saves, '.abort' leaves; "
                              "then type it again.")
        grown = [*self.lines[:index], text, *self.lines[index:]]
        if not fits(grown):
            raise EditorError(f"That line would make the {self.kind} too long (at most {MAX_LINES} "
                              f"lines, {MAX_CHARS} characters); it was not added.")
        self.lines = grown

    def command(self, text: str) -> None:
        """
        Run an editor command (C{text} starts with C{.}).

        @raise EditorError: it is not one, or cannot be done.
        """
        word, _, rest = text[1:].partition(" ")
        word = word.lower()
        if word in ("l", "list", "p", "show"):
            self.list(rest.strip())
        elif word in ("e", "edit", "r", "replace"):
            number, text = self._numbered_text(rest, "e")
            index = line_number(number, len(self.lines)) - 1
            changed = list(self.lines)
            changed[index] = text
            if not fits(changed):
                raise EditorError(f"That line would make the {self.kind} too long; it was not "
                                  "changed.")
            self.lines = changed
            self.session.write(numbered([text], index + 1))
            self._changed()
        elif word in ("i", "insert"):
            number, text = self._numbered_text(rest, "i")
            index = line_number(number, len(self.lines) + 1) - 1
            self.add(index, text)
            self.session.write(numbered([text], index + 1))
            self._changed()
        elif word in ("d", "delete", "dd"):
            if not rest.strip():
                raise EditorError("Say which lines: .d 3 or .d 3-5.")
            start, stop = line_range(rest.strip(), len(self.lines))
            del self.lines[start - 1:stop]
            gone = "1 line" if start == stop else f"{stop - start + 1} lines"
            self.session.write(f"Deleted {gone}; the {self.kind} has {len(self.lines)} now.")
            self._changed()
        elif word == "clear":
            self.lines = []
            self.session.write(f"The {self.kind} is empty now; type it from the start ('.abort' "
                               "keeps the old one).")
        elif word == "check":
            problems = self.check(list(self.lines))
            if problems is not None:
                self.session.write(escape(at_lines(problems, self.lines)) if problems
                                   else "No problems found (not saved yet: '.' saves).")
        elif word in ("help", "h", "?"):
            self.session.write(HELP)
        else:
            raise EditorError(f"The editor has no command .{escape(word)}. {HELP_LINE}")

    def list(self, which: str) -> None:
        """
        Show the script, or the lines C{which} names (C{"3"}, C{"3-9"}).
        """
        if not self.lines:
            self.session.write(f"The {self.kind} is empty.")
            return
        start, stop = line_range(which, len(self.lines)) if which else (1, len(self.lines))
        self.session.write(numbered(self.lines[start - 1:stop], start))

    @staticmethod
    def _numbered_text(rest: str, command: str) -> tuple[str, str]:
        # ".e 3     return x": the line is everything after "3 ", indentation kept.
        number, space, text = rest.lstrip(" ").partition(" ")
        if not number:
            raise EditorError(f"Say which line and its text: .{command} 3 <text>.")
        return number, text if space else ""
