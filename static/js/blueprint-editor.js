/* The blueprint editor's small script: what htmx cannot do on its own.

   - Focus: a fragment the server sends marks where focus belongs (data-bp-focus), so a
     keyboard user who moves, adds or edits a card stays on it and can carry on.
   - The card panel: shown when htmx fills it, closed with its button or Escape, handing
     focus back to the card title that opened it.
   - Drag and drop of cards between and within cells, posted to the card's move endpoint.
     The arrow buttons on each card remain the accessible way to move it.

   Plain JavaScript, no build step; htmx comes from base.html. */
(function () {
  "use strict";

  // Focus --------------------------------------------------------------------------

  function applyFocus() {
    var marked = document.querySelector("[data-bp-focus]");
    if (!marked) return;
    var what = marked.getAttribute("data-bp-focus");
    marked.removeAttribute("data-bp-focus");
    var target = null;
    if (what === "field") {
      target = marked.querySelector('[aria-invalid="true"]') ||
        marked.querySelector("input:not([type=hidden]), select, textarea, button");
    } else if (what === "card") {
      target = marked;
    } else {
      target = marked.querySelector('[data-control="' + what + '"]') ||
        marked.querySelector(".bp-move-button") || marked;
    }
    if (target && typeof target.focus === "function") {
      target.focus({ preventScroll: false });
      if (target.scrollIntoView) target.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }

  document.addEventListener("htmx:afterSettle", applyFocus);

  // Requests that fail -------------------------------------------------------------------
  // htmx leaves the page as it was when a request fails (a 403 after a role change, a 500,
  // no network); say so, rather than let a click seem to do nothing.

  function showProblem(text) {
    var board = document.getElementById("bp-board");
    if (!board) return;
    var box = document.getElementById("bp-problem");
    if (!box) {
      box = document.createElement("div");
      box.id = "bp-problem";
      box.className = "alert alert-danger";
      box.setAttribute("role", "alert");
      board.parentNode.insertBefore(box, board);
    }
    box.textContent = text;
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    showProblem(status === 403
      ? "You may not change this blueprint (any more): nothing was saved. Reload the page to see it as it is."
      : "Something went wrong on the server (HTTP " + status + "): nothing was saved. Reload the page and try again.");
  });

  document.addEventListener("htmx:sendError", function () {
    showProblem("The server could not be reached: nothing was saved. Check the connection and try again.");
  });

  // The card panel -----------------------------------------------------------------

  var panelOpener = null;

  function panel() { return document.getElementById("bp-panel"); }

  function closePanel() {
    var aside = panel();
    if (!aside || aside.hidden) return;
    aside.hidden = true;
    aside.innerHTML = "";
    if (panelOpener && document.body.contains(panelOpener)) panelOpener.focus();
    panelOpener = null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var aside = panel();
    var target = event.detail.target;
    if (aside && target === aside && !aside.contains(event.detail.elt)) {
      panelOpener = event.detail.elt;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var aside = panel();
    if (aside && event.detail.target === aside) aside.hidden = false;
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-bp-close]")) closePanel();
  });

  document.addEventListener("keydown", function (event) {
    var aside = panel();
    if (event.key === "Escape" && aside && !aside.hidden) closePanel();
  });

  // Drag and drop --------------------------------------------------------------------

  var dragged = null;
  var indicator = document.createElement("div");
  indicator.className = "bp-drop-indicator";
  indicator.setAttribute("aria-hidden", "true");

  function cardsOf(cell) {
    return Array.prototype.filter.call(
      cell.querySelectorAll(":scope > article.bp-card[data-card]"),
      function (card) { return card !== dragged; }
    );
  }

  /* Where in `cell` the pointer is: the index among the cell's other cards, counting the
     cards whose middle is above the pointer. */
  function dropIndex(cell, clientY) {
    var cards = cardsOf(cell);
    for (var i = 0; i < cards.length; i++) {
      var box = cards[i].getBoundingClientRect();
      if (clientY < box.top + box.height / 2) return { index: i, before: cards[i] };
    }
    return { index: cards.length, before: cell.querySelector(":scope > .bp-add") };
  }

  function clearDropTarget() {
    document.querySelectorAll(".bp-drop-target").forEach(function (cell) {
      cell.classList.remove("bp-drop-target");
    });
    if (indicator.parentNode) indicator.parentNode.removeChild(indicator);
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("article.bp-card[draggable=true]");
    if (!card) return;
    dragged = card;
    card.classList.add("bp-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-card"));
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var cell = event.target.closest && event.target.closest(".bp-cell");
    if (!cell) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!cell.classList.contains("bp-drop-target")) {
      clearDropTarget();
      cell.classList.add("bp-drop-target");
    }
    var place = dropIndex(cell, event.clientY);
    if (place.before) cell.insertBefore(indicator, place.before);
    else cell.appendChild(indicator);
  });

  document.addEventListener("dragleave", function (event) {
    var cell = event.target.closest && event.target.closest(".bp-cell");
    if (cell && !cell.contains(event.relatedTarget)) {
      cell.classList.remove("bp-drop-target");
      if (indicator.parentNode === cell) cell.removeChild(indicator);
    }
  });

  document.addEventListener("drop", function (event) {
    if (!dragged) return;
    var cell = event.target.closest && event.target.closest(".bp-cell");
    if (!cell) return;
    event.preventDefault();
    var card = dragged;
    var index = dropIndex(cell, event.clientY).index;
    clearDropTarget();
    var current = Array.prototype.indexOf.call(
      cell.querySelectorAll(":scope > article.bp-card[data-card]"), card);
    if (current !== -1 && current === index) return; // dropped where it already is
    var form = card.querySelector("form.bp-move");
    if (!form || !window.htmx) return;
    window.htmx.ajax("POST", form.getAttribute("action"), {
      source: card,
      target: "#" + cell.id,
      swap: "outerHTML",
      headers: { "X-CSRFToken": csrfToken() },
      values: {
        version: card.getAttribute("data-version"),
        phase: cell.getAttribute("data-phase"),
        lane: cell.getAttribute("data-lane"),
        position: String(index),
      },
    });
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("bp-dragging");
    dragged = null;
    clearDropTarget();
  });
})();
