// After a suggestion's row is swapped in place (bookmark, dismiss, restore), keep the
// keyboard focus in that row instead of losing it to the page's start.
(function () {
  "use strict";

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.id || target.id.indexOf("suggestion-") !== 0) return;
    var row = document.getElementById(target.id);
    var button = row && row.querySelector("button");
    if (button) button.focus();
  });
})();
