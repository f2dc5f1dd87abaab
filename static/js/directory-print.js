// The print button of the printable list: shown only when the browser can print.
(function () {
  "use strict";

  function setUp() {
    var button = document.getElementById("print-button");
    if (!button || typeof window.print !== "function") return;
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
