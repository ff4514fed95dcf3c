# -*- test-case-name: tests.engine.test_script_signatures -*-
"""
Whether a script's verbs, event handlers and timers' handlers take the
arguments they are called with.

A verb (C{verb_<word>}) is called with six (L{VERB_ARGUMENTS}); each event
handler with its event's (L{HANDLERS}, which C{help events} lists); a function
the script names as a timer's handler (C{timers.every(60, "strike")}) with
the timer's data (L{TIMER_ARGUMENTS}). A function
that could not take its call would fail only when a player first tried it
(C{verb_rub() takes 1 positional argument but 6 were given}), so saving
refuses it, naming it and what it should take. Any function that accepts
the call is fine: C{def verb_rub(actor, *rest)} takes the player alone.

The check reads the saved module's compiled code only
(L{scripting.domain.ScriptModule.parameters}): it calls nothing of the
script's and looks at no default value. Timers' handlers are found in the
script's text, where it names them in a string; a handler named any other
way (C{timers.after(5, name)}) is checked when the timer is set
(L{timer_misfit}).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from scripting.domain import Parameters, ScriptModule
from world.errors import WorldError

#: How a verb's function is named (as L{engine.scripts.runtime.VERB_PREFIX}).
VERB_PREFIX = "verb_"

#: What a verb is called with (L{engine.scripts.verbs.try_verb}).
VERB_ARGUMENTS = ("actor", "dobj", "prep", "iobj", "dobjstr", "iobjstr")

#: What a timer's handler is called with (L{engine.scripts.scheduler}).
TIMER_ARGUMENTS = ("data",)

#: Every handler the engine wakes: (name, its arguments, when it runs), for
#: 'help events'. A test checks that every handler the engine's code names is
#: here.
HANDLERS: tuple[tuple[str, str, str], ...] = (
    ("on_look", "actor", "someone looked at the object"),
    ("on_hear", "actor, text", "someone said text in the object's room"),
    ("on_arrive", "actor", "someone walked into the object's room"),
    ("on_depart", "actor, where", "someone walked out of the object's room, to where"),
    ("on_enter", "actor, thing", "thing came into the object (a room or container): "
                                 "someone walked in, dropped or put something there, "
                                 "or a script moved it there"),
    ("on_leave", "actor, thing, where", "thing left the object (a room or container) for "
                                        "where: someone walked out, or took it, or a "
                                        "script moved it"),
    ("on_take", "actor", "the object was picked up"),
    ("on_drop", "actor", "the object was put down"),
    ("on_give", "actor, recipient", "the object was handed to recipient"),
    ("on_use", "actor", "someone typed 'use <object>'"),
    ("on_attach", "", "the script was saved for the first time, restarted "
                      "(@script/restart), or loaded from content"),
)

#: The names of those handlers.
HANDLER_NAMES = frozenset(name for name, _, _ in HANDLERS)

#: What each event handler is called with.
HANDLER_ARGUMENTS: dict[str, tuple[str, ...]] = {
    name: tuple(a.strip() for a in arguments.split(",") if a.strip())
    for name, arguments, _ in HANDLERS
}


class WrongArguments(WorldError):
    """
    A script was not saved: some of its verbs or handlers could not take
    their calls.

    @ivar problems: each of them in a sentence, with what it should take.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _arguments(count: int) -> str:
    return "1 argument" if count == 1 else f"{count} arguments"


#: Who calls a function, as the sentences say it: what it is given (with the
#: count), and what it is never given (keywords).
_CALLERS = {
    "verb": ("a verb is called with {count}", "a verb is never given"),
    "event": ("the {name} event gives {count}", "the {name} event never gives"),
    "timer": ("a timer calls it with {count}", "a timer never gives"),
}


def _misfit(name: str, parameters: Parameters, expected: tuple[str, ...],
            caller: str) -> str | None:
    """
    What is wrong with C{name} taking C{parameters} when its C{caller} (a
    key of L{_CALLERS}) calls it with C{expected}, or None if it accepts
    the call.
    """
    gives, never = _CALLERS[caller]
    count = len(expected)
    if parameters.accepts(count):
        return None
    shown = f"{parameters.name}({parameters})"
    if parameters.name != name:  # bound to another name: verb_stroke = pet
        shown = f"{name} (that is {shown})"
    if parameters.needed:
        keywords = ", ".join(f"{k}=" for k in parameters.needed)
        said = f"{shown} needs {keywords}, which {never.format(name=name)}"
    else:
        many = len(parameters.names)
        if parameters.required > count:
            least = parameters.rest is not None or many > parameters.required
            taken = ("at least " if least else "") + _arguments(parameters.required)
        else:
            taken = ("at most " if parameters.required < many else "") + _arguments(many)
        given = gives.format(name=name, count=count or "none")
        said = f"{shown} takes {taken}, but {given}"
    return f"{said}: def {name}({', '.join(expected)})"


#: A script's text, or its syntax tree (L{parse}d once for every check that
#: reads it: None if it does not parse).
Text = str | ast.Module | None


def parse(source: str) -> ast.Module | None:
    """
    C{source}'s syntax tree, or None if it does not parse: a save parses
    its text once here and hands the tree to each check that reads it
    (L{timer_handlers}, L{misfits}, L{defined_again},
    L{engine.scripts.names.undefined}); none of them changes it.
    """
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def tree_of(text: Text) -> ast.Module | None:
    """
    The syntax tree of C{text}: itself if it is one, parsed if it is a
    script's text.
    """
    return parse(text) if isinstance(text, str) else text


def timer_handlers(text: Text) -> frozenset[str]:
    """
    The functions C{text} names as a timer's handler in so many words:
    C{timers.after(60, "strike")}, C{timers.every(5, handler="tick")}.
    A timer calls its handler with one argument, its data.
    """
    tree = tree_of(text)
    return _timed(tree) if tree is not None else frozenset()


def _timed(tree: ast.AST) -> frozenset[str]:
    # timer_handlers of a parsed text.
    named = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("after", "every")
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "timers"):
            continue
        handler = node.args[1] if len(node.args) > 1 else next(
            (k.value for k in node.keywords if k.arg == "handler"), None)
        if isinstance(handler, ast.Constant) and type(handler.value) is str:
            named.add(handler.value)
    return frozenset(named)


def timer_misfit(name: str, parameters: Parameters) -> str | None:
    """
    What is wrong with C{name} taking C{parameters} as a timer's handler
    (L{TIMER_ARGUMENTS}), in a sentence, or None if it takes the data.
    """
    return _misfit(name, parameters, TIMER_ARGUMENTS, "timer")


def misfits(module: ScriptModule, functions: tuple[str, ...], text: Text) -> list[str]:
    """
    The verbs, handlers and timers' handlers among C{module}'s
    C{functions} (its text, or tree, is C{text}) that could not take their
    calls, each said in a sentence; empty if all can.
    """
    return _misfits(module.parameters, functions, timer_handlers(text))


def _declared(node: ast.FunctionDef) -> Parameters:
    # What a def takes, read from its text (as ScriptModule.parameters reads its code).
    args = node.args
    names = tuple(a.arg for a in (*args.posonlyargs, *args.args))
    keywords = tuple(a.arg for a in args.kwonlyargs)
    needed = tuple(a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
                   if d is None)
    return Parameters(name=node.name, names=names, required=len(names) - len(args.defaults),
                      rest=args.vararg.arg if args.vararg is not None else None,
                      keywords=keywords, needed=needed)


def declared_misfits(text: Text) -> list[tuple[int, str]]:
    """
    What L{misfits} finds in C{source} without running it, from its
    top-level C{def}s alone (a function bound under another name is not
    seen): each with the line of its C{def}. For checking content files,
    whose scripts are not run until the world starts.
    """
    tree = tree_of(text)
    if tree is None:
        return []
    defs = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    taken = {name: _declared(node) for name, node in defs.items()}
    timed = _timed(tree)
    found = []
    for name in defs:  # one at a time, to know the line each sentence is about
        found += [(defs[name].lineno, said) for said in _misfits(taken.get, (name,), timed)]
    return found


def defined_again(text: Text) -> list[tuple[int, str]]:
    """
    The functions C{text} (a script's text, or its tree) defines more than once at its top level (a
    second full script pasted after the first): each said in a sentence
    naming its lines, with the line of its last C{def}, which is the one
    used. Saving and C{tessera content check} warn of them; they refuse
    nothing.
    """
    tree = tree_of(text)
    if tree is None:
        return []
    lines: dict[str, list[int]] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines.setdefault(node.name, []).append(node.lineno)
    found = []
    for name, at in lines.items():
        if len(at) < 2:
            continue
        if len(at) == 2:
            said = f"{name} is defined twice (lines {at[0]} and {at[1]}): the second one is used"
        else:
            shown = ", ".join(str(n) for n in at[:-1]) + f" and {at[-1]}"
            said = (f"{name} is defined {len(at)} times (lines {shown}): the last one is "
                    "used")
        found.append((at[-1], said))
    return sorted(found)


def _misfits(parameters_of: Callable[[str], Parameters | None], functions: tuple[str, ...],
             timed: frozenset[str]) -> list[str]:
    # The one check of both: each of functions, as parameters_of reads it, against what
    # calls it (a verb, an event, a timer naming it in timed).
    found = []
    for name in functions:
        calls: list[tuple[tuple[str, ...], str]] = []
        if name.startswith(VERB_PREFIX):
            calls.append((VERB_ARGUMENTS, "verb"))
        elif name in HANDLER_ARGUMENTS:
            calls.append((HANDLER_ARGUMENTS[name], "event"))
        if name in timed:
            calls.append((TIMER_ARGUMENTS, "timer"))
        parameters = parameters_of(name) if calls else None
        if parameters is None:
            continue
        for expected, caller in calls:
            said = _misfit(name, parameters, expected, caller)
            if said is not None:
                found.append(said)
    return found
