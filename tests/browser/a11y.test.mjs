// a11y.test.mjs — every page of the web UI checked by axe-core (WCAG 2 A and
// AA rules: labels, contrast, landmarks, names of buttons and links...) in
// Chromium, in French and in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, ROOT } from './support.mjs';

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const PAGES = ['/#/search', '/#/search?q=usinage', '/#/firm/91000001700012',
  `/#/network/${encodeURIComponent('Lauréats')}`, '/#/territory/200054807'];
let env;

before(async () => {
  env = await start();
});

after(async () => {
  await env?.stop();
});

async function violations(path) {
  const { page, base } = env;
  await page.goto(base + path);
  await page.waitForLoadState('networkidle');
  // Evaluated by the browser's debugging protocol: the page's CSP forbids
  // inline scripts, which addScriptTag would add.
  await page.evaluate(AXE);
  return page.evaluate(async () =>
    (await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] })).violations.map(
      (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(' ')})`));
}

for (const path of PAGES) {
  test(`${path} has no WCAG 2 A/AA violation in French`, async () => {
    assert.deepEqual(await violations(path), []);
  });
}

test('the English pages have no WCAG 2 A/AA violation either', async () => {
  await env.page.goto(env.base + '/#/search');
  await env.page.click('#lang');
  for (const path of PAGES) assert.deepEqual(await violations(path), [], path);
  await env.page.click('#lang');
});

test('on a 768×1024 tablet no page scrolls sideways, and the search box is reachable by keyboard', async () => {
  const { page, base } = env;
  await page.setViewportSize({ width: 768, height: 1024 });
  for (const path of PAGES) {
    await page.goto(base + path);
    await page.waitForLoadState('networkidle');
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scroll <= width, `${path}: content ${scroll} px wide in a ${width} px window`);
  }
  await page.goto(base + '/#/search');
  for (let i = 0; i < 20 && !(await page.evaluate(() => document.activeElement?.id === 'q')); i++)
    await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'q');
  await page.setViewportSize({ width: 1366, height: 900 });
});
