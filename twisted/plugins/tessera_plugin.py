"""
The C{twistd tessera} plugin: calls the one composition root.

Like C{tessera run}, it caps the process's address space before building the
server (C{--address-space}) and keeps script finalisers off stderr. Tessera's
modules are imported only when the plugin is used, not when twistd lists its
plugins.
"""

from twisted.application.service import IServiceMaker
from twisted.plugin import IPlugin
from zope.interface import implementer


@implementer(IServiceMaker, IPlugin)
class TesseraServiceMaker:
    tapname = "tessera"
    description = "A MUD where players script objects in sandboxed Python."

    @property
    def options(self):
        from engine.tap import Options

        return Options

    def makeService(self, options):
        from engine import tap

        tap.limit_address_space(options["address-space"])
        tap.quiet_script_finalizers()
        return tap.makeService(options)


tessera = TesseraServiceMaker()
