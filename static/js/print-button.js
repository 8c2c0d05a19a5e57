/* Buttons that print the page, marked data-print-button.

   The Content-Security-Policy allows no inline handlers (onclick="..."), so the behaviour
   is bound here. The buttons are rendered hidden and shown once bound: without this script
   there is nothing to press, rather than a button that does nothing. A <button> is pressed
   with Enter or Space, so the keyboard needs nothing more. */
(function () {
  "use strict";

  document.querySelectorAll("[data-print-button]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
    button.hidden = false;
  });
})();
