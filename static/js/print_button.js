// A print button for pages that can be printed (the booking confirmation for a resident).
// Without JavaScript the button stays hidden and the page says to use Ctrl+P.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
