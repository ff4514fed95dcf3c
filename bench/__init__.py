"""
Benchmarks: run with C{make bench} (or C{python -m bench}). See docs/benchmarks.md.
"""
