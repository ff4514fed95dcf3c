"""
Tests for the browser client (L{engine.web}): its messages, its page, its
connection, and what hostile browsers and other programs cannot do to it.
"""
