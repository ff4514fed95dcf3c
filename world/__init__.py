# -*- test-case-name: tests.world -*-

