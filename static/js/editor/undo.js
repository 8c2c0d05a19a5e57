/* Editor: undo by keyboard. Z, or Ctrl+Z (Cmd+Z on a Mac), pressed outside a text field
   presses the toolbar's "Undo ..." button (templates/blueprints/editor/_toolbar_undo.html),
   when there is one; inside a text field the browser's own undo of typing is left alone.
   The button is a plain form, so undo works without this script too. */
(function () {
  "use strict";

  function typingIn(element) {
    if (!element) return false;
    if (element.isContentEditable) return true;
    var tag = element.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    var type = (element.getAttribute("type") || "text").toLowerCase();
    return ["button", "submit", "reset", "checkbox", "radio", "hidden"].indexOf(type) === -1;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.shiftKey || event.isComposing) return;
    if (event.key !== "z" && event.key !== "Z") return;
    if (event.ctrlKey && event.metaKey) return;
    if (typingIn(event.target)) return;
    var button = document.querySelector("#bp-undo [data-bp-undo]");
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });
})();
