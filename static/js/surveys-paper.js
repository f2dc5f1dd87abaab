// Keyed entry of paper sheets: after a digit that is a whole answer, move to the next
// field (the last moves to the save button, so Enter saves). The page works without it.
(function () {
  "use strict";

  function toHalfWidth(text) {
    return text.replace(/[\uFF10-\uFF19]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
    });
  }

  function nextAfter(form, field) {
    var fields = Array.prototype.slice.call(form.querySelectorAll("[data-paper-field]"));
    var i = fields.indexOf(field);
    return fields[i + 1] || form.querySelector("[data-paper-save]");
  }

  function advance(form, field) {
    if (!field.hasAttribute("data-autoadvance")) return;
    var value = toHalfWidth(field.value.trim());
    var max = parseInt(field.getAttribute("data-max"), 10);
    if (!/^[0-9]$/.test(value) || parseInt(value, 10) > max) return;
    var next = nextAfter(form, field);
    if (next) next.focus();
  }

  function setUp() {
    var form = document.querySelector("form[data-paper-entry]");
    if (!form) return;
    form.addEventListener("input", function (event) {
      // While a Japanese input method composes (１), wait for it to finish.
      if (event.isComposing) return;
      advance(form, event.target);
    });
    form.addEventListener("compositionend", function (event) {
      advance(form, event.target);
    });
    // Coming back to a filled field, typing replaces its number.
    form.addEventListener("focusin", function (event) {
      var field = event.target;
      if (field.hasAttribute && field.hasAttribute("data-autoadvance") && field.select) field.select();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
