/* The blueprint editor's core script: what htmx cannot do on its own. The editor's other
   scripts sit beside it in static/js/editor/, one per concern (drag and drop, ...).

   - Focus: a fragment the server sends marks where focus belongs (data-bp-focus), so a
     keyboard user who moves, adds or edits a card stays on it and can carry on.
   - Requests that fail are said so above the grid.
   - The card panel: shown when htmx fills it, closed with its button or Escape, handing
     focus back to the card that opened it.

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
      target = marked.querySelector('[data-control="' + what + '"]') || marked;
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
    // Back to the card the panel was opened from (its title link is not a Tab stop: the
    // card is, see keyboard.js), or to whatever else opened it.
    var opener = panelOpener && document.body.contains(panelOpener) ? panelOpener : null;
    var card = opener && opener.closest("#bp-board article.bp-card");
    if (card || opener) (card || opener).focus();
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

  // The header's capacity line, redrawn after a card's change (_capacity.html), stays open
  // if the person had opened it.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "bp-capacity") return;
    var fresh = event.detail.fragment.querySelector("details");
    if (fresh && target.querySelector("details[open]")) fresh.open = true;
  });
})();
