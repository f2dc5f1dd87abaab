// The pin picker of the resource form: a map under each place's latitude and longitude.
// A click or a drag puts the pin; by keyboard, Enter or Space on the focused map puts it
// at the map's centre and the arrow keys move it (Shift: farther), + and - zoom. The
// fields stay the truth: the picker only writes them, and reads them when typed into.
(function () {
  "use strict";

  var KANAGAWA = [35.4, 139.4];
  var STEP = 10; // pixels per arrow key
  var BIG_STEP = 60;

  function read(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function fixed(value) {
    return (Math.round(value * 1e6) / 1e6).toFixed(6);
  }

  function setUpPicker(picker, tiles, centres) {
    var lat = document.getElementById(picker.dataset.lat);
    var lon = document.getElementById(picker.dataset.lon);
    var municipality = document.getElementById(picker.dataset.municipality);
    var container = picker.querySelector(".pin-map");
    var status = picker.querySelector(".pin-status");
    if (!lat || !lon || !container) return;
    picker.hidden = false;

    var map = L.map(container, { keyboard: false, scrollWheelZoom: false });
    if (tiles.url) {
      L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: 18 }).addTo(map);
    }
    var marker = null;

    function typed() {
      var a = parseFloat(lat.value);
      var b = parseFloat(lon.value);
      if (isNaN(a) || isNaN(b) || a < -90 || a > 90 || b < -180 || b > 180) return null;
      return L.latLng(a, b);
    }

    function say() {
      var point = typed();
      status.textContent = point
        ? picker.dataset.statusSet.replace("{lat}", fixed(point.lat)).replace("{lon}", fixed(point.lng))
        : picker.dataset.statusEmpty;
    }

    function write(point) {
      lat.value = fixed(point.lat);
      lon.value = fixed(point.lng);
      say();
    }

    function place(point, options) {
      if (!marker) {
        marker = L.marker(point, { draggable: true, keyboard: false, alt: "" }).addTo(map);
        marker.on("dragend", function () {
          write(marker.getLatLng());
        });
      } else {
        marker.setLatLng(point);
      }
      if (!options || !options.quiet) write(point);
    }

    function unplace() {
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      lat.value = "";
      lon.value = "";
      say();
    }

    function start() {
      var point = typed();
      if (point) {
        map.setView(point, 16);
        place(point, { quiet: true });
        return;
      }
      var code = municipality ? municipality.value : "";
      if (code && centres[code]) map.setView(centres[code], 14);
      else map.setView(KANAGAWA, 10);
    }

    start();
    say();

    map.on("click", function (event) {
      place(event.latlng);
    });

    container.addEventListener("keydown", function (event) {
      var key = event.key;
      if (key === "Enter" || key === " " || key === "Spacebar") {
        event.preventDefault();
        place(map.getCenter());
        return;
      }
      if (key === "+" || key === "=") {
        event.preventDefault();
        map.zoomIn();
        return;
      }
      if (key === "-" || key === "_") {
        event.preventDefault();
        map.zoomOut();
        return;
      }
      var moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
      if (!moves[key]) return;
      event.preventDefault();
      var from = marker ? marker.getLatLng() : map.getCenter();
      var step = event.shiftKey ? BIG_STEP : STEP;
      var pixel = map.latLngToContainerPoint(from);
      var to = map.containerPointToLatLng(
        L.point(pixel.x + moves[key][0] * step, pixel.y + moves[key][1] * step)
      );
      place(to);
      map.panTo(to, { animate: false });
    });

    function follow() {
      var point = typed();
      if (point) {
        place(point, { quiet: true });
        map.panTo(point, { animate: false });
      } else if (marker && !lat.value && !lon.value) {
        map.removeLayer(marker);
        marker = null;
      }
      say();
    }
    lat.addEventListener("change", follow);
    lon.addEventListener("change", follow);
    if (municipality) {
      municipality.addEventListener("change", function () {
        if (!marker && centres[municipality.value]) map.setView(centres[municipality.value], 14);
      });
    }
    picker.querySelector(".pin-centre").addEventListener("click", function () {
      place(map.getCenter());
    });
    picker.querySelector(".pin-clear").addEventListener("click", unplace);
  }

  function setUp() {
    if (typeof L === "undefined") return;
    var tiles = read("map-tiles") || {};
    var centres = read("pin-centres") || {};
    var pickers = document.querySelectorAll(".pin-picker");
    for (var i = 0; i < pickers.length; i++) setUpPicker(pickers[i], tiles, centres);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
