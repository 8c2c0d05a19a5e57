/* Changing a family card's emotion from the emotion curve.

   Each card's point is a link to its emotion form (htmx loads it under the chart; without
   JavaScript it is a page). On a focused point, arrow up and arrow down post the next value
   at once, from the version the chart was drawn on; the server answers with the card, and
   the redrawn curve out of band, and focus comes back to the same point. A refusal (a stale
   version, a value out of range) shows the form with the message at its field.
   Plain JavaScript, no build step; htmx comes from base.html. */
(function () {
  "use strict";

  var refocus = null;  // the card whose point should have focus once the curve is redrawn
  var busy = false;

  function point(cardId) {
    return document.querySelector('.bp-emotion-dot[data-card="' + cardId + '"]');
  }

  function say(text) {
    var status = document.getElementById("bp-status");
    if (status) status.textContent = text;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    var dot = event.target.closest && event.target.closest(".bp-emotion-dot[data-editable]");
    if (!dot || !window.htmx) return;
    event.preventDefault();
    if (busy) return;
    var value = parseInt(dot.getAttribute("data-emotion"), 10) + (event.key === "ArrowUp" ? 1 : -1);
    if (isNaN(value) || value > 2 || value < -2) {
      say(value > 2 ? "The emotion is already +2, the highest." : "The emotion is already −2, the lowest.");
      return;
    }
    busy = true;
    refocus = dot.getAttribute("data-card");
    window.htmx.ajax("POST", dot.getAttribute("data-url"), {
      source: dot,
      target: "#bp-emotion-edit",
      swap: "innerHTML",
      values: { emotion: String(value), version: dot.getAttribute("data-version") }
    });
  });

  document.addEventListener("htmx:afterRequest", function () { busy = false; });

  document.addEventListener("htmx:afterSettle", function () {
    if (refocus === null) return;
    var edit = document.getElementById("bp-emotion-edit");
    var id = refocus;
    refocus = null;
    if (edit && edit.querySelector("form")) return;  // refused: the form has focus instead
    var dot = point(id);
    if (dot) dot.focus();
  });

  // Cancel in the form under the chart: close it, back to the point.
  document.addEventListener("click", function (event) {
    var cancel = event.target.closest("[data-bp-emotion-cancel]");
    var edit = document.getElementById("bp-emotion-edit");
    if (!cancel || !edit || !edit.contains(cancel)) return;
    event.preventDefault();
    edit.innerHTML = "";
    var dot = point(cancel.getAttribute("data-bp-emotion-cancel"));
    if (dot) dot.focus();
  });
})();
