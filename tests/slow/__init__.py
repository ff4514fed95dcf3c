"""
The slow tier: tests that take many seconds each, run by C{make test-slow}
and by CI (C{.ci/run}), not by C{make test}.
"""
