/* The portfolio's question grid: an answer shown while its question is pointed at or
   focused (CSS) can be hidden with Escape without moving the pointer or the focus (WCAG
   1.4.13); it shows again once the pointer or the focus leaves and comes back. Bound by
   data-answer-tip: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  var tips = document.querySelectorAll("[data-answer-tip]");
  tips.forEach(function (tip) {
    function reset() {
      tip.classList.remove("pf-dismissed");
    }
    tip.addEventListener("mouseleave", reset);
    tip.addEventListener("focusout", reset);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    tips.forEach(function (tip) {
      if (tip.matches(":hover") || tip.matches(":focus-within")) {
        tip.classList.add("pf-dismissed");
      }
    });
  });
})();
