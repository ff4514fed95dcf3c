"""
Comparisons written in a script, one per expression: C{a == b}, C{a < b}, C{k in d},
C{d[k]}, C{d.get(k)} of two long strings (or bytes) that are equal but different objects,
or that differ only at their end, compare them byte by byte in C. The inline guards let
them through natively for no charge, and a line of a few hundred such comparisons ran
seconds between two tick points (C{x = (A == B, A == B, ...)} in a loop: 12 s for a
0.5 s budget with 8 MB strings). See L{tests.scripting.test_review3_string_compare}.
"""

from __future__ import annotations

from tests.scripting.test_review3_string_compare import _Charged


class DirectComparisonTests(_Charged):
    """Comparisons written in the script, one per expression, in a loop."""

    def test_equal(self) -> None:
        self.check("for i in range(N):\n    x = A == B\n")

    def test_order(self) -> None:
        self.check("for i in range(N):\n    x = A < C\n")

    def test_bytes_equal(self) -> None:
        self.check("for i in range(N):\n    x = AB == BB\n")

    def test_in_dict(self) -> None:
        self.check("d = {B: 1}\nfor i in range(N):\n    x = A in d\n")

    def test_subscript(self) -> None:
        self.check("d = {B: 1}\nfor i in range(N):\n    x = d[A]\n")

    def test_get(self) -> None:
        self.check("d = {B: 1}\nfor i in range(N):\n    x = d.get(A)\n")

    def test_chained(self) -> None:
        """Each pair of a chain was already charged by its operands' weight (C{$cc})."""
        self.check("for i in range(N):\n    x = A == B == A\n")

    def test_not_duplicable(self) -> None:
        """A right side that cannot be evaluated twice goes to the hook."""
        self.check("for i in range(N):\n    x = A == (B or C)\n")

    def test_in_set_bytes(self) -> None:
        self.check("s = {BB}\nfor i in range(N):\n    x = AB in s\n")

    def test_class_body(self) -> None:
        """A class body binds no temporary: its comparisons all go to the hooks."""
        self.check("for i in range(N):\n"
                   "    class K:\n"
                   "        x = A == B\n"
                   "        y = A in {B: 1}\n", n=300)

    def test_bound_method(self) -> None:
        """A method that hashes its argument, read on its own and called later."""
        self.check("d = {B: 1}\ng = d.get\nfor i in range(N):\n    x = g(A)\n")

    def test_mapped_method(self) -> None:
        self.check("s = {B}\nfor i in range(N):\n    x = list(map(s.discard, [A]))\n")

    def test_tuple_key(self) -> None:
        """A tuple key found with an equal hash is compared element by element."""
        self.check("d = {(B,): 1}\nk = (A,)\nfor i in range(N):\n    x = d[k]\n")
