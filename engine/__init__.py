# -*- test-case-name: tests.engine -*-

