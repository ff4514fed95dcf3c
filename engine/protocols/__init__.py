# -*- test-case-name: tests.protocols -*-
"""
Protocols: bytes to lines and lines to bytes. Telnet and the MUD protocols
spoken over it (GMCP, MSSP, MCCP2, CHARSET, TTYPE/MTTS, EOR/GA prompts).
"""
