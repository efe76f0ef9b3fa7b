// map.js — Leaflet maps. The tile server is configurable (window.MAILLAGE_TILES,
// set in /static/config.js). Without tiles, or when tiles fail to load, the
// map draws the territory's commune centres as grey circles so points stay
// readable. Approximate positions (commune centre) get a hollow dashed marker.

import { api, qs } from './api.js';
import { t, a10Short, A10_CODES } from './i18n.js';

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

let current = null; // the one live map (pages replace each other)

export function mapAvailable() { return !!L; }

// Create a map in `el`; `territory` names the commune centres to draw if
// there is no tile layer. Returns a handle.
export function createMap(el, { territory, onNoTiles } = {}) {
  destroyMap();
  if (!L) { el.textContent = ''; return null; }
  const map = L.map(el, { preferCanvas: true, zoomControl: true, attributionControl: true, minZoom: 3, maxZoom: 18 })
    .setView([46.6, 2.4], 6);
  const h = { map, el, territory: territory || null, communes: null, tiles: null, noTiles: false, onNoTiles };
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
        goTileless(h);
      }
    });
    h.tiles.addTo(map);
  } else {
    goTileless(h);
  }
  current = h;
  return h;
}

function goTileless(h) {
  h.noTiles = true;
  h.el.classList.add('no-tiles');
  if (h.onNoTiles) h.onNoTiles();
  drawCommunes(h);
}

async function drawCommunes(h) {
  if (!h.noTiles || !h.territory) return;
  const code = h.territory;
  let data;
  try { data = await api('/map/communes' + qs({ territory: code })); } catch (_) { return; }
  if (current !== h || h.territory !== code) return;
  if (h.communes) h.map.removeLayer(h.communes);
  const list = Array.isArray(data) ? data : (data && (data.communes || data.points || data.children)) || [];
  const layer = L.layerGroup();
  for (const c of list) {
    const lat = c.lat ?? (c.position && c.position.lat), lon = c.lon ?? (c.position && c.position.lon);
    if (lat == null || lon == null) continue;
    L.circleMarker([lat, lon], {
      radius: 4, color: '#8a8a8a', weight: 1, fillColor: '#c8c8c8', fillOpacity: 0.6, interactive: true,
    }).bindTooltip(textTip(c.name || c.label || c.code || ''), { direction: 'top' }).addTo(layer);
  }
  layer.addTo(h.map);
  layer.eachLayer((m) => m.bringToBack && m.bringToBack());
  h.communes = layer;
}

export function setMapTerritory(h, code) {
  if (!h || h.territory === code) return;
  h.territory = code;
  drawCommunes(h);
}

export function destroyMap() {
  if (current) {
    try { current.map.remove(); } catch (_) { /* ignore */ }
    current = null;
  }
}

// A circle marker for a point; approximate positions are hollow and dashed.
export function pointMarker(lat, lon, { colour, approximate, radius = 6, weight = 1.5 } = {}) {
  return L.circleMarker([lat, lon], approximate
    ? { radius, color: colour, weight: 2, dashArray: '3 3', fillOpacity: 0, fill: true, fillColor: '#fff' }
    : { radius, color: '#222', weight, fillColor: colour, fillOpacity: 0.9 });
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

// Clustered points of a territory, coloured by A10 sector.
export function clusterLayer(points) {
  const group = L.markerClusterGroup
    ? L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50,
      // ring in the colour of the cluster's most frequent A10 sector
      iconCreateFunction: (cluster) => {
        const counts = {};
        let best = null;
        for (const m of cluster.getAllChildMarkers()) {
          const c = m.options.a10 || '?';
          counts[c] = (counts[c] || 0) + 1;
          if (!best || counts[c] > counts[best]) best = c;
        }
        const n = cluster.getChildCount();
        const size = n < 100 ? 34 : n < 1000 ? 40 : 48;
        const ring = document.createElement('div');
        ring.style.borderColor = a10Colour(best); // CSSOM, allowed by the CSP (no inline style)
        ring.append(textTip(n));
        return L.divIcon({ html: ring, className: 'a10-cluster', iconSize: L.point(size, size) });
      },
    })
    : L.layerGroup();
  const markers = [];
  for (const p of points) {
    if (p.lat == null || p.lon == null) continue;
    const m = pointMarker(p.lat, p.lon, { colour: a10Colour(p.a10), approximate: p.approximate, radius: 5, weight: 1 });
    m.options.a10 = p.a10;
    m.bindPopup(() => popupHtml(p.siret, p.name, [a10Short(p.a10), p.naf, p.approximate ? t('approximate') : '', p.generated ? '[' + t('generated') + ']' : ''].filter(Boolean).join(' · ')));
    markers.push(m);
  }
  if (group.addLayers) group.addLayers(markers); else markers.forEach((m) => group.addLayer(m));
  return group;
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
  if (sectors) for (const c of A10_CODES) item('', { background: A10_COLOURS[c] }, a10Short(c));
  item('hollow', {}, t('map_legend_approx'));
  if (noTiles) item('commune', {}, t('map_legend_commune'));
  wrap.append(ul);
  return wrap;
}
