// Progressive enhancement: a map of the family. Without JavaScript the table gives each school's distance.
(function () {
  var el = document.getElementById('family-map');
  if (!el || typeof L === 'undefined') return;
  var points = JSON.parse(el.dataset.points || '[]');
  var lat = Number(el.dataset.lat);
  var lon = Number(el.dataset.lon);
  if (!isFinite(lat) || !isFinite(lon)) return;
  el.hidden = false;
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', 'Map of ' + el.dataset.name + ' and its family');
  var map = L.map(el, { scrollWheelZoom: false });
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  var bounds = [[lat, lon]];
  L.marker([lat, lon], { title: el.dataset.name, alt: el.dataset.name }).addTo(map);
  points.forEach(function (p) {
    bounds.push([p.la, p.lo]);
    L.circleMarker([p.la, p.lo], { radius: 6, color: '#505a5f' }).bindTooltip(document.createTextNode(p.n)).addTo(map);
  });
  map.fitBounds(bounds, { padding: [20, 20] });
})();
