# -*- test-case-name: tests.scripts -*-
"""
Scripts living in the world: players' Python on the objects they own.

  - L{runtime}: one sandbox domain per owner, script modules cached per
    version, every handler run a task inside the current turn, charged to the
    owner; failures, suspension, output rate limit;
  - L{meters}: what each owner spent lately (ticks, the server's time,
    messages), and whether their scripts must rest;
  - L{events}: which handlers a player's command wakes (bounded fan-out);
  - L{verbs}: commands scripts define, matched MOO-style
    (verb, direct object, preposition, indirect object);
  - L{scheduler}: the reactor side of persistent timers.

The player's guide is C{docs/scripting-in-world.md}.
"""
