// Pins of site visits on a Leaflet map; tiles only when the operator configures them (INSPECTORATE_MAP_TILES).
(function () {
  var el = document.getElementById("fw-map");
  var data = document.getElementById("fw-pins");
  if (!el || !data || typeof L === "undefined") { if (el) { el.style.display = "none"; } return; }
  var pins = JSON.parse(data.textContent);
  if (!pins.length) { el.style.display = "none"; return; }
  var map = L.map(el);
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map); }
  var group = L.featureGroup();
  pins.forEach(function (p) {
    var m = L.circleMarker([p.lat, p.lon], { radius: 7, color: "#a12b2b" });
    var label = document.createElement(p.url ? "a" : "span");
    label.textContent = p.label;
    if (p.url) { label.href = p.url; }
    m.bindPopup(label);
    group.addLayer(m);
  });
  group.addTo(map);
  map.fitBounds(group.getBounds(), { maxZoom: 13, padding: [20, 20] });
})();
