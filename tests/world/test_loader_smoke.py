"""
A first smoke test of content loading (fuller tests in test_loader.py).
"""

from __future__ import annotations

import os

from twisted.trial import unittest

from world.loader import load
from world.store import WorldStore

HALL = '''
[rooms.hall]
name = "Hall"
description = "A hall."
start = true
exits.north = "yard"
[rooms.yard]
name = "Yard"
description = "A yard."
exits.south = "hall"
'''


class LoadSmokeTests(unittest.TestCase):
    def test_load_twice(self) -> None:
        """
        Loading a folder twice creates its objects once.
        """
        directory = self.mktemp()
        os.makedirs(directory)
        with open(os.path.join(directory, "a.toml"), "w") as f:
            f.write(HALL)
        store = WorldStore()
        self.addCleanup(store.close)
        self.assertEqual(load(store, directory).created, 4)
        second = load(store, directory)
        self.assertEqual((second.created, second.updated, second.unchanged), (0, 0, 4))
        self.assertEqual(store.root.start_room.name, "Hall")
