# -*- test-case-name: tests.engine.test_script_signatures -*-
"""
Whether a script's verbs and event handlers take the arguments they are
called with.

A verb (C{verb_<word>}) is called with six (L{VERB_ARGUMENTS}); each event
handler with its event's (L{engine.scripts.events.HANDLERS}). A function
that could not take its call would fail only when a player first tried it
(C{verb_rub() takes 1 positional argument but 6 were given}), so saving
refuses it, naming it and what it should take. Any function that accepts
the call is fine: C{def verb_rub(actor, *rest)} takes the player alone.

The check reads the saved module's compiled code only
(L{scripting.domain.ScriptModule.parameters}): it calls nothing of the
script's and looks at no default value.
"""

from __future__ import annotations

from engine.scripts.events import HANDLERS
from scripting.domain import Parameters, ScriptModule
from world.errors import WorldError

#: How a verb's function is named (as L{engine.scripts.runtime.VERB_PREFIX}).
VERB_PREFIX = "verb_"

#: What a verb is called with (L{engine.scripts.verbs.try_verb}).
VERB_ARGUMENTS = ("actor", "dobj", "prep", "iobj", "dobjstr", "iobjstr")

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


def _misfit(name: str, parameters: Parameters, expected: tuple[str, ...]) -> str | None:
    """
    What is wrong with C{name} taking C{parameters} when called with
    C{expected}, or None if it accepts the call.
    """
    count = len(expected)
    if parameters.accepts(count):
        return None
    verb = name.startswith(VERB_PREFIX)
    shown = f"{parameters.name}({parameters})"
    if parameters.name != name:  # bound to another name: verb_stroke = _pet
        shown = f"{name} (that is {shown})"
    if parameters.needed:
        keywords = ", ".join(f"{k}=" for k in parameters.needed)
        never = "a verb is never given" if verb else f"the {name} event never gives"
        said = f"{shown} needs {keywords}, which {never}"
    else:
        many = len(parameters.names)
        if parameters.required > count:
            least = parameters.rest is not None or many > parameters.required
            taken = ("at least " if least else "") + _arguments(parameters.required)
        else:
            taken = ("at most " if parameters.required < many else "") + _arguments(many)
        caller = (f"a verb is called with {count}" if verb
                  else f"the {name} event gives {count or 'none'}")
        said = f"{shown} takes {taken}, but {caller}"
    return f"{said}: def {name}({', '.join(expected)})"


def misfits(module: ScriptModule, functions: tuple[str, ...]) -> list[str]:
    """
    The verbs and handlers among C{module}'s C{functions} that could not
    take their calls, each said in a sentence; empty if all can.
    """
    found = []
    for name in functions:
        if name.startswith(VERB_PREFIX):
            expected: tuple[str, ...] | None = VERB_ARGUMENTS
        else:
            expected = HANDLER_ARGUMENTS.get(name)
        parameters = module.parameters(name) if expected is not None else None
        if parameters is None or expected is None:
            continue
        said = _misfit(name, parameters, expected)
        if said is not None:
            found.append(said)
    return found
