/* Live co-editing (issue 16): the others' changes appear as they make them, and who else is
   here. The server is blueprints/live (the socket) and blueprints/views/live.py (catch-up).

   - The socket (/ws/blueprints/<pk>/) says only "the blueprint changed"; this script then
     asks the catch-up endpoint what changed since the version it drew, and puts in the cells
     it is sent (drawn by the server for this reader), or the whole grid, or reloads the page
     when the review state moved. The same ask catches up after a reconnect. Its answer
     also carries the blueprint's title, which the header and the window's title follow.
   - An open card form is never replaced: it is carried into the new cell, and if its card
     was changed by someone else it says so, with their new text to read.
   - The state, "Live" or "Offline, reconnecting…", is a polite live region (not a second
     role=status: #bp-status is the page's one), changed only when the connection does;
     reconnects back off from half a second to thirty. Two closes stop reconnecting: 4403
     (this person may no longer read the blueprint) and 4401 (they logged out, here or in
     another tab: the state says so, with a link to log in again).
   - Presence: this page tells the others "here", "editing card N" or "idle" (after two
     minutes without a key or pointer); their initials show in the header and on the card
     they edit, once per person however many tabs they have open. Someone not heard from
     for three minutes is forgotten.

   Plain JavaScript, no build step. Everything put in the page comes from the server's
   templates or is set as text. */
(function () {
  "use strict";

  var root = document.getElementById("bp-live");
  if (!root || !window.WebSocket || !window.DOMParser) return;

  var IDLE_AFTER = 120 * 1000;
  var FORGET_AFTER = 180 * 1000;
  var KEEPALIVE = 60 * 1000;

  var drawn = {
    version: parseInt(root.getAttribute("data-version"), 10),
    since: root.getAttribute("data-since"),
    state: root.getAttribute("data-state")
  };
  var me = root.getAttribute("data-me");
  var myPerson = null;  // this person's presence key, from the socket's welcome
  var statusText = document.getElementById("bp-live-state");
  var presenceList = document.getElementById("bp-presence");
  var socket = null;
  var retry = null;
  var attempts = 0;
  var stopped = false;
  var others = {};
  var sent = { activity: "", card: null, at: 0 };
  var lastActivity = Date.now();

  // The connection's state --------------------------------------------------------------

  function setStatus(kind) {
    var words = {
      live: "Live",
      offline: "Offline, reconnecting…",
      closed: "Live updates stopped: you may no longer open this blueprint. Reload the page.",
      "signed-out": "Live updates stopped: you have signed out. "
    }[kind];
    root.setAttribute("data-live-state", kind);
    if (statusText.textContent === words) return;
    statusText.textContent = words;
    if (kind === "signed-out") {
      var link = document.createElement("a");
      link.href = root.getAttribute("data-login-url");
      link.textContent = "Log in again";
      statusText.appendChild(link);
    }
  }

  function socketUrl() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + root.getAttribute("data-socket");
  }

  function connect() {
    if (stopped || socket) return;
    socket = new WebSocket(socketUrl());
    socket.addEventListener("open", function () {
      attempts = 0;
      setStatus("live");
      sent = { activity: "", card: null, at: 0 };
      sendPresence(true);
      catchUp();  // whatever changed while the page loaded or the socket was down
    });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      receive(message);
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      others = {};
      drawPresence();
      if (event.code === 4403 || event.code === 4401) {
        stopped = true;
        setStatus(event.code === 4401 ? "signed-out" : "closed");
        return;
      }
      setStatus("offline");
      if (navigator.onLine === false) return;  // "online" reconnects
      attempts += 1;
      var delay = Math.min(30000, 500 * Math.pow(2, attempts - 1));
      retry = window.setTimeout(connect, delay * (0.75 + Math.random() * 0.5));
    });
  }

  // The browser knows before the socket does when the network goes: say so at once, and
  // come back as soon as it returns rather than at the next back-off.
  window.addEventListener("offline", function () { if (socket) socket.close(); });
  window.addEventListener("online", function () {
    if (socket || stopped) return;
    window.clearTimeout(retry);
    attempts = 0;
    connect();
  });

  function receive(message) {
    if (message.type === "welcome") {
      myPerson = message.person;
    } else if (message.type === "changed") {
      if (message.review || message.version > drawn.version) catchUp();
    } else if (message.type === "presence" && message.who) {
      message.who.seen = Date.now();
      others[message.who.id] = message.who;
      drawPresence();
    } else if (message.type === "left") {
      delete others[message.id];
      drawPresence();
    }
  }

  // Catching up ----------------------------------------------------------------------------

  var fetching = false;
  var again = false;

  function catchUp() {
    if (fetching) { again = true; return; }
    fetching = true;
    var query = "?since=" + encodeURIComponent(drawn.since) + "&version=" + drawn.version +
      "&state=" + encodeURIComponent(drawn.state);
    fetch(root.getAttribute("data-changes-url") + query, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) { if (text) apply(text); })
      .catch(function () { /* the next message or reconnect asks again */ })
      .then(function () {
        fetching = false;
        if (again) { again = false; catchUp(); }
      });
  }

  // What a person has open in the grid: a card's form, delete question or move form (each
  // drawn in place of the card, with its id), or the add form in a cell's add slot.
  var OPEN = ".bp-cell > [id^='card-']:not(article), .bp-add .bp-card-editing";

  function openForms(scope) {
    return Array.prototype.slice.call(scope.querySelectorAll(OPEN));
  }

  function apply(text) {
    var doc = new DOMParser().parseFromString(text, "text/html");
    var box = doc.getElementById("bp-live-changes");
    if (!box) return;
    var cards = [];
    try { cards = JSON.parse(doc.getElementById("bp-live-cards").textContent); } catch (error) { cards = []; }
    showTitle(box.getAttribute("data-title"));
    var mode = box.getAttribute("data-mode");
    if (mode === "reload") {
      if (openForms(document).length) {
        offer("The blueprint's review state has changed.", "Reload the page", function () { window.location.reload(); });
      } else {
        window.location.reload();
      }
      return;
    }
    if (mode === "board") {
      var board = box.querySelector("#bp-board");
      if (!board) return;
      if (openForms(document).length) {
        offer("Someone changed the blueprint's title, phases, lanes or links.", "Show the new grid (closes your open form)", function () {
          replaceBoard(board);
          settled(box, cards);
        });
        return;
      }
      replaceBoard(board);
    } else {
      var missing = false;
      box.querySelectorAll(".bp-cell").forEach(function (cell) {
        if (!applyCell(cell, cards)) missing = true;
      });
      var curve = box.querySelector("#bp-emotion");
      var oldCurve = document.getElementById("bp-emotion");
      if (curve && oldCurve) swapIn(oldCurve, curve);
      if (missing) { drawn.version = -1; }  // a cell we do not have: ask for the grid next time
    }
    settled(box, cards);
  }

  // Someone renamed the blueprint: the header and the window's title follow, as text. The
  // document title starts with the title (detail.html's title block).
  function showTitle(title) {
    var heading = document.getElementById("bp-title");
    if (!heading || title === null || heading.textContent === title) return;
    var old = heading.textContent;
    heading.textContent = title;
    if (document.title.indexOf(old) === 0) document.title = title + document.title.slice(old.length);
  }

  function settled(box, cards) {
    drawn.version = Math.max(drawn.version, parseInt(box.getAttribute("data-version"), 10));
    drawn.since = box.getAttribute("data-since");
    var version = document.getElementById("bp-version");
    if (version && parseInt(version.textContent, 10) < drawn.version) version.textContent = drawn.version;
    markChanged(cards);
    drawPresence();
  }

  function swapIn(old, fresh) {
    var node = document.importNode(fresh, true);
    old.replaceWith(node);
    if (window.htmx) {
      window.htmx.process(node);
      window.htmx.trigger(node, "htmx:afterSettle", { elt: node });
    }
    return node;
  }

  function replaceBoard(board) {
    var old = document.getElementById("bp-board");
    if (old) swapIn(old, board);
    document.querySelectorAll(".bp-live-offer").forEach(function (offer) { offer.remove(); });
  }

  // One cell, keeping the open forms: an edit form stays where its card is (or where it was,
  // if the card moved away or was deleted), the add form in the cell's add slot.
  function applyCell(cell, cards) {
    var old = document.getElementById(cell.id);
    if (!old) return false;
    var fresh = document.importNode(cell, true);
    var focused = document.activeElement;
    var selection = null;
    if (focused && typeof focused.selectionStart === "number") {
      selection = [focused.selectionStart, focused.selectionEnd];
    }
    openForms(document).forEach(function (form) {
      if (!form.id) return;  // the add form: below
      var article = fresh.querySelector("#" + form.id);
      if (article) {
        if (old.contains(form)) article.replaceWith(form);
        else article.remove();
      } else if (old.contains(form)) {
        var slot = fresh.querySelector(".bp-add");
        fresh.insertBefore(form, slot);
      }
    });
    var addSlot = old.querySelector(".bp-add");
    if (addSlot && addSlot.querySelector(".bp-card-editing, form[method='post']")) {
      var freshSlot = fresh.querySelector(".bp-add");
      if (freshSlot) freshSlot.replaceWith(addSlot);
    }
    old.replaceWith(fresh);
    // A card that moved here is still drawn where it was (that cell did not change): not
    // any more.
    fresh.querySelectorAll("article.bp-card[id]").forEach(function (article) {
      document.querySelectorAll("article[id='" + article.id + "']").forEach(function (other) {
        if (other !== article) other.remove();
      });
    });
    if (window.htmx) {
      window.htmx.process(fresh);
      window.htmx.trigger(fresh, "htmx:afterSettle", { elt: fresh });
    }
    // Focus stays where it was: on the element itself if it was kept (an open form's field),
    // or on its fresh copy (a focused card, redrawn). The page hears of its own changes too,
    // often before their response: without this, adding a card by keyboard left focus on
    // the page's body once the echo redrew the cell.
    if (focused && focused !== document.activeElement) {
      var target = document.body.contains(focused) ? focused
        : (focused.id && fresh.querySelector("#" + CSS.escape(focused.id)));
      if (target) {
        target.focus({ preventScroll: true });
        if (selection && target === focused) {
          try { focused.setSelectionRange(selection[0], selection[1]); } catch (error) { /* not text */ }
        }
      }
    }
    return true;
  }

  // An open form whose card someone else changed says so, with their text to read.
  function markChanged(cards) {
    cards.forEach(function (change) {
      if (!change.by || change.by === me) return;
      var form = document.querySelector(".bp-cell > #card-" + change.card + ":not(article)");
      if (!form) return;
      var notice = form.querySelector(".bp-live-changed");
      if (notice) notice.remove();
      notice = document.createElement("div");
      notice.className = "bp-live-changed alert alert-warning py-1 px-2 small";
      notice.setAttribute("aria-live", "polite");
      var words = document.createElement("p");
      words.className = "mb-1";
      if (change.deleted) {
        words.textContent = "Deleted by " + change.by + " while you were editing. Your text stays here.";
        notice.appendChild(words);
      } else {
        words.textContent = "Changed by " + change.by + " — see the new text. What you typed stays here.";
        notice.appendChild(words);
        var link = document.createElement("a");
        link.href = root.getAttribute("data-cards-url") + change.card + "/";
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = "See " + change.by + "'s version (opens in a new tab)";
        notice.appendChild(link);
      }
      var inner = form.querySelector("form") || form;  // inside the form, so it is named with it
      inner.insertBefore(notice, inner.firstChild);
    });
  }

  // A change that would close an open form waits for the person to ask for it.
  function offer(text, action, onAccept) {
    document.querySelectorAll(".bp-live-offer").forEach(function (old) { old.remove(); });
    var box = document.createElement("div");
    box.className = "bp-live-offer alert alert-info d-flex gap-2 align-items-center py-1";
    box.setAttribute("aria-live", "polite");
    var words = document.createElement("span");
    words.textContent = text;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-primary";
    button.textContent = action;
    button.addEventListener("click", function () { box.remove(); onAccept(); });
    box.appendChild(words);
    box.appendChild(button);
    var board = document.getElementById("bp-board");
    if (board) board.parentNode.insertBefore(box, board);
  }

  // Presence -------------------------------------------------------------------------------

  // One entry per person (`person`, the same in each of their tabs; two people who share a
  // name are two), showing the tab in which they edit a card if there is one; none for me.
  function drawPresence() {
    var now = Date.now();
    var byPerson = {};
    Object.keys(others).forEach(function (id) {
      var who = others[id];
      if (now - who.seen > FORGET_AFTER) { delete others[id]; return; }
      if (who.activity === "idle" || who.person === myPerson) return;
      if (!byPerson[who.person] || who.card) byPerson[who.person] = who;
    });
    var people = Object.keys(byPerson).map(function (key) { return byPerson[key]; });
    people.sort(function (a, b) {
      return a.name.localeCompare(b.name) || (a.person < b.person ? -1 : 1);
    });
    presenceList.textContent = "";
    people.forEach(function (who) {
      var item = document.createElement("li");
      item.className = "bp-presence-person";
      item.title = who.name;
      var badge = document.createElement("span");
      badge.className = "bp-initials";
      badge.setAttribute("aria-hidden", "true");
      badge.textContent = who.initials;
      var full = document.createElement("span");
      full.className = "visually-hidden";
      full.textContent = who.name;
      item.appendChild(badge);
      item.appendChild(full);
      presenceList.appendChild(item);
    });
    root.querySelector(".bp-presence-wrap").hidden = people.length === 0;
    document.querySelectorAll(".bp-card-presence").forEach(function (marker) { marker.remove(); });
    people.forEach(function (who) {
      if (!who.card) return;
      var card = document.getElementById("card-" + who.card);
      if (!card) return;
      var marker = document.createElement("p");
      marker.className = "bp-card-presence";
      marker.textContent = who.name + " is editing";
      card.appendChild(marker);
    });
  }

  function editingCard() {
    var form = document.querySelector(".bp-cell > .bp-card-editing[id^='card-']");
    return form ? parseInt(form.id.slice(5), 10) : null;
  }

  function sendPresence(force) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    var idle = Date.now() - lastActivity > IDLE_AFTER;
    var card = idle ? null : editingCard();
    var activity = idle ? "idle" : (card ? "editing" : "here");
    var now = Date.now();
    if (!force && activity === sent.activity && card === sent.card && now - sent.at < KEEPALIVE) return;
    var message = { type: activity };
    if (activity === "editing") message.card = card;
    socket.send(JSON.stringify(message));
    sent = { activity: activity, card: card, at: now };
  }

  function active() {
    lastActivity = Date.now();
    sendPresence(false);
  }

  ["keydown", "pointerdown", "focusin"].forEach(function (name) {
    document.addEventListener(name, active, { passive: true });
  });
  document.addEventListener("htmx:afterSettle", function () {
    sendPresence(false);
    drawPresence();  // markers on the cards just drawn
  });
  window.setInterval(function () { sendPresence(false); drawPresence(); }, 15000);

  setStatus("offline");
  statusText.textContent = "Connecting…";
  connect();
})();
