// The map on a resource's page: its public places on the tile server of the settings.
// Without tiles (MAP_TILE_URL empty) the markers are drawn on a blank map; without
// JavaScript the container stays hidden and the addresses above say it all.
(function () {
  "use strict";

  function read(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function setUp() {
    var container = document.getElementById("resource-map");
    var places = read("map-places");
    var tiles = read("map-tiles") || {};
    // Many pins (the awareness month's page) are shown without being buttons: close
    // together they would be targets too small to tap, and the list says it all.
    var options = read("map-options") || {};
    var interactive = options.interactive !== false;
    if (!container || !places || !places.length || typeof L === "undefined") return;
    container.hidden = false;
    var map = L.map(container, { scrollWheelZoom: false });
    if (tiles.url) {
      L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: 18 }).addTo(map);
    }
    var points = places.map(function (place) {
      var marker = L.marker([place.lat, place.lon], {
        title: place.name,
        alt: place.name,
        interactive: interactive,
        keyboard: interactive,
      }).addTo(map);
      if (interactive) marker.bindPopup(document.createTextNode(place.name));
      return [place.lat, place.lon];
    });
    if (points.length === 1) map.setView(points[0], 16);
    else map.fitBounds(points, { padding: [24, 24], maxZoom: 16 });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
