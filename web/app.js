// app.js — the maillage web UI: hash routing and the four pages
// (search + territory map, firm, network, territory). Plain DOM, no framework.

import { api, qs, enc, exportUrl, territoryExportUrl, territoryFileUrl, searchExportUrl, ApiError } from './api.js';
import { choroplethSection } from './choropleth.js';
import { needsSection } from './needs.js';
import {
  t, getLang, setLang, sizeLabel, sizeMinLabel, SIZE_MIN_CODES, a10Short, a10Long,
  sectionLabel, levelLabel, fmtNum, fmtPct, fmtDate, colon, tn,
} from './i18n.js';
import {
  createMap, destroyMap, setMapTerritory, pointMarker, popupHtml, positionOf, fitTo,
  territoryClusters, resultsRenderer, legendElement, ROLE_COLOURS, mapAvailable, textTip,
} from './map.js';
import { historySection } from './history.js';
import { programmePage } from './programme.js';
import { initAccount, accountPage, ACCOUNT_PAGES, renderAccountNav } from './account.js';
import { eventPage, EVENT_PAGES } from './event.js';
import { h } from './dom.js';

const L = window.L;
const DEFAULT_TERRITORY = '200054807';
const PAGE_SIZE = 20;
const main = document.getElementById('main');

let info = null;           // /api/v1/info
let pageCtl = null;        // aborts the fetches of the page being left
let lastPage = null;

// ------------------------------------------------------------------ helpers

function genTag(o) {
  return o && o.generated ? h('span', { class: 'tag generated', title: t('generated_title') }, '[' + t('generated') + ']') : null;
}

function firmLink(o) {
  return h('a', { href: '#/firm/' + o.siret }, o.name || o.company || o.siret);
}

// An error in the page's language: the problem's stable code is translated;
// the server's own words (English) stay behind "Détail technique".
function errorBox(e) {
  if (e && e.name === 'AbortError') return null;
  let msg, detail = null;
  if (e instanceof ApiError) {
    if (e.status === 0) msg = t('error_network');
    else {
      const key = e.code ? 'err_' + e.code + (e.parameter ? '_param' : '') : null;
      const k2 = e.code ? 'err_' + e.code : null;
      msg = key && t(key, { parameter: e.parameter }) !== key ? t(key, { parameter: e.parameter })
        : k2 && t(k2) !== k2 ? t(k2) : t('err_status', { status: e.status });
      detail = e.detail || null;
    }
  } else msg = String(e && e.message ? e.message : e);
  // An ambiguous name: the places it may stand for (names and codes, in no language) are shown.
  const choices = e instanceof ApiError && e.code === 'ambiguous_name' && e.detail ? (e.detail.match(/: (.*); give/) || [])[1] : null;
  return h('div', { class: 'error', role: 'alert' },
    h('p', {}, `${colon(t('error'))} ${msg}`),
    choices ? h('p', { class: 'choices' }, choices) : null,
    detail ? h('details', { class: 'small' }, h('summary', {}, t('error_detail')), h('span', { lang: 'en' }, detail)) : null);
}

function loadingBox() { return h('p', { class: 'loading' }, t('loading')); }

function kmText(km) {
  if (km === null || km === undefined) return t('none');
  return t('distance_km', { km: fmtNum(km, km < 10 ? 1 : 0) });
}

function detailOf(o) {
  return (getLang() === 'en' ? o.detail_en || o.detail_fr : o.detail_fr || o.detail_en) || '';
}

function labelOf(o) {
  return (getLang() === 'en' ? o.label_en || o.label_fr : o.label_fr || o.label_en) || '';
}

// 0.0435 -> "4,4 %" (French) or "4.4%".
function pctText(share) {
  const v = (share || 0) * 100;
  const n = v >= 9.95 ? v.toFixed(0) : v >= 0.095 ? v.toFixed(1) : v.toFixed(2);
  return getLang() === 'en' ? `${n}%` : `${n.replace('.', ',')}\u00a0%`;
}

function reasonOf(o) {
  return (getLang() === 'en' ? o.reason_en || o.reason_fr : o.reason_fr || o.reason_en) || '';
}

function communeOf(o) {
  if (!o) return '';
  if (o.commune && typeof o.commune === 'object') return o.commune.name || o.commune.code || '';
  return o.commune || '';
}

function sizeOf(o) {
  if (!o || !o.size) return sizeLabel('NN');
  return sizeLabel(o.size.code, getLang() === 'fr' ? o.size.label_fr : o.size.label);
}

function listOf(data, ...keys) {
  if (Array.isArray(data)) return data;
  for (const k of keys) if (data && Array.isArray(data[k])) return data[k];
  return [];
}

function setHash(hash, { replace = true } = {}) {
  if (location.hash === hash) return;
  if (replace) history.replaceState(null, '', hash);
  else location.hash = hash;
}

function section(titleText, id, ...children) {
  const hid = id + '-title';
  return h('section', { class: 'card', id, 'aria-labelledby': hid }, h('h2', { id: hid }, titleText), ...children);
}

// ------------------------------------------------------------------ chrome

function applyChrome() {
  document.documentElement.lang = getLang();
  document.getElementById('skip').textContent = t('skip');
  document.getElementById('tagline').textContent = t('app_tagline');
  document.getElementById('nav').setAttribute('aria-label', t('nav_label'));
  document.getElementById('nav-search').textContent = t('nav_search');
  document.getElementById('nav-network').textContent = t('nav_networks');
  document.getElementById('nav-territory').textContent = t('nav_territory');
  document.getElementById('nav-rank').textContent = t('nav_rank');
  const btn = document.getElementById('lang');
  btn.textContent = t('lang_button');
  btn.setAttribute('lang', getLang() === 'fr' ? 'en' : 'fr');
  btn.setAttribute('aria-label', t('lang_label'));
  const banner = document.getElementById('demo-banner');
  banner.textContent = t('demo_banner');
  banner.hidden = !(info && info.contains_generated_data);
  renderAccountNav();
}

document.getElementById('lang').addEventListener('click', () => {
  setLang(getLang() === 'fr' ? 'en' : 'fr');
  applyChrome();
  render();
  document.getElementById('lang').focus();
});

// ------------------------------------------------------------------ router

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/search';
  const qi = raw.indexOf('?');
  const path = qi < 0 ? raw : raw.slice(0, qi);
  const query = qi < 0 ? '' : raw.slice(qi + 1);
  const parts = path.split('/').filter(Boolean).map((p) => { try { return decodeURIComponent(p); } catch (_) { return p; } });
  return { page: parts[0] || 'search', arg: parts[1] || '', params: new URLSearchParams(query) };
}

function render() {
  const route = parseHash();
  if (pageCtl) pageCtl.abort();
  pageCtl = new AbortController();
  const signal = pageCtl.signal;
  destroyMap();
  main.replaceChildren();
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.route === route.page || (route.page === 'firm' && a.dataset.route === 'search')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const pageChanged = lastPage !== route.page + '/' + route.arg;
  lastPage = route.page + '/' + route.arg;
  switch (route.page) {
    case 'search': searchPage(route.params, signal); break;
    case 'firm': firmPage(route.arg, route.params, signal); break;
    case 'network': route.arg ? networkPage(route.arg, signal) : networksPage(signal); break;
    case 'territory': territoryPage(route.arg || DEFAULT_TERRITORY, signal); break;
    case 'rank': rankPage(route.params, signal); break;
    case 'programme': programmePage(route.arg, main, signal); break; // programme.js (issue 13)
    default:
      if (ACCOUNT_PAGES.includes(route.page)) { accountPage(route, main, signal); break; } // account.js
      if (EVENT_PAGES.includes(route.page)) { eventPage(route, main, signal); break; } // event.js
      main.append(h('h1', {}, t('not_found_page')), h('p', {}, h('a', { href: '#/search' }, t('back_search'))));
  }
  if (pageChanged && route.page !== 'search') main.focus({ preventScroll: false });
}

window.addEventListener('hashchange', render);

// ------------------------------------------------------------------ search page

const FILTERS = ['commune', 'epci', 'dep', 'naf', 'size_min'];

function searchPage(params, signal) {
  document.title = t('search_title') + ' — maillage';
  const state = {
    q: params.get('q') || '',
    commune: params.get('commune') || '', epci: params.get('epci') || '', dep: params.get('dep') || '',
    naf: params.get('naf') || '', size_min: params.get('size_min') || '',
    active: params.get('active') !== '0',
    offset: Math.max(0, parseInt(params.get('offset') || '0', 10) || 0),
    t: params.get('t') || DEFAULT_TERRITORY,
    mnaf: params.get('mnaf') || '',
    showResults: params.get('sr') !== '0',
    showTerritory: params.get('st') !== '0',
  };

  const syncHash = () => {
    const p = {};
    if (state.q) p.q = state.q;
    for (const f of FILTERS) if (state[f]) p[f] = state[f];
    if (!state.active) p.active = '0';
    if (state.offset) p.offset = state.offset;
    if (state.t !== DEFAULT_TERRITORY) p.t = state.t;
    if (state.mnaf) p.mnaf = state.mnaf;
    if (!state.showResults) p.sr = '0';
    if (!state.showTerritory) p.st = '0';
    setHash('#/search' + qs(p));
  };

  // --- the form
  const q = h('input', { id: 'q', type: 'search', name: 'q', value: state.q, autocomplete: 'off', placeholder: t('search_placeholder'), 'aria-describedby': 'count' });
  // A filter box takes a name, a code (or a postcode) and proposes, while one
  // types, what /suggest finds: a native <datalist>, keyboard-friendly.
  const suggestValue = (kind, x) => (kind === 'naf' ? x.code : `${x.label} (${x.code})`);
  const suggestText = (kind, x) => {
    if (kind === 'naf') return x.source === 'naf' ? x.label : t('suggest_vocabulary', { codes: x.detail });
    const where = x.match === 'postcode' ? t('suggest_postcode', { code: x.postcode })
      : x.match === 'code' && kind === 'commune' ? t('suggest_insee', { code: x.code }) : '';
    return [x.detail, where].filter(Boolean).join(' — ');
  };
  const field = (name, label, kind, attrs = {}) => {
    const id = 'f-' + name;
    const listId = 'dl-' + name;
    const input = h('input', { id, name, type: 'text', value: state[name], autocomplete: 'off', list: listId, ...attrs });
    const list = h('datalist', { id: listId });
    const apply = () => { state[name] = input.value.trim(); state.offset = 0; syncHash(); runSearch(); };
    input.addEventListener('change', apply);
    let timer = null, ctl = null;
    input.addEventListener('input', () => {
      // A suggestion chosen from the list applies at once.
      if ([...list.options].some((o) => o.value === input.value)) { apply(); return; }
      clearTimeout(timer);
      const typed = input.value.trim();
      if (typed.length < 2) { list.replaceChildren(); return; }
      timer = setTimeout(async () => {
        if (ctl) ctl.abort();
        ctl = new AbortController();
        signal.addEventListener('abort', () => ctl && ctl.abort());
        try {
          const data = await api('/suggest' + qs({ kind, q: typed, limit: 8 }), { signal: ctl.signal });
          list.replaceChildren(...listOf(data, 'suggestions').map((x) => h('option', { value: suggestValue(kind, x) }, suggestText(kind, x))));
        } catch (_) { /* the box still takes a name or a code */ }
      }, 150);
    });
    return { input, el: h('div', { class: 'field' }, h('label', { for: id }, label), input, list) };
  };
  const fCommune = field('commune', t('f_commune'), 'commune', { size: 18, placeholder: t('ph_commune') });
  const fEpci = field('epci', t('f_epci'), 'epci', { size: 18, placeholder: t('ph_epci') });
  const fDep = field('dep', t('f_dep'), 'departement', { size: 14, placeholder: t('ph_dep') });
  const fNaf = field('naf', t('f_activity'), 'naf', { size: 18, placeholder: t('ph_activity') });
  const sizeSel = h('select', { id: 'f-size_min', name: 'size_min' },
    h('option', { value: '' }, t('f_size_any')),
    SIZE_MIN_CODES.map((c) => h('option', { value: c, selected: state.size_min === c }, sizeMinLabel(c) + ' (' + sizeLabel(c) + ')')));
  sizeSel.addEventListener('change', () => { state.size_min = sizeSel.value; state.offset = 0; syncHash(); runSearch(); });
  const active = h('input', { id: 'f-active', type: 'checkbox', checked: state.active });
  active.addEventListener('change', () => { state.active = active.checked; state.offset = 0; syncHash(); runSearch(); });
  const inputs = { commune: fCommune.input, epci: fEpci.input, dep: fDep.input, naf: fNaf.input, size_min: sizeSel };

  const anyFilter = () => FILTERS.some((f) => state[f]);
  const form = h('form', { role: 'search', class: 'search-form', onsubmit: (e) => { e.preventDefault(); clearTimeout(debounce); state.offset = 0; syncHash(); runSearch(); } },
    h('div', { class: 'field field-q' }, h('label', { for: 'q' }, t('search_label')), q),
    h('details', { class: 'filters', open: anyFilter() || undefined },
      h('summary', {}, t('filters')),
      h('div', { class: 'filter-grid' }, fCommune.el, fEpci.el, fDep.el, fNaf.el,
        h('div', { class: 'field' }, h('label', { for: 'f-size_min' }, t('f_size_min')), sizeSel),
        h('div', { class: 'field checkbox' }, active, h('label', { for: 'f-active' }, t('f_active')))),
    ));

  let debounce = null;
  q.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { state.q = q.value.trim(); state.offset = 0; syncHash(); runSearch(); }, 250);
  });

  const chips = h('div', { class: 'chips', 'aria-label': t('active_filters'), role: 'group' });
  const facets = h('div', { class: 'facets' });
  const count = h('p', { id: 'count', class: 'count', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const understood = h('div', { class: 'understood' });
  const results = h('ol', { class: 'results', id: 'results', 'aria-label': t('results') });
  const pager = h('nav', { class: 'pager', 'aria-label': t('pagination') });
  const errorSlot = h('div');

  // --- the map panel
  const mapStatus = h('p', { class: 'map-status', 'aria-live': 'polite' });
  const tCode = h('input', { id: 'map-territory', type: 'text', value: state.t, size: 10, 'aria-describedby': 'map-territory-help', autocomplete: 'off' });
  const mNaf = h('input', { id: 'map-naf', type: 'text', value: state.mnaf, size: 8, autocomplete: 'off' });
  const regSel = h('select', { id: 'map-region' }, h('option', { value: '' }, t('map_choose')));
  const depSel = h('select', { id: 'map-dep', disabled: true }, h('option', { value: '' }, t('map_choose')));
  const epciSel = h('select', { id: 'map-epci', disabled: true }, h('option', { value: '' }, t('map_choose')));
  const showRes = h('input', { id: 'show-results', type: 'checkbox', checked: state.showResults });
  const showTer = h('input', { id: 'show-territory', type: 'checkbox', checked: state.showTerritory });
  const mapEl = h('div', { id: 'map', class: 'map', role: 'region', 'aria-label': t('map_label') });
  const legendSlot = h('div');

  const mapForm = h('form', { class: 'map-form', onsubmit: (e) => { e.preventDefault(); state.t = tCode.value.trim() || DEFAULT_TERRITORY; state.mnaf = mNaf.value.trim(); syncHash(); loadTerritory(); } },
    h('fieldset', {},
      h('legend', {}, t('map_territory')),
      h('div', { class: 'filter-grid' },
        h('div', { class: 'field' }, h('label', { for: 'map-region' }, t('map_region')), regSel),
        h('div', { class: 'field' }, h('label', { for: 'map-dep' }, t('map_departement')), depSel),
        h('div', { class: 'field' }, h('label', { for: 'map-epci' }, t('map_epci')), epciSel),
        h('div', { class: 'field' }, h('label', { for: 'map-territory' }, t('map_territory_code')), tCode),
        h('div', { class: 'field' }, h('label', { for: 'map-naf' }, t('f_naf')), mNaf),
        h('div', { class: 'field field-button' }, h('button', { type: 'submit' }, t('map_show'))),
      ),
      h('small', { id: 'map-territory-help', class: 'help' }, t('map_territory_help'))),
    h('fieldset', { class: 'layers' },
      h('legend', {}, t('map_layers')),
      h('div', { class: 'field checkbox' }, showRes, h('label', { for: 'show-results' }, t('map_show_results'))),
      h('div', { class: 'field checkbox' }, showTer, h('label', { for: 'show-territory' }, t('map_show_territory')))));

  main.append(
    h('div', { class: 'search-layout' },
      h('section', { class: 'search-panel', 'aria-labelledby': 'search-title' },
        h('h1', { id: 'search-title' }, t('search_title')),
        form, chips, facets, count, understood, errorSlot, results, pager),
      h('section', { class: 'map-panel', 'aria-labelledby': 'map-title' },
        h('h2', { id: 'map-title' }, t('map_title')),
        mapForm, mapEl, mapStatus, legendSlot)));

  // --- map
  let noTiles = false;
  const drawLegend = () => legendSlot.replaceChildren(legendElement([['result', t('map_legend_result')]], { noTiles }));
  const mh = mapAvailable() ? createMap(mapEl, { territory: state.t, onNoTiles: () => { noTiles = true; drawLegend(); } }) : null;
  drawLegend();
  let resultsLayer = mh ? L.layerGroup().addTo(mh.map) : null;
  let tMsg = '';
  const setMapStatus = (extra) => mapStatus.replaceChildren(...[tMsg, noTiles ? t('map_no_tiles') : '', extra || ''].filter(Boolean).map((s) => h('span', {}, s + ' ')));
  // The territory's establishments, counted by the server for each view.
  const clusters = mh ? territoryClusters(mh, {
    onData: (d) => {
      tMsg = d.total < d.territory_total
        ? t('map_counted_view', { n: fmtNum(d.territory_total), v: fmtNum(d.total) })
        : t('map_counted', { n: fmtNum(d.territory_total) });
      setMapStatus();
    },
    onError: (e) => { tMsg = ''; setMapStatus(); mapStatus.append(errorBox(e)); },
  }) : null;

  function loadTerritory() {
    if (!mh) return;
    setMapTerritory(mh, state.t);
    if (!state.showTerritory) { clusters.hide(); tMsg = ''; setMapStatus(); return; }
    tMsg = t('loading'); setMapStatus();
    clusters.show(state.t, state.mnaf, { fit: () => !(resultsLayer && resultsLayer.getLayers().length) });
  }
  showTer.addEventListener('change', () => { state.showTerritory = showTer.checked; syncHash(); loadTerritory(); });
  showRes.addEventListener('change', () => {
    state.showResults = showRes.checked; syncHash();
    if (!mh) return;
    if (state.showResults) resultsLayer.addTo(mh.map); else mh.map.removeLayer(resultsLayer);
  });

  // territory cascade (région → département → EPCI)
  const fillSelect = async (sel, parent) => {
    sel.replaceChildren(h('option', { value: '' }, t('map_choose')));
    sel.disabled = true;
    try {
      const data = await api('/territories' + qs({ parent }), { signal });
      for (const c of listOf(data, 'children', 'territories')) sel.append(h('option', { value: c.code }, c.name ? `${c.name} (${c.code})` : c.code));
      sel.disabled = false;
    } catch (_) { /* the code box still works */ }
  };
  fillSelect(regSel, '');
  const pick = (code) => { if (!code) return; tCode.value = code; state.t = code; syncHash(); loadTerritory(); };
  regSel.addEventListener('change', () => { pick(regSel.value); epciSel.replaceChildren(h('option', { value: '' }, t('map_choose'))); epciSel.disabled = true; if (regSel.value) fillSelect(depSel, 'reg:' + regSel.value); });
  depSel.addEventListener('change', () => { pick(depSel.value); if (depSel.value) fillSelect(epciSel, depSel.value); });
  epciSel.addEventListener('change', () => pick(epciSel.value));

  // --- the search
  let searchCtl = null;
  function renderChips() {
    chips.replaceChildren();
    const names = { commune: t('f_commune'), epci: t('f_epci'), dep: t('f_dep'), naf: t('f_activity'), size_min: t('f_size_min') };
    for (const f of FILTERS) {
      if (!state[f]) continue;
      const shown = f === 'size_min' ? sizeMinLabel(state[f]) : state[f];
      chips.append(h('span', { class: 'chip active' }, `${names[f]} : ${shown} `,
        h('button', { type: 'button', class: 'chip-remove', 'aria-label': t('remove_filter', { name: names[f] }),
          onclick: () => { state[f] = ''; inputs[f].value = ''; state.offset = 0; syncHash(); runSearch(); q.focus(); } }, '×')));
    }
    if (anyFilter()) {
      chips.append(h('button', { type: 'button', class: 'link-button', onclick: () => {
        for (const f of FILTERS) { state[f] = ''; inputs[f].value = ''; }
        state.offset = 0; syncHash(); runSearch(); q.focus();
      } }, t('f_clear')));
    }
  }

  function renderFacets(f) {
    facets.replaceChildren();
    if (!f) return;
    const groups = [
      ['departement', t('facet_departement'), 'dep', (x) => x.label ? `${x.label} (${x.code})` : x.code],
      ['section', t('facet_section'), 'naf', (x) => `${x.code} ${sectionLabel(x.code, x.label)}`],
      ['size', t('facet_size'), 'size_min', (x) => sizeLabel(x.code, x.label)],
    ];
    const wrap = [];
    for (const [key, title, filter, label] of groups) {
      const items = f[key] || [];
      // Only an "other or fewer than 3" cell (secrecy swallowed the rest): nothing to refine by.
      if (!items.length || (items.length === 1 && (items[0].code === null || items[0].code === undefined))) continue;
      const ul = h('ul', { class: 'chip-list' });
      for (const x of items) {
        if (x.code === null || x.code === undefined) {
          ul.append(h('li', {}, h('span', { class: 'chip muted' }, `${t('facet_other')} (${fmtNum(x.count)})`)));
          continue;
        }
        if (filter === 'size_min' && !SIZE_MIN_CODES.includes(x.code)) {
          ul.append(h('li', {}, h('span', { class: 'chip muted' }, `${label(x)} (${fmtNum(x.count)})`)));
          continue;
        }
        const pressed = state[filter] === x.code;
        ul.append(h('li', {}, h('button', {
          type: 'button', class: 'chip', 'aria-pressed': pressed ? 'true' : 'false',
          title: filter === 'size_min' ? sizeMinLabel(x.code) : undefined,
          onclick: () => { state[filter] = pressed ? '' : x.code; inputs[filter].value = state[filter]; state.offset = 0; syncHash(); runSearch(); },
        }, `${label(x)} `, h('span', { class: 'chip-count' }, fmtNum(x.count)))));
      }
      wrap.push(h('div', { class: 'facet' }, h('h3', {}, title), ul));
    }
    if (wrap.length) facets.append(h('h2', { class: 'facets-title' }, t('facets')), h('div', { class: 'facet-groups' }, wrap));
  }

  async function runSearch() {
    renderChips();
    if (searchCtl) searchCtl.abort();
    errorSlot.replaceChildren();
    if (!state.q && !anyFilter()) {
      results.replaceChildren(); pager.replaceChildren(); facets.replaceChildren(); understood.replaceChildren();
      count.textContent = t('type_to_search');
      if (resultsLayer) resultsLayer.clearLayers();
      return;
    }
    searchCtl = new AbortController();
    const sig = searchCtl.signal;
    signal.addEventListener('abort', () => searchCtl && searchCtl.abort());
    results.setAttribute('aria-busy', 'true');
    try {
      const data = await api('/search' + qs({
        q: state.q, commune: state.commune, epci: state.epci, dep: state.dep, naf: state.naf,
        size_min: state.size_min, active: state.active ? 'true' : '', facets: 'true',
        prefix: 'true', limit: PAGE_SIZE, offset: state.offset,
      }), { signal: sig });
      showResults(data);
    } catch (e) {
      if (e.name === 'AbortError') return;
      // Nothing of the previous search stays on screen after an error.
      results.replaceChildren(); pager.replaceChildren(); facets.replaceChildren(); understood.replaceChildren();
      if (resultsLayer) resultsLayer.clearLayers();
      count.textContent = t('count_none');
      errorSlot.replaceChildren(errorBox(e));
    } finally {
      results.removeAttribute('aria-busy');
    }
  }

  // What the box understood (a SIRET, a postcode, trade words), and when
  // nothing matched, what was searched and the nearest trades.
  function renderUnderstood(data) {
    understood.replaceChildren();
    const query = data.query || {};
    const it = query.interpretation || {};
    const lines = [];
    const names = (list) => (list || []).map((c) => c.name).join(', ');
    if (it.siret) lines.push(t('understood_siret', { siret: it.siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4') }));
    if (it.siren) lines.push(t('understood_siren', { siren: it.siren.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3') }));
    if (it.postcode) lines.push(t('understood_postcode', { code: it.postcode.code, communes: names(it.postcode.communes) }));
    if (it.commune_code) lines.push(t('understood_commune_code', { code: it.commune_code.code, communes: names(it.commune_code.communes) }));
    for (const term of it.terms || []) {
      if (!term.trades) continue;
      const listed = term.trades_listed || [];
      lines.push(listed.length && listed.length <= 4
        ? t('understood_trades', { word: term.text, trades: listed.map((x) => `${x.label} (${x.code})`).join(', ') })
        : t('understood_many_trades', { word: term.text, n: fmtNum(term.trades) }));
    }
    for (const line of lines) understood.append(h('p', { class: 'understood-line' }, line));
    if (data.wider) understood.append(h('p', { class: 'understood-wider' }, t('wider_note')));
    if (data.total === 0 && query.text && Array.isArray(data.nearest)) {
      understood.append(h('p', { class: 'understood-none' }, t(anyFilter() && !data.nearest.length ? 'none_for_filters' : 'none_for', { q: query.text })));
      if (data.nearest.length) {
        understood.append(h('p', { class: 'nearest' }, t('nearest_trades'), ' ',
          data.nearest.map((n) => h('button', { type: 'button', class: 'chip', 'aria-label': t('try_trade', { term: n.term }),
            onclick: () => { q.value = n.term; state.q = n.term; state.offset = 0; syncHash(); runSearch(); } }, n.term))));
      }
    }
  }

  function showResults(data) {
    const list = listOf(data, 'results');
    const total = data.total ?? list.length;
    let msg = total === 0 ? t('count_none') : total === 1 ? t('count_one')
      : (data.total_exact === false ? t('count_more', { n: fmtNum(total) }) : t('count_many', { n: fmtNum(total) }));
    if (list.length && total > list.length) msg += ' ' + t('count_showing', { from: fmtNum(state.offset + 1), to: fmtNum(state.offset + list.length) });
    count.textContent = msg;
    renderUnderstood(data);
    renderFacets(data.facets);
    results.replaceChildren(...list.map((r) => {
      const pos = positionOf(r);
      return h('li', { class: 'result', dataset: { siret: r.siret } },
        h('div', { class: 'result-title' }, h('a', { href: '#/firm/' + r.siret }, r.name || r.company || r.siret), ' ', genTag(r),
          r.active === false ? h('span', { class: 'tag closed' }, t('closed')) : null),
        h('div', { class: 'result-meta' },
          [r.activity && r.activity.label ? `${r.activity.label} (${r.activity.code})` : null, communeOf(r), sizeOf(r)].filter(Boolean).join(' · ')),
        pos && pos.approximate ? h('div', { class: 'result-note' }, t('approximate')) : null);
    }));
    // pagination, then the results as files (the first 10,000, which the file says)
    pager.replaceChildren();
    const pages = Math.ceil(total / PAGE_SIZE);
    const filters = { q: state.q, commune: state.commune, epci: state.epci, dep: state.dep, naf: state.naf,
      size_min: state.size_min, active: state.active ? 'true' : '' };
    const exportBox = total > 0 ? h('div', { class: 'export search-export', role: 'group', 'aria-label': t('export_results') },
      h('span', {}, colon(t('export_results'))),
      h('a', { id: 'search-export-csv', class: 'button', href: searchExportUrl(filters, 'csv'), download: '' }, t('export_csv')),
      h('a', { id: 'search-export-xlsx', class: 'button', href: searchExportUrl(filters, 'xlsx'), download: '' }, t('export_xlsx')),
      total > 10000 ? h('span', { class: 'small' }, t('export_capped')) : null) : null;
    if (pages > 1) {
      const page = Math.floor(state.offset / PAGE_SIZE) + 1;
      const go = (off) => { state.offset = off; syncHash(); runSearch(); count.focus && q.focus(); };
      pager.append(
        h('button', { type: 'button', disabled: state.offset === 0, onclick: () => go(Math.max(0, state.offset - PAGE_SIZE)) }, t('prev')),
        h('span', { class: 'page-of' }, t('page_of', { page: fmtNum(page), pages: fmtNum(pages) })),
        h('button', { type: 'button', disabled: state.offset + PAGE_SIZE >= total, onclick: () => go(state.offset + PAGE_SIZE) }, t('next')));
    }
    if (exportBox) pager.append(exportBox);
    // map
    if (resultsLayer) {
      resultsLayer.clearLayers();
      const lls = [];
      for (const r of list) {
        const pos = positionOf(r);
        if (!pos) continue;
        pointMarker(pos.lat, pos.lon, { colour: ROLE_COLOURS.result, approximate: pos.approximate, radius: 8, weight: 2, renderer: resultsRenderer(mh) })
          .bindPopup(() => popupHtml(r.siret, r.name, [r.activity && r.activity.label, communeOf(r)].filter(Boolean).join(' · ')))
          .addTo(resultsLayer);
        lls.push([pos.lat, pos.lon]);
      }
      if (lls.length && state.showResults) fitTo(mh, lls, 13);
    }
  }

  loadTerritory();
  runSearch();
  if (!state.q) q.focus({ preventScroll: true });
}

// ------------------------------------------------------------------ firm page

// "18488926900017" -> "184 889 269 00017", as the Annuaire writes it.
function spacedSiret(s) {
  return /^\d{14}$/.test(s || '') ? `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6, 9)} ${s.slice(9)}` : s;
}

function dlRow(term, ...value) {
  return [h('dt', {}, term), h('dd', {}, ...(value.length ? value : [t('none')]))];
}

async function firmPage(siret, params, signal) {
  main.append(h('p', {}, h('a', { href: '#/search' }, t('back_search'))), loadingBox());
  let f;
  try {
    f = await api('/establishments/' + enc(siret), { signal });
  } catch (e) {
    if (e.name === 'AbortError') return;
    main.lastChild.replaceWith(errorBox(e));
    return;
  }
  if (signal.aborted) return;
  main.lastChild.remove();
  document.title = (f.name || siret) + ' — maillage';
  const lang = getLang();
  const addr = f.address || {};
  const company = f.company || {};
  const size = f.size ? (f.size.year ? t('size_year', { label: sizeOf(f), year: f.size.year }) : sizeOf(f)) : sizeLabel('NN');
  const pos = positionOf(f);

  // Identity first, as the Annuaire des Entreprises shows it.
  const sub = ((f.activity && f.activity.levels) || []).find((l) => l.level === 'subclass');
  const legal = company.legal_form ? [company.legal_form_label, `(${company.legal_form})`].filter(Boolean).join(' ') : null;
  const annuaire = h('a', {
    href: `https://annuaire-entreprises.data.gouv.fr/etablissement/${f.siret}`,
    target: '_blank', rel: 'noopener noreferrer', class: 'external',
  }, t('annuaire_link'));
  const identity = section(t('identity'), 'identity',
    h('dl', { class: 'facts' },
      dlRow(t('siret'), h('span', { class: 'mono' }, spacedSiret(f.siret))),
      sub ? dlRow(t('activity'), `${(lang === 'en' ? sub.label_en || sub.label_fr : sub.label_fr) || ''} (${sub.code})`) : null,
      dlRow(t('company'), [company.name, company.siren ? `(${t('siren')} ${company.siren})` : null].filter(Boolean).join(' ')),
      legal ? dlRow(t('legal_form'), legal) : null,
      dlRow(t('category'), company.category ? t('category_' + company.category) : t('none')),
      dlRow(t('size'), size),
      dlRow(t('created'), fmtDate(f.created || company.created)),
      dlRow(t('address'), addr.display || [addr.street, addr.postcode, addr.city].filter(Boolean).join(', ') || t('none'),
        pos && pos.approximate ? h('div', { class: 'result-note' }, t('approximate')) : null),
      dlRow(t('head_office'), f.head_office ? t('yes') : t('no')),
      dlRow(t('status'), f.active === false ? t('status_closed') : t('status_active'))),
    h('p', { class: 'small' }, annuaire));

  // The company's other establishments (those that may be shown).
  const othersBody = h('div', {}, loadingBox());
  const others = section(t('other_establishments'), 'other-establishments', othersBody);
  if (company.siren) {
    api('/companies/' + enc(company.siren), { signal }).then((c) => {
      const list = (c.establishments || []).filter((x) => x.siret !== f.siret);
      othersBody.replaceChildren(list.length
        ? h('ul', { class: 'member-list' }, list.map((x) => h('li', {}, firmLink(x), ' ',
          h('span', { class: 'small' }, [x.activity && x.activity.label, communeOf(x),
            x.active === false ? t('status_closed') : null, x.head_office ? t('head_office') : null].filter(Boolean).join(' · ')))))
        : h('p', {}, t('other_establishments_none')));
    }).catch((e) => { if (e.name !== 'AbortError') othersBody.replaceChildren(errorBox(e)); });
  } else othersBody.replaceChildren(h('p', {}, t('other_establishments_none')));

  const levels = (f.activity && f.activity.levels) || [];
  const sector = section(t('sector'), 'sector',
    h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('level')), h('th', { scope: 'col' }, t('code')), h('th', { scope: 'col' }, t('label')))),
      h('tbody', {}, levels.map((l) => h('tr', {},
        h('th', { scope: 'row' }, levelLabel(l.level)), h('td', { class: 'mono' }, l.code),
        h('td', {}, (lang === 'en' ? l.label_en || l.label_fr : l.label_fr || l.label_en) || t('none')))))));

  const chain = section(t('territory_chain'), 'territory-chain',
    h('ul', { class: 'chain' }, (f.territory || []).map((x) => h('li', {},
      h('span', { class: 'kind' }, colon(t('kind_' + x.kind)) + ' '),
      x.kind === 'arrondissement' ? `${x.name} (${x.code})` : h('a', { href: '#/territory/' + enc(x.code) }, `${x.name} (${x.code})`)))));

  const epci = (f.territory || []).find((x) => x.kind === 'epci') || (f.territory || []).find((x) => x.kind === 'departement');
  const mapEl = h('div', { id: 'map', class: 'map map-small', role: 'region', 'aria-label': t('firm_map') });
  const legendSlot = h('div');
  const mapSection = section(t('map_title'), 'firm-map', mapEl, legendSlot);

  // suggestions (tabs)
  let tab = params.get('tab') === 'customers' ? 'customers' : 'suppliers';
  const tabs = ['suppliers', 'customers'];
  const tabButtons = {};
  const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': t('suggestions') });
  const panel = h('div', { role: 'tabpanel', id: 'sugg-panel', class: 'tabpanel', tabindex: '0' });
  const liveMsg = h('p', { class: 'live', 'aria-live': 'polite' });
  for (const k of tabs) {
    const b = h('button', { type: 'button', role: 'tab', id: 'tab-' + k, 'aria-controls': 'sugg-panel', class: 'tab',
      onclick: () => selectTab(k, true),
      onkeydown: (e) => {
        if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
          e.preventDefault();
          const next = tabs[(tabs.indexOf(k) + 1) % 2];
          selectTab(next, true); tabButtons[next].focus();
        }
      } }, t('tab_' + k));
    tabButtons[k] = b;
    tablist.append(b);
  }
  // Who records verdicts and notes (kept in this browser).
  const authorInput = h('input', { id: 'verdict-author', type: 'text', maxlength: '200', autocomplete: 'name' });
  try { authorInput.value = localStorage.getItem('maillage.author') || ''; } catch (_) { /* storage unavailable */ }
  authorInput.addEventListener('change', () => {
    try { localStorage.setItem('maillage.author', authorInput.value.trim()); } catch (_) { /* ignore */ }
  });
  const authorRow = h('p', { class: 'author-row' }, h('label', { for: 'verdict-author' }, t('verdict_author')), ' ', authorInput);
  const suggSection = section(t('suggestions'), 'suggestions', authorRow, tablist, liveMsg, panel);
  // The pairs people gave a verdict on: "supplier>buyer" -> verdict record.
  const known = new Map();
  let linksReady = null;
  const pairKey = (sup, buy) => `${sup}>${buy}`;
  const author = () => authorInput.value.trim() || undefined;
  const linksBody = h('div');
  const linksSection = section(t('known_links'), 'links', linksBody);

  main.append(
    h('h1', { class: 'firm-title' }, f.name || f.siret, ' ', genTag(f)),
    h('div', { class: 'firm-layout' }, h('div', { class: 'firm-main' }, identity, sector, chain), mapSection),
    suggSection, linksSection, needsSection('firm', f.siret, { signal, errorBox, loadingBox }),
    historySection(f.siret, { signal, errorBox, loadingBox }), others);

  // map
  let noTiles = false;
  const drawLegend = () => legendSlot.replaceChildren(legendElement([
    ['firm', t('map_legend_firm')], [tab === 'suppliers' ? 'supplier' : 'customer', t(tab === 'suppliers' ? 'map_legend_supplier' : 'map_legend_customer')],
  ], { sectors: false, noTiles }));
  const mh = mapAvailable() ? createMap(mapEl, { territory: epci ? epci.code : null, onNoTiles: () => { noTiles = true; drawLegend(); } }) : null;
  drawLegend();
  const suggLayer = mh ? L.layerGroup().addTo(mh.map) : null;
  let firmMarker = null;
  if (mh && pos) {
    firmMarker = pointMarker(pos.lat, pos.lon, { colour: ROLE_COLOURS.firm, approximate: pos.approximate, radius: 10, weight: 2 })
      .bindTooltip(textTip(f.name || f.siret)).addTo(mh.map);
    mh.map.setView([pos.lat, pos.lon], 12);
  }

  let suggCtl = null;
  async function loadSuggestions() {
    if (suggCtl) suggCtl.abort();
    suggCtl = new AbortController();
    const sig = suggCtl.signal;
    signal.addEventListener('abort', () => suggCtl.abort());
    panel.setAttribute('aria-busy', 'true');
    if (!panel.firstChild) panel.append(loadingBox());
    let data;
    try {
      data = await api(`/establishments/${enc(siret)}/${tab}` + qs({ limit: 20 }), { signal: sig });
    } catch (e) {
      if (e.name === 'AbortError') return;
      panel.replaceChildren(errorBox(e));
      panel.removeAttribute('aria-busy');
      return;
    }
    panel.removeAttribute('aria-busy');
    const list = listOf(data, 'suggestions');
    const intro = h('p', {}, t(tab === 'suppliers' ? 'sugg_intro_suppliers' : 'sugg_intro_customers', { name: f.name || f.siret }));
    // Grouped by what is bought (suppliers) or sold (customers): the link
    // between the two NAF classes is said once, then the best local firms.
    const byRank = new Map(list.map((s) => [s.rank, s]));
    const groups = (data.groups || []).map((g) => h('section', { class: 'sugg-group', dataset: { class: g.class } },
      h('h3', { class: 'group-title' }, [labelOf(g), g.class ? ` (NAF ${g.class})` : ''].join('')),
      h('p', { class: 'reason group-reason' }, reasonOf(g)),
      h('ol', { class: 'suggestions', start: String((g.items || [])[0] || 1) },
        (g.items || []).map((r) => byRank.get(r)).filter(Boolean).map((s) => suggestionItem(s)))));
    const left = (data.left_out || []).length
      ? h('p', { class: 'small left-out' }, t('sugg_left_out', {
        list: data.left_out.map((g) => `${getLang() === 'en' ? g.label_en || g.label_fr : g.label_fr} ${pctText(g.ic_share)}`).join(', '),
      })) : null;
    const general = data.class && (data.class.general_fr || data.class.general_en)
      ? h('p', { class: 'small' }, getLang() === 'en' ? data.class.general_en : data.class.general_fr) : null;
    const src = data.model ? h('p', { class: 'source' }, t('sugg_source', { source: (getLang() === 'fr' ? data.model.io_source_fr : data.model.io_source) || 'INSEE' })) : null;
    panel.replaceChildren(...[intro, general, ...(list.length ? groups : [h('p', {}, t('sugg_none'))]), left, src].filter(Boolean));
    if (suggLayer) {
      suggLayer.clearLayers();
      const lls = pos ? [[pos.lat, pos.lon]] : [];
      const colour = tab === 'suppliers' ? ROLE_COLOURS.supplier : ROLE_COLOURS.customer;
      for (const s of list) {
        const p = positionOf(s);
        if (!p) continue;
        pointMarker(p.lat, p.lon, { colour, approximate: p.approximate, radius: 7 })
          .bindTooltip(textTip(s.name || s.siret))
          .bindPopup(() => popupHtml(s.siret, s.name, detailOf(s))).addTo(suggLayer);
        lls.push([p.lat, p.lon]);
      }
      // The firm itself stays on top of partners at the same place.
      if (firmMarker) firmMarker.bringToFront();
      fitTo(mh, lls, 14);
    }
  }

  function suggestionItem(s) {
    const name = s.name || s.company || s.siret;
    const pair = tab === 'suppliers' ? { supplier: s.siret, buyer: f.siret } : { supplier: f.siret, buyer: s.siret };
    const acc = h('button', { type: 'button', class: 'accept', 'aria-label': t('accept_label', { name }) }, t('accept'));
    const rej = h('button', { type: 'button', class: 'reject', 'aria-label': t('reject_label', { name }) }, t('reject'));
    const undo = h('button', { type: 'button', class: 'undo', hidden: true, 'aria-label': t('undo_label', { name }) }, t('undo'));
    const status = h('span', { class: 'verdict-status' });
    const noteText = h('textarea', { rows: '2', maxlength: '4000', 'aria-label': t('note_label', { name }) });
    const noteSave = h('button', { type: 'button', class: 'note-save' }, t('note_save'));
    const note = h('details', { class: 'note' }, h('summary', {}, t('note_add')), noteText, noteSave);
    const showState = () => {
      const v = known.get(pairKey(pair.supplier, pair.buyer)) || known.get(pairKey(pair.buyer, pair.supplier));
      const accepted = v && v.verdict === 'accept';
      li.classList.toggle('is-accepted', !!accepted);
      status.textContent = accepted
        ? [t('accepted'), v.author ? t('link_by', { author: v.author }) : null, v.at ? `(${fmtDate(v.at)})` : null].filter(Boolean).join(' ')
        : '';
      acc.hidden = !!accepted;
      undo.hidden = !accepted;
    };
    const post = async (verdict, extra) => {
      acc.disabled = rej.disabled = undo.disabled = noteSave.disabled = true;
      try {
        await api('/verdicts', {
          method: 'POST', body: { ...pair, verdict, author: author(), ...extra },
          onRetry: (seconds) => { status.textContent = t('busy_retry', { seconds }); },
        });
      } catch (e) {
        status.replaceChildren(errorBox(e));
        return false;
      } finally {
        acc.disabled = rej.disabled = undo.disabled = noteSave.disabled = false;
      }
      return true;
    };
    acc.addEventListener('click', async () => {
      if (!(await post('accept'))) return;
      liveMsg.textContent = t('accepted');
      await loadLinks();
      showState();
    });
    undo.addEventListener('click', async () => {
      if (!(await post('withdraw'))) return;
      liveMsg.textContent = t('withdrawn');
      await loadLinks();
      showState();
    });
    rej.addEventListener('click', async () => {
      if (!(await post('reject'))) return;
      liveMsg.textContent = t('rejected');
      await loadLinks();
      await loadSuggestions();
      const first = panel.querySelector('.suggestion a');
      (first || tabButtons[tab]).focus();
    });
    noteSave.addEventListener('click', async () => {
      const text = noteText.value.trim();
      if (!text) { noteText.focus(); return; }
      if (!(await post('note', { note: text }))) return;
      noteText.value = '';
      note.open = false;
      liveMsg.textContent = t('note_saved');
      loadLinks();
    });
    const p = positionOf(s);
    const li = h('li', { class: 'suggestion', dataset: { siret: s.siret } },
      h('h3', {}, h('a', { href: '#/firm/' + s.siret }, name), ' ', genTag(s)),
      h('p', { class: 'result-meta' }, [
        s.activity && s.activity.label ? `${s.activity.label} (${s.activity.code})` : null,
        communeOf(s),
        `${colon(t('score'))} ${fmtNum(s.score, 3)}`,
      ].filter(Boolean).join(' · ')),
      p && p.approximate ? h('p', { class: 'result-note' }, t('approximate')) : null,
      h('p', { class: 'detail' }, detailOf(s)),
      h('div', { class: 'actions' }, acc, undo, rej, status),
      note);
    showState();
    return li;
  }

  function selectTab(k, user) {
    tab = k;
    for (const x of tabs) {
      tabButtons[x].setAttribute('aria-selected', x === k ? 'true' : 'false');
      tabButtons[x].tabIndex = x === k ? 0 : -1;
    }
    panel.setAttribute('aria-labelledby', 'tab-' + k);
    if (user) setHash('#/firm/' + f.siret + (k === 'customers' ? '?tab=customers' : ''));
    drawLegend();
    panel.replaceChildren();
    loadSuggestions();
  }

  async function loadLinks() {
    try {
      const d = await api(`/establishments/${enc(siret)}/links`, { signal });
      known.clear();
      for (const v of [...(d.links || []), ...(d.rejected || [])]) known.set(pairKey(v.supplier, v.buyer), v);
      const item = (v, undoable) => {
        const other = v.partner;
        const sup = v.supplier === f.siret ? f.name : (other && other.name) || v.supplier;
        const buy = v.buyer === f.siret ? f.name : (other && other.name) || v.buyer;
        const supEl = v.supplier === f.siret ? sup : h('a', { href: '#/firm/' + v.supplier }, sup);
        const buyEl = v.buyer === f.siret ? buy : h('a', { href: '#/firm/' + v.buyer }, buy);
        let undo = null;
        if (undoable) {
          undo = h('button', { type: 'button', class: 'undo small-button' }, t('undo'));
          undo.addEventListener('click', async () => {
            undo.disabled = true;
            try {
              await api('/verdicts', { method: 'POST', body: { supplier: v.supplier, buyer: v.buyer, verdict: 'withdraw', author: author() } });
            } catch (e) {
              undo.disabled = false;
              undo.after(errorBox(e));
              return;
            }
            liveMsg.textContent = t('withdrawn');
            await loadLinks();
            loadSuggestions();
          });
        }
        return h('li', { class: 'link', dataset: { supplier: v.supplier, buyer: v.buyer } }, supEl, ` ${t('supplies')} → `, buyEl,
          v.note ? h('q', {}, ' ' + v.note) : null,
          v.author ? ' ' + t('link_by', { author: v.author }) : null,
          v.at || v.created ? ` (${fmtDate(v.at || v.created)})` : null,
          undo ? ' ' : null, undo);
      };
      const parts = [];
      const links = d.links || [];
      parts.push(links.length ? h('ul', { class: 'links' }, links.map((v) => item(v, true))) : h('p', {}, t('links_none')));
      if ((d.rejected || []).length) parts.push(h('h3', {}, t('links_rejected')), h('ul', { class: 'links' }, d.rejected.map((v) => item(v, true))));
      if ((d.notes || []).length) parts.push(h('h3', {}, t('links_notes')), h('ul', { class: 'links' }, d.notes.map((v) => item(v, false))));
      linksBody.replaceChildren(...parts);
    } catch (e) {
      if (e.name !== 'AbortError') linksBody.replaceChildren(errorBox(e));
    }
  }

  // Verdicts first, so that suggestions show what was recorded.
  linksReady = loadLinks();
  linksReady.then(() => selectTab(tab, false));
}

// ------------------------------------------------------------------ networks

async function networksPage(signal) {
  document.title = t('networks_title') + ' — maillage';
  main.append(h('h1', {}, t('networks_title')), h('p', {}, t('networks_intro')), loadingBox());
  try {
    const data = await api('/networks', { signal });
    const list = listOf(data, 'networks', 'groups');
    main.lastChild.replaceWith(list.length
      ? h('ul', { class: 'network-list' }, list.map((n) => h('li', {},
        h('a', { href: '#/network/' + enc(n.name) }, n.name), ' — ', tn('members_n', n.members ?? n.size ?? 0))))
      : h('p', {}, t('networks_none')));
  } catch (e) {
    if (e.name !== 'AbortError') main.lastChild.replaceWith(errorBox(e));
  }
}

function partyCell(o) {
  return h('td', {}, firmLink(o), ' ', genTag(o), h('div', { class: 'small' }, [o.activity && o.activity.label, communeOf(o)].filter(Boolean).join(' · ')));
}

async function networkPage(name, signal) {
  document.title = name + ' — maillage';
  const mapEl = h('div', { id: 'map', class: 'map', role: 'region', 'aria-label': t('map_label') });
  const legendSlot = h('div');
  const membersBody = h('div', {}, loadingBox());
  const pairsBody = h('div', {}, loadingBox());
  const outBody = h('div', { class: 'two-cols' }, loadingBox());
  const bridgesBody = h('div', {}, loadingBox());
  main.append(
    h('p', {}, h('a', { href: '#/network' }, t('back_networks'))),
    h('h1', {}, name),
    h('div', { class: 'export', role: 'group', 'aria-label': t('export') },
      h('span', {}, colon(t('export'))),
      h('a', { id: 'export-csv', class: 'button', href: exportUrl(name, 'csv'), download: '' }, t('export_csv')),
      h('a', { id: 'export-xlsx', class: 'button', href: exportUrl(name, 'xlsx'), download: '' }, t('export_xlsx'))),
    h('div', { class: 'firm-layout' },
      section(t('network_members'), 'members', membersBody),
      section(t('map_title'), 'network-map', mapEl, legendSlot)),
    section(t('pairs_title'), 'pairs', h('p', {}, t('pairs_intro')), pairsBody),
    section(t('outside_suppliers') + ' / ' + t('outside_customers'), 'outside', outBody),
    section(t('bridges_title'), 'bridges', h('p', {}, t('bridges_intro')), bridgesBody));

  let noTiles = false;
  let territory = null;
  const drawLegend = () => legendSlot.replaceChildren(legendElement([['member', t('map_legend_member')]], { sectors: false, noTiles }));
  const mh = mapAvailable() ? createMap(mapEl, { territory: null, onNoTiles: () => { noTiles = true; drawLegend(); } }) : null;
  drawLegend();
  const drawMembers = (members) => {
    if (!mh) return;
    const lls = [];
    for (const m of members) {
      const p = positionOf(m);
      if (!p) continue;
      pointMarker(p.lat, p.lon, { colour: ROLE_COLOURS.member, approximate: p.approximate, radius: 7 })
        .bindPopup(() => popupHtml(m.siret, m.name, [m.activity && m.activity.label, communeOf(m)].filter(Boolean).join(' · ')))
        .addTo(mh.map);
      lls.push([p.lat, p.lon]);
    }
    fitTo(mh, lls, 13);
    // commune centres (no tiles): the département of the first member
    const c = members.find((m) => m.commune && m.commune.code);
    if (c && !territory) { territory = c.commune.code.slice(0, c.commune.code.startsWith('97') ? 3 : 2); setMapTerritory(mh, territory); }
  };

  api('/networks/' + enc(name), { signal }).then((d) => {
    const members = listOf(d, 'members', 'establishments');
    drawMembers(members);
    membersBody.replaceChildren(
      h('p', {}, tn('members_n', members.length || d.members || 0)),
      h('details', {}, h('summary', {}, t('network_members')),
        h('ul', { class: 'member-list' }, members.map((m) => h('li', {}, firmLink(m), ' ', genTag(m),
          h('span', { class: 'small' }, ' — ' + [m.activity && m.activity.label, communeOf(m)].filter(Boolean).join(' · ')))))));
  }).catch((e) => { if (e.name !== 'AbortError') membersBody.replaceChildren(errorBox(e)); });

  api('/networks/' + enc(name) + '/report' + qs({ limit: 20 }), { signal }).then((d) => {
    const pairs = d.pairs || [];
    // Each pair once: A and B, with the reason of each direction that exists.
    const dirCell = (x) => h('td', { class: 'reason' }, x ? reasonOf(x) : '—');
    pairsBody.replaceChildren(pairs.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data pairs' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'A'), h('th', { scope: 'col' }, 'B'),
        h('th', { scope: 'col' }, t('a_supplies_b')), h('th', { scope: 'col' }, t('b_supplies_a')),
        h('th', { scope: 'col' }, t('distance')), h('th', { scope: 'col' }, t('score')))),
      h('tbody', {}, pairs.map((p) => {
        const any = p.a_to_b || p.b_to_a || {};
        return h('tr', {},
          h('td', {}, p.rank), partyCell(p.a), partyCell(p.b), dirCell(p.a_to_b), dirCell(p.b_to_a),
          h('td', { class: 'num' }, kmText(any.parts && any.parts.distance_km)),
          h('td', { class: 'num' }, fmtNum(p.score, 3)));
      }))))
      : h('p', {}, t('pairs_none')));
    if ((d.members_not_suggestible || []).length) {
      pairsBody.append(h('p', { class: 'small' }, t('not_suggestible', { list: d.members_not_suggestible.map((m) => m.name || m.siret || m).join(', ') })));
    }
    const outList = (title, list) => h('div', {}, h('h3', {}, title), list.length ? h('ol', { class: 'outside' }, list.map((o) => h('li', {},
      firmLink(o), ' ', genTag(o),
      h('div', { class: 'small' }, [o.input ? `${labelOf(o.input)} (NAF ${o.input.code})` : o.activity && o.activity.label, communeOf(o),
        `${fmtNum(o.members_served)} ${t('members_served')}`, `${t('total_score')} ${fmtNum(o.total_score, 2)}`].filter(Boolean).join(' · ')),
      o.best_member ? h('div', { class: 'reason' }, t('best_link', { name: o.best_member.name || o.best_member.siret }), ' ', reasonOf(o)) : null)))
      : h('p', {}, t('sugg_none')));
    outBody.replaceChildren(outList(t('outside_suppliers'), d.outside_suppliers || []), outList(t('outside_customers'), d.outside_customers || []));
  }).catch((e) => {
    if (e.name === 'AbortError') return;
    pairsBody.replaceChildren(errorBox(e)); outBody.replaceChildren();
  });

  api('/networks/' + enc(name) + '/bridges' + qs({ limit: 20 }), { signal }).then((d) => {
    const list = d.bridges || [];
    bridgesBody.replaceChildren(list.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'A'), h('th', { scope: 'col' }, 'B'),
        h('th', { scope: 'col' }, t('reason')), h('th', { scope: 'col' }, t('score')))),
      h('tbody', {}, list.map((b) => h('tr', {}, h('td', {}, b.rank), partyCell(b.a), partyCell(b.b),
        h('td', { class: 'reason' }, reasonOf(b), (b.shared_words || []).length ? h('div', { class: 'small' }, b.shared_words.join(', ')) : null),
        h('td', { class: 'num' }, fmtNum(b.score, 3)))))))
      : h('p', {}, t('bridges_none')));
  }).catch((e) => { if (e.name !== 'AbortError') bridgesBody.replaceChildren(errorBox(e)); });
}

// ------------------------------------------------------------------ territory

async function territoryPage(code, signal) {
  document.title = t('territory_title') + ' — maillage';
  const input = h('input', { id: 'territory-code', type: 'text', value: code, size: 10, 'aria-describedby': 'territory-help', autocomplete: 'off' });
  const form = h('form', { class: 'inline-form', onsubmit: (e) => { e.preventDefault(); const c = input.value.trim(); if (c) location.hash = '#/territory/' + enc(c); } },
    h('div', { class: 'field' }, h('label', { for: 'territory-code' }, t('territory_choose')), input,
      h('small', { id: 'territory-help' }, t('map_territory_help'))),
    h('div', { class: 'field field-button' }, h('button', { type: 'submit' }, t('territory_go'))));
  const body = h('div', {}, loadingBox());
  const title = h('h1', {}, t('territory_title'));
  main.append(title, form, perimetersBox(signal), body);
  let d;
  try { d = await api('/territories/' + enc(code), { signal }); } catch (e) {
    if (e.name !== 'AbortError') body.replaceChildren(errorBox(e));
    return;
  }
  const ter = d.territory || {};
  const tcode = ter.code || code;
  title.textContent = `${ter.name || code} (${t('kind_' + (ter.kind || 'custom'))} ${tcode})`;
  document.title = (ter.name || code) + ' — maillage';
  const e = d.establishments || {};
  const active = e.active || 0;
  const filterKey = { commune: 'commune', epci: 'epci', departement: 'dep', region: 'region' }[ter.kind];
  const src = d.sources || {};
  const lab = (o) => (o ? (getLang() === 'en' ? o.label_en : o.label_fr) : null);
  // Key figures: the value, its share of the open establishments when it is a part of them.
  const stat = (key, v, share) => h('div', { class: 'stat' }, h('dt', {}, t(key)),
    h('dd', {}, fmtNum(v), share && v !== null && v !== undefined && active > 0 ? h('span', { class: 'share' }, ' (' + fmtPct(v / active) + ')') : null));
  const stats = h('dl', { class: 'stats' },
    stat('t_population', ter.population), stat('t_communes', ter.communes),
    stat('t_active', e.active), stat('t_closed', e.closed),
    stat('t_active_employers', e.active_employers, true), stat('t_active_restricted', e.active_restricted, true),
    e.active_approximate_position ? stat('t_active_approx', e.active_approximate_position, true) : null);
  const sourceItems = [
    src.sirene && src.sirene.imported ? t(src.sirene.generated ? 'src_sirene_generated' : 'src_sirene', {
      date: fmtDate(src.sirene.imported), latest: fmtDate(src.sirene.latest_creation), year: src.sirene.headcount_year ?? '?',
    }) : null,
    src.population ? t('src_population', { label: lab(src.population) }) : null,
    src.geography ? lab(src.geography) : null,
    src.sectors ? lab(src.sectors) : null,
  ].filter(Boolean);
  const sources = h('aside', { class: 'sources', 'aria-labelledby': 'sources-title' },
    h('h2', { id: 'sources-title' }, t('sources_title')), h('ul', {}, sourceItems.map((x) => h('li', {}, x))));
  // A table of counts with their share and a bar (the longest bar is the largest row).
  const table = (id, caption, rows, labelFn) => {
    rows = rows || [];
    const max = Math.max(1, ...rows.map((r) => r.count || 0));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data shares', id },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('code')), h('th', { scope: 'col' }, t('label')),
        h('th', { scope: 'col', class: 'num' }, t('count')), h('th', { scope: 'col', class: 'num' }, t('share')),
        h('th', { scope: 'col', class: 'barcol' }, h('span', { class: 'visually-hidden' }, t('chart'))))),
      h('tbody', {}, rows.map((r) => h('tr', {},
        h('td', { class: 'mono' }, r.code ?? ''), h('th', { scope: 'row' }, labelFn(r)),
        h('td', { class: 'num' }, fmtNum(r.count)),
        h('td', { class: 'num' }, active > 0 && r.count != null ? fmtPct(r.count / active) : ''),
        h('td', { class: 'barcol' }, r.count != null ? bar(r.count / max) : null))))));
  };
  const nafLabel = (r) => (r.code ? (getLang() === 'en' ? r.label_en || r.label : r.label_fr || r.label) : t('facet_other'));
  if (e.total === 0) {
    // The imported SIRENE files do not cover this territory: say so, not empty tables.
    body.replaceChildren(h('dl', { class: 'stats' }, stat('t_population', ter.population), stat('t_communes', ter.communes)),
      h('p', { class: 'note', id: 'territory-not-covered' }, t('territory_not_covered')), sources);
    return;
  }
  const exportParams = (ext) => territoryExportUrl(tcode, ext);
  body.replaceChildren(...[
    d.contains_generated_data ? h('p', { class: 'generated-note' }, t('territory_generated')) : null,
    h('div', { class: 'actions' },
      filterKey ? h('a', { class: 'button', href: '#/search' + qs({ [filterKey]: tcode, t: tcode }) }, t('search_in_territory')) : null,
      h('a', { class: 'button', href: '#/search' + qs({ t: tcode }) }, t('map_of_territory'))),
    h('div', { class: 'export', role: 'group', 'aria-label': t('export') },
      h('span', {}, colon(t('export'))),
      h('a', { id: 'territory-export-csv', class: 'button', href: exportParams('csv'), download: '' }, t('export_csv')),
      h('a', { id: 'territory-export-xlsx', class: 'button', href: exportParams('xlsx'), download: '' }, t('export_xlsx')),
      h('a', { id: 'territory-report-pdf', class: 'button', href: territoryFileUrl(tcode, 'report.pdf', { lang: getLang() }), download: '' }, t('report_pdf'))),
    stats,
    h('p', { class: 'small' }, t('shares_of_active')),
    h('div', { class: 'two-cols' },
      table('table-a10', t('by_a10'), d.by_a10, nafLabel),
      table('table-size', t('by_size'), d.by_size, (r) => (r.code ? sizeLabel(r.code, r.label) : t('facet_other')))),
    table('table-a38', t('by_a38'), d.by_a38, nafLabel),
    d.top_communes ? table('table-communes', t('top_communes'), d.top_communes, (r) => (r.code ? r.label : t('other_communes'))) : null,
    indicatorsSection(tcode, signal),
    needsSection('territory', tcode, { signal, errorBox, loadingBox }),
    ter.kind !== 'commune' && ter.kind !== 'region' && ter.kind !== 'country' ? choroplethSection(tcode, signal) : null,
    ter.kind === 'commune' || ter.kind === 'epci' ? opportunitiesSection(tcode, signal) : null,
    sources,
    h('aside', { class: 'note', 'aria-labelledby': 'secrecy-title' }, h('h2', { id: 'secrecy-title' }, t('secrecy_title')), h('p', {}, t('secrecy', { n: (d.privacy && d.privacy.min_cell) || 3 }))),
  ].filter(Boolean));
}

// Perimeters: choose a Territoire d'industrie or one of yours, or define one
// from commune codes and EPCI SIREN (POST /perimeters, all or nothing).
function perimetersBox(signal) {
  const select = h('select', { id: 'perimeter-select' }, h('option', { value: '' }, t('per_choose')));
  const open = () => { if (select.value) location.hash = '#/territory/' + enc(select.value); };
  select.addEventListener('change', open);
  api('/perimeters', { signal }).then((d) => {
    const groups = { custom: t('per_group_custom'), ti2023: t('per_group_ti2023'), ti2019: t('per_group_ti2019') };
    for (const [kind, label] of Object.entries(groups)) {
      const items = (d.perimeters || []).filter((p) => p.kind === kind).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
      if (items.length) select.append(h('optgroup', { label }, items.map((p) => h('option', { value: p.code }, `${p.name} (${p.code}, ${tn('per_communes_n', p.communes)})`))));
    }
  }).catch(() => { /* the list is a convenience: the code box still works */ });
  const name = h('input', { id: 'per-name', type: 'text', maxlength: '200', required: '' });
  const members = h('textarea', { id: 'per-members', rows: '3', required: '', 'aria-describedby': 'per-members-help' });
  const msg = h('p', { id: 'per-status', role: 'status', 'aria-live': 'polite' });
  const define = h('form', { id: 'perimeter-define', class: 'hist-form', onsubmit: async (e) => {
    e.preventDefault();
    msg.textContent = '';
    try {
      const r = await api('/perimeters', { method: 'POST', body: { name: name.value.trim(), members: members.value } });
      location.hash = '#/territory/' + enc(r.territory.code);
    } catch (err) {
      msg.className = 'form-status error';
      msg.textContent = err.message;
    }
  } },
  h('div', { class: 'field' }, h('label', { for: 'per-name' }, t('per_name')), name),
  h('div', { class: 'field' }, h('label', { for: 'per-members' }, t('per_members')), members,
    h('small', { id: 'per-members-help' }, t('per_members_help'))),
  h('p', {}, h('button', { type: 'submit' }, t('per_define'))), msg);
  return h('div', { class: 'perimeters' },
    h('div', { class: 'field' }, h('label', { for: 'perimeter-select' }, t('per_label')), select),
    h('details', {}, h('summary', {}, t('per_define_title')), define));
}

// The territory's diagnosis (GET /territories/{code}/indicators): estimated
// jobs, industry, specialisations against a base the database covers,
// diversity, concentration, largest employers, company categories, creations
// and closures. Level and value are chosen on the page.
function indicatorsSection(code, signal) {
  const levelSel = h('select', { id: 'ind-level' }, ['A10', 'A21', 'A38', 'A88', 'class'].map((l) =>
    h('option', { value: l, selected: l === 'A38' ? '' : undefined }, t('ind_level_' + l))));
  const bySel = h('select', { id: 'ind-by' },
    h('option', { value: 'jobs' }, t('ind_by_jobs')), h('option', { value: 'establishments' }, t('ind_by_establishments')));
  const out = h('div', { id: 'indicators-body' }, loadingBox());
  // The indicators' exports follow the level and value chosen.
  const csv = h('a', { id: 'indicators-export-csv', class: 'button', download: '' }, t('export_csv'));
  const xlsx = h('a', { id: 'indicators-export-xlsx', class: 'button', download: '' }, t('export_xlsx'));
  const section = h('section', { class: 'indicators', 'aria-labelledby': 'ind-title' },
    h('h2', { id: 'ind-title' }, t('ind_title')),
    h('div', { class: 'inline-form' },
      h('div', { class: 'field' }, h('label', { for: 'ind-level' }, t('ind_level')), levelSel),
      h('div', { class: 'field' }, h('label', { for: 'ind-by' }, t('ind_by')), bySel)),
    h('div', { class: 'export', role: 'group', 'aria-label': t('ind_export') }, h('span', {}, colon(t('ind_export'))), csv, xlsx),
    out);
  const load = async () => {
    const params = { level: levelSel.value, by: bySel.value };
    csv.href = territoryFileUrl(code, 'indicators.csv', params);
    xlsx.href = territoryFileUrl(code, 'indicators.xlsx', params);
    out.replaceChildren(loadingBox());
    let j;
    try { j = await api('/territories/' + enc(code) + '/indicators' + qs({ level: levelSel.value, by: bySel.value }), { signal }); } catch (e) {
      if (e.name !== 'AbortError') out.replaceChildren(errorBox(e));
      return;
    }
    out.replaceChildren(...renderIndicators(j));
  };
  levelSel.addEventListener('change', load);
  bySel.addEventListener('change', load);
  load();
  return section;
}

// What a commune or an EPCI could grow into (GET /territories/{code}/opportunities):
// a chart of every NAF class's relative presence (RCA) against its density,
// and the closest classes it is not specialised in, each with the related
// classes it holds and their largest firms.
function opportunitiesSection(code, signal) {
  const out = h('div', { id: 'opportunities-body' }, loadingBox());
  const section = h('section', { class: 'opportunities', 'aria-labelledby': 'opp-title' },
    h('h2', { id: 'opp-title' }, t('opp_title')), h('p', { class: 'small' }, t('opp_intro')), out);
  api('/territories/' + enc(code) + '/opportunities', { signal }).then((j) => {
    const lab = (x) => (getLang() === 'en' ? x.label_en || x.label : x.label_fr || x.label) || x.code;
    const list = (j.opportunities || []).map((o) => h('li', { class: 'opportunity' },
      h('div', {}, h('strong', {}, `${o.code} ${lab(o)}`), ' ',
        h('span', { class: 'small' }, t('opp_figures', { density: fmtNum(o.density, 2), rca: fmtNum(o.rca, 2), n: fmtNum(o.establishments) }))),
      h('ul', { class: 'related' }, (o.related || []).map((r) => h('li', {},
        t('opp_close_to', { code: r.code, label: lab(r), phi: fmtNum(r.proximity, 2) }),
        (r.firms || []).length ? [colon(''), ' ', ...r.firms.flatMap((f, k) => [k ? ', ' : '', h('a', { href: '#/firm/' + f.siret }, f.name)])] : null)))));
    out.replaceChildren(
      h('p', {}, t('opp_compared', { n: fmtNum(j.compared_with.count), kind: t('opp_kind_' + j.compared_with.locations), held: fmtNum(j.place.diversity) })),
      opportunityChart(j.chart || [], new Set((j.opportunities || []).map((o) => o.code))),
      list.length ? h('ol', { class: 'opportunity-list', id: 'opportunity-list' }, list) : h('p', {}, t('opp_none')),
      h('p', { class: 'small' }, t('opp_method')));
  }).catch((e) => { if (e.name !== 'AbortError') out.replaceChildren(errorBox(e)); });
  return section;
}

// Relative presence (RCA, capped at 3) against density, one dot per NAF class:
// held classes (RCA ≥ 1) dark, the opportunities ringed. SVG, no inline style.
function opportunityChart(points, ringed) {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 640, H = 320, L = 48, B = 36, T = 10, R = 10;
  // The densities' own range (they gather in a band): the axis starts at its lowest.
  const ds = points.map((p) => p.density);
  const minD = ds.length ? Math.min(...ds) : 0, maxD = ds.length ? Math.max(...ds) : 1;
  const span = maxD - minD > 1e-9 ? maxD - minD : 1;
  const x = (d) => L + 6 + ((d - minD) / span) * (W - L - R - 12);
  const y = (r) => H - B - (Math.min(r, 3) / 3) * (H - B - T);
  const el = (tag, attrs, text) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const svg = el('svg', { class: 'opp-chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'opp-chart-title' });
  svg.append(el('title', { id: 'opp-chart-title' }, t('opp_chart_title')));
  svg.append(el('line', { x1: L, y1: y(1), x2: W - R, y2: y(1), class: 'opp-one' }));
  svg.append(el('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'opp-axis' }), el('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'opp-axis' }));
  svg.append(el('text', { x: (L + W - R) / 2, y: H - 6, class: 'opp-label', 'text-anchor': 'middle' }, t('opp_axis_density')));
  svg.append(el('text', { x: 12, y: (T + H - B) / 2, class: 'opp-label', 'text-anchor': 'middle', transform: `rotate(-90 12 ${(T + H - B) / 2})` }, t('opp_axis_rca')));
  for (const v of [0, 1, 2, 3]) svg.append(el('text', { x: L - 6, y: y(v) + 4, class: 'opp-tick', 'text-anchor': 'end' }, v === 3 ? '≥ 3' : String(v)));
  svg.append(el('text', { x: L + 6, y: H - B + 14, class: 'opp-tick', 'text-anchor': 'start' }, fmtNum(minD, 2)));
  svg.append(el('text', { x: W - R - 6, y: H - B + 14, class: 'opp-tick', 'text-anchor': 'end' }, fmtNum(maxD, 2)));
  for (const p of points) {
    const c = el('circle', { cx: x(p.density).toFixed(1), cy: y(p.rca).toFixed(1), r: ringed.has(p.code) ? 5 : 2.5, class: ringed.has(p.code) ? 'opp-dot opp-ring' : p.present ? 'opp-dot opp-held' : 'opp-dot' });
    c.append(el('title', {}, `${p.code} — RCA ${fmtNum(p.rca, 2)}, ${t('opp_axis_density').toLowerCase()} ${fmtNum(p.density, 2)}`));
    svg.append(c);
  }
  return h('figure', { class: 'opp-figure' }, svg, h('figcaption', { class: 'small' }, t('opp_chart_caption')));
}

function renderIndicators(j) {
  const f = j.figures || {};
  const lab = (r) => (getLang() === 'en' ? r.label_en || r.label : r.label_fr || r.label) || r.code;
  const stat = (key, v, extra) => h('div', { class: 'stat' }, h('dt', {}, t(key)), h('dd', {}, v), extra ? h('dd', { class: 'stat-note' }, extra) : null);
  const pct = (v) => (v === null || v === undefined ? t('lt3') : fmtPct(v));
  const base = j.base;
  const baseLine = base
    ? h('p', { id: 'ind-base' }, t('ind_base', { name: base.name, kind: t('kind_' + base.kind), code: base.code }))
    : h('p', { class: 'note', id: 'ind-base' }, t('ind_no_base'));
  const ind = f.industry || {};
  const stats = h('dl', { class: 'stats' },
    stat('ind_jobs', fmtNum(f.jobs_estimated), f.without_headcount ? t('ind_without_headcount', { n: fmtNum(f.without_headcount) }) : null),
    stat('ind_industry', pct(ind.jobs_share), t('ind_industry_estabs', { n: fmtNum(ind.establishments), share: pct(ind.share) })),
    stat('ind_diversity', fmtNum(f.diversity?.activities), base ? t('ind_specialised', { n: fmtNum(f.diversity?.specialised) }) : null),
    stat('ind_hhi', f.hhi === null || f.hhi === undefined ? '—' : fmtNum(f.hhi, 3)),
    stat('ind_top5', f.largest?.top5_jobs_share === null ? '—' : pct(f.largest?.top5_jobs_share),
      f.largest?.top10_jobs_share === null ? null : t('ind_top10', { share: pct(f.largest?.top10_jobs_share) })));
  const by = j.value === 'jobs' ? t('ind_col_jobs_share') : t('ind_col_estab_share');
  // The specialisations (quotient 1.25 or more); when there are none, the
  // activities most over-represented all the same, said as such.
  let spec = j.specialisations || [];
  const strong = spec.length > 0;
  if (!strong && base)
    spec = (j.activities || []).filter((a) => a.lq !== null && a.lq !== undefined).sort((a, b) => b.lq - a.lq).slice(0, 10);
  const maxLq = Math.max(1, ...spec.map((a) => a.lq || 0));
  const specTable = spec.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data shares', id: 'table-specialisations' },
    h('caption', {}, t(strong ? 'ind_spec_caption' : 'ind_top_lq_caption')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('code')), h('th', { scope: 'col' }, t('label')),
      h('th', { scope: 'col', class: 'num' }, t('ind_col_estabs')), h('th', { scope: 'col', class: 'num' }, t('ind_col_jobs')),
      h('th', { scope: 'col', class: 'num' }, by), h('th', { scope: 'col', class: 'num' }, t('ind_col_base_share')),
      h('th', { scope: 'col', class: 'num' }, t('ind_col_lq')), h('th', { scope: 'col', class: 'barcol' }, h('span', { class: 'visually-hidden' }, t('chart'))))),
    h('tbody', {}, spec.map((a) => h('tr', {},
      h('td', { class: 'mono' }, a.code), h('th', { scope: 'row' }, lab(a)),
      h('td', { class: 'num' }, fmtNum(a.establishments)), h('td', { class: 'num' }, fmtNum(a.jobs)),
      h('td', { class: 'num' }, pct(a.share)), h('td', { class: 'num' }, pct(a.base_share)),
      h('td', { class: 'num' }, fmtNum(a.lq, 2)), h('td', { class: 'barcol' }, bar(a.lq / maxLq)))))))
    : h('p', { id: 'ind-no-spec' }, base ? t('ind_spec_none') : t('ind_spec_no_base'));
  const cats = j.company_categories || [];
  const catTable = cats.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'table-categories' },
    h('caption', {}, t('ind_cat_caption')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('ind_cat')), h('th', { scope: 'col', class: 'num' }, t('ind_col_estabs')),
      h('th', { scope: 'col', class: 'num' }, t('share')), h('th', { scope: 'col', class: 'num' }, t('ind_col_jobs')), h('th', { scope: 'col', class: 'num' }, t('ind_col_jobs_share')))),
    h('tbody', {}, cats.map((c) => h('tr', {},
      h('th', { scope: 'row' }, c.code ? t('ind_cat_' + c.code) : t('facet_other')),
      h('td', { class: 'num' }, fmtNum(c.count)), h('td', { class: 'num' }, pct(c.share)),
      h('td', { class: 'num' }, fmtNum(c.jobs)), h('td', { class: 'num' }, pct(c.jobs_share))))))) : null;
  const years = (j.years && j.years.by_year) || [];
  const maxY = Math.max(1, ...years.map((y) => Math.max(y.created || 0, y.closed || 0)));
  const yearTable = years.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data shares', id: 'table-years' },
    h('caption', {}, t('ind_years_caption')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('ind_year')), h('th', { scope: 'col', class: 'num' }, t('ind_created')),
      h('th', { scope: 'col', class: 'num' }, t('ind_closed')), h('th', { scope: 'col', class: 'barcol' }, h('span', { class: 'visually-hidden' }, t('chart'))))),
    h('tbody', {}, years.map((y) => h('tr', {},
      h('th', { scope: 'row' }, String(y.year)), h('td', { class: 'num' }, fmtNum(y.created)), h('td', { class: 'num' }, fmtNum(y.closed)),
      h('td', { class: 'barcol' }, y.created != null ? bar(y.created / maxY) : null))))),
    h('p', { class: 'small' }, t('ind_years_note'))) : null;
  return [baseLine, stats, !strong && base && spec.length ? h('p', { id: 'ind-no-spec' }, t('ind_spec_none')) : null, specTable, catTable, yearTable,
    h('p', { class: 'small' }, t('ind_method_note'))].filter(Boolean);
}

// A horizontal bar (SVG: no inline style, the page's CSP allows none), share 0..1 of its column.
function bar(share) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  for (const [k, v] of Object.entries({ class: 'bar', viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' })) svg.setAttribute(k, v);
  const r = document.createElementNS(NS, 'rect');
  r.setAttribute('width', String(Math.max(0.5, Math.min(100, share * 100)).toFixed(1)));
  r.setAttribute('height', '10');
  svg.append(r);
  return svg;
}

// ------------------------------------------------------------------ rankings

// Criteria a ranking may use (docs/methods.md, Rankings), with the weights of
// the shipped Territoires d'industrie-style selection; "lower" ones are better low.
const RANK_CRITERIA = [
  ['industry_jobs_share', 3], ['industry_establishments', 2], ['industry_specialisation', 2],
  ['net_creation_rate', 1], ['jobs', 0], ['creation_rate', 0], ['diversity', 0],
  ['sme_jobs_share', 0], ['hhi', 0, 'lower'], ['top5_share', 0, 'lower'],
];

function rankPage(params, signal) {
  document.title = t('rank_title') + ' — maillage';
  const among = h('input', { id: 'rank-among', type: 'text', value: params.get('among') || '13', size: 10, 'aria-describedby': 'rank-among-help', autocomplete: 'off' });
  const norm = h('select', { id: 'rank-norm' }, ['minmax', 'rank', 'zscore'].map((n) => h('option', { value: n }, t('rank_norm_' + n))));
  const weights = new Map();
  const sliders = RANK_CRITERIA.map(([ind, w, dir]) => {
    const id = 'w-' + ind;
    const input = h('input', { type: 'range', id, min: '0', max: '10', step: '1', value: String(params.has(ind) ? Number(params.get(ind)) || 0 : w), 'aria-describedby': id + '-v' });
    const val = h('output', { id: id + '-v', for: id }, input.value);
    weights.set(ind, { input, dir: dir || 'higher' });
    input.addEventListener('input', () => { val.textContent = input.value; schedule(); });
    return h('div', { class: 'slider' }, h('label', { for: id }, t('rank_ind_' + ind), dir === 'lower' ? h('span', { class: 'small' }, ' ' + t('rank_lower_better')) : null), input, val);
  });
  const out = h('div', { id: 'rank-body' });
  main.append(h('h1', {}, t('rank_title')), h('p', {}, t('rank_intro')),
    h('form', { class: 'inline-form', onsubmit: (e) => { e.preventDefault(); load(); } },
      h('div', { class: 'field' }, h('label', { for: 'rank-among' }, t('rank_among')), among, h('small', { id: 'rank-among-help' }, t('rank_among_help'))),
      h('div', { class: 'field' }, h('label', { for: 'rank-norm' }, t('rank_norm')), norm),
      h('div', { class: 'field field-button' }, h('button', { type: 'submit' }, t('rank_go')))),
    h('fieldset', { class: 'sliders' }, h('legend', {}, t('rank_weights')), ...sliders), out);
  let timer = null, ctl = null;
  function schedule() { clearTimeout(timer); timer = setTimeout(load, 400); }
  norm.addEventListener('change', schedule);
  async function load() {
    const crit = [...weights].filter(([, x]) => Number(x.input.value) > 0).map(([ind, x]) => `${ind}:${x.input.value}:${x.dir}:${norm.value}`);
    if (!crit.length) { out.replaceChildren(h('p', { class: 'note', id: 'rank-no-weight' }, t('rank_no_weight'))); return; }
    if (ctl) ctl.abort();
    ctl = new AbortController();
    signal.addEventListener('abort', () => ctl.abort(), { once: true });
    out.replaceChildren(loadingBox());
    let j;
    try { j = await api('/rankings' + qs({ among: among.value.trim(), criteria: crit.join(',') }), { signal: ctl.signal }); } catch (e) {
      if (e.name !== 'AbortError') out.replaceChildren(errorBox(e));
      return;
    }
    const lab = (c) => (getLang() === 'en' ? c.label_en : c.label_fr);
    const ti = j.territoires_industrie || {};
    const rows = (j.territories || []).map((x) => h('tr', {},
      h('td', { class: 'num' }, String(x.rank)),
      h('th', { scope: 'row' }, h('a', { href: '#/territory/' + enc(x.territory.code) }, x.territory.name || x.territory.code),
        (x.territoires_industrie || []).length ? h('span', { class: 'tag', title: t('rank_ti_title') }, ' ' + t('rank_ti', { code: x.territoires_industrie[0] })) : null,
        h('div', { class: 'small' }, x.has_data ? j.criteria.map((c, k) => `${lab(c)} : ${fmtValue(x.values[k].value, c.indicator)} (+${fmtNum(x.values[k].contribution, 3)})`).join(' · ') : t('rank_no_data'))),
      h('td', { class: 'num' }, x.score === null ? '—' : fmtNum(x.score, 3)),
      h('td', { class: 'barcol' }, x.score === null ? null : bar(Math.max(0, x.score)))));
    out.replaceChildren(...[
      j.with_data < (j.territories || []).length ? h('p', { class: 'note', id: 'rank-missing' }, t('rank_missing', { n: j.with_data, all: j.territories.length })) : null,
      h('div', { class: 'table-wrap' }, h('table', { class: 'data shares', id: 'table-rank' },
        h('caption', {}, t('rank_caption', { among: j.among.name || j.among.code })),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, '#'), h('th', { scope: 'col' }, t('rank_territory')),
          h('th', { scope: 'col', class: 'num' }, t('rank_score')), h('th', { scope: 'col', class: 'barcol' }, h('span', { class: 'visually-hidden' }, t('chart'))))),
        h('tbody', {}, rows))),
      ti.in_all ? h('p', { id: 'rank-ti' }, ti.top === 1
        ? t(ti.in_top ? 'rank_ti_first_in' : 'rank_ti_first_out', { in_all: ti.in_all, all: j.territories.length })
        : t('rank_ti_summary', { in_top: ti.in_top, top: ti.top, in_all: ti.in_all, all: j.territories.length })) : null,
      h('p', { class: 'small' }, t('rank_method')),
    ].filter(Boolean));
  }
  load();
}

// A criterion's value as its reader expects it: shares as percentages.
function fmtValue(v, indicator) {
  if (v === null || v === undefined) return t('lt3');
  if (/share|rate/.test(indicator)) return fmtPct(v);
  if (indicator === 'industry_specialisation' || indicator === 'hhi') return fmtNum(v, 2);
  return fmtNum(Math.round(v));
}

// ------------------------------------------------------------------ start

setLang(getLang());
applyChrome();
// Who is signed in (and the CSRF token of every change) before the first page.
initAccount().finally(() => { applyChrome(); render(); });
api('/info').then((d) => { info = d; applyChrome(); }).catch(() => { /* banner stays hidden */ });
