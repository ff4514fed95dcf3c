"""
Every link in the repository resolves inside it: a fresh clone has
everything its documents point to.

Checked: markdown links and images (inline and reference-style) in every
C{.md} file, with their C{#anchors} when they point to a markdown heading;
and paths of repository files named in documents and source
(C{docs/design.md}, C{tests/slow/test_budgets.py}...), which must exist.
"""

from __future__ import annotations

import os
import re

from twisted.trial import unittest

from tests.test_layering import ROOT

#: Folders that are not the repository's own text.
SKIP = {".git", ".venv", "_trial_temp", "build", "node_modules", "__pycache__",
        ".bench-server"}  # make bench-server: Evennia and its game directories
#: The repository's top-level folders, as they begin a path named in text.
TOP = ("docs", "tests", "engine", "scripting", "world", "content", "bench", "twisted", ".ci")

_INLINE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_NAMED = re.compile(r"(?<![\w./-])((?:" + "|".join(re.escape(t) for t in TOP)
                    + r")/[\w./-]*\.(?:md|py|toml))\b")


def files(*suffixes: str) -> list[str]:
    """
    Every file of the repository ending in one of C{suffixes}.
    """
    found = []
    for base, dirs, names in os.walk(ROOT):
        # _trial_temp-1, -2...: a second trial run in the same checkout.
        dirs[:] = sorted(d for d in dirs if d not in SKIP and not d.endswith(".egg-info")
                         and not d.startswith((".venv", "_trial_temp")))
        found.extend(os.path.join(base, n) for n in sorted(names) if n.endswith(suffixes))
    return found


def slug(heading: str) -> str:
    """
    The anchor GitHub gives a heading: lower case, punctuation dropped,
    spaces as hyphens.
    """
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: str) -> set[str]:
    """
    The anchors of the headings of the markdown file at C{path}.
    """
    with open(path, encoding="utf-8") as f:
        text = _FENCE.sub("", f.read())
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.*)$", text, re.MULTILINE)}


def link_targets(text: str) -> list[str]:
    """
    The targets of the markdown links in C{text} (code blocks left out).
    """
    text = _FENCE.sub("", text)
    return [*_INLINE.findall(text), *_REFERENCE.findall(text)]


def broken_links(path: str, text: str, root: str = ROOT) -> list[str]:
    """
    The links in C{text} (the markdown file at C{path}) that do not resolve
    to a file or heading inside C{root}.
    """
    problems = []
    for target in link_targets(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        where, _, anchor = target.partition("#")
        resolved = os.path.normpath(os.path.join(os.path.dirname(path), where)) if where \
            else path
        if os.path.commonpath([resolved, root]) != root:
            problems.append(f"{target}: outside the repository")
        elif not os.path.exists(resolved):
            problems.append(f"{target}: no such file")
        elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
            problems.append(f"{target}: no heading #{anchor}")
    return problems


class LinkTests(unittest.TestCase):
    """
    Documents point only at what the repository holds.
    """

    def test_markdown_links_resolve(self) -> None:
        """
        Every markdown link and image resolves to a file (and heading)
        inside the repository.
        """
        problems = []
        documents = files(".md")
        self.assertGreater(len(documents), 10)
        for path in documents:
            with open(path, encoding="utf-8") as f:
                problems.extend(f"{os.path.relpath(path, ROOT)}: {p}"
                                for p in broken_links(path, f.read()))
        self.assertEqual(problems, [])

    def test_named_files_exist(self) -> None:
        """
        Every repository path named in a document or a module (such as
        docs/design.md) exists, and nothing points outside the repository.
        """
        problems = []
        for path in files(".md", ".py", ".toml"):
            if path == os.path.abspath(__file__.removesuffix("c")):
                continue  # this file's own examples
            with open(path, encoding="utf-8") as f:
                text = f.read()
            rel = os.path.relpath(path, ROOT)
            if "../shared" in text:
                problems.append(f"{rel}: points to ../shared")
            for named in set(_NAMED.findall(text)):
                here = os.path.join(os.path.dirname(path), named)
                if not os.path.exists(os.path.join(ROOT, named)) and not os.path.exists(here):
                    problems.append(f"{rel}: {named}")
        self.assertEqual(sorted(problems), [])


class DetectorTests(unittest.TestCase):
    """
    The link checker finds broken links (so the tests above can fail).
    """

    def setUp(self) -> None:
        self.root = os.path.abspath(self.mktemp())
        os.makedirs(os.path.join(self.root, "docs"))
        self.doc = os.path.join(self.root, "docs", "a.md")
        with open(self.doc, "w", encoding="utf-8") as f:
            f.write("# Title\n\n## Where to add `things`\n")

    def broken(self, text: str) -> list[str]:
        return broken_links(self.doc, text, self.root)

    def test_good_links(self) -> None:
        """
        Files, headings, web links and code blocks pass.
        """
        self.assertEqual(self.broken(
            "[a](a.md) [b](a.md#title) [c](#where-to-add-things) ![i](a.md)\n"
            "[w](https://example.com/x) [m](mailto:a@example.com)\n"
            "```\n[not a link](nowhere.md)\n```\n[r]: a.md\n"), [])

    def test_broken_links(self) -> None:
        """
        Missing files, missing headings and paths leaving the repository
        are reported, inline or by reference.
        """
        self.assertEqual(len(self.broken("[a](b.md)")), 1)
        self.assertEqual(len(self.broken("[a](a.md#nothing)")), 1)
        self.assertEqual(len(self.broken("[a](../../shared/DESIGN.md)")), 1)
        self.assertEqual(len(self.broken("[r]: missing.md")), 1)

    def test_named_paths(self) -> None:
        """
        Paths under the top-level folders are found in prose and code.
        """
        self.assertEqual(_NAMED.findall("see docs/design.md, and `tests/slow/x.py`."),
                         ["docs/design.md", "tests/slow/x.py"])
        self.assertEqual(_NAMED.findall("a/docs/x.md mydocs/y.md"), [])
