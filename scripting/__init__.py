# -*- test-case-name: tests.scripting.test_api -*-
"""The script sandbox: players' Python, run in per-owner capability domains.

Public API (see scripting/README.md and docs/scripting.md):

- C{run(source, *, endowments=None, budget=None, owner=..., output=None) -> TaskResult}
- C{Domain(owner)}; C{domain.load(source, name=..., endowments=..., library=...) -> ScriptModule};
  C{module.call(name, *args, budget=..., output=...) -> TaskResult}; C{module.functions()}
- C{Budget}, C{TaskResult}, C{ScriptError}, C{Violation}, C{check(source)}, C{expose(value)},
  C{Clock}
"""

from __future__ import annotations

from scripting.compiler import ScriptError, check, compile_script
from scripting.domain import Domain, Footprint, ScriptModule, TaskResult, Usage, expose, run
from scripting.facades import Clock
from scripting.task import Budget
from scripting.validate import Violation

__all__ = [
    "Budget",
    "Clock",
    "Domain",
    "Footprint",
    "ScriptError",
    "ScriptModule",
    "TaskResult",
    "Usage",
    "Violation",
    "check",
    "compile_script",
    "expose",
    "run",
]
