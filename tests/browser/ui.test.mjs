// ui.test.mjs — the web UI in Debian's Chromium, driven by playwright-core,
// against the real server on a free port: search a firm, open it, read why
// each suggestion is made, reject one and see it gone after a reload, open a
// network and export it, switch language. Screenshots go to
// build/test-artifacts/ (kept as test artifacts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { start, SHOTS } from './support.mjs';

const ASM = '91000001700012', NEAR = '91000002500015';
let env, dir, base, page;

before(async () => {
  env = await start();
  ({ dir, base, page } = env);
});

after(async () => {
  await env?.stop();
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

test('the home page warns that the database holds generated demo data', async () => {
  await page.goto(base + '/');
  await page.locator('#demo-banner').waitFor({ state: 'visible' });
  assert.match(await page.locator('#demo-banner').innerText(), /générées|generated/i);
  await shot('01-home');
});

test('searching "equipements automobiles" lists the car-parts maker, and its page opens', async () => {
  await page.goto(base + '/#/search');
  await page.fill('#q', 'equipements automobiles');
  const item = page.locator(`.result[data-siret="${NEAR}"]`);
  await item.waitFor();
  assert.match(await item.innerText(), /EQUIPEMENTIER PROCHE FIXTURE/);
  await shot('02-search');
  await item.locator('a').first().click();
  await page.waitForURL(new RegExp(`#/firm/${NEAR}`));
  await page.getByText('EQUIPEMENTIER PROCHE FIXTURE').first().waitFor();
});

test('a firm page groups suggested suppliers by what they sell, each group with its reason', async () => {
  await page.goto(`${base}/#/firm/${ASM}`);
  const first = page.locator('.suggestion').first();
  await first.waitFor();
  const text = await page.locator('.suggestion').allInnerTexts();
  assert.ok(text.some((t) => t.includes('EQUIPEMENTIER PROCHE FIXTURE')), text.join('\n'));
  assert.ok(!text.some((t) => t.includes('ATELIER INTERNE')), 'never its own company');
  const group = page.locator('.sugg-group').first();
  assert.equal(await group.getAttribute('data-class'), '29.32');
  const reason = await group.locator('.group-reason').innerText();
  assert.match(reason, /achète .* de ses consommations intermédiaires \(produits français ou importés\)/);
  assert.match(await page.locator('.source').innerText(), /BEA/);
  assert.match(await page.locator('.left-out').innerText(), /marges commerciales/);
  await page.locator('#needs-grid').waitFor();
  assert.doesNotMatch(await page.locator('body').innerText(), /^\s*(null|undefined)\s*$/m,
    'no "null" or "undefined" line on the firm page');
  await shot('03-firm');
});

test('a rejected suggestion disappears and stays gone after a reload', async () => {
  await page.goto(`${base}/#/firm/${ASM}`);
  const target = page.locator(`.suggestion[data-siret="${NEAR}"]`);
  await target.waitFor();
  await target.locator('.reject').click();
  await target.waitFor({ state: 'detached' });
  await page.reload();
  await page.locator('.suggestion').first().waitFor();
  assert.equal(await page.locator(`.suggestion[data-siret="${NEAR}"]`).count(), 0);
  await shot('04-after-reject');
});

test('a network page ranks its pairs and exports them as CSV and Excel', async () => {
  await page.goto(`${base}/#/network/${encodeURIComponent('Lauréats')}`);
  await page.locator('#export-csv').waitFor();
  await shot('05-network');
  for (const [id, ext] of [['#export-csv', 'csv'], ['#export-xlsx', 'xlsx']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(id)]);
    const file = join(dir, `export.${ext}`);
    await download.saveAs(file);
    assert.ok(statSync(file).size > 100, `${ext} export is not empty`);
  }
});

test('the map shows the territory even without a tile server', async () => {
  await page.goto(base + '/#/search');
  await page.locator('#map.leaflet-container').waitFor();
  // The shipped base map is drawn, and the map says how many establishments it counts.
  await page.locator('#map .basemap-pane canvas').first().waitFor();
  await page.waitForFunction(() => /\d/.test(document.querySelector('.map-status')?.textContent || ''));
  await shot('06-map');
});

test('the language switch turns the page into English and back', async () => {
  await page.goto(base + '/#/search');
  const before = await page.locator('html').getAttribute('lang');
  await page.click('#lang');
  await page.waitForFunction((l) => document.documentElement.lang !== l, before);
  assert.notEqual(await page.locator('html').getAttribute('lang'), before);
  await shot('07-english');
  await page.click('#lang');
});
