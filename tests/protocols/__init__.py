"""Tests for client protocols: telnet options, MUD protocols, colour."""
