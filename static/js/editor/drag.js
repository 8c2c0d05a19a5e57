/* The blueprint editor: drag and drop of cards between and within cells, posted to the
   card's move endpoint. The card's buttons remain the accessible way to move it.

   Plain JavaScript, no build step; htmx comes from base.html. */
(function () {
  "use strict";

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
    var cardsUrl = document.getElementById("bp-board").getAttribute("data-cards-url");
    if (!cardsUrl || !window.htmx) return;
    window.htmx.ajax("POST", cardsUrl + card.getAttribute("data-card") + "/move/", {
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
