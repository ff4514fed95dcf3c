"""
The C{twistd tessera} plugin: calls the one composition root.
"""

from twisted.application.service import ServiceMaker

tessera = ServiceMaker(
    "Tessera", "engine.tap", "A MUD where players script objects in sandboxed Python.", "tessera"
)
