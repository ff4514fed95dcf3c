"""
The text a script's C{__str__} or C{__repr__} hands to C is charged before C copies it
(red team, 2026-12-07; closed in L{scripting.classes}: each such method charges the text
it returns, wherever C calls it).

C{%} formatting is charged before C runs by the format's widths and the arguments'
estimated text (L{scripting.charge.presize}, which counts a script object as 24
characters); then C calls each script object's C{__str__}, which may return a string of
a megabyte built once (and paid once), and copies it into the result for every
reference. Sixty references make sixty megabytes for about 4,000 ticks, past a 32 MB
memory budget; kept in a loop, a task holds gigabytes; ten thousand references ask C
for ten gigabytes in one operation.
"""

from __future__ import annotations

from twisted.trial import unittest

from scripting import Budget, run

#: A script object whose text is a megabyte, built (and paid for) once.
BIG = ("s = 'x' * 1000000\nclass K:\n    def __str__(self):\n        return s\n"
       "    def __repr__(self):\n        return s\nk = K()\n")
BUDGET = Budget(ticks=20_000, seconds=30.0)


class TextHookTests(unittest.TestCase):
    def assertCharged(self, body: str) -> None:
        result = run(BIG + body + "n = len(x)\n", budget=BUDGET)
        self.assertFalse(result.ok, f"completed, charged {result.ticks} ticks: {body!r}")

    def test_plain_strings_are_charged(self) -> None:
        """
        The same text from plain strings is charged (what the others must match).
        """
        self.assertCharged("x = ('%s' * 60) % ((s,) * 60)\n")

    def test_percent_s_of_script_objects(self) -> None:
        """
        C{%s} and C{%r} of a script object, by position or by name.
        """
        self.assertCharged("x = ('%s' * 60) % ((k,) * 60)\n")
        self.assertCharged("x = ('%r' * 60) % ((k,) * 60)\n")
        self.assertCharged("x = ('%(a)s' * 60) % {'a': k}\n")

    def test_percent_s_of_a_list_of_script_objects(self) -> None:
        """
        C{%s} of a list holding a script object many times.
        """
        self.assertCharged("x = '%s' % ([k] * 60,)\n")

    def test_small_text_unchanged(self) -> None:
        """
        A script's own text still reads the same everywhere C or a hook asks for it.
        """
        source = ("class A:\n    def __str__(self):\n        return 'a'\n"
                  "    def __repr__(self):\n        return 'r'\n"
                  "class B(A):\n    pass\n"
                  "class E(Exception):\n    def __str__(self):\n        return 'bad'\n"
                  "x = A()\n"
                  "print(str(x), repr(x), '%s %r' % (x, x), f'{x}', [x], str(B()), B)\n"
                  "try:\n    raise E()\nexcept E as e:\n    print(str(e))\n"
                  "raise E()\n")
        result = run(source, budget=BUDGET)
        self.assertEqual(result.output, "a r a r a [r] a <class 'script.B'>\nbad\n")
        # the server formats the failure without the exception's own text, as before
        self.assertTrue((result.error or "").endswith("\nE"), result.error)
