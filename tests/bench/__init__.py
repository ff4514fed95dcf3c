"""
Tests for the benchmarks' own machinery (never their timings).
"""
