// The map: provinces shaded by event count from the bundled boundaries, cities and counties as clustered
// circles. No tile server is needed; tiles appear only when UNDERCURRENT_MAP_TILES is set.
(function () {
  "use strict";
  var COLOURS = ["#f7f4f0", "#fde0c5", "#facba6", "#f8b58b", "#f59e72", "#f2855d", "#ef6a4c", "#eb4a40"];

  function colour(n, max) {
    if (!n) return COLOURS[0];
    var step = Math.ceil((Math.log(n + 1) / Math.log(max + 1)) * (COLOURS.length - 1));
    return COLOURS[Math.max(1, Math.min(COLOURS.length - 1, step))];
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("map");
    if (!el) return;
    var query = el.dataset.query ? "?" + el.dataset.query : "";
    var map = L.map(el, { zoomSnap: 0.25, minZoom: 5, maxZoom: 13, attributionControl: true });
    map.attributionControl.setPrefix(false).addAttribution("Boundaries: Natural Earth; places: GeoNames, Open Admin Data");
    if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, { maxZoom: 14 }).addTo(map);
    window.undercurrentMap = { map: map, provinces: {} };

    Promise.all([
      fetch("/map.json" + query, { credentials: "same-origin" }).then(function (r) { return r.json(); }),
      fetch("/api/boundaries", { credentials: "same-origin" }).then(function (r) { return r.json(); })
    ]).then(function (results) {
      var data = results[0], shapes = results[1];
      var counts = {};
      data.provinces.forEach(function (p) { counts[p.id] = p.events; });
      var max = Math.max.apply(null, [1].concat(data.provinces.map(function (p) { return p.events; })));
      var layer = L.geoJSON(shapes, {
        style: function (feature) {
          return { color: "#555", weight: 1, fillOpacity: 0.85, fillColor: colour(counts[feature.properties.id] || 0, max) };
        },
        onEachFeature: function (feature, shape) {
          var id = feature.properties.id, n = counts[id] || 0;
          shape.bindTooltip(escapeHtml(feature.properties.name_en) + ": " + n + " events");
          shape.on("click", function () {
            var params = new URLSearchParams(el.dataset.query || "");
            params.set("province", id);
            window.location.href = "/events?" + params.toString();
          });
          shape.on("add", function () {
            var path = shape.getElement();
            path.setAttribute("data-province", id);
            path.setAttribute("data-events", String(n));
          });
          window.undercurrentMap.provinces[id] = shape;
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds());

      var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
      data.points.forEach(function (p) {
        var marker = L.circleMarker([p.latitude, p.longitude], {
          radius: 5 + Math.min(10, Math.sqrt(p.events)), color: "#222", weight: 1, fillColor: "#2166ac", fillOpacity: 0.9
        });
        var params = new URLSearchParams(el.dataset.query || "");
        params.set("place", p.place_id);
        marker.bindPopup('<a href="/events?' + params.toString() + '">' + escapeHtml(p.name) + ": " + p.events + " events</a>");
        cluster.addLayer(marker);
      });
      map.addLayer(cluster);

      var legend = document.getElementById("map-legend");
      legend.innerHTML = "Events per province: " + [0, 1, Math.round(Math.sqrt(max)), max].filter(function (v, i, a) {
        return a.indexOf(v) === i;
      }).map(function (v) {
        return '<span><i style="background:' + colour(v, max) + '"></i>' + v + "</span>";
      }).join(" ");
      el.setAttribute("data-ready", "1");
    }).catch(function (error) {
      el.textContent = "The map could not load its data: " + error;
    });
  });
})();
