// Map pin for the public report form: clicking sets the hidden lat/lon fields.
(function () {
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { if (el) { el.style.display = "none"; } return; }
  var lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
  var label = document.getElementById("pin-text");
  var start = [29.357, 113.129]; // Yueyang
  var map = L.map(el).setView(start, 9);
  // A tile server is used only when the operator configures one (INSPECTORATE_MAP_TILES); otherwise
  // the jurisdictions' own boundaries are the base map, so nothing is fetched from outside.
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map); }
  var data = document.getElementById("map-boundaries");
  var shapes = data ? JSON.parse(data.textContent) : [];
  if (shapes.length) {
    var layer = L.geoJSON(shapes.map(function (s) { return { type: "Feature", geometry: s.geometry, properties: { name: s.name, label: !!s.label } }; }), {
      style: { color: "#0b6e4f", weight: 1, fillOpacity: 0.06 },
      onEachFeature: function (f, l) {
        if (f.properties.label) {
          l.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "unit-label" });
        } else {
          l.bindTooltip(f.properties.name, { sticky: true });
        }
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds());
  }
  var marker = null;
  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    lat.value = latlng.lat.toFixed(6); lon.value = latlng.lng.toFixed(6);
    label.textContent = lat.value + ", " + lon.value;
    document.body.dispatchEvent(new Event("similar-refresh"));
  }
  if (lat.value && lon.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lon.value))); }
  map.on("click", function (e) { place(e.latlng); });
  // "Use my location": the browser asks the person first; nothing is sent until the form is submitted.
  var locate = document.getElementById("use-location");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        var here = L.latLng(pos.coords.latitude, pos.coords.longitude);
        place(here);
        map.setView(here, Math.max(map.getZoom(), 13));
      }, function () {
        label.textContent = locate.dataset.failed;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }
})();
