/* Links between cards, drawn as connectors over the editor's grid.

   The links come from the board's #bp-links element (data-links: [[from, to], ...], see
   _links_data.html). One SVG layer is the first child of the grid's scroll box, absolutely
   placed over the table, so the connectors scroll with the cards; it is redrawn when the
   box or the table changes size (density, small screens), when the board's or the page's
   classes change, after every htmx swap and when the window is resized. One path per link,
   from the serving card's box to the served card's, a smooth curve with an arrowhead.

   "Show links" in the toolbar hides or shows them (aria-pressed, remembered in
   localStorage). Selecting a card (focus or click) highlights its connectors and the cards
   it links to. The layer is decoration (aria-hidden): each card's panel and the text view
   list the links in words. Plain JavaScript, no build step. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var STORE = "bp-links-shown";
  var selected = null;  // the id of the selected card, as a string
  var frame = 0;
  var watched = null;  // the scroll box the observers watch
  var resizeObserver = null;
  var classObserver = null;

  function shown() {
    try { return window.localStorage.getItem(STORE) !== "0"; } catch (e) { return true; }
  }

  function remember(value) {
    try { window.localStorage.setItem(STORE, value ? "1" : "0"); } catch (e) { /* private mode */ }
  }

  function pairs() {
    var holder = document.getElementById("bp-links");
    if (!holder) return [];
    try {
      var data = JSON.parse(holder.getAttribute("data-links") || "[]");
      return Array.isArray(data) ? data : [];
    } catch (e) {
      return [];
    }
  }

  function scrollBox() { return document.querySelector("#bp-board .bp-scroll"); }

  function layer(box) {
    var svg = box.querySelector(":scope > svg.bp-links-layer");
    if (svg) return svg;
    svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "bp-links-layer");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var defs = document.createElementNS(SVG, "defs");
    var marker = document.createElementNS(SVG, "marker");
    marker.setAttribute("id", "bp-link-arrow");
    marker.setAttribute("viewBox", "0 0 10 10");
    marker.setAttribute("refX", "9");
    marker.setAttribute("refY", "5");
    marker.setAttribute("markerWidth", "7");
    marker.setAttribute("markerHeight", "7");
    marker.setAttribute("orient", "auto-start-reverse");
    var head = document.createElementNS(SVG, "path");
    head.setAttribute("d", "M 0 0 L 10 5 L 0 10 z");
    head.setAttribute("class", "bp-link-arrowhead");
    marker.appendChild(head);
    defs.appendChild(marker);
    svg.appendChild(defs);
    box.insertBefore(svg, box.firstChild);
    return svg;
  }

  // A card's box in the coordinates of the scroll box's content (where the layer sits).
  function boxOf(card, origin) {
    var rect = card.getBoundingClientRect();
    var left = rect.left - origin.x, top = rect.top - origin.y;
    return {
      l: left, t: top, r: left + rect.width, b: top + rect.height,
      cx: left + rect.width / 2, cy: top + rect.height / 2
    };
  }

  // From the side of `a` that faces `b` to the side of `b` that faces `a`, curving out of
  // and into each box at a right angle.
  function connector(a, b) {
    var x1, y1, x2, y2, horizontal = true;
    if (b.l >= a.r) { x1 = a.r; y1 = a.cy; x2 = b.l; y2 = b.cy; }
    else if (b.r <= a.l) { x1 = a.l; y1 = a.cy; x2 = b.r; y2 = b.cy; }
    else if (b.t >= a.b) { x1 = a.cx; y1 = a.b; x2 = b.cx; y2 = b.t; horizontal = false; }
    else { x1 = a.cx; y1 = a.t; x2 = b.cx; y2 = b.b; horizontal = false; }
    var c1x = x1, c1y = y1, c2x = x2, c2y = y2;
    if (horizontal) {
      var dx = Math.max(Math.abs(x2 - x1) / 2, 24) * (x2 >= x1 ? 1 : -1);
      c1x = x1 + dx; c2x = x2 - dx;
    } else {
      var dy = Math.max(Math.abs(y2 - y1) / 2, 24) * (y2 >= y1 ? 1 : -1);
      c1y = y1 + dy; c2y = y2 - dy;
    }
    function n(value) { return Math.round(value * 10) / 10; }
    return "M " + n(x1) + " " + n(y1) + " C " + n(c1x) + " " + n(c1y) + ", " +
      n(c2x) + " " + n(c2y) + ", " + n(x2) + " " + n(y2);
  }

  function draw() {
    frame = 0;
    var box = scrollBox();
    if (!box) return;
    watch(box);
    var svg = layer(box);
    Array.prototype.slice.call(svg.querySelectorAll("path.bp-link")).forEach(function (old) {
      svg.removeChild(old);
    });
    var on = shown();
    svg.style.display = on ? "" : "none";
    if (!on) return;
    // Measured without the layer's own size, which would otherwise keep the box as large as
    // it once was after the cards have shrunk.
    svg.setAttribute("width", "0");
    svg.setAttribute("height", "0");
    var width = box.scrollWidth, height = box.scrollHeight;
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    var frameRect = box.getBoundingClientRect();
    var origin = {
      x: frameRect.left + box.clientLeft - box.scrollLeft,
      y: frameRect.top + box.clientTop - box.scrollTop
    };
    // Every box is measured before anything is added, so the page is laid out once however
    // many links there are.
    var boxes = {};
    function measured(id) {
      if (!(id in boxes)) {
        var element = document.getElementById("card-" + id);
        boxes[id] = element && box.contains(element) ? boxOf(element, origin) : null;
      }
      return boxes[id];
    }
    var drawn = document.createDocumentFragment();
    pairs().forEach(function (pair) {
      var from = measured(pair[0]), to = measured(pair[1]);
      if (!from || !to) return;
      var path = document.createElementNS(SVG, "path");
      path.setAttribute("class", "bp-link");
      path.setAttribute("d", connector(from, to));
      path.setAttribute("marker-end", "url(#bp-link-arrow)");
      path.setAttribute("data-from", String(pair[0]));
      path.setAttribute("data-to", String(pair[1]));
      drawn.appendChild(path);
    });
    svg.appendChild(drawn);
    highlight();
  }

  function redraw() {
    if (!frame) frame = window.requestAnimationFrame(draw);
  }

  // Selecting a card ----------------------------------------------------------------------

  function setClass(element, name, on) {
    if (element.classList.contains(name) !== on) element.classList.toggle(name, on);
  }

  function highlight() {
    var box = scrollBox();
    if (!box) return;
    var linked = {};
    Array.prototype.forEach.call(box.querySelectorAll("path.bp-link"), function (path) {
      var from = path.getAttribute("data-from"), to = path.getAttribute("data-to");
      var active = selected !== null && (from === selected || to === selected);
      setClass(path, "bp-link-active", active);
      if (active) linked[from === selected ? to : from] = true;
    });
    Array.prototype.forEach.call(box.querySelectorAll(".bp-card[id^='card-']"), function (card) {
      var id = card.id.slice(5);
      setClass(card, "bp-link-selected", selected !== null && id === selected && shown());
      setClass(card, "bp-linked", Boolean(linked[id]));
    });
  }

  function select(event) {
    var board = document.getElementById("bp-board");
    if (!board || !board.contains(event.target)) return;
    var card = event.target.closest(".bp-card[id^='card-']");
    var id = card ? card.id.slice(5) : null;
    if (id === selected) return;
    selected = id;
    highlight();
  }

  document.addEventListener("focusin", select);
  document.addEventListener("click", select);

  // Keeping up with the grid ------------------------------------------------------------

  function watch(box) {
    if (watched === box) return;
    watched = box;
    if (resizeObserver) resizeObserver.disconnect();
    if (classObserver) classObserver.disconnect();
    if (window.ResizeObserver) {
      resizeObserver = new ResizeObserver(redraw);
      resizeObserver.observe(box);
      var table = box.querySelector("table");
      if (table) resizeObserver.observe(table);
    }
    if (window.MutationObserver) {
      // The density is a class (or data attribute) on the board, the page or the grid.
      classObserver = new MutationObserver(redraw);
      var options = { attributes: true, attributeFilter: ["class", "data-density"] };
      [document.documentElement, document.body, document.getElementById("bp-board"), box,
        box.querySelector("table")].forEach(function (element) {
        if (element) classObserver.observe(element, options);
      });
    }
  }

  document.addEventListener("htmx:afterSettle", redraw);
  document.addEventListener("bp:density", redraw);
  window.addEventListener("resize", redraw);

  // The toggle ----------------------------------------------------------------------------

  function syncToggle() {
    var toggle = document.getElementById("bp-links-toggle");
    if (!toggle) return;
    toggle.hidden = false;
    toggle.setAttribute("aria-pressed", shown() ? "true" : "false");
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("#bp-links-toggle");
    if (!toggle) return;
    remember(!shown());
    syncToggle();
    draw();
  });

  function start() {
    syncToggle();
    draw();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
