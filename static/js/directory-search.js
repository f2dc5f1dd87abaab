// "Near me" on the directory search: sorts the results by distance from the browser's
// position. The position is rounded to about 100 m before it leaves the browser.
// After HTMX replaces the results, the count is copied into the live region near the
// search box, so that a screen reader hears it and a phone shows it at the top.
(function () {
  "use strict";

  function announceCount(event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "results") return;
    var results = document.getElementById("results");
    var status = document.getElementById("results-status");
    if (!results || !status) return;
    var text = results.getAttribute("data-count") || "";
    // The same count again is still news after a new search: change the text so it is read.
    status.textContent = status.textContent === text ? text + "\u00a0" : text;
  }

  document.addEventListener("htmx:afterSettle", announceCount);

  function setUp() {
    var form = document.getElementById("search-form");
    var actions = document.getElementById("near-me-actions");
    var on = document.getElementById("near-me");
    var off = document.getElementById("near-me-off");
    var status = document.getElementById("near-me-status");
    if (!form || !actions || !on || !off || !navigator.geolocation) return;
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    var municipality = form.querySelector("select[name=municipality]");
    actions.hidden = false;

    function submit() {
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }

    on.addEventListener("click", function () {
      status.textContent = on.dataset.locating || "現在地を確認しています…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          lat.value = position.coords.latitude.toFixed(3);
          lon.value = position.coords.longitude.toFixed(3);
          status.textContent = "";
          off.hidden = false;
          submit();
        },
        function () {
          status.textContent =
            on.dataset.failed || "現在地を使えませんでした。市区町村を選んでさがしてください。";
          if (municipality) municipality.focus();
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 }
      );
    });

    off.addEventListener("click", function () {
      lat.value = "";
      lon.value = "";
      off.hidden = true;
      submit();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
