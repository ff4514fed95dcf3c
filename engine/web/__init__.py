# -*- test-case-name: tests.web -*-
"""
The browser client: a web page and its websocket, on a port of its own.

C{tessera run --web-port 4080} serves, at C{http://host:4080/}, a MUD client
written for the browser (L{engine.web.static}: hand-written HTML, CSS and
JavaScript, every file served by the server itself), and at C{/ws} the
websocket it plays over. A websocket connection is an
L{engine.interfaces.IClient} like a telnet connection: it gets a session
from the same server, logs in with the same accounts, and plays the same
character by the same rules.

  - L{engine.web.messages}: what travels in the websocket's messages
    (sans-IO): the page's input, the server's styled text, prompts, echo
    and GMCP;
  - L{engine.web.page}: the files the page is made of, and the headers
    they are served with;
  - L{engine.web.connection}: the connection itself (HTTP with h11, then
    the websocket with wsproto), bounded like the telnet door, and its
    factory.
"""
