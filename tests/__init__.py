"""Tessera test suite (twisted.trial)."""
