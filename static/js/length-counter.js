/* A live count under every text field with a length limit (data-max-length="120"):
   "85 of 120 characters".

   The limit is the server's: a form refuses text over it with a message at the field
   ("Keep the title to 120 characters; it has 134."), and never cuts it. So the browser's
   own maxlength, which silently stops typing and cuts what is pasted, is taken away here
   (the forms already send data-max-length in its place, localities/validators.py), and the
   person may type past the limit and see by how much.

   The visible count is tied to the field by aria-describedby, so a screen reader reads it
   with the field. A separate polite live region speaks only near the limit (the last 10%)
   and over it, so that typing is not talked over on every key.

   Counted as the server counts: in code points (not UTF-16 units), leading and trailing
   white space left out (Django strips it), and a line break as two characters (a browser
   sends a textarea's line breaks as CR LF). Fields that htmx brings in later are enhanced
   on its htmx:load event. A search box (a field of a GET form: a list page's filters) shows
   its count only near or over the limit: filters need no running tally. */
(function () {
  "use strict";

  var NEAR = 0.9;

  function length(value) {
    return Array.from(value.trim().replace(/\r?\n/g, "\r\n")).length;
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function enhance(field) {
    if (field.dataset.lengthCounter === "on") return;
    var limit = parseInt(field.dataset.maxLength, 10);
    if (!(limit > 0) || !field.id) return;
    field.dataset.lengthCounter = "on";
    field.removeAttribute("maxlength");

    var count = document.createElement("div");
    count.id = field.id + "-length";
    count.className = "form-text length-counter";
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    live.id = field.id + "-length-live";

    // After the field, or after the Bootstrap input group that holds it.
    var anchor = field.parentElement && field.parentElement.classList.contains("input-group")
      ? field.parentElement : field;
    anchor.insertAdjacentElement("afterend", count);
    count.insertAdjacentElement("afterend", live);
    var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    described.push(count.id);
    field.setAttribute("aria-describedby", described.join(" "));

    var quiet = field.type === "search" || Boolean(field.form && field.form.method === "get");
    var spoken = "";
    function update() {
      var n = length(field.value);
      var over = n - limit;
      count.textContent = n + " of " + limit + " characters" +
        (over > 0 ? " (" + over + " too many)" : "");
      count.classList.toggle("text-danger", over > 0);
      count.classList.toggle("fw-semibold", over > 0);
      count.hidden = quiet && n < Math.floor(limit * NEAR);
      var say = "";
      if (over > 0) {
        say = plural(over, "character") + " over the limit of " + limit;
      } else if (n >= Math.floor(limit * NEAR)) {
        say = plural(limit - n, "character") + " left";
      }
      if (say !== spoken) {
        live.textContent = say;
        spoken = say;
      }
    }
    field.addEventListener("input", update);
    update();
  }

  function enhanceAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("[data-max-length]")) enhance(scope);
    scope.querySelectorAll("input[data-max-length], textarea[data-max-length]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.detail.elt); });
})();
