// hostile.test.mjs — data made by an attacker, shown in Debian's Chromium:
// an establishment whose sign is an <img onerror> is text on every page and
// in the map's tooltip (stored XSS), and no page breaks the server's Content
// Security Policy (no inline script or style anywhere).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, ROOT } from './support.mjs';

const SIGN = '<img src=x onerror="window.__xss=1">';
let env, base, page, hostile;

/** Luhn check digit of a digit string. */
function luhnDigit(s) {
  for (let d = 0; d <= 9; d++) {
    let sum = 0;
    const t = s + d;
    for (let i = 0; i < t.length; i++) {
      let v = Number(t[t.length - 1 - i]) * (i % 2 ? 2 : 1);
      sum += v > 9 ? v - 9 : v;
    }
    if (sum % 10 === 0) return String(d);
  }
  throw new Error('no digit');
}

/** The car assembler's row of fixture_match.csv, as a new firm with SIGN. */
function hostileCsv(dir) {
  const lines = readFileSync(join(ROOT, 'tests/data/fixture_match.csv'), 'utf8').split('\n');
  const head = lines[0].split(',');
  const row = lines[1].split(',');
  const siren = '93000001' + luhnDigit('93000001');
  const siret = siren + '0001' + luhnDigit(siren + '0001');
  row[head.indexOf('siren')] = siren;
  row[head.indexOf('nic')] = siret.slice(9);
  row[head.indexOf('siret')] = siret;
  row[head.indexOf('enseigne1Etablissement')] = '"' + SIGN.replace(/"/g, '""') + '"';
  row[head.indexOf('denominationUsuelleEtablissement')] = '';
  const file = join(dir, 'hostile.csv');
  writeFileSync(file, lines[0] + '\n' + row.join(',') + '\n');
  return { file, siret };
}

before(async () => {
  env = await start({
    prepare: (mk, dir) => {
      hostile = hostileCsv(dir);
      mk('import', 'sirene', hostile.file, '--rejects', join(dir, 'h.rejects.csv'));
    },
  });
  ({ base, page } = env);
  // Every CSP violation of every page is kept; the Leaflet maps are kept too
  // (to find where a marker is drawn).
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
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

test('the hostile sign is shown as text in the firm page title', async () => {
  await page.goto(`${base}/#/firm/${hostile.siret}`);
  await page.locator('h1.firm-title').waitFor();
  assert.ok((await page.locator('h1.firm-title').innerText()).includes(SIGN));
  assert.equal(await page.locator('h1.firm-title img').count(), 0);
});

test('hovering its point on the map shows the sign as text and runs nothing', async () => {
  await page.goto(`${base}/#/firm/${hostile.siret}`);
  await page.waitForFunction(() => window.__maps.length > 0);
  // The map may still be moving (fitting the firm and its partners, drawing the base map):
  // hover the firm's marker where it is now, and again until its tooltip shows.
  const tip = page.locator('.leaflet-tooltip', { hasText: SIGN }).last();
  for (let attempt = 0; ; attempt++) {
    await page.waitForTimeout(300);
    const at = await page.evaluate(() => {
      const m = window.__maps[window.__maps.length - 1];
      let firm = null;
      m.eachLayer((l) => { if (l.getTooltip && l.getTooltip() && l.options && l.options.radius === 10) firm = l; });
      const p = m.latLngToContainerPoint(firm.getLatLng());
      const r = m.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    });
    await page.mouse.move(at.x + 30, at.y + 30);
    await page.mouse.move(at.x, at.y, { steps: 4 });
    try {
      await tip.waitFor({ state: 'visible', timeout: 2000 });
      break;
    } catch (e) {
      if (attempt >= 6) throw e;
    }
  }
  assert.equal(await tip.innerText(), SIGN);
  assert.equal(await tip.locator('img').count(), 0, 'no element made from the data');
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no script ran');
});

test('no page breaks the Content Security Policy', async () => {
  await page.goto(`${base}/#/search?q=fixture`);
  await page.locator('.result').first().waitFor();
  await page.waitForFunction(() => document.querySelectorAll('#map .marker-cluster, #map path').length > 0);
  const pages = [`#/firm/${hostile.siret}`, '#/network', `#/network/${encodeURIComponent('Lauréats')}`, '#/territory/200054807'];
  for (const hash of pages) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForTimeout(500);
  }
  await page.locator('main h1').first().waitFor();
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
});
