// search.test.mjs — the search page as a new user meets it, in Debian's
// Chromium: typing a trade word ("usinage", "chaudronnerie"), a postcode
// ("13100"), a SIRET with spaces, the start of a word ("méca"), a misspelt
// trade (the nearest trades are offered); filters that take names with
// suggestions in a list; an error that leaves nothing stale on screen; axe-core
// on those states. Screenshots (French and English, desktop and phone) go to
// build/test-artifacts/search-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, SHOTS, ROOT } from './support.mjs';

const FIXTURE = join(ROOT, 'tests/data/fixture_search.csv');
const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const PREC = '92000001500015'; // machining (25.62B), Le Tholonet, postcode 13100
const CUVE = '92000002300019'; // tanks (25.29Z), Aix-en-Provence
const PAIN = '92000003100012'; // bakery, Beaurecueil, postcode 13100
const OLD = '92000007200016'; // closed boilermaker (hidden: open only by default)
const SECRET = '92000004900014'; // machining, statut P: never shown
const communes = () => page.locator('#results .result .result-meta').allInnerTexts();
let env, page, base;

before(async () => {
  env = await start({ prepare: (mk) => mk('import', 'sirene', FIXTURE) });
  ({ page, base } = env);
});

after(async () => {
  await env?.stop();
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `search-${name}.png`), fullPage: true });
const sirets = () => page.locator('#results .result').evaluateAll((els) => els.map((e) => e.dataset.siret));

async function typeQuery(text) {
  await page.goto(base + '/#/search');
  await page.locator('#q').fill('');
  await page.locator('#q').pressSequentially(text, { delay: 20 });
}

async function axe() {
  await page.evaluate(AXE);
  return page.evaluate(async () =>
    (await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] })).violations.map(
      (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(' ')})`));
}

test('typing "usinage" lists the machining firm and says which NAF activities the word stands for', async () => {
  await typeQuery('usinage');
  await page.locator(`.result[data-siret="${PREC}"]`).waitFor();
  const found = await sirets();
  assert.ok(found.includes(PREC), found.join(','));
  assert.ok(!found.includes(SECRET), 'never the restricted (P) machining firm');
  const said = await page.locator('.understood').innerText();
  assert.match(said, /« usinage » : Décolletage \(25\.62A\), Mécanique industrielle \(25\.62B\)/);
  await shot('usinage-fr');
});

test('typing "chaudronnerie" lists the open boilermaker', async () => {
  await typeQuery('chaudronnerie');
  await page.locator(`.result[data-siret="${CUVE}"]`).waitFor();
  assert.equal((await sirets())[0], CUVE);
  assert.ok(!(await sirets()).includes(OLD), 'the closed one is not listed by default');
  await shot('chaudronnerie-fr');
});

test('typing the postcode 13100 lists the establishments of its communes, and names them', async () => {
  await typeQuery('13100');
  await page.locator(`.result[data-siret="${PAIN}"]`).waitFor();
  const found = await sirets();
  for (const s of [PREC, CUVE, PAIN]) assert.ok(found.includes(s), `${s} in ${found}`);
  for (const meta of await communes()) assert.match(meta, /Aix-en-Provence|Beaurecueil|Saint-Antonin|Saint-Marc|Tholonet/);
  assert.match(await page.locator('.understood').innerText(),
    /Code postal 13100 : Aix-en-Provence, Beaurecueil, Saint-Antonin-sur-Bayon, Saint-Marc-Jaumegarde, Le Tholonet/);
  await shot('13100-fr');
});

test('a SIRET typed with spaces finds that establishment', async () => {
  await typeQuery('920 000 015 00015');
  await page.locator(`.result[data-siret="${PREC}"]`).waitFor();
  assert.deepEqual(await sirets(), [PREC]);
  assert.match(await page.locator('.understood').innerText(), /SIRET 920 000 015 00015/);
  await shot('siret-fr');
});

test('the start of a word is enough while typing: "méca" finds mécanique industrielle', async () => {
  await typeQuery('méca');
  await page.locator(`.result[data-siret="${PREC}"]`).waitFor();
  assert.ok((await sirets()).includes(PREC));
});

test('a misspelt trade says what was searched and offers the nearest trade, which searches it', async () => {
  await typeQuery('chaudronerie');
  const none = page.locator('.understood-none');
  await none.waitFor();
  assert.match(await none.innerText(), /Aucun établissement pour « chaudronerie »/);
  const offer = page.locator('.nearest button', { hasText: 'chaudronnerie' }).first();
  await offer.waitFor();
  assert.deepEqual(await axe(), []);
  await shot('nearest-fr');
  await offer.click();
  await page.locator(`.result[data-siret="${CUVE}"]`).waitFor();
  assert.equal(await page.locator('#q').inputValue(), 'chaudronnerie');
});

test('the commune box suggests names as one types and takes the one chosen', async () => {
  await page.goto(base + '/#/search');
  await page.locator('details.filters summary').click();
  await page.locator('#f-commune').pressSequentially('aix', { delay: 30 });
  await page.waitForFunction(() => [...document.querySelectorAll('#dl-commune option')]
    .some((o) => o.value === 'Aix-en-Provence (13001)'));
  assert.equal(await page.locator('#f-commune').getAttribute('list'), 'dl-commune');
  assert.deepEqual(await axe(), []);
  await page.locator('#f-commune').fill('Aix-en-Provence (13001)');
  await page.locator('#f-commune').press('Enter');
  await page.locator(`.result[data-siret="${CUVE}"]`).waitFor();
  for (const meta of await communes()) assert.match(meta, /Aix-en-Provence/);
  await shot('commune-fr');
});

test('the activity box takes a trade word, and the département box a name', async () => {
  await page.goto(base + '/#/search?' + new URLSearchParams({ naf: 'chaudronnerie', dep: 'Bouches-du-Rhône' }));
  await page.locator(`.result[data-siret="${CUVE}"]`).waitFor();
  assert.deepEqual(await sirets(), [CUVE]);
  assert.ok(!(await sirets()).includes(OLD), 'a closed establishment is not listed by default');
});

test('after an error nothing of the previous search stays on screen (facets, results)', async () => {
  await typeQuery('fixture');
  await page.locator('.facet-groups').waitFor();
  await page.locator('details.filters summary').click();
  await page.locator('#f-commune').fill('Saint-Denis');
  await page.locator('#f-commune').press('Enter');
  await page.locator('.error').waitFor();
  assert.match(await page.locator('.error').innerText(), /Saint-Denis \(93066, Seine-Saint-Denis\)/);
  assert.equal(await page.locator('.facet-groups').count(), 0, 'no stale facets');
  assert.equal(await page.locator('#results .result').count(), 0, 'no stale results');
  await shot('error-fr');
});

test('in English and on a phone the search page says the same, and no page scrolls sideways', async () => {
  await page.goto(base + '/#/search');
  await page.click('#lang');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await typeQuery('13100');
  await page.locator(`.result[data-siret="${PAIN}"]`).waitFor();
  assert.match(await page.locator('.understood').innerText(), /Postcode 13100: Aix-en-Provence/);
  await shot('13100-en');
  await page.setViewportSize({ width: 390, height: 844 });
  for (const lang of ['en', 'fr']) {
    await typeQuery('usinage');
    await page.locator(`.result[data-siret="${PREC}"]`).waitFor();
    const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scroll <= width, `content ${scroll} px wide in a ${width} px window`);
    await shot(`usinage-phone-${lang}`);
    if (lang === 'en') await page.click('#lang');
  }
  await page.setViewportSize({ width: 1366, height: 900 });
});
