# -*- test-case-name: tests.bench.test_server_bench -*-
"""
Evennia, the peer, set up for the server benchmark: run by the Evennia
environment's own Python (Evennia 6.1 needs Python 3.12 or later), never
imported by Tessera.

    python evennia_game.py init GAMEDIR TELNET_PORT AMP_PORT (shipped|nodelay)
    python evennia_game.py seed GAMEDIR COUNT NAMES

C{init} makes a game directory with C{evennia --init} and adds to its
settings only what the measurement needs (see L{SETTINGS}): its own ports,
no web server, the throttles relaxed, cheap password hashes, and a prompt
after every command (Evennia sends none by default; a closed-loop client
needs to know where an answer ends, and MUD clients read GA as that). The
C{nodelay} variant also sets C{TCP_NODELAY} on telnet connections and on the
portal-server AMP link (Evennia sets it on neither).

C{seed} creates the bench accounts (each with its character, as Evennia
does for a new account, asleep in a dormitory) and a second room north of
Limbo, and prints the rooms' ids.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

SETTINGS = '''
# -- added by Tessera's bench/server/evennia_game.py ---------------------
TELNET_PORTS = [{telnet}]
TELNET_INTERFACES = ["127.0.0.1"]
AMP_PORT = {amp}
AMP_INTERFACE = "127.0.0.1"
WEBSERVER_ENABLED = False
WEBSOCKET_CLIENT_ENABLED = False
# Throttles relaxed for the measurement: every client comes from 127.0.0.1,
# and a closed-loop client sends far more than 80 commands a second.
# (MAX_COMMAND_RATE = 0, documented as "off", divides by zero in 6.1.)
MAX_CONNECTION_RATE = 100000
MAX_COMMAND_RATE = 1000000
LOGIN_THROTTLE_LIMIT = 100000
CREATION_THROTTLE_LIMIT = 100000
# Password hashing is not what is measured (Tessera's bench accounts use a
# cheap scrypt cost too).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The bench puts clients in rooms with 'tel', which characters' default
# teleport lock allows Admins only.
PERMISSION_ACCOUNT_DEFAULT = "Admin"
# A prompt (with GA) after every command, as Tessera sends (exits' commands
# are of this class too).
COMMAND_DEFAULT_CLASS = "server.conf.bench_prompt.PromptingCommand"
'''

NODELAY_SETTINGS = '''
TELNET_PROTOCOL_CLASS = "server.conf.bench_nodelay.NoDelayTelnet"
AMP_SERVER_PROTOCOL_CLASS = "server.conf.bench_nodelay.NoDelayAMPServer"
AMP_CLIENT_PROTOCOL_CLASS = "server.conf.bench_nodelay.NoDelayAMPClient"
'''

PROMPT_MODULE = '''\
"""
A prompt after every command (added by Tessera's server benchmark).
"""

from evennia.commands.default.muxcommand import MuxCommand


class PromptingCommand(MuxCommand):
    def at_post_cmd(self):
        super().at_post_cmd()
        self.msg(prompt="> ")
'''

NODELAY_MODULE = '''\
"""
TCP_NODELAY on telnet connections and the AMP link (added by Tessera's
server benchmark).
"""

from evennia.server.amp_client import AMPServerClientProtocol
from evennia.server.portal.amp_server import AMPServerProtocol
from evennia.server.portal.telnet import TelnetProtocol


def _nodelay(transport):
    try:
        transport.setTcpNoDelay(True)
    except Exception:
        pass


class NoDelayTelnet(TelnetProtocol):
    def connectionMade(self):
        _nodelay(self.transport)
        super().connectionMade()


class NoDelayAMPServer(AMPServerProtocol):
    def connectionMade(self):
        _nodelay(self.transport)
        super().connectionMade()


class NoDelayAMPClient(AMPServerClientProtocol):
    def connectionMade(self):
        _nodelay(self.transport)
        super().connectionMade()
'''


def init(gamedir: str, telnet: int, amp: int, variant: str) -> None:
    """
    Make and migrate the game directory C{gamedir} (its initial setup runs
    on its first start, which the caller does).
    """
    parent, name = os.path.split(os.path.abspath(gamedir))
    evennia = os.path.join(os.path.dirname(sys.executable), "evennia")
    subprocess.run([evennia, "--init", name], cwd=parent, check=True,
                   stdout=subprocess.DEVNULL)
    conf = os.path.join(gamedir, "server", "conf")
    with open(os.path.join(conf, "settings.py"), "a") as f:
        f.write(SETTINGS.format(telnet=telnet, amp=amp))
        if variant == "nodelay":
            f.write(NODELAY_SETTINGS)
    with open(os.path.join(conf, "bench_prompt.py"), "w") as f:
        f.write(PROMPT_MODULE)
    with open(os.path.join(conf, "bench_nodelay.py"), "w") as f:
        f.write(NODELAY_MODULE)
    subprocess.run([evennia, "migrate"], cwd=gamedir, check=True, stdout=subprocess.DEVNULL)


def seed(gamedir: str, names: str) -> dict[str, int]:
    """
    Create an account for each line of C{names} (C{name password}) that has
    none, and the room north of Limbo; return the rooms' ids.
    """
    os.chdir(gamedir)
    sys.path.insert(0, gamedir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "server.conf.settings"
    import django

    django.setup()
    import evennia

    evennia._init()
    from django.conf import settings
    from evennia.accounts.accounts import DefaultAccount
    from evennia.utils import create, search

    limbo = search.search_object("#2")[0]
    yard = search.search_object("Yard", typeclass=settings.BASE_ROOM_TYPECLASS)
    if yard:
        yard = yard[0]
    else:
        yard = create.create_object(settings.BASE_ROOM_TYPECLASS, key="Yard")
        create.create_object(settings.BASE_EXIT_TYPECLASS, key="north", location=limbo,
                             destination=yard)
        create.create_object(settings.BASE_EXIT_TYPECLASS, key="south", location=yard,
                             destination=limbo)
    dorm = search.search_object("Dormitory", typeclass=settings.BASE_ROOM_TYPECLASS)
    dorm = dorm[0] if dorm else create.create_object(settings.BASE_ROOM_TYPECLASS,
                                                      key="Dormitory")
    with open(names) as f:
        for line in f:
            if not line.strip():
                continue
            name, password = line.split()[:2]
            found = DefaultAccount.objects.filter(username__iexact=name).first()
            if found is None:
                found, errors = DefaultAccount.create(username=name, password=password)
                if errors:
                    raise SystemExit(f"cannot create {name}: {errors}")
            if not found.permissions.check("Admin"):
                found.permissions.add("Admin")
            # Asleep in the dormitory, as Tessera's bench players are, so no
            # room a run measures starts with sleepers in it.
            for character in found.characters.all():
                if character.location != dorm:
                    character.move_to(dorm, quiet=True, move_hooks=False)
    return {"hall-0": limbo.id, "yard-0": yard.id, "dorm": dorm.id}


def main(argv: list[str]) -> int:
    if argv[:1] == ["init"]:
        init(argv[1], int(argv[2]), int(argv[3]), argv[4])
        return 0
    if argv[:1] == ["seed"]:
        print(json.dumps(seed(argv[1], argv[2])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
