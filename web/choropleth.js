// choropleth.js — the territory page's map of its communes, each coloured by
// an indicator chosen on the page (open establishments per 1,000 inhabitants,
// industry's share of estimated jobs), from GET /territories/{code}/choropleth.
// The outlines are the shipped base map's (web/basemap/, drawn by map.js);
// a commune without an outline there is a coloured circle at its centre. A
// commune of 1 or 2 establishments has no figure: it is drawn in its own
// colour, "fewer than 3", never with a value (docs/privacy.md).

import { api, enc } from './api.js';
import { t, fmtNum, fmtPct, colon } from './i18n.js';
import { createMap, textTip } from './map.js';
import { h } from './dom.js';

const L = window.L;
const BASEMAP = '/static/basemap/';
// Five classes, light to dark (colour-blind safe, ColorBrewer GnBu); the
// legend's swatches are the classes .choro-0 … .choro-4 and .choro-secret of
// style.css (the page's CSP allows no inline style).
const CLASSES = ['#f0f9e8', '#bae4bc', '#7bccc4', '#43a2ca', '#0868ac'];
export const SECRET_COLOUR = '#c51b7d'; // "fewer than 3": its own colour, not on the scale
const NONE_COLOUR = '#ffffff';

const INDICATORS = {
  per_1000: { secret: (c) => c.secret, fmt: (v) => fmtNum(v, 1) },
  industry_jobs_share: { secret: (c) => c.secret || c.industry_secret, fmt: (v) => fmtPct(v) },
};

// Class limits: quantiles of the values shown (at most 5 distinct classes).
function breaks(values) {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return [];
  const out = [];
  for (let k = 1; k < CLASSES.length; k++) {
    const q = v[Math.min(v.length - 1, Math.floor((k * v.length) / CLASSES.length))];
    if (!out.length || q > out[out.length - 1]) out.push(q);
  }
  return out;
}

function classOf(x, limits) {
  let k = 0;
  while (k < limits.length && x >= limits[k]) k++;
  return k;
}

// The state of each commune for one indicator: 'secret', 'none' or a class.
export function communeState(c, key, limits) {
  const ind = INDICATORS[key];
  if (ind.secret(c)) return { kind: 'secret', colour: SECRET_COLOUR };
  const v = c[key];
  if (v === null || v === undefined) return { kind: 'none', colour: NONE_COLOUR };
  const k = classOf(v, limits);
  return { kind: 'value', colour: CLASSES[k], value: v, k };
}

async function json(name) {
  const r = await fetch(BASEMAP + name, { headers: { Accept: 'application/json' } });
  if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
  return r.json();
}

// The section: a choice of indicator, the map, its legend and a table for
// those who do not read maps.
export function choroplethSection(code, signal) {
  const sel = h('select', { id: 'choro-indicator' },
    h('option', { value: 'per_1000' }, t('choro_per_1000')),
    h('option', { value: 'industry_jobs_share' }, t('choro_industry')));
  const mapEl = h('div', { id: 'choro-map', class: 'map map-small', role: 'region', 'aria-label': t('choro_title') });
  const legend = h('div', { class: 'legend', id: 'choro-legend' });
  const status = h('p', { class: 'map-status', 'aria-live': 'polite' }, t('loading'));
  const section = h('section', { class: 'choropleth', 'aria-labelledby': 'choro-title' },
    h('h2', { id: 'choro-title' }, t('choro_title')),
    h('div', { class: 'inline-form' }, h('div', { class: 'field' }, h('label', { for: 'choro-indicator' }, t('choro_indicator')), sel)),
    status, mapEl, legend);
  let data = null, handle = null, layer = null, outlines = null;

  const draw = () => {
    if (!data || !handle) return;
    const key = sel.value;
    const shown = data.communes.filter((c) => !INDICATORS[key].secret(c) && c[key] !== null && c[key] !== undefined);
    const limits = breaks(shown.map((c) => c[key]));
    if (layer) handle.map.removeLayer(layer);
    layer = L.featureGroup();
    const byCode = new Map(data.communes.map((c) => [c.code, c]));
    const drawn = new Set();
    const tip = (c, st) => `${colon(c.name)} ${st.kind === 'secret' ? t('choro_secret') : st.kind === 'none' ? t('none') : INDICATORS[key].fmt(st.value)}`;
    for (const f of outlines || []) {
      const c = byCode.get(f.properties.code);
      if (!c) continue;
      const st = communeState(c, key, limits);
      drawn.add(c.code);
      L.geoJSON(f, {
        style: () => ({ color: '#555', weight: 0.8, fillColor: st.colour, fillOpacity: 0.85 }),
        onEachFeature: (_, l) => l.bindTooltip(textTip(tip(c, st)), { sticky: true }),
      }).addTo(layer);
    }
    for (const c of data.communes) {
      if (drawn.has(c.code) || c.lat == null) continue;
      const st = communeState(c, key, limits);
      L.circleMarker([c.lat, c.lon], { radius: 6, color: '#555', weight: 1, fillColor: st.colour, fillOpacity: 0.9 })
        .bindTooltip(textTip(tip(c, st)), { direction: 'top' }).addTo(layer);
    }
    layer.addTo(handle.map);
    try { handle.map.fitBounds(layer.getBounds(), { padding: [10, 10], maxZoom: 12 }); } catch (_) { /* empty */ }
    const fmt = INDICATORS[key].fmt;
    const items = [];
    const lows = [Math.min(...shown.map((c) => c[key])), ...limits];
    for (let k = 0; k < lows.length && shown.length; k++)
      items.push(h('li', { 'data-class': String(k) }, h('span', { class: `swatch square choro-${k}` }), ' ',
        k + 1 < lows.length ? `${fmt(lows[k])} – ${fmt(lows[k + 1])}` : `${colon(t('choro_from'))} ${fmt(lows[k])}`));
    const nsecret = data.communes.filter((c) => INDICATORS[key].secret(c)).length;
    items.push(h('li', { id: 'choro-legend-secret' }, h('span', { class: 'swatch square choro-secret' }), ' ',
      `${t('choro_secret')} (${fmtNum(nsecret)})`));
    legend.replaceChildren(h('h3', {}, sel.options[sel.selectedIndex].textContent), h('ul', {}, items));
    status.textContent = t('choro_status', { n: fmtNum(data.communes.length) });
  };

  (async () => {
    try {
      data = await api('/territories/' + enc(code) + '/choropleth', { signal });
    } catch (e) {
      if (e.name !== 'AbortError') status.textContent = `${colon(t('error'))} ${e.message}`;
      return;
    }
    if (!L) { status.textContent = t('choro_status', { n: fmtNum(data.communes.length) }); return; }
    // Wait until the section is in the page: Leaflet needs the element's size.
    for (let i = 0; i < 100 && !mapEl.isConnected; i++) await new Promise((r) => setTimeout(r, 20));
    if (!mapEl.isConnected || (signal && signal.aborted)) return; // the page was left
    handle = createMap(mapEl, {});
    const deps = new Set(data.communes.map((c) => c.departement));
    try {
      const index = await json('index.json');
      outlines = [];
      for (const f of index.communes || []) {
        if (!deps.has(f.departement) || !window.topojson) continue;
        const topo = await json(f.file);
        if (signal && signal.aborted) return;
        outlines.push(...window.topojson.feature(topo, topo.objects[f.object]).features);
      }
    } catch (_) { outlines = []; } // circles at the centres instead
    draw();
  })();
  sel.addEventListener('change', draw);
  return section;
}
