// map.test.mjs — the maps of the web UI in Debian's Chromium, against the
// real server, on a database holding a generated Bouches-du-Rhône (tens of
// thousands of establishments in the Aix-Marseille metropolis, the search
// page's default territory): the shipped base map is drawn with nothing
// fetched from outside, names the commune under the pointer and has a
// scale; the server counts the establishments for each view, every one of
// them, and zooming in splits a cluster; leaving the page while the map
// still works throws nothing. Screenshots of the map in French and English,
// desktop and phone, go to build/test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { start, SHOTS } from './support.mjs';

const AMP = '200054807';
let env, base, page, expected;
const errors = [], outside = [];

before(async () => {
  env = await start({
    prepare: (mk, dir) => {
      mk('demo', '--territory', '13', '--size', '20000', '--seed', '5', '--out', join(dir, 'd13'));
      mk('import', 'sirene', join(dir, 'd13/StockEtablissement_utf8.csv'), '--rejects', join(dir, 'r13.csv'));
      expected = Number(execFileSync('sqlite3', [join(dir, 'ui.db'), `SELECT count(*) FROM etab e JOIN commune c
        ON c.code = e.commune WHERE c.epci = '${AMP}' AND e.state = 'A' AND e.diffusion = 'O' AND e.geo > 0`],
      { encoding: 'utf8' }));
    },
  });
  ({ base, page } = env);
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url()); });
  // The Leaflet maps are kept, to find where a place is drawn.
  await page.addInitScript(() => {
    let leaflet;
    window.__maps = [];
    Object.defineProperty(window, 'L', {
      configurable: true,
      get: () => leaflet,
      set: (v) => {
        leaflet = v;
        if (v && v.Map && v.Map.addInitHook) v.Map.addInitHook(function keep() { window.__maps.push(this); });
      },
    });
  });
});

after(async () => {
  await env?.stop();
});

const isClusters = (r) => r.url().includes('/api/v1/map/clusters?') && r.url().includes('zoom=');

/** Opens the search page and returns the first answer for the map's view. */
async function openSearch(hash = '#/search') {
  await page.goto('about:blank'); // a page load, even when only the hash would change
  const answer = page.waitForResponse(isClusters);
  await page.goto(base + '/' + hash);
  const data = await (await answer).json();
  await page.waitForFunction(() => /\d/.test(document.querySelector('.map-status')?.textContent || ''));
  await page.waitForLoadState('networkidle');
  return data;
}

/** Where a place is on the screen, the map set on it at `zoom`. */
async function pointAt(lat, lon, zoom) {
  const moved = page.waitForResponse(isClusters);
  const at = await page.evaluate(([la, lo, z]) => {
    const m = window.__maps[window.__maps.length - 1];
    m.setView([la, lo], z, { animate: false });
    const p = m.latLngToContainerPoint([la, lo]);
    const r = m.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, [lat, lon, zoom]);
  await moved;
  await page.waitForLoadState('networkidle');
  return at;
}

/** Share of the base map's canvas that is painted, and its colours. */
const painted = () => page.evaluate(() => {
  const c = document.querySelector('#map .basemap-pane canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  const colours = new Set();
  for (let i = 0; i < d.length; i += 4 * 7) if (d[i + 3] > 0) { n++; colours.add(`${d[i]},${d[i + 1]},${d[i + 2]}`); }
  return { share: n / (d.length / (4 * 7)), land: colours.has('251,250,245'), neighbours: colours.has('233,229,218') };
});

test('the base map is drawn offline: land, neighbours, outlines, a scale, nothing fetched elsewhere', async () => {
  outside.length = 0;
  await openSearch();
  await page.locator('#map .basemap-pane canvas').waitFor();
  await pointAt(43.6, 5.0, 7); // the coast, the Rhône delta and Occitanie
  const p = await painted();
  assert.ok(p.share > 0.5, `${Math.round(p.share * 100)} % of the base map painted`);
  assert.ok(p.land, 'France\'s land colour is drawn');
  assert.ok(await page.evaluate(() => getComputedStyle(document.querySelector('#map')).backgroundColor) === 'rgb(201, 220, 234)', 'the sea is the map\'s background');
  const scale = await page.locator('#map .leaflet-control-scale-line').innerText();
  assert.match(scale, /^\d+ (m|km)$/, `scale: ${scale}`);
  assert.match(await page.locator('#map .leaflet-control-attribution').innerText(), /IGN/);
  assert.deepEqual(outside, [], 'no request left the server');
});

test('hovering the map names the commune under the pointer, with its article', async () => {
  await openSearch();
  for (const [lat, lon, name] of [[43.5283, 5.4497, 'Aix-en-Provence'], [43.1870, 5.6200, 'La Ciotat'], [43.3060, 5.3950, 'Marseille']]) {
    const at = await pointAt(lat, lon, 11);
    await page.mouse.move(at.x + 40, at.y + 40);
    await page.mouse.move(at.x, at.y, { steps: 4 });
    const tip = page.locator('.leaflet-tooltip.place-tip');
    await page.waitForFunction((n) => document.querySelector('.leaflet-tooltip.place-tip')?.textContent === n, name);
    assert.equal(await tip.innerText(), name);
  }
  // Zoomed out, the département is named.
  const at = await pointAt(44.0, 4.3, 7);
  await page.mouse.move(at.x + 5, at.y + 5, { steps: 3 });
  await page.waitForFunction(() => document.querySelector('.leaflet-tooltip.place-tip')?.textContent === 'Gard');
});

test('every public placed establishment of the territory is counted, and the status line says so', async () => {
  const data = await openSearch();
  assert.ok(expected > 10000);
  assert.equal(data.territory_total, expected);
  assert.equal(data.total, expected, 'the first view holds the whole territory');
  const sum = data.clusters.reduce((n, c) => n + c.count, 0) + data.points.length;
  assert.equal(sum, expected);
  const status = await page.locator('.map-status').innerText();
  assert.match(status.replace(/\s/g, ''), new RegExp(String(expected)), status);
  assert.equal(await page.locator('#map .a10-cluster').count(), data.clusters.length, 'one mark per cluster');
  // The browser got counts, not the points of the territory.
  const bytes = Number((await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/api/v1/map')).reduce((n, e) => n + e.transferSize, 0))));
  assert.ok(bytes < 200000, `${bytes} bytes for the map's counts`);
});

test('clicking a cluster zooms in and splits it into parts that add up to it', async () => {
  const data = await openSearch();
  const big = data.clusters.slice().sort((a, b) => b.count - a.count)[0];
  const marks = page.locator('#map .a10-cluster');
  const n = await marks.count();
  let target = null;
  for (let i = 0; i < n && !target; i++) {
    const title = await marks.nth(i).getAttribute('title');
    if (title && title.replace(/\s/g, '').includes(String(big.count))) target = marks.nth(i);
  }
  assert.ok(target, `the mark of the largest cluster (${big.count}) is on the map`);
  const next = page.waitForResponse(isClusters);
  await target.click();
  const child = await (await next).json();
  assert.ok(child.zoom > data.zoom, `zoom ${data.zoom} → ${child.zoom}`);
  const dz = child.zoom - data.zoom;
  const inside = (cell) => cell[0] >> dz === big.cell[0] && cell[1] >> dz === big.cell[1];
  const parts = child.clusters.filter((c) => inside(c.cell));
  const pts = child.points.filter((p) => inside(p.cell));
  assert.ok(parts.length + pts.length > 1, 'the cluster is split');
  assert.equal(parts.reduce((k, c) => k + c.count, 0) + pts.length, big.count);
});

test('leaving #/search?q=mécanique as soon as its map says what it shows throws no error', async () => {
  errors.length = 0;
  for (let i = 0; i < 3; i++) {
    await page.goto(base + '/#/network');
    await page.locator('main h1').first().waitFor();
    await page.evaluate(() => { location.hash = '#/search?q=m%C3%A9canique'; });
    // The map has its data and says how many establishments it shows.
    await page.waitForFunction(() => /\d/.test(document.querySelector('.map-status')?.textContent || ''));
    await page.evaluate(() => { location.hash = '#/network'; });
    await page.locator('main h1').first().waitFor();
    // What the left page had scheduled runs now, if anything is left.
    await page.waitForTimeout(2000);
    // The same, leaving in the middle of a zoom animation.
    await page.evaluate(() => { location.hash = '#/search?q=m%C3%A9canique'; });
    await page.waitForFunction(() => /\d/.test(document.querySelector('.map-status')?.textContent || ''));
    await page.evaluate(() => {
      document.querySelector('#map .leaflet-control-zoom-in').click();
      location.hash = '#/network';
    });
    await page.locator('main h1').first().waitFor();
    await page.waitForTimeout(2000);
  }
  assert.deepEqual(errors, []);
});

test('screenshots of the map in French and English, desktop and phone', async () => {
  errors.length = 0;
  const views = [['desktop', 1366, 900], ['phone', 390, 844]];
  for (const lang of ['fr', 'en']) {
    for (const [name, width, height] of views) {
      await page.setViewportSize({ width, height });
      await openSearch();
      if ((await page.locator('html').getAttribute('lang')) !== lang) {
        const again = page.waitForResponse(isClusters);
        await page.click('#lang');
        await again;
        await page.waitForLoadState('networkidle');
      }
      await page.locator('#map').scrollIntoViewIfNeeded();
      await page.locator('#map').screenshot({ path: join(SHOTS, `map-${lang}-${name}.png`) });
      await page.screenshot({ path: join(SHOTS, `map-${lang}-${name}-page.png`), fullPage: true });
    }
    // Zoomed in on Marseille: commune lines, clusters and points.
    await page.setViewportSize({ width: 1366, height: 900 });
    await openSearch();
    await pointAt(43.30, 5.40, 13);
    await page.locator('#map').screenshot({ path: join(SHOTS, `map-${lang}-communes.png`) });
  }
  if ((await page.locator('html').getAttribute('lang')) !== 'fr') await page.click('#lang');
  assert.deepEqual(errors, []);
});
