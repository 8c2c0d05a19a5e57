/* The blueprint editor's canvas: the grid's box sized to the window, the density chosen in
   the toolbar, and on small screens one phase at a time.

   - Size: the grid scrolls inside one box as high as the window below where the box
     starts (--bp-top; the stylesheet guesses it without JavaScript).
   - Density: the toolbar's buttons switch the grid's class at once and write the cookie
     the server reads (bp_density), so the next page is drawn the same way; without
     JavaScript they reach the density view, which does the same by redirect.
   - Small screens: see the phase switcher below.

   Plain JavaScript, no build step. */
(function () {
  "use strict";

  var COOKIE = "bp_density";
  var DENSITIES = ["compact", "comfortable", "detailed"];
  var YEAR = 365 * 24 * 60 * 60;

  function board() { return document.getElementById("bp-board"); }

  // Size ---------------------------------------------------------------------------------

  function fitToWindow() {
    var box = document.querySelector("#bp-board .bp-scroll");
    if (!box) return;
    var top = box.getBoundingClientRect().top + window.scrollY;
    document.documentElement.style.setProperty("--bp-top", Math.round(top + 8) + "px");
  }

  // Density ------------------------------------------------------------------------------

  function currentDensity() {
    var grid = board();
    if (!grid) return null;
    for (var i = 0; i < DENSITIES.length; i++) {
      if (grid.classList.contains("bp-density-" + DENSITIES[i])) return DENSITIES[i];
    }
    return null;
  }

  function setDensity(density) {
    var grid = board();
    if (!grid || DENSITIES.indexOf(density) === -1) return;
    var before = currentDensity();
    DENSITIES.forEach(function (name) { grid.classList.remove("bp-density-" + name); });
    grid.classList.add("bp-density-" + density);
    document.querySelectorAll("[data-density-form] button[name=density]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === density ? "true" : "false");
    });
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = COOKIE + "=" + density + "; Path=/; Max-Age=" + YEAR + "; SameSite=Lax" + secure;
    // The grid holds excerpts of the details except at "detailed": fetch it whole.
    if ((density === "detailed") !== (before === "detailed") && window.htmx) {
      window.htmx.ajax("GET", window.location.pathname, {
        source: grid, target: "#bp-board", select: "#bp-board", swap: "outerHTML",
      });
    }
    fitToWindow();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-density-form] button[name=density]");
    if (!button) return;
    event.preventDefault();
    setDensity(button.value);
  });

  // Small screens: one phase at a time ------------------------------------------------------
  // Under 768 px the grid shows one phase's column, lanes stacked (see blueprint.css); the
  // switcher above the grid (hidden without JavaScript, when every phase is shown, each cell
  // labelled with its phase) picks it with previous and next buttons or a list.

  var NARROW = window.matchMedia("(max-width: 767.98px)");
  var phaseIndex = 0;

  function phaseCount() {
    var grid = board();
    return grid ? grid.querySelectorAll("thead .bp-phase").length : 0;
  }

  function showPhase(index) {
    var grid = board();
    var count = phaseCount();
    if (!grid || !count) return;
    phaseIndex = Math.max(0, Math.min(index, count - 1));
    var switcher = grid.querySelector("[data-phase-switcher]");
    var table = grid.querySelector(".bp-grid");
    if (switcher) {
      switcher.hidden = false;
      var select = switcher.querySelector("select");
      if (select) select.value = String(phaseIndex);
      var prev = switcher.querySelector("[data-phase-step='-1']");
      var next = switcher.querySelector("[data-phase-step='1']");
      if (prev) prev.disabled = phaseIndex === 0;
      if (next) next.disabled = phaseIndex === count - 1;
    }
    if (table) {
      table.classList.add("bp-one-phase");
      // The header row and each lane's row: a first cell (corner, lane name), then one per
      // phase. The lines and the emotion curve span every phase and stay.
      Array.prototype.forEach.call(table.rows, function (row) {
        if (!row.closest("thead") && !row.classList.contains("bp-lane")) return;
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          cell.classList.toggle("bp-phase-off", i > 0 && i - 1 !== phaseIndex);
        });
      });
    }
  }

  /* After a swap, the box is measured again only when the swap may have moved it: not for
     a swap inside it (a card, a cell) nor for the status line and version, which take no
     room. Measuring it then would lay out the whole grid once more before a move settles. */
  var TAKES_NO_ROOM = "#bp-board .bp-scroll, #bp-status, #bp-version";

  function applyLayout(event) {
    var swapped = event && event.target;
    if (!swapped || !swapped.closest || !swapped.closest(TAKES_NO_ROOM)) fitToWindow();
    if (board() && board().querySelector("[data-phase-switcher]")) showPhase(phaseIndex);
  }

  document.addEventListener("click", function (event) {
    var step = event.target.closest && event.target.closest("[data-phase-step]");
    if (!step) return;
    showPhase(phaseIndex + Number(step.getAttribute("data-phase-step")));
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-phase-switcher] select")) {
      showPhase(Number(event.target.value));
    }
  });

  document.addEventListener("htmx:afterSettle", applyLayout);
  window.addEventListener("resize", fitToWindow);
  if (NARROW.addEventListener) NARROW.addEventListener("change", function () { applyLayout(); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { applyLayout(); });
  } else {
    applyLayout();
  }
})();
