// Progressive enhancement: the area's schools on a map (cold spots in red, schools with an active collaboration in
// blue, others grey). Without JavaScript the schools table below says the same.
(function () {
  var el = document.getElementById('area-map');
  if (!el || typeof L === 'undefined') return;
  var points = JSON.parse(el.dataset.points || '[]');
  if (points.length === 0) return;
  el.hidden = false;
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', 'Map of the schools in ' + el.dataset.name + ': red for cold spots, blue for schools with an active collaboration');
  var map = L.map(el, { scrollWheelZoom: false });
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    bounds.push([p.la, p.lo]);
    var colour = p.c ? '#d4351c' : p.a ? '#1d70b8' : '#505a5f';
    L.circleMarker([p.la, p.lo], { radius: p.c ? 8 : 6, color: colour, fillOpacity: 0.6 }).bindTooltip(document.createTextNode(p.n)).addTo(map);
  });
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
})();
