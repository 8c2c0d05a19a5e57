/* The blueprint editor from the keyboard, and the controls the cards share.

   - Roving tabindex: the grid is one Tab stop (the current card, else the first card, else
     the first cell's Add button); the arrow keys move between cards, and the Add buttons of
     empty cells (up and down through a phase across lanes, left and right to the nearest
     card of the next phase), Home and End to the ends of the lane (with Ctrl, of the grid). The toolbar is
     one Tab stop too, with the arrow keys inside it.
   - Shortcuts on a focused card (never while typing in a field): Enter opens its details,
     A / Shift+F10 / the menu key its actions menu, E edits, M "Move to...", Shift+arrows
     move it one step, N adds a card to its cell, Delete / Backspace asks to delete it; "?"
     opens the Keyboard help from anywhere outside a field.
   - One card menu (#bp-card-menu) and one "Move to..." dialog (#bp-move-dialog) for the
     whole grid, filled for the card they open on: each card carries a single Actions link,
     which without JavaScript leads to the card's page and the same actions as plain forms.

   Plain JavaScript, no build step; htmx comes from base.html. */
(function () {
  "use strict";

  var ITEM = "article.bp-card, .bp-add-button, summary.bp-head-summary";
  var HEAD = "summary.bp-head-summary";
  var INNER = ".bp-card-title a, .bp-card-menu, .bp-badge a";
  var TEXT_INPUTS = ["button", "submit", "reset", "checkbox", "radio", "hidden", "image"];

  function board() { return document.getElementById("bp-board"); }
  function menu() { return document.getElementById("bp-card-menu"); }
  function moveDialog() { return document.getElementById("bp-move-dialog"); }
  function helpDialog() { return document.getElementById("bp-keyboard-help"); }

  function isTextField(el) {
    if (!el || !el.tagName) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    return TEXT_INPUTS.indexOf((el.getAttribute("type") || "text").toLowerCase()) === -1;
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function visible(el) {
    return !!(el && el.offsetParent !== null && !el.closest("[hidden]"));
  }

  // The grid's items ------------------------------------------------------------------

  /* The grid as rows (lanes) of cells (phases), each cell the list of its items. */
  function matrix() {
    var root = board();
    if (!root) return [];
    return Array.prototype.map.call(root.querySelectorAll("tr.bp-lane"), function (row) {
      return Array.prototype.map.call(row.querySelectorAll(".bp-cell"), function (cell) {
        // A cell's cards; an empty cell its Add button (N adds to a cell that has cards).
        var cards = Array.prototype.filter.call(
          cell.querySelectorAll(":scope > article.bp-card"), visible);
        var add = cell.querySelector(":scope > .bp-add .bp-add-button");
        return cards.length || !add || !visible(add) ? cards : [add];
      });
    });
  }

  function locate(grid, item) {
    for (var r = 0; r < grid.length; r++) {
      for (var c = 0; c < grid[r].length; c++) {
        var i = grid[r][c].indexOf(item);
        if (i !== -1) return { row: r, col: c, index: i };
      }
    }
    return null;
  }

  function allItems() {
    var root = board();
    return root ? Array.prototype.filter.call(root.querySelectorAll(ITEM), visible) : [];
  }

  var currentId = null;

  function itemId(item) {
    if (item.matches(HEAD)) return "head:" + item.parentNode.id;
    return item.id || (item.closest(".bp-cell") || {}).id + ":add";
  }

  function findById(id) {
    if (!id) return null;
    if (id.indexOf("head:") === 0) {
      var menu = document.getElementById(id.slice(5));
      return menu ? menu.querySelector(":scope > " + HEAD) : null;
    }
    var parts = id.split(":add");
    if (parts.length === 2) {
      var cell = document.getElementById(parts[0]);
      return cell ? cell.querySelector(":scope > .bp-add .bp-add-button") : null;
    }
    var el = document.getElementById(id);
    return el && el.matches("article.bp-card") ? el : null;
  }

  /* `item` becomes the grid's one Tab stop. Every item is taken out of the Tab order once,
     when the grid (or a part of it) is drawn (initGrid); after that only the item that was
     the Tab stop needs to leave it. */
  function setCurrent(item, everyItem) {
    var root = board();
    if (!root || !item) return;
    root.querySelectorAll(everyItem ? ITEM : ITEM + '[tabindex="0"]').forEach(function (el) {
      if (el !== item) el.setAttribute("tabindex", "-1");
    });
    item.setAttribute("tabindex", "0");
    currentId = itemId(item);
  }

  /* Make the grid one Tab stop again (after the page loads or htmx redraws a part of it).
     After a swap inside the grid only the swapped part is new: its items are taken out of
     the Tab order, and the rest of the grid is left as it was, so a move does not measure
     every card of the grid again. */
  function initGrid(event) {
    var root = board();
    if (!root) return;
    var swapped = event && event.target;
    // The status line, version and toolbar are swapped beside the grid: nothing to do.
    if (swapped && swapped.contains && !swapped.contains(root) && !root.contains(swapped)) return;
    var part = swapped && swapped !== root && root.contains(swapped) ? swapped.parentNode : root;
    part.querySelectorAll(INNER).forEach(function (el) { el.setAttribute("tabindex", "-1"); });
    var active = document.activeElement;
    var current = (active && active.matches && active.matches(ITEM) && root.contains(active))
      ? active : findById(currentId);
    if (part !== root && current && visible(current)) {
      part.querySelectorAll(ITEM).forEach(function (el) {
        if (el !== current) el.setAttribute("tabindex", "-1");
      });
      setCurrent(current);
      return;
    }
    var items = allItems();
    var scroll = root.querySelector(".bp-scroll");
    if (scroll && items.length) scroll.setAttribute("tabindex", "-1");
    // The first card, else the first cell's Add button, else (a grid with no cells) a header.
    var firstCard = items.filter(function (el) { return el.matches("article.bp-card"); })[0];
    var firstCell = items.filter(function (el) { return !el.matches(HEAD); })[0];
    setCurrent(current && visible(current) ? current : firstCard || firstCell || items[0], true);
  }

  function focusItem(item) {
    if (!item) return;
    setCurrent(item);
    item.focus();
    if (item.scrollIntoView) item.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function centreY(el) {
    var box = el.getBoundingClientRect();
    return box.top + box.height / 2;
  }

  function nearest(items, y) {
    var best = null;
    var distance = Infinity;
    items.forEach(function (item) {
      var d = Math.abs(centreY(item) - y);
      if (d < distance) { distance = d; best = item; }
    });
    return best;
  }

  /* The phase headers' menu buttons (one a column) and the lane headers' (one a row),
     for editors: part of the grid's one Tab stop, reached by arrows from the cards. */
  function heads(selector) {
    var root = board();
    if (!root) return [];
    return Array.prototype.map.call(root.querySelectorAll(selector), function (th) {
      var summary = th.querySelector(HEAD);
      return summary && visible(summary) ? summary : null;
    });
  }
  function phaseHeads() { return heads("thead th.bp-phase"); }
  function laneHeads() { return heads("tr.bp-lane > th"); }

  function column(grid, col) {
    var items = [];
    grid.forEach(function (row) { items = items.concat(row[col] || []); });
    return items;
  }

  function firstInRow(row) {
    for (var c = 0; c < row.length; c++) if (row[c].length) return row[c][0];
    return null;
  }

  /* From a header: along the headers, or into the grid (down a column, along a row). */
  function fromHead(grid, item, key) {
    var phases = phaseHeads();
    var lanes = laneHeads();
    var col = phases.indexOf(item);
    if (col !== -1) {
      if (key === "ArrowDown") return column(grid, col)[0] || null;
      if (key === "ArrowLeft") return phases[col - 1] || null;
      if (key === "ArrowRight") return phases[col + 1] || null;
      return null;
    }
    var row = lanes.indexOf(item);
    if (row === -1) return null;
    if (key === "ArrowRight") return grid[row] ? firstInRow(grid[row]) : null;
    if (key === "ArrowUp") return lanes[row - 1] || null;
    if (key === "ArrowDown") return lanes[row + 1] || null;
    return null;
  }

  /* The item the arrow (or Home/End) key leads to from `item`, or null. */
  function neighbour(item, key, ctrl) {
    var grid = matrix();
    if (item.matches(HEAD)) return fromHead(grid, item, key);
    var at = locate(grid, item);
    if (!at) return null;
    if (key === "ArrowUp" || key === "ArrowDown") {
      var items = column(grid, at.col);
      var i = items.indexOf(item) + (key === "ArrowUp" ? -1 : 1);
      if (i < 0) return phaseHeads()[at.col] || null;
      return items[i] || null;
    }
    if (key === "ArrowLeft" || key === "ArrowRight") {
      var step = key === "ArrowLeft" ? -1 : 1;
      var y = centreY(item);
      for (var c = at.col + step; c >= 0 && c < grid[at.row].length; c += step) {
        if (grid[at.row][c].length) return nearest(grid[at.row][c], y);
      }
      return step < 0 ? laneHeads()[at.row] || null : null;
    }
    var rows = ctrl ? grid : [grid[at.row]];
    var flat = [];
    rows.forEach(function (row) { row.forEach(function (cell) { flat = flat.concat(cell); }); });
    return key === "Home" ? flat[0] : flat[flat.length - 1];
  }

  // Actions on a card ---------------------------------------------------------------

  function cardUrl(card) {
    var link = card.querySelector(".bp-card-title a");
    return link ? link.getAttribute("href") : null;
  }

  function runAction(card, action, direction) {
    var url = cardUrl(card);
    if (!url || !window.htmx) return;
    var id = card.getAttribute("data-card");
    var inPlace = { source: card, target: "#card-" + id, swap: "outerHTML" };
    if (action === "open") {
      card.querySelector(".bp-card-title a").click();
    } else if (action === "edit") {
      window.htmx.ajax("GET", url + "edit/", inPlace);
    } else if (action === "delete") {
      window.htmx.ajax("GET", url + "delete/", inPlace);
    } else if (action === "move") {
      window.htmx.ajax("POST", url + "move/", {
        source: card,
        target: "#card-" + id,
        swap: "outerHTML",
        headers: { "X-CSRFToken": csrfToken() },
        values: { version: card.getAttribute("data-version"), direction: direction },
      });
    } else if (action === "move-to") {
      openMoveDialog(card);
    }
  }

  function addInCell(item) {
    var cell = item.closest(".bp-cell");
    var add = cell && cell.querySelector(":scope > .bp-add .bp-add-button");
    if (add) add.click();
  }

  // The shared card menu --------------------------------------------------------------

  var menuCard = null;

  function menuItems() {
    return Array.prototype.filter.call(menu().querySelectorAll("[role=menuitem]"), function (el) {
      return !el.hidden;
    });
  }

  function openMenu(card) {
    var box = menu();
    if (!box || !card.hasAttribute("data-card")) return;
    var grid = matrix();
    var at = locate(grid, card);
    var cards = card.parentNode.querySelectorAll(":scope > article.bp-card");
    var possible = {
      up: cards[0] !== card,
      down: cards[cards.length - 1] !== card,
      left: at ? at.col > 0 : true,
      right: at ? at.col < grid[at.row].length - 1 : true,
    };
    box.querySelectorAll("[data-direction]").forEach(function (button) {
      button.hidden = !possible[button.getAttribute("data-direction")];
    });
    var title = card.querySelector(".bp-card-title");
    box.setAttribute("aria-label", "Actions for " + (title ? title.textContent : "the card"));
    var rect = card.getBoundingClientRect();
    // Fixed to the window, by the card (kept inside the window).
    box.hidden = false;
    var top = rect.top + Math.min(rect.height, 40);
    var left = rect.left + 8;
    top = Math.max(0, Math.min(top, window.innerHeight - box.offsetHeight - 4));
    left = Math.max(0, Math.min(left, window.innerWidth - box.offsetWidth - 4));
    box.style.top = top + "px";
    box.style.left = left + "px";
    box.hidden = false;
    menuCard = card;
    setCurrent(card);
    menuItems()[0].focus();
  }

  function closeMenu(returnFocus) {
    var box = menu();
    if (!box || box.hidden) return;
    box.hidden = true;
    if (returnFocus && menuCard && document.body.contains(menuCard)) menuCard.focus();
    menuCard = null;
  }

  function menuKeys(event) {
    var items = menuItems();
    var i = items.indexOf(document.activeElement);
    var next = null;
    if (event.key === "ArrowDown") next = items[(i + 1) % items.length];
    else if (event.key === "ArrowUp") next = items[(i - 1 + items.length) % items.length];
    else if (event.key === "Home") next = items[0];
    else if (event.key === "End") next = items[items.length - 1];
    else if (event.key === "Escape" || event.key === "Tab") {
      event.preventDefault();
      closeMenu(true);
      return;
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }

  // The "Move to..." dialog ---------------------------------------------------------

  var moveCard = null;
  var moveDone = false;

  function openMoveDialog(card) {
    var dialog = moveDialog();
    if (!dialog) return;
    moveCard = card.id;
    moveDone = false;
    window.htmx.ajax("GET", cardUrl(card) + "move/", {
      source: card, target: "#bp-move-body", swap: "innerHTML",
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = moveDialog();
    if (dialog && event.detail.target && event.detail.target.id === "bp-move-body" && !dialog.open) {
      dialog.showModal();
    }
  });

  /* A move from the dialog that went through (or a conflict that redraws the grid) swaps
     elsewhere: close the dialog first, so focus can go to the moved card. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var dialog = moveDialog();
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!dialog || !dialog.open || !source || !dialog.contains(source)) return;
    if (event.detail.target && event.detail.target.id !== "bp-move-body") {
      moveDone = true;
      dialog.close();
    }
  });

  function onMoveDialogClose() {
    document.getElementById("bp-move-body").innerHTML = "";
    if (!moveDone) {
      var card = document.getElementById(moveCard);
      if (card) focusItem(card);
    }
    moveCard = null;
  }

  // The Keyboard help -----------------------------------------------------------------

  var helpOpener = null;

  function openHelp() {
    var dialog = helpDialog();
    if (!dialog || dialog.open) return;
    helpOpener = document.activeElement;
    dialog.showModal();
  }

  // The toolbar: one Tab stop, arrow keys inside --------------------------------------

  function toolbar() { return document.querySelector(".bp-toolbar[role=toolbar]"); }

  function toolbarItems() {
    var bar = toolbar();
    if (!bar) return [];
    return Array.prototype.filter.call(
      bar.querySelectorAll("button, a[href], input, select, textarea, [tabindex]"),
      function (el) { return visible(el) && !el.disabled && !el.closest("dialog"); }
    );
  }

  function initToolbar(current) {
    var items = toolbarItems();
    if (!items.length) return;
    var stop = current && items.indexOf(current) !== -1 ? current
      : items.filter(function (el) { return el.getAttribute("tabindex") === "0"; })[0] || items[0];
    items.forEach(function (el) { el.setAttribute("tabindex", el === stop ? "0" : "-1"); });
  }

  function toolbarKeys(event) {
    if (isTextField(event.target) && event.target.tagName !== "SELECT") return;
    if (event.target.tagName === "SELECT" && event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    var items = toolbarItems();
    var i = items.indexOf(event.target);
    if (i === -1) return;
    var next = null;
    if (event.key === "ArrowRight") next = items[(i + 1) % items.length];
    else if (event.key === "ArrowLeft") next = items[(i - 1 + items.length) % items.length];
    else if (event.key === "Home") next = items[0];
    else if (event.key === "End") next = items[items.length - 1];
    if (next) {
      event.preventDefault();
      initToolbar(next);
      next.focus();
    }
  }

  // Keys ------------------------------------------------------------------------------

  var DIRECTIONS = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right" };

  function gridKeys(event, item) {
    var key = event.key;
    var card = item.matches("article.bp-card") ? item : null;
    var editable = card && card.hasAttribute("data-card");
    var plain = !event.altKey && !event.ctrlKey && !event.metaKey;
    if (DIRECTIONS[key] && event.shiftKey && plain) {
      if (editable) {
        event.preventDefault();
        runAction(card, "move", DIRECTIONS[key]);
      }
      return;
    }
    if (DIRECTIONS[key] || key === "Home" || key === "End") {
      if (event.altKey || event.metaKey || event.shiftKey) return;
      var next = neighbour(item, key, event.ctrlKey);
      event.preventDefault();
      if (next) focusItem(next);
      return;
    }
    if (!card || !plain || event.target !== card) {
      if (item.matches(".bp-add-button") && plain && (key === "n" || key === "N")) {
        event.preventDefault();
        item.click();
      }
      return;
    }
    if (key === "Enter") {
      event.preventDefault();
      runAction(card, "open");
    } else if ((key === "F10" && event.shiftKey) || key === "ContextMenu") {
      event.preventDefault();
      openMenu(card);
    } else if (event.shiftKey) {
      return;
    } else if (editable && (key === "a" || key === "A")) {
      event.preventDefault();
      openMenu(card);
    } else if (editable && (key === "e" || key === "E")) {
      event.preventDefault();
      runAction(card, "edit");
    } else if (editable && (key === "m" || key === "M")) {
      event.preventDefault();
      runAction(card, "move-to");
    } else if (editable && (key === "Delete" || key === "Backspace")) {
      event.preventDefault();
      runAction(card, "delete");
    } else if (editable && (key === "n" || key === "N")) {
      event.preventDefault();
      addInCell(card);
    }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var box = menu();
    if (box && !box.hidden && box.contains(target)) {
      menuKeys(event);
      return;
    }
    if (isTextField(target) && !(toolbar() && toolbar().contains(target))) return;
    if (event.key === "?" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      if (document.querySelector("dialog[open]")) return;
      event.preventDefault();
      openHelp();
      return;
    }
    var bar = toolbar();
    if (bar && bar.contains(target)) {
      toolbarKeys(event);
      return;
    }
    var root = board();
    if (!root || !root.contains(target)) return;
    var item = target.matches(ITEM) ? target : target.closest("article.bp-card");
    if (!item || !root.contains(item)) return;
    if ((event.key === "F10" && event.shiftKey) || event.key === "ContextMenu") {
      var card = item.matches("article.bp-card") ? item : null;
      if (card) {
        event.preventDefault();
        openMenu(card);
      }
      return;
    }
    if (target !== item && !DIRECTIONS[event.key]) return; // a link inside a card keeps its keys
    gridKeys(event, item);
  });

  document.addEventListener("contextmenu", function (event) {
    var card = event.target.closest && event.target.closest("article.bp-card[data-card]");
    if (card && document.activeElement === card && menu()) {
      event.preventDefault();
      openMenu(card);
    }
  });

  document.addEventListener("focusin", function (event) {
    var root = board();
    var target = event.target;
    if (root && root.contains(target) && target.matches) {
      var item = target.matches(ITEM) ? target : target.closest("article.bp-card");
      if (item && root.contains(item)) setCurrent(item);
    }
    var bar = toolbar();
    if (bar && bar.contains(target)) initToolbar(target);
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    var box = menu();
    // The card's Actions link opens the shared menu (without JavaScript, the card's page).
    var link = target.closest && target.closest("#bp-board .bp-card-menu");
    if (link && box) {
      event.preventDefault();
      openMenu(link.closest("article.bp-card"));
      return;
    }
    if (box && !box.hidden) {
      var choice = target.closest && target.closest("#bp-card-menu [data-bp-action]");
      if (choice) {
        var card = menuCard;
        closeMenu(true);
        if (card) runAction(card, choice.getAttribute("data-bp-action"), choice.getAttribute("data-direction"));
        return;
      }
      if (!box.contains(target)) closeMenu(false);
    }
    // The actions in the card panel run in place when the card is in the grid.
    var action = target.closest && target.closest("#bp-panel [data-bp-action]");
    if (action) {
      var section = action.closest("[data-bp-card]");
      var inGrid = section && document.getElementById("card-" + section.getAttribute("data-bp-card"));
      if (inGrid && inGrid.matches("article.bp-card[data-card]")) {
        event.preventDefault();
        var close = document.querySelector("#bp-panel [data-bp-close]");
        if (close) close.click();
        focusItem(inGrid);
        runAction(inGrid, action.getAttribute("data-bp-action"), action.getAttribute("data-direction"));
      }
      return;
    }
    if (target.closest && target.closest("[data-bp-help]")) {
      openHelp();
      return;
    }
    if (target.closest && target.closest("#bp-move-dialog [data-bp-dialog-close]")) {
      moveDialog().close();
    }
  }, true);

  function init() {
    var help = document.querySelector("[data-bp-help]");
    if (help) help.hidden = false;
    var dialog = helpDialog();
    if (dialog) {
      dialog.addEventListener("close", function () {
        if (helpOpener && document.body.contains(helpOpener)) helpOpener.focus();
        helpOpener = null;
      });
    }
    var move = moveDialog();
    if (move) move.addEventListener("close", onMoveDialogClose);
    initGrid();
    initToolbar(null);
    var bar = toolbar();
    if (bar && window.MutationObserver) {
      new MutationObserver(function () { initToolbar(document.activeElement); })
        .observe(bar, { childList: true, subtree: true, attributeFilter: ["hidden", "disabled"] });
    }
  }

  document.addEventListener("htmx:afterSettle", initGrid);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
