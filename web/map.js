// map.js — Leaflet maps that work offline. The base map ships with maillage
// (web/basemap/, built by tools/refdata/basemap.mjs): the sea as the map's
// background, the neighbouring countries, France's départements, régions
// and coast, and the communes of the départements that have outlines, drawn
// as the user zooms in; hovering names the commune (or département). A tile
// server stays optional (window.MAILLAGE_TILES, `serve --tiles URL`): the
// outlines are then drawn over its tiles. The establishments of a territory
// are counted by the server for each view (GET /api/v1/map/clusters), so the
// browser never downloads the points of a whole territory.
//
// Every map's asynchronous work (requests, timers) belongs to its handle:
// destroyMap() stops it, so nothing touches a map that a page left.

import { api, qs } from './api.js';
import { t, a10Short, A10_CODES, fmtNum, getLang } from './i18n.js';

const L = window.L;

// Colour-blind-friendly palette, one colour per A10 sector.
export const A10_COLOURS = {
  AZ: '#4d7c0f', BE: '#d55e00', FZ: '#b8860b', GI: '#0072b2', JZ: '#cc79a7',
  KZ: '#6a3d9a', LZ: '#8c564b', MN: '#009e73', OQ: '#56b4e9', RU: '#6b6b6b',
};
export const ROLE_COLOURS = {
  result: '#1d4ed8', firm: '#b91c1c', supplier: '#0f766e', customer: '#7c3aed', member: '#1d4ed8',
};

export function a10Colour(code) { return A10_COLOURS[code] || '#444'; }

// The base map's look: land, borders and coast of an atlas, quiet enough for
// the establishments to stand out.
const BASE = {
  world: { stroke: true, color: '#b8b1a1', weight: 0.8, fill: true, fillColor: '#e9e5da', fillOpacity: 1 },
  france: { stroke: false, fill: true, fillColor: '#fbfaf5', fillOpacity: 1 },
  communes: { color: '#c9c0ad', weight: 0.7, fill: false },
  departements: { color: '#9c917b', weight: 1.1, fill: false },
  regions: { color: '#6f6654', weight: 2, fill: false },
  coast: { color: '#6f93b0', weight: 1.1, fill: false },
};
const COMMUNE_ZOOM = 9; // commune outlines and names from this zoom
const BASEMAP = '/static/basemap/';
// Short on the map (phones); the legend under it gives the full credit.
const ATTRIBUTION = 'IGN 2018 · Natural Earth · Leaflet';

let current = null; // the one live map (pages replace each other)

// Leaflet 1.9's canvas renderer can run a redraw that removing the map
// scheduled (each path removed asks for one) after the renderer's canvas is
// gone: "TypeError … 'clearRect'". This one redraws only while it has a canvas.
const SafeCanvas = L && L.Canvas.extend({
  _redraw() { if (this._ctx) L.Canvas.prototype._redraw.call(this); },
});

export function mapAvailable() { return !!L; }

// Shared by every map of the page: the files never change while it runs.
const files = new Map();
function basemapFile(name) {
  if (!files.has(name)) {
    files.set(name, fetch(BASEMAP + name, { headers: { Accept: 'application/json' } }).then((r) => {
      if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
      return r.json();
    }));
    files.get(name).catch(() => files.delete(name)); // tried again by the next map
  }
  return files.get(name);
}

const alive = (h) => h && !h.dead && current === h;

// Create a map in `el`; `territory` names the commune centres to draw where
// no commune outline exists. Returns a handle.
export function createMap(el, { territory, onNoTiles } = {}) {
  destroyMap();
  if (!L) { el.textContent = ''; return null; }
  const map = L.map(el, {
    preferCanvas: true, renderer: new SafeCanvas(), zoomControl: true, attributionControl: true, minZoom: 3, maxZoom: 18,
  }).setView([46.6, 2.4], 6);
  const h = {
    map, el, territory: territory || null, communes: null, tiles: null, noTiles: false, onNoTiles,
    dead: false, cleanups: [], base: null,
  };
  current = h;
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(ATTRIBUTION);
  L.control.scale({ imperial: false, maxWidth: el.clientWidth < 500 ? 90 : 140 }).addTo(map);
  el.classList.add('basemap');
  // The base map's own pane, under the establishments; it takes no pointer
  // events (names are found by position, see hoverNames).
  map.createPane('basemap').classList.add('basemap-pane');
  h.baseRenderer = new SafeCanvas({ pane: 'basemap', padding: 0.3 });
  const url = (window.MAILLAGE_TILES || '').trim();
  if (url) {
    let loaded = 0, failed = 0;
    h.tiles = L.tileLayer(url, {
      maxZoom: 19,
      attribution: window.MAILLAGE_TILES_ATTRIBUTION || '© OpenStreetMap contributors',
    });
    h.tiles.on('tileload', () => { loaded++; });
    h.tiles.on('tileerror', () => {
      failed++;
      if (failed >= 3 && loaded === 0 && !h.noTiles) {
        map.removeLayer(h.tiles);
        h.tiles = null;
        goTileless(h);
      }
    });
    h.tiles.addTo(map);
  } else {
    h.noTiles = true;
    el.classList.add('no-tiles');
  }
  drawBasemap(h);
  hoverNames(h);
  if (h.noTiles && h.onNoTiles) h.onNoTiles();
  return h;
}

function goTileless(h) {
  h.noTiles = true;
  h.el.classList.add('no-tiles');
  if (h.onNoTiles) h.onNoTiles();
  drawBasemap(h); // again, with the land and the sea
}

// ------------------------------------------------------------ the base map

async function drawBasemap(h) {
  const T = window.topojson;
  if (!T) return;
  let index, fr, world;
  try {
    index = await basemapFile('index.json');
    [fr, world] = await Promise.all([basemapFile(index.france.file), basemapFile(index.world.file)]);
  } catch (_) { return; } // the map still shows the establishments
  if (!alive(h)) return;
  const pane = 'basemap', renderer = h.baseRenderer;
  const layer = (data, style) => L.geoJSON(data, { pane, renderer, interactive: false, style: () => style });
  if (h.base) h.map.removeLayer(h.base);
  h.base = L.layerGroup();
  const deps = fr.objects[index.france.object];
  if (h.noTiles) {
    layer(T.feature(world, world.objects[index.world.object]), BASE.world).addTo(h.base);
    layer(T.feature(fr, deps), BASE.france).addTo(h.base);
  }
  h.communeLines = L.layerGroup().addTo(h.base);
  h.lines = [
    layer(T.mesh(fr, deps, (a, b) => a !== b), BASE.departements),
    layer(T.mesh(fr, deps, (a, b) => a !== b && a.properties.region !== b.properties.region), BASE.regions),
    layer(T.mesh(fr, deps, (a, b) => a === b), BASE.coast),
  ];
  for (const l of h.lines) l.addTo(h.base);
  h.base.addTo(h.map);
  h.places = { departements: T.feature(fr, deps).features.map(withBox), communes: [], communeBoxes: [] };
  h.communeFiles = index.communes || [];
  h.loadedCommunes = new Set();
  if (!h.followsMoves) { // drawn again when tiles fail: one listener all the same
    h.followsMoves = true;
    const onMove = () => showCommunes(h);
    h.map.on('moveend', onMove);
    h.cleanups.push(() => h.map.off('moveend', onMove));
  }
  showCommunes(h);
  if (h.territory) drawCommunes(h);
}

// Commune outlines from COMMUNE_ZOOM, loaded for the départements in view.
async function showCommunes(h) {
  if (!alive(h) || !h.communeLines) return;
  const zoomed = h.map.getZoom() >= COMMUNE_ZOOM;
  if (!zoomed) { h.base.removeLayer(h.communeLines); return; }
  h.base.addLayer(h.communeLines);
  const view = h.map.getBounds();
  for (const f of h.communeFiles) {
    if (h.loadedCommunes.has(f.file)) continue;
    const [w, s, e, n] = f.bbox;
    if (!view.intersects(L.latLngBounds([s, w], [n, e]))) continue;
    h.loadedCommunes.add(f.file);
    let topo;
    try { topo = await basemapFile(f.file); } catch (_) { h.loadedCommunes.delete(f.file); continue; }
    if (!alive(h)) return;
    const T = window.topojson, obj = topo.objects[f.object];
    L.geoJSON(T.mesh(topo, obj, (a, b) => a !== b), {
      pane: 'basemap', renderer: h.baseRenderer, interactive: false, style: () => BASE.communes,
    }).addTo(h.communeLines);
    for (const l of h.lines) l.bringToFront(); // département and région lines stay above
    h.places.communes.push(...T.feature(topo, obj).features.map(withBox));
    h.places.communeBoxes.push(f.bbox);
    if (h.communes) drawCommunes(h); // commune centres now drawn as outlines
  }
}

// Hovering the map names the commune under the pointer (the département
// below COMMUNE_ZOOM or where there is no commune outline).
function hoverNames(h) {
  const anchor = L.circleMarker([0, 0], { radius: 0, stroke: false, fill: false, interactive: false, pane: 'basemap', renderer: h.baseRenderer });
  anchor.bindTooltip(textTip(''), { permanent: true, direction: 'top', offset: [0, -10], className: 'place-tip', opacity: 1 });
  let shown = null, frame = 0, at = null;
  const hide = () => {
    if (shown !== null) { h.map.removeLayer(anchor); shown = null; }
  };
  const update = () => {
    frame = 0;
    if (!alive(h) || !at || !h.places) return;
    const zoomed = h.map.getZoom() >= COMMUNE_ZOOM;
    // Zoomed in where commune outlines exist, only a commune is named (the
    // coarser département outline would name the sea along the coast).
    const outlined = zoomed && h.places.communeBoxes.some((b) => at.lng >= b[0] && at.lng <= b[2] && at.lat >= b[1] && at.lat <= b[3]);
    const place = outlined ? findPlace(h.places.communes, at) : findPlace(h.places.departements, at);
    if (!place) { hide(); return; }
    const name = place.properties.name;
    anchor.setLatLng(at);
    if (shown === null) anchor.addTo(h.map);
    if (shown !== name) anchor.setTooltipContent(textTip(name));
    shown = name;
  };
  const move = (e) => {
    at = e.latlng;
    if (!frame) frame = requestAnimationFrame(update);
  };
  const out = () => { at = null; hide(); };
  h.map.on('mousemove', move);
  h.map.on('mouseout', out);
  h.hidePlace = out;
  h.cleanups.push(() => { if (frame) cancelAnimationFrame(frame); });
}

function withBox(f) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      if (c[0] < b[0]) b[0] = c[0];
      if (c[1] < b[1]) b[1] = c[1];
      if (c[0] > b[2]) b[2] = c[0];
      if (c[1] > b[3]) b[3] = c[1];
    } else for (const x of c) walk(x);
  };
  if (f.geometry) walk(f.geometry.coordinates);
  f.box = b;
  return f;
}

function inRing(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function findPlace(list, ll) {
  const x = ll.lng, y = ll.lat;
  for (const f of list) {
    const b = f.box;
    if (!f.geometry || x < b[0] || x > b[2] || y < b[1] || y > b[3]) continue;
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const rings of polys)
      if (inRing(rings[0], x, y) && !rings.slice(1).some((r) => inRing(r, x, y))) return f;
  }
  return null;
}

// Commune centres (grey circles) where the base map has no commune outline.
async function drawCommunes(h) {
  if (!h.territory || !h.communeFiles) return;
  const code = h.territory;
  let data = h.communeData && h.communeData.code === code ? h.communeData.data : null;
  if (!data) {
    try { data = await api('/map/communes' + qs({ territory: code })); } catch (_) { return; }
    if (!alive(h) || h.territory !== code) return;
    h.communeData = { code, data };
  }
  if (h.communes) h.map.removeLayer(h.communes);
  const outlined = new Set(h.communeFiles.map((f) => f.departement));
  const list = Array.isArray(data) ? data : (data && (data.communes || data.points || data.children)) || [];
  const layer = L.layerGroup();
  let n = 0;
  for (const c of list) {
    const lat = c.lat ?? (c.position && c.position.lat), lon = c.lon ?? (c.position && c.position.lon);
    if (lat == null || lon == null || outlined.has(c.departement)) continue;
    L.circleMarker([lat, lon], {
      radius: 4, color: '#8a8a8a', weight: 1, fillColor: '#c8c8c8', fillOpacity: 0.6, interactive: true,
    }).bindTooltip(textTip(c.name || c.label || c.code || ''), { direction: 'top' }).addTo(layer);
    n++;
  }
  layer.addTo(h.map);
  layer.eachLayer((m) => m.bringToBack && m.bringToBack());
  h.communes = layer;
  h.communeCentres = n;
  if (h.noTiles && h.onNoTiles) h.onNoTiles(); // the legend names the grey circles
}

export function setMapTerritory(h, code) {
  if (!h || h.territory === code) return;
  h.territory = code;
  drawCommunes(h);
}

export function destroyMap() {
  if (current) {
    const h = current;
    h.dead = true;
    current = null;
    for (const f of h.cleanups) { try { f(); } catch (_) { /* ignore */ } }
    // Leaflet 1.9 ends a zoom animation with a 250 ms timer that it does not
    // clear on remove(): on a removed map it reads the removed panes
    // (TypeError … '_leaflet_pos', then the canvas' 'clearRect'). Marked as
    // ended, the animation's timer returns at once.
    h.map._animatingZoom = false;
    try { h.map.remove(); } catch (_) { /* ignore */ }
  }
}

// True when the map shows grey commune centres (for the legend).
export function showsCommuneCentres(h) { return !!(h && h.communeCentres); }

// ---------------------------------------------------------- establishments

// A circle marker for a point; approximate positions are hollow and dashed.
// `renderer`: e.g. resultsRenderer(h), to draw above the clusters.
export function pointMarker(lat, lon, { colour, approximate, radius = 6, weight = 1.5, renderer } = {}) {
  const o = approximate
    ? { radius, color: colour, weight: 2, dashArray: '3 3', fillOpacity: 0, fill: true, fillColor: '#fff' }
    : { radius, color: '#222', weight, fillColor: colour, fillOpacity: 0.9 };
  if (renderer) { o.renderer = renderer; o.pane = renderer.options.pane; }
  return L.circleMarker([lat, lon], o);
}

// The pane of the search results, above the territory's clusters (SVG: its
// empty area lets the pointer through to the clusters below).
export function resultsRenderer(h) {
  if (!h) return undefined;
  if (!h.resultsRenderer) {
    h.map.createPane('results').classList.add('results-pane');
    h.resultsRenderer = L.svg({ pane: 'results' });
  }
  return h.resultsRenderer;
}

// Leaflet renders a string given to a tooltip, popup or icon as HTML: data
// goes in as DOM nodes built with textContent (tests/web/escaping.test.mjs).
export function textTip(text) {
  const span = document.createElement('span');
  span.textContent = text == null ? '' : String(text);
  return span;
}

export function popupHtml(siret, name, extra) {
  const div = document.createElement('div');
  const a = document.createElement('a');
  a.href = '#/firm/' + siret;
  a.textContent = name || siret;
  div.append(a);
  if (extra) {
    const p = document.createElement('div');
    p.textContent = extra;
    div.append(p);
  }
  return div;
}

export function positionOf(o) {
  const p = o && o.position;
  if (p && p.lat != null && p.lon != null) return { lat: p.lat, lon: p.lon, approximate: !!p.approximate || p.source === 'commune' };
  if (o && o.lat != null && o.lon != null) return { lat: o.lat, lon: o.lon, approximate: !!o.approximate };
  return null;
}

export function fitTo(h, latlngs, maxZoom = 14) {
  if (!h || !latlngs.length) return;
  if (latlngs.length === 1) h.map.setView(latlngs[0], Math.min(maxZoom, 13));
  else h.map.fitBounds(L.latLngBounds(latlngs).pad(0.1), { maxZoom });
}

// A count in a cluster's disc: exact below 1,000, then 2.6 k, 12 k, 418 k.
const compact = (n) => (n < 1000 ? fmtNum(n)
  : new Intl.NumberFormat(getLang() === 'fr' ? 'fr-FR' : 'en-GB', { notation: 'compact', minimumFractionDigits: n < 10000 ? 1 : 0, maximumFractionDigits: n < 10000 ? 1 : 0 }).format(n));

// Where a cluster is drawn: its centroid, moved inside its own cell far
// enough from the edges that clusters of neighbouring cells never overlap.
function clusterPlace(h, c, zoom, side, radius) {
  const p = h.map.project([c.lat, c.lon], zoom);
  const x0 = c.cell[0] * side, y0 = c.cell[1] * side;
  const inner = (v, o) => Math.min(o + side - radius, Math.max(o + radius, v));
  return h.map.unproject(L.point(inner(p.x, x0), inner(p.y, y0)), zoom);
}

// One cluster of the server: a disc ringed in its dominant sector's colour,
// its count inside; a click zooms in on it.
function clusterMarker(h, c, zoom, side) {
  const n = c.count;
  const size = n < 10 ? 26 : n < 100 ? 32 : n < 1000 ? 36 : n < 10000 ? 40 : 44;
  const ring = document.createElement('div');
  ring.style.borderColor = a10Colour(c.a10); // CSSOM, allowed by the CSP (no inline style)
  const label = compact(n);
  if (label.length > 4) ring.classList.add('long');
  ring.append(textTip(label));
  const share = c.a10 && n ? Math.round((100 * c.a10_count) / n) : 0;
  const text = (n === 1 ? t('map_cluster_one') : t('map_cluster', { n: fmtNum(n) })) +
    (c.a10 ? ' — ' + t('map_cluster_sector', { sector: a10Short(c.a10), pct: fmtNum(share) }) : '');
  const m = L.marker(clusterPlace(h, c, zoom, side, size / 2), {
    icon: L.divIcon({ html: ring, className: 'a10-cluster', iconSize: L.point(size, size) }),
    title: text + ' — ' + t('map_cluster_zoom'), keyboard: true, riseOnHover: true,
  });
  m.bindTooltip(textTip(text), { direction: 'top', offset: [0, -size / 2] });
  m.on('mouseover', () => h.hidePlace && h.hidePlace());
  m.on('click keypress', (e) => {
    if (e.type === 'keypress' && e.originalEvent && e.originalEvent.key !== 'Enter') return;
    const [w, s, east, north] = c.bounds;
    const b = L.latLngBounds([s, w], [north, east]);
    const zoom = Math.max(h.map.getZoom() + 1, Math.min(h.map.getBoundsZoom(b.pad(0.1)), 18));
    h.map.setView(b.getCenter(), zoom);
  });
  return m;
}

function pointOf(p) {
  const m = pointMarker(p.lat, p.lon, { colour: a10Colour(p.a10), approximate: p.approximate, radius: 5, weight: 1 });
  m.bindPopup(() => popupHtml(p.siret, p.name, [a10Short(p.a10), p.naf, p.approximate ? t('approximate') : '', p.generated ? '[' + t('generated') + ']' : ''].filter(Boolean).join(' · ')));
  return m;
}

// The establishments of a territory on map h, counted by the server for the
// view: clusters where they are many, points where few. Each move of the map
// asks again (the last request wins; the others are cancelled). onData gets
// each answer (or onError the failure), for the page's status line.
export function territoryClusters(h, { onData, onError } = {}) {
  const layer = L.layerGroup().addTo(h.map);
  const ctl = { territory: null, naf: '', shown: false };
  let req = null, timer = 0, seq = 0;
  const cancel = () => {
    if (req) { req.abort(); req = null; }
    if (timer) { clearTimeout(timer); timer = 0; }
  };
  h.cleanups.push(cancel);

  async function load(params) {
    cancel();
    const my = ++seq;
    req = new AbortController();
    let data;
    try {
      data = await api('/map/clusters' + qs({ territory: ctl.territory, naf: ctl.naf, ...params }), { signal: req.signal });
    } catch (e) {
      if (e.name === 'AbortError' || !alive(h) || my !== seq) return null;
      layer.clearLayers();
      if (onError) onError(e);
      return null;
    }
    if (!alive(h) || my !== seq) return null;
    req = null;
    return data;
  }

  function draw(data) {
    layer.clearLayers();
    for (const p of data.points || []) pointOf(p).addTo(layer);
    for (const c of data.clusters || []) clusterMarker(h, c, data.zoom, data.cell_px).addTo(layer);
    if (onData) onData(data);
  }

  function view() {
    const b = h.map.getBounds().pad(0.15);
    const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v)).toFixed(5);
    return {
      zoom: Math.round(h.map.getZoom()),
      bbox: [clamp(b.getWest(), 180), clamp(b.getSouth(), 85), clamp(b.getEast(), 180), clamp(b.getNorth(), 85)].join(','),
    };
  }

  async function refresh() {
    timer = 0;
    if (!ctl.shown || !alive(h)) return;
    const data = await load(view());
    if (data) draw(data);
  }

  const onMove = () => {
    if (!ctl.shown) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  };
  h.map.on('moveend', onMove);
  h.cleanups.push(() => h.map.off('moveend', onMove));

  // Shows a territory: first asks where it lies and, when fit() says so,
  // fits the map on it.
  ctl.show = async (territory, naf, { fit = () => true } = {}) => {
    ctl.territory = territory;
    ctl.naf = naf || '';
    ctl.shown = true;
    layer.clearLayers();
    const whole = await load({});
    if (!whole) return;
    if (!fit()) {
      if (onData) onData(whole);
      refresh();
    } else if (whole.extent) {
      const [w, s, e, n] = whole.extent;
      const before = h.map.getBounds();
      h.map.fitBounds(L.latLngBounds([s, w], [n, e]).pad(0.05), { maxZoom: 13, animate: false });
      if (h.map.getBounds().equals(before)) refresh(); // no move, no moveend
    } else {
      draw(whole);
    }
  };
  ctl.hide = () => {
    ctl.shown = false;
    cancel();
    layer.clearLayers();
  };
  return ctl;
}

// An HTML legend (outside the map, so screen readers and keyboards reach it).
export function legendElement(extra = [], { sectors = true, noTiles = false } = {}) {
  const wrap = document.createElement('div');
  wrap.className = 'legend';
  const h = document.createElement('h3');
  h.textContent = sectors ? t('map_legend') : t('map_legend_plain');
  wrap.append(h);
  const ul = document.createElement('ul');
  const item = (cls, style, label) => {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch ' + cls;
    Object.assign(sw.style, style);
    sw.setAttribute('aria-hidden', 'true');
    li.append(sw, document.createTextNode(' ' + label));
    ul.append(li);
  };
  for (const [role, label] of extra) item('', { background: ROLE_COLOURS[role] }, label);
  if (sectors) {
    for (const c of A10_CODES) item('', { background: A10_COLOURS[c] }, a10Short(c));
    item('cluster', {}, t('map_legend_cluster'));
  }
  item('hollow', {}, t('map_legend_approx'));
  if (noTiles && showsCommuneCentres(current)) item('commune', {}, t('map_legend_commune'));
  wrap.append(ul);
  const source = document.createElement('p');
  source.className = 'map-source';
  source.textContent = t('map_basemap_source');
  wrap.append(source);
  return wrap;
}
