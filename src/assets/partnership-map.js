// Progressive enhancement: the partnership's members on a map. Without JavaScript the members table says where they are.
(function () {
  var el = document.getElementById('partnership-map');
  if (!el || typeof L === 'undefined') return;
  var points = JSON.parse(el.dataset.points || '[]');
  if (points.length === 0) return;
  el.hidden = false;
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', 'Map of the members of ' + el.dataset.name);
  var map = L.map(el, { scrollWheelZoom: false });
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    bounds.push([p.la, p.lo]);
    L.circleMarker([p.la, p.lo], { radius: 7, color: '#1d70b8' }).bindTooltip(document.createTextNode(p.n)).addTo(map);
  });
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
})();
