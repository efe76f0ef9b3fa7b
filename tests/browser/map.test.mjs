// map.test.mjs — the search page's map in Debian's Chromium, against the real
// server, on a database holding a generated Bouches-du-Rhône (thousands of
// establishments in the Aix-Marseille metropolis, the page's default
// territory): leaving the page while the map still works throws nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start } from './support.mjs';

let env, base, page;
const errors = [];

before(async () => {
  env = await start({
    prepare: (mk, dir) => {
      mk('demo', '--territory', '13', '--size', '20000', '--seed', '5', '--out', join(dir, 'd13'));
      mk('import', 'sirene', join(dir, 'd13/StockEtablissement_utf8.csv'), '--rejects', join(dir, 'r13.csv'));
    },
  });
  ({ base, page } = env);
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
});

after(async () => {
  await env?.stop();
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
  }
  assert.deepEqual(errors, []);
});
