"""
The browser tier (C{make test-browser}, which CI runs): the web client in a
real headless Chromium, driven by selenium through chromedriver, against
C{tessera run} in a process of its own.
"""
