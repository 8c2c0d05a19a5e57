/* The blueprint editor: the menus in the grid's phase and lane headers.

   Each menu is a <details> disclosure, so it works without JavaScript; this script adds
   what a menu button is expected to do:
   - Escape closes the open menu (an open "Remove" confirmation first) and hands focus
     back to the header's summary, which names the phase or lane;
   - opening one menu closes any other, and a click outside closes it;
   - when a menu opens, its rename, move and add forms take the blueprint version the page
     last heard of (#bp-version, refreshed by every editor response), so a card change made
     in this tab does not make them look stale. The removal keeps the version it was drawn
     at: its count of cards must be the one the user read.

   Plain JavaScript, no build step. */
(function () {
  "use strict";

  var MENU = "details[data-bp-head]";

  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll(MENU + "[open]"));
  }

  function closeMenu(menu, focus) {
    menu.querySelectorAll("details[open]").forEach(function (inner) { inner.open = false; });
    menu.open = false;
    if (focus) {
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    }
  }

  function syncVersion(menu) {
    var version = document.getElementById("bp-version");
    if (!version) return;
    var value = version.textContent.trim();
    if (!/^\d+$/.test(value)) return;
    menu.querySelectorAll("input[data-bp-version]").forEach(function (input) {
      input.value = value;
    });
  }

  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!menu.matches || !menu.matches(MENU) || !menu.open) return;
    openMenus().forEach(function (other) { if (other !== menu) closeMenu(other, false); });
    syncVersion(menu);
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = event.target.closest && event.target.closest(MENU + "[open]");
    if (!menu) return;
    var inner = event.target.closest("details.bp-head-remove[open]");
    event.preventDefault();
    event.stopPropagation();
    if (inner) {
      inner.open = false;
      inner.querySelector("summary").focus();
    } else {
      closeMenu(menu, true);
    }
  });

  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) closeMenu(menu, false);
    });
  });
})();
