# -*- test-case-name: tests.engine -*-
"""
Twisted: everything between a socket and the world (see C{engine/README.md}
and C{docs/architecture.md}).
"""
