# -*- test-case-name: tests.engine.test_newuser_state_copies -*-
"""
Changes a script makes to a copy it read from its state and never stores:
C{state["notes"].append(text)}, C{state.get("scores")["bob"] = 3}. What a
script reads from C{state} is a copy (L{scripting.facets.state}), so such a
line changes nothing stored, and the script runs on as if it had: saving,
the editor's C{.check} and C{tessera content check} note each one, with how
to store the change back. They refuse nothing.

Only these shapes are noted: a mutating method called on a read
(C{state[k]} or C{state.get(...)}) itself, or an item or attribute of a
read assigned, augmented or deleted. A copy kept in a variable first (C{notes
= state["notes"]}) is what the guide teaches, stored back later: never
noted. A script that binds the name C{state} itself anywhere (C{state = {}},
an argument, an import) is not read at all: its C{state} may not be the
state. The check parses the owner's text only, and what it says is bounded
(L{MAX_NOTED} notes, each line cut to L{MAX_SHOWN} characters).
"""

from __future__ import annotations

import ast

from engine.scripts.signatures import Text, tree_of

#: At most how many lines are noted.
MAX_NOTED = 3

#: At most how many characters of a line's code a note shows.
MAX_SHOWN = 60

#: The methods of lists, dicts and sets that change them in place.
MUTATORS = frozenset({"append", "extend", "insert", "remove", "pop", "clear", "sort",
                      "reverse", "update", "setdefault", "popitem", "add", "discard"})

#: The endowment whose reads are copies.
STATE = "state"


def _is_state(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == STATE


def _read_key(node: ast.AST) -> ast.expr | None:
    """
    The key of a read of the state (C{state[k]}, C{state.get(k, ...)}), or
    None if C{node} is not one.
    """
    if isinstance(node, ast.Subscript) and _is_state(node.value) \
            and not isinstance(node.slice, ast.Slice):
        return node.slice
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "get" and _is_state(node.func.value) and node.args \
            and not any(isinstance(a, ast.Starred) for a in node.args):
        return node.args[0]
    return None


def _binds_state(tree: ast.AST) -> bool:
    """
    Whether the script binds the name C{state} anywhere itself.
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == STATE and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, ast.arg) and node.arg == STATE:
            return True
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == STATE:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) \
                and any((a.asname or a.name.split(".")[0]) == STATE for a in node.names):
            return True
        if isinstance(node, (ast.Global, ast.Nonlocal)) and STATE in node.names:
            return True
        if isinstance(node, ast.ExceptHandler) and node.name == STATE:
            return True
    return False


def _shown(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "..."


def _variable(key: ast.expr) -> str:
    """
    A variable name for the value stored under C{key}: the key itself if it
    is a short identifier written as text, else C{value}.
    """
    if isinstance(key, ast.Constant) and isinstance(key.value, str) \
            and key.value.isidentifier() and len(key.value) <= 20 and key.value != STATE:
        return key.value
    return "value"


def _advice(read: ast.expr, key: ast.expr, change: str) -> str:
    """
    What to write instead of changing the copy C{read} in place: read it
    into a variable, make C{change} (a line with C{{v}} for the variable),
    store it back.
    """
    v = _variable(key)
    stored = f"{STATE}[{_shown(key)}]"
    return (f"{_shown(read)} gives a copy, so changing it here stores nothing; read it, "
            f"change it, store it back: {v} = {_shown(read)}; {change.format(v=v)}; "
            f"{stored} = {v}")


def _found(node: ast.AST) -> str | None:
    """
    The note for C{node}, if it changes a copy read from the state in place.
    """
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr in MUTATORS:
        read = node.func.value
        key = _read_key(read)
        if key is not None:
            return _advice(read, key, f"{{v}}.{node.func.attr}(...)")
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    elif isinstance(node, ast.Delete):
        targets = node.targets
    for target in targets:
        if isinstance(target, (ast.Subscript, ast.Attribute)):
            read = target.value
            key = _read_key(read)
            if key is None:
                continue
            if isinstance(target, ast.Subscript):
                part = f"[{_shown(target.slice)}]"
            else:
                part = f".{target.attr}"
            change = (f"del {{v}}{part}" if isinstance(node, ast.Delete)
                      else f"{{v}}{part} = ...")
            return _advice(read, key, change)
    return None


def changed_copies(text: Text) -> list[tuple[int, str]]:
    """
    The lines of C{text} (a script's text, or its tree) that change a copy
    read from the state in place, each with what to write instead: at most
    L{MAX_NOTED}. Empty if it does not parse, or binds C{state} itself.
    """
    tree = tree_of(text)
    if tree is None:
        return []
    try:
        if _binds_state(tree):
            return []
        found: dict[int, str] = {}
        for node in ast.walk(tree):
            said = _found(node)
            if said is not None:
                found.setdefault(getattr(node, "lineno", 0), said)
    except RecursionError:
        return []
    return sorted(found.items())[:MAX_NOTED]


def notes(text: Text) -> list[str]:
    """
    L{changed_copies} as saving and the editor's C{.check} say it: C{"Note:
    line 3: state['notes'] gives a copy, ..."}.
    """
    return [f"Note: line {line}: {said}." for line, said in changed_copies(text)]
