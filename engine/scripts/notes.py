# -*- test-case-name: tests.scripts.test_libraries_notes,tests.engine.test_newuser2_clear_hint -*-
"""
What saving a script or a library, and the editor's C{.check} of either,
note: what is likely a mistake but refuses nothing. A function defined
twice (only the last is used; most often the whole text typed again under
the old one, which C{.clear} would have emptied), a name nothing defines
(L{engine.scripts.names}), and in a script a change made in place to a copy
read from its state (L{engine.scripts.copies}; a library has no state).
"""

from __future__ import annotations

from engine.scripts import names
from engine.scripts.signatures import Text, defined_again

#: Said after the notes of functions defined twice.
CLEAR_HINT = ("Note: if you typed the script again under the old one, '.clear' in the editor "
              "empties it first.")


def notes(text: Text, *, library: bool = False) -> list[str]:
    """
    The notes of a script's C{text} (or its tree), or a library's, if
    C{library}, each a sentence starting C{"Note: "}: the functions it
    defines twice (then L{CLEAR_HINT}), then the names it reads that nothing
    defines (and, in a script, its changes to copies read from its state).
    """
    twice = [f"Note: {said}." for _, said in defined_again(text)]
    if twice:
        twice.append(CLEAR_HINT)
    return twice + names.notes(text, library=library)
