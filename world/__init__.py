# -*- test-case-name: tests.world -*-
"""
The persistent world: its objects, their rules, and the store that keeps them
(see C{world/README.md}). It imports nothing from C{engine} or C{scripting}.
"""
