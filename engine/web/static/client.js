// The Tessera web client: hand-written, no dependencies, no build step.
//
// Everything the server sends is put on the page as text (createElement and
// textContent), never parsed as HTML: a player's or a script's words cannot
// become markup or script here. The page's Content-Security-Policy requires
// Trusted Types, so the browser itself refuses any string-to-HTML sink.
//
// The messages are described in engine/web/messages.py.
"use strict";

(() => {
  const SCROLLBACK = 5000; // messages kept in the output
  const TALK = 500; // lines kept in the talk log
  const HISTORY = 200; // commands kept for Up/Down
  const MAX_LINE_BYTES = 8192; // the server's default --max-line
  const CHUNK = 16000; // characters of input sent in one message at most
  // Seconds before each try to reconnect after the connection was lost (the
  // last one repeats), a little randomised so that a restarted server is not
  // met by every page at once.
  const BACKOFF = [1, 2, 4, 8, 15, 30];
  // The close code of a goodbye the server meant (quit, a login elsewhere):
  // no reconnecting after it.
  const GOODBYE = 1000;
  // What the editor reads as "stop" (engine/commands/editor.py).
  const EDITOR_ENDS = [".", ".abort", "@abort", ".q", ".quit"];
  const DIRECTIONS = {
    n: "north", s: "south", e: "east", w: "west", ne: "northeast", nw: "northwest",
    se: "southeast", sw: "southwest", u: "up", d: "down", in: "in", out: "out",
  };

  const $ = (id) => document.getElementById(id);
  const output = $("output");
  const form = $("command-form");
  const command = $("command");
  const promptLabel = $("prompt");
  const statusLine = $("status");
  const reconnect = $("reconnect");
  const reader = $("reader");
  const roomName = $("room-name");
  const exits = $("exits");
  const talk = $("talk");
  const channelList = $("channel-list");
  const editor = $("editor");
  const editorText = $("editor-text");
  const editorLabel = $("editor-label");
  const editorState = $("editor-state");
  const editorButtons = [$("editor-save"), $("editor-check"), $("editor-abort")];

  let socket = null;
  let retries = 0; // tries to reconnect since the last connection opened
  let retry = null; // the timer of the next try
  let hidden = false; // a password is being typed
  const history = [];
  let historyAt = 0;
  let draft = "";
  // The script editor: open, what is edited, and whether a save is on its way.
  const edit = { open: false, name: "", saving: false };
  let escaped = false; // Escape was the last key in the editor (Tab then leaves)

  // -- output --------------------------------------------------------------------

  function atBottom(box) {
    return box.scrollHeight - box.scrollTop - box.clientHeight < 4;
  }

  function append(box, node, keep) {
    const follow = atBottom(box);
    box.appendChild(node);
    while (box.childElementCount > keep) {
      box.removeChild(box.firstElementChild);
    }
    if (follow) {
      box.scrollTop = box.scrollHeight;
    }
  }

  function colour(value) {
    return Number.isInteger(value) && value >= 0 && value <= 255;
  }

  // Runs of [text, fg, bg, underline] as text nodes and spans.
  function styled(runs, into) {
    if (!Array.isArray(runs)) {
      return;
    }
    for (const run of runs) {
      if (!Array.isArray(run) || typeof run[0] !== "string") {
        continue;
      }
      const [text, fg, bg, underline] = run;
      if (!colour(fg) && !colour(bg) && !underline) {
        into.appendChild(document.createTextNode(text));
        continue;
      }
      const span = document.createElement("span");
      if (colour(fg)) span.classList.add(`f${fg}`);
      if (colour(bg)) span.classList.add(`b${bg}`);
      if (underline) span.classList.add("u");
      span.textContent = text;
      into.appendChild(span);
    }
  }

  function plainText(runs) {
    return Array.isArray(runs)
      ? runs.map((run) => (Array.isArray(run) && typeof run[0] === "string" ? run[0] : "")).join("")
      : "";
  }

  // A message, one block per line, each with a hanging indent (client.css):
  // where the page wraps a line (a narrow window, a character the server
  // counted narrower than the font draws it), the rest of it continues two
  // columns in, never at the margin, where the game's lines and players'
  // speech start. The server wraps to the width the page reports the same way.
  function show(runs) {
    const block = document.createElement("div");
    block.className = "msg";
    let line = lineOf(block);
    for (const run of Array.isArray(runs) ? runs : []) {
      if (!Array.isArray(run) || typeof run[0] !== "string") continue;
      run[0].split("\n").forEach((part, i) => {
        if (i > 0) line = lineOf(block);
        if (part) styled([[part, ...run.slice(1)]], line);
      });
    }
    // The text ends with a line ending; the block is its own line already.
    if (block.childElementCount > 1 && !block.lastElementChild.hasChildNodes()) {
      block.removeChild(block.lastElementChild);
    }
    append(output, block, SCROLLBACK);
  }

  function lineOf(block) {
    const line = document.createElement("div");
    line.className = "line";
    block.appendChild(line);
    return line;
  }

  function line(text, kind) {
    const block = document.createElement("div");
    block.className = `msg ${kind}`;
    block.textContent = text;
    append(output, block, SCROLLBACK);
  }

  function system(text) {
    line(`— ${text}`, "system");
  }

  function setStatus(text) {
    statusLine.textContent = text;
  }

  // -- prompts and passwords -------------------------------------------------------

  function showPrompt(runs) {
    const text = plainText(runs).trim();
    if (text && text !== ">") {
      // A question (a password, a confirmation): shown, so that it is read out.
      line(text, "prompt-line");
      promptLabel.textContent = text;
    } else {
      promptLabel.textContent = edit.open ? "Editor line" : "Command";
    }
  }

  function setHidden(on) {
    hidden = on;
    command.type = on ? "password" : "text";
    if (on) {
      if (!/password/i.test(promptLabel.textContent)) {
        promptLabel.textContent = "Password (not shown)";
      }
    } else {
      promptLabel.textContent = edit.open ? "Editor line" : "Command";
    }
  }

  // -- sending ----------------------------------------------------------------------

  function connected() {
    return socket !== null && socket.readyState === WebSocket.OPEN;
  }

  function send(message) {
    if (connected()) {
      socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  function gmcp(pkg, data) {
    send({ type: "gmcp", message: `${pkg} ${JSON.stringify(data)}` });
  }

  function sendLines(lines) {
    // As few messages as fit, in order.
    let chunk = [];
    let size = 0;
    for (const text of lines) {
      if (chunk.length && size + text.length + 1 > CHUNK) {
        send({ type: "input", text: chunk.join("\n") });
        chunk = [];
        size = 0;
      }
      chunk.push(text);
      size += text.length + 1;
    }
    if (chunk.length) {
      send({ type: "input", text: chunk.join("\n") });
    }
  }

  function typed(text) {
    if (!connected()) {
      system("Not connected: nothing was sent.");
      return;
    }
    if (hidden) {
      send({ type: "input", text });
      return; // never echoed, never kept
    }
    line(`> ${text}`, "echo");
    if (text.trim() && history[history.length - 1] !== text) {
      history.push(text);
      if (history.length > HISTORY) history.shift();
    }
    historyAt = history.length;
    draft = "";
    if (edit.open) follow(text);
    send({ type: "input", text });
  }

  function sendSize() {
    const probe = document.createElement("span");
    probe.textContent = "0000000000";
    probe.style.visibility = "hidden";
    probe.style.position = "absolute";
    output.appendChild(probe);
    const width = probe.getBoundingClientRect().width / 10;
    const height = probe.getBoundingClientRect().height;
    output.removeChild(probe);
    if (width > 0 && height > 0) {
      // Less the padding, and room for a scroll bar that is not there yet.
      const columns = Math.floor((output.clientWidth - 40) / width);
      const rows = Math.floor(output.clientHeight / height);
      send({ type: "size", width: Math.max(20, Math.min(500, columns)),
             height: Math.max(0, Math.min(500, rows)) });
    }
  }

  // -- out of band: the room, talk, the character, the editor -------------------------

  function oob(message) {
    if (typeof message !== "string") return;
    const space = message.indexOf(" ");
    const pkg = space < 0 ? message : message.slice(0, space);
    let data = null;
    if (space >= 0) {
      try {
        data = JSON.parse(message.slice(space + 1));
      } catch (e) {
        return;
      }
    }
    if (pkg === "Room.Info") room(data);
    else if (pkg === "Char.Name" && data && typeof data.name === "string") {
      setStatus(`Connected, playing ${data.name}.`);
    } else if (pkg === "Comm.Channel.Text") said(data);
    else if (pkg === "Comm.Channel.List") channels(data);
    else if (pkg === "Editor.Open") openEditor(data);
    else if (pkg === "Editor.Text") editorLines(data);
    else if (pkg === "Editor.Unsaved") unsaved(data);
    else if (pkg === "Editor.Close") closeEditor(data);
  }

  function room(data) {
    if (!data || typeof data !== "object") return;
    const name = typeof data.name === "string" ? data.name : "";
    const area = typeof data.area === "string" && data.area ? ` (${data.area})` : "";
    roomName.textContent = name + area;
    exits.replaceChildren();
    const ways = data.exits && typeof data.exits === "object" ? Object.keys(data.exits) : [];
    if (!ways.length) {
      const none = document.createElement("li");
      none.textContent = "None you can see.";
      exits.appendChild(none);
    }
    for (const way of ways) {
      const item = document.createElement("li");
      const go = document.createElement("button");
      go.type = "button";
      go.textContent = Object.hasOwn(DIRECTIONS, way) ? DIRECTIONS[way] : way;
      go.addEventListener("click", () => typed(way));
      item.appendChild(go);
      exits.appendChild(item);
    }
  }

  function said(data) {
    if (!data || typeof data.text !== "string") return;
    // The text is the whole line as the game writes it ("[pub] Bob: hi",
    // 'Bob says, "hi"'), a script's mark included: shown as it is.
    const entry = document.createElement("p");
    entry.textContent = data.text;
    append(talk, entry, TALK);
  }

  // The channels the player is on: a button each, which starts a line on it.
  function channels(data) {
    if (!Array.isArray(data)) return;
    channelList.replaceChildren();
    for (const channel of data) {
      if (!channel || typeof channel.name !== "string") continue;
      const word = typeof channel.command === "string" && channel.command
        ? channel.command : channel.name;
      const item = document.createElement("li");
      const start = document.createElement("button");
      start.type = "button";
      start.textContent = channel.name;
      if (typeof channel.caption === "string" && channel.caption !== channel.name) {
        start.title = channel.caption;
      }
      start.setAttribute("aria-label", `Talk on ${channel.name}`);
      start.addEventListener("click", () => {
        command.value = `${word} `;
        command.focus();
      });
      item.appendChild(start);
      channelList.appendChild(item);
    }
  }

  // -- the script editor -----------------------------------------------------------------

  function lines(data) {
    return data && Array.isArray(data.lines)
      ? data.lines.filter((x) => typeof x === "string") : [];
  }

  function setEditorButtons(on) {
    for (const button of editorButtons) button.disabled = !on;
  }

  function openEditor(data) {
    edit.open = true;
    edit.saving = false;
    edit.name = data && typeof data.name === "string" ? data.name : "the script";
    editor.hidden = false;
    editorText.value = lines(data).join("\n");
    editorLabel.textContent = `Editing ${edit.name}`;
    editorState.textContent = `Editing ${edit.name}: Save, Check or Abort below.`;
    setEditorButtons(true);
    if (!hidden) promptLabel.textContent = "Editor line";
    output.scrollTop = output.scrollHeight; // the output just got smaller
    editorText.focus();
  }

  function editorLines(data) {
    if (edit.open && !edit.saving) editorText.value = lines(data).join("\n");
  }

  function unsaved(data) {
    edit.saving = false;
    setEditorButtons(true);
    editorState.textContent = data && data.saved === true
      ? "Saved, but it will not run until the problems above are fixed. Fix it and save again."
      : "Not saved: the messages above say why. Fix it and save again.";
    editorText.focus();
  }

  function closeEditor(data) {
    const was = edit.open;
    edit.open = false;
    edit.saving = false;
    editor.hidden = true;
    if (!hidden) promptLabel.textContent = "Command";
    if (was && data && typeof data === "object") {
      system(data.saved ? `Saved ${edit.name}.` : `Closed ${edit.name} without saving.`);
    }
    if (was) {
      output.scrollTop = output.scrollHeight;
      command.focus();
    }
  }

  // A line typed on the command line while the editor is open goes to the
  // editor too: the text area follows it.
  function follow(text) {
    const word = text.trim();
    if (EDITOR_ENDS.includes(word)) {
      edit.saving = word === ".";
      setEditorButtons(false);
    } else if (word === ".clear") {
      editorText.value = "";
    } else if (!text.startsWith(".")) {
      editorText.value = editorText.value ? `${editorText.value}\n${text}` : text;
    }
  }

  // The text area's lines as the editor must receive them, or why they can't be.
  function editorBody() {
    const body = editorText.value.replace(/\r\n?/g, "\n").split("\n");
    const encoder = new TextEncoder();
    for (let i = 0; i < body.length; i += 1) {
      if (EDITOR_ENDS.includes(body[i].trim())) {
        return `Line ${i + 1} (${body[i].trim()}) would end the editor; change it first.`;
      }
      if (body[i].startsWith(".")) {
        body[i] = ` ${body[i]}`; // a line of code, not an editor command
      }
      if (encoder.encode(body[i]).length > MAX_LINE_BYTES) {
        return `Line ${i + 1} is too long (over ${MAX_LINE_BYTES} bytes).`;
      }
    }
    return body;
  }

  function submitEditor(last) {
    if (!edit.open || edit.saving) return;
    if (!connected()) {
      editorState.textContent = "Not connected: nothing was sent.";
      return;
    }
    const body = editorBody();
    if (typeof body === "string") {
      editorState.textContent = body;
      return;
    }
    if (last === ".") {
      edit.saving = true;
      setEditorButtons(false);
      editorState.textContent = "Saving…";
    } else {
      editorState.textContent = "Checking… the result is shown with the game's messages.";
    }
    sendLines([".clear", ...body, last]);
  }

  function indent(event) {
    const start = editorText.selectionStart;
    const end = editorText.selectionEnd;
    const text = editorText.value;
    const from = text.lastIndexOf("\n", start - 1) + 1;
    event.preventDefault();
    if (!event.shiftKey) {
      if (start === end) {
        editorText.setRangeText("    ", start, end, "end");
      } else {
        const block = text.slice(from, end).replace(/^/gm, "    ");
        editorText.setRangeText(block, from, end, "select");
      }
      return;
    }
    const block = text.slice(from, Math.max(end, start)).replace(/^ {1,4}/gm, "");
    editorText.setRangeText(block, from, Math.max(end, start), start === end ? "end" : "select");
  }

  // -- receiving ---------------------------------------------------------------------------

  function receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch (e) {
      return;
    }
    if (!message || typeof message !== "object") return;
    if (message.type === "text") show(message.runs);
    else if (message.type === "prompt") showPrompt(message.runs);
    else if (message.type === "echo") setHidden(!message.on);
    else if (message.type === "gmcp") oob(message.message);
    else if (message.type === "error" && typeof message.text === "string") {
      system(`Not done: ${message.text}`);
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    clearTimeout(retry);
    retry = null;
    if (socket !== null && socket.readyState <= WebSocket.OPEN) return; // one at a time
    setStatus("Connecting…");
    reconnect.hidden = true;
    socket = new WebSocket(`${scheme}//${location.host}/ws`);
    socket.addEventListener("open", () => {
      retries = 0;
      setStatus("Connected.");
      send({ type: "hello", client: "Tessera web", screenreader: reader.checked });
      gmcp("Core.Hello", { client: "Tessera web", version: "1" });
      gmcp("Core.Supports.Set", ["Char 1", "Room 1", "Comm.Channel 1", "Editor 1"]);
      sendSize();
      command.focus();
    });
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") receive(event.data);
    });
    socket.addEventListener("close", (event) => {
      setHidden(false);
      closeEditor(null);
      reconnect.hidden = false;
      if (event.code === GOODBYE) {
        setStatus("Disconnected.");
        system("The connection is closed. Use Connect again to start a new one.");
        return;
      }
      // Lost (the network, a server restart, a connection that stopped
      // answering): try again, waiting longer each time.
      const wait = BACKOFF[Math.min(retries, BACKOFF.length - 1)] * (0.8 + 0.4 * Math.random());
      const seconds = Math.max(1, Math.round(wait));
      if (retries === 0) {
        system("The connection to the server was lost. Reconnecting in " +
               `${seconds} ${seconds === 1 ? "second" : "seconds"} (or use Connect again).`);
      }
      retries += 1;
      setStatus(`Connection lost. Reconnecting in ${seconds} s (try ${retries})…`);
      retry = setTimeout(connect, wait * 1000);
    });
  }

  // -- the page's controls -------------------------------------------------------------------

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = command.value;
    command.value = "";
    typed(text);
  });

  command.addEventListener("keydown", (event) => {
    if (hidden || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    event.preventDefault();
    if (historyAt === history.length) draft = command.value;
    historyAt += event.key === "ArrowUp" ? -1 : 1;
    historyAt = Math.max(0, Math.min(history.length, historyAt));
    command.value = historyAt === history.length ? draft : history[historyAt];
    command.setSelectionRange(command.value.length, command.value.length);
  });

  editorText.addEventListener("keydown", (event) => {
    if (event.key === "Tab" && !escaped) {
      indent(event);
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submitEditor(".");
    }
    escaped = event.key === "Escape";
  });

  $("editor-save").addEventListener("click", () => submitEditor("."));
  $("editor-check").addEventListener("click", () => submitEditor(".check"));
  $("editor-abort").addEventListener("click", () => {
    if (!edit.open) return;
    setEditorButtons(false);
    sendLines([".abort"]);
  });

  reader.addEventListener("change", () => {
    send({ type: "hello", client: "Tessera web", screenreader: reader.checked });
  });

  reconnect.addEventListener("click", connect);

  let resizing = null;
  new ResizeObserver(() => {
    clearTimeout(resizing);
    resizing = setTimeout(sendSize, 250);
  }).observe(output);

  connect();
})();
