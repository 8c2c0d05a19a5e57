/* The blueprint editor: drag and drop of cards between and within cells, with Pointer
   Events, so a mouse, a pen and a finger all work, posted to the card's move endpoint.
   The card's own controls ("Actions", "Move to...") remain the accessible way to move it.

   - Mouse and pen: press on a card and move a few pixels.
   - Touch: press and hold about 300 ms, then drag; a finger that moves sooner pans the page
     or the grid as usual (cards are `touch-action: manipulation`, and once a card is picked
     up the touchmove that would scroll is cancelled).
   - While dragging, a line shows where the card will land, and the grid's box (or the page,
     on small screens) scrolls when the pointer nears its edge. Escape puts the card back.

   The move is posted with htmx (so the page's CSRF header goes with it) to
   `#bp-board[data-cards-url]` + the card's id + "/move/", with the cell's phase and lane,
   the position and the card's version; the server redraws the cells that changed.

   Plain JavaScript, no build step; htmx comes from base.html. */
(function () {
  "use strict";

  var LONG_PRESS_MS = 300;
  var MOUSE_SLOP = 5;     // px a mouse moves before a press becomes a drag
  var TOUCH_SLOP = 10;    // px a finger may wander during the long press
  var EDGE = 48;          // px from an edge where auto-scroll starts
  var MAX_SPEED = 18;     // px per frame at the very edge

  var press = null;       // {card, id, type, x, y, timer}
  var drag = null;        // {card, ghost, dx, dy, x, y, cell, index}
  var suppressClick = false;
  var scrollFrame = null;

  var indicator = document.createElement("div");
  indicator.className = "bp-drop-indicator";
  indicator.setAttribute("aria-hidden", "true");

  function editableCard(target) {
    if (!target || !target.closest) return null;
    var card = target.closest("article.bp-card[data-card]");
    if (!card || !card.closest("#bp-board[data-editable]")) return null;
    // Controls inside a card keep their own behaviour.
    if (target.closest("button, input, select, textarea, form, .bp-card-menu")) return null;
    return card;
  }

  function cardsOf(cell) {
    return Array.prototype.filter.call(
      cell.querySelectorAll(":scope > article.bp-card[data-card]"),
      function (card) { return !drag || card !== drag.card; }
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

  function cellAt(x, y) {
    var under = document.elementFromPoint(x, y);
    var cell = under && under.closest ? under.closest(".bp-cell") : null;
    return cell && cell.closest("#bp-board") ? cell : null;
  }

  function clearDropTarget() {
    document.querySelectorAll(".bp-drop-target").forEach(function (cell) {
      cell.classList.remove("bp-drop-target");
    });
    if (indicator.parentNode) indicator.parentNode.removeChild(indicator);
  }

  // Picking up ------------------------------------------------------------------------------

  function cancelPress() {
    if (press && press.timer) window.clearTimeout(press.timer);
    press = null;
  }

  function start(x, y) {
    var card = press.card;
    var box = card.getBoundingClientRect();
    var ghost = card.cloneNode(true);
    ghost.removeAttribute("id");
    ghost.removeAttribute("data-card");
    ghost.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    ghost.classList.add("bp-drag-ghost");
    ghost.setAttribute("aria-hidden", "true");
    ghost.style.width = box.width + "px";
    document.body.appendChild(ghost);
    drag = { card: card, ghost: ghost, dx: press.x - box.left, dy: press.y - box.top,
             x: x, y: y, cell: null, index: 0 };
    card.classList.add("bp-dragging");
    document.body.classList.add("bp-dragging-now");
    press = null;
    follow(x, y);
    autoScroll();
  }

  function follow(x, y) {
    drag.x = x;
    drag.y = y;
    drag.ghost.style.left = (x - drag.dx) + "px";
    drag.ghost.style.top = (y - drag.dy) + "px";
    var cell = cellAt(x, y);
    if (cell !== drag.cell) {
      clearDropTarget();
      if (cell) cell.classList.add("bp-drop-target");
      drag.cell = cell;
    }
    if (!cell) return;
    var place = dropIndex(cell, y);
    drag.index = place.index;
    if (place.before) cell.insertBefore(indicator, place.before);
    else cell.appendChild(indicator);
  }

  function finish(drop) {
    var state = drag;
    drag = null;
    if (scrollFrame) window.cancelAnimationFrame(scrollFrame);
    scrollFrame = null;
    clearDropTarget();
    if (state.ghost.parentNode) state.ghost.parentNode.removeChild(state.ghost);
    state.card.classList.remove("bp-dragging");
    document.body.classList.remove("bp-dragging-now");
    suppressClick = true;
    window.setTimeout(function () { suppressClick = false; }, 0);
    if (drop && state.cell) post(state.card, state.cell, state.index);
  }

  function post(card, cell, index) {
    var current = Array.prototype.indexOf.call(
      cell.querySelectorAll(":scope > article.bp-card[data-card]"), card);
    if (current !== -1 && current === index) return; // dropped where it already is
    var grid = document.getElementById("bp-board");
    var base = grid && grid.getAttribute("data-cards-url");
    if (!base || !window.htmx) return;
    window.htmx.ajax("POST", base + card.getAttribute("data-card") + "/move/", {
      source: card,
      target: "#" + cell.id,
      swap: "outerHTML",
      values: {
        version: card.getAttribute("data-version"),
        phase: cell.getAttribute("data-phase"),
        lane: cell.getAttribute("data-lane"),
        position: String(index),
      },
    });
  }

  // Auto-scroll near the edges ------------------------------------------------------------

  // MAX_SPEED is per frame at 60 frames a second; a busy or slow machine draws fewer frames,
  // so each step is scaled by the time since the last (at most 4 frames' worth, so that a
  // stalled page does not jump), and the grid scrolls as fast there as anywhere.
  var FRAME_MS = 1000 / 60;
  var lastFrame = null;
  var scale = 1;

  function speed(distance) {
    return distance < EDGE ? Math.ceil(scale * MAX_SPEED * (1 - Math.max(distance, 0) / EDGE)) : 0;
  }

  function autoScroll(now) {
    if (!drag) { lastFrame = null; return; }
    scale = lastFrame === null || !now ? 1 : Math.min(Math.max((now - lastFrame) / FRAME_MS, 1), 4);
    lastFrame = now || null;
    var box = document.querySelector("#bp-board .bp-scroll");
    var moved = false;
    if (box && box.scrollHeight > box.clientHeight + 1 || box && box.scrollWidth > box.clientWidth + 1) {
      var r = box.getBoundingClientRect();
      // The sticky phase headers and lane names cover the box's top and left: its edges,
      // for scrolling, are where they end.
      var head = box.querySelector("thead");
      var corner = box.querySelector(".bp-corner");
      var top = r.top + (head && getComputedStyle(head).display !== "none" ? head.offsetHeight : 0);
      var left = r.left + (corner && getComputedStyle(corner).position === "sticky" ? corner.offsetWidth : 0);
      var dx = speed(drag.x - left) ? -speed(drag.x - left) : speed(r.right - drag.x);
      var dy = speed(drag.y - top) ? -speed(drag.y - top) : speed(r.bottom - drag.y);
      var scrolledLeft = box.scrollLeft, scrolledTop = box.scrollTop;
      box.scrollLeft += dx;
      box.scrollTop += dy;
      moved = box.scrollLeft !== scrolledLeft || box.scrollTop !== scrolledTop;
    }
    if (!moved) {
      var wy = speed(drag.y) ? -speed(drag.y) : speed(window.innerHeight - drag.y);
      if (wy) {
        var before = window.scrollY;
        window.scrollBy(0, wy);
        moved = window.scrollY !== before;
      }
    }
    if (moved) follow(drag.x, drag.y);
    scrollFrame = window.requestAnimationFrame(autoScroll);
  }

  // Pointer events ------------------------------------------------------------------------

  document.addEventListener("pointerdown", function (event) {
    if (drag || !event.isPrimary) return;
    if (event.pointerType === "mouse" && event.button !== 0) return;
    var card = editableCard(event.target);
    if (!card) return;
    press = { card: card, type: event.pointerType, x: event.clientX, y: event.clientY, timer: null };
    if (event.pointerType === "touch") {
      press.timer = window.setTimeout(function () {
        if (!press) return;
        press.timer = null;
        press.card.classList.add("bp-drag-armed");
        start(press.x, press.y);
      }, LONG_PRESS_MS);
    }
  });

  document.addEventListener("pointermove", function (event) {
    if (drag) {
      event.preventDefault();
      follow(event.clientX, event.clientY);
      return;
    }
    if (!press) return;
    var distance = Math.abs(event.clientX - press.x) + Math.abs(event.clientY - press.y);
    if (press.type === "touch") {
      if (distance > TOUCH_SLOP) cancelPress(); // a pan, not a long press
    } else if (distance > MOUSE_SLOP) {
      start(event.clientX, event.clientY);
    }
  });

  document.addEventListener("pointerup", function (event) {
    if (drag) {
      follow(event.clientX, event.clientY);
      var armed = drag.card;
      finish(true);
      armed.classList.remove("bp-drag-armed");
      return;
    }
    cancelPress();
  });

  document.addEventListener("pointercancel", function () {
    cancelPress();
    if (drag) {
      drag.card.classList.remove("bp-drag-armed");
      finish(false);
    }
  });

  // Once a card is picked up by touch, the finger's moves drag it instead of panning.
  document.addEventListener("touchmove", function (event) {
    if (drag) event.preventDefault();
  }, { passive: false });

  // A long press would otherwise open the context menu; a drag would start a native one.
  document.addEventListener("contextmenu", function (event) {
    if (press || drag) event.preventDefault();
  });
  document.addEventListener("dragstart", function (event) {
    if (editableCard(event.target) || (event.target.closest && event.target.closest("#bp-board[data-editable] article.bp-card"))) {
      event.preventDefault();
    }
  });

  // A native drag would cancel the pointer's events: cards and their links are not draggable.
  function undrag(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll("#bp-board[data-editable] article.bp-card[data-card], " +
      "#bp-board[data-editable] article.bp-card[data-card] a").forEach(function (el) {
      el.setAttribute("draggable", "false");
    });
  }
  // After a swap, only what was swapped in is new (the rest of the grid is already done).
  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.target && event.target.querySelectorAll ? event.target : document;
    var grid = document.getElementById("bp-board");
    if (grid && swapped !== document && !swapped.contains(grid) && !grid.contains(swapped)) return;
    undrag(swapped.parentNode || document);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { undrag(document); });
  } else {
    undrag(document);
  }

  // The click that ends a drag is not a click on the card's title.
  document.addEventListener("click", function (event) {
    if (suppressClick) {
      event.preventDefault();
      event.stopPropagation();
      suppressClick = false;
    }
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drag) {
      event.preventDefault();
      event.stopPropagation();
      drag.card.classList.remove("bp-drag-armed");
      finish(false);
    }
  }, true);
})();
