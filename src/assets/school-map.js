// Progressive enhancement: the page already shows the coordinates and a link; this adds a pan-and-zoom map.
(function () {
  var el = document.getElementById('school-map');
  if (!el || typeof L === 'undefined') return;
  var lat = Number(el.dataset.lat);
  var lon = Number(el.dataset.lon);
  if (!isFinite(lat) || !isFinite(lon)) return;
  el.hidden = false;
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', 'Map showing ' + el.dataset.name);
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], 14);
  L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  L.marker([lat, lon], { title: el.dataset.name, alt: el.dataset.name }).addTo(map);
})();
