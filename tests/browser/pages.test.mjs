// pages.test.mjs — the firm page and the territory page in Debian's Chromium,
// as an agency officer uses them: the identity first (as the Annuaire des
// Entreprises shows it), verdicts that stay recorded after a reload and can be
// undone, notes with their author, errors in French; the territory's figures
// with their shares, charts, sources and exports. Screenshots go to
// build/test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, SHOTS } from './support.mjs';

const ASM = '91000001700012'; // car assembler, company 910000017 (SAS, ETI)
const SAMECO = '91000001700020'; // the other establishment of the same company
const NEAR = '91000002500015'; // car-parts maker 2.7 km away
const SOLO = '91000004100012'; // one-person car-parts maker 1.7 km away
const PRIV = '91000006600019'; // statut P
const AMP = '200054807';
let env, dir, base, page;

before(async () => {
  env = await start();
  ({ dir, base, page } = env);
});

after(async () => {
  await env?.stop();
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const suggestion = (siret) => page.locator(`#sugg-panel .suggestion[data-siret="${siret}"]`);

test('the firm page starts with the identity: spaced SIRET, activity, legal form in words, category, the Annuaire link', async () => {
  await page.goto(`${base}/#/firm/${ASM}`);
  const id = page.locator('#identity');
  await id.waitFor();
  const text = await id.innerText();
  assert.match(text, /910 000 017 00012/, 'the SIRET is spaced as 3-3-3-5');
  assert.match(text, /Construction de véhicules automobiles \(29\.10Z\)/);
  assert.match(text, /SAS, société par actions simplifiée \(5710\)/);
  assert.match(text, /ETI \(entreprise de taille intermédiaire\)/);
  const href = await id.locator('a.external').getAttribute('href');
  assert.equal(href, `https://annuaire-entreprises.data.gouv.fr/etablissement/${ASM}`);
  // The identity comes before the sector table and the suggestions in reading order.
  const order = await page.evaluate(() => ['identity', 'sector', 'suggestions', 'other-establishments']
    .map((id) => document.getElementById(id)).map((el) => el && el.getBoundingClientRect().top + window.scrollY));
  assert.ok(order.every((y) => y !== null), `every section is there: ${order}`);
  assert.ok(order[0] < order[1] && order[1] < order[2], `identity, then sector, then suggestions: ${order}`);
});

test('the firm page lists the other establishments of its company, with links', async () => {
  await page.goto(`${base}/#/firm/${ASM}`);
  const link = page.locator(`#other-establishments a[href="#/firm/${SAMECO}"]`);
  await link.waitFor();
  assert.equal(await page.locator(`#other-establishments a[href="#/firm/${ASM}"]`).count(), 0, 'not itself');
});

test('an accepted suggestion still shows as accepted after a reload, with its author, and can be undone', async () => {
  await page.goto(`${base}/#/firm/${ASM}`);
  await page.fill('#verdict-author', 'Claire Martin');
  await page.locator('#verdict-author').dispatchEvent('change');
  const item = suggestion(SOLO);
  await item.waitFor();
  await item.locator('button.accept').click();
  await page.locator(`#links li.link[data-supplier="${SOLO}"]`).waitFor();
  await page.reload();
  await suggestion(SOLO).waitFor();
  await page.waitForFunction((s) => document.querySelector(`#sugg-panel .suggestion[data-siret="${s}"]`)?.classList.contains('is-accepted'), SOLO);
  assert.match(await suggestion(SOLO).locator('.verdict-status').innerText(), /Lien enregistré\. par Claire Martin/);
  assert.equal(await suggestion(SOLO).locator('button.accept').isHidden(), true, 'no second accept');
  await shot('pages-01-firm-accepted');
  await suggestion(SOLO).locator('button.undo').click();
  await page.waitForFunction((s) => !document.querySelector(`#sugg-panel .suggestion[data-siret="${s}"]`)?.classList.contains('is-accepted'), SOLO);
  assert.match(await page.locator('.live').innerText(), /Décision annulée/);
  await page.reload();
  await suggestion(SOLO).waitFor();
  assert.equal(await suggestion(SOLO).locator('button.accept').isVisible(), true, 'offered again after the undo');
  assert.equal(await page.locator(`#links li.link[data-supplier="${SOLO}"]`).count(), 0);
});

test('a rejected suggestion can be undone from the known links: it is suggested again', async () => {
  await page.goto(`${base}/#/firm/${ASM}`);
  await suggestion(NEAR).waitFor();
  await suggestion(NEAR).locator('button.reject').click();
  await suggestion(NEAR).waitFor({ state: 'detached' });
  const rejected = page.locator(`#links li.link[data-supplier="${NEAR}"]`);
  await rejected.waitFor();
  await rejected.locator('button.undo').click();
  await suggestion(NEAR).waitFor();
  await page.reload();
  await suggestion(NEAR).waitFor();
});

test('a note is saved with its author and listed with the known links', async () => {
  await page.goto(`${base}/#/firm/${ASM}`);
  await page.fill('#verdict-author', 'Claire Martin');
  await page.locator('#verdict-author').dispatchEvent('change');
  const item = suggestion(NEAR);
  await item.waitFor();
  await item.locator('details.note summary').click();
  await item.locator('details.note textarea').fill('Rencontré au salon, à rappeler en janvier');
  await item.locator('button.note-save').click();
  const note = page.locator('#links li.link', { hasText: 'à rappeler en janvier' });
  await note.waitFor();
  assert.match(await note.innerText(), /par Claire Martin/);
  await shot('pages-02-firm-note');
});

test('an error speaks French: the page of an establishment with restricted diffusion says why, the English detail folded away', async () => {
  await page.goto(`${base}/#/firm/${PRIV}`);
  const box = page.locator('.error').first();
  await box.waitFor();
  const visible = await box.evaluate((el) => [...el.childNodes].filter((n) => n.nodeName !== 'DETAILS').map((n) => n.textContent).join(' '));
  assert.match(visible, /ne pas être diffusé \(statut P\)/);
  assert.doesNotMatch(visible, /Restricted|restricted|Invalid|Not found/, `French only: ${visible}`);
  assert.equal(await box.locator('details').count(), 1, 'the technical detail is folded in a <details>');
  await shot('pages-03-error-fr');
});

test('the territory page gives every figure with its share, the A10, A38 and size tables with bars, and its sources', async () => {
  await page.goto(`${base}/#/territory/${AMP}`);
  await page.locator('#table-a38').waitFor();
  const stats = await page.locator('.stats').first().innerText();
  assert.match(stats, /Population/);
  assert.match(stats, /%/, 'shares beside counts');
  for (const id of ['#table-a10', '#table-a38', '#table-size']) {
    const rows = page.locator(`${id} tbody tr`);
    assert.ok(await rows.count() >= 1, `${id} has rows`);
    assert.equal(await page.locator(`${id} tbody tr svg.bar`).count(), await rows.count(), `${id}: a bar on every row`);
  }
  // Counts under 3 are never shown in a cell.
  const cells = await page.locator('table.shares td.num').allInnerTexts();
  for (const c of cells) {
    const n = Number(c.replace(/[\s\u202f\u00a0]/g, ''));
    if (/^[\d\s\u202f\u00a0]+$/.test(c)) assert.ok(n === 0 || n >= 3, `a count under 3: ${c}`);
  }
  // Percentages are French: a decimal comma and a space before %.
  const shares = await page.locator('#table-a10 tbody td.num:nth-child(4)').allInnerTexts();
  assert.ok(shares.length > 0 && shares.every((s) => /^(< )?\d+,\d[\u202f\u00a0]%$/.test(s)), shares.join(' | '));
  const sources = await page.locator('.sources').innerText();
  assert.match(sources, /SIRENE/);
  assert.match(sources, /Populations légales 2023/);
  await shot('pages-04-territory');
});

test('the territory exports download as files named after the territory and the day', async () => {
  await page.goto(`${base}/#/territory/${AMP}`);
  await page.locator('#territory-export-csv').waitFor();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#territory-export-csv')]);
  assert.match(csv.suggestedFilename(), new RegExp(`^territoire-${AMP}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const file = join(dir, 'territory.csv');
  await csv.saveAs(file);
  const text = readFileSync(file, 'utf8');
  assert.equal(text.charCodeAt(0), 0xfeff);
  assert.match(text, /"Établissements ouverts";\d+/);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#territory-export-xlsx')]);
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
});

test('the territory page gives its diagnosis: estimated jobs, no base it cannot stand behind, years; the level can be changed', async () => {
  await page.goto(`${base}/#/territory/${AMP}`);
  await page.locator('#ind-base').waitFor();
  const section = await page.locator('section.indicators').innerText();
  assert.match(section, /Diagnostic du territoire/);
  assert.match(section, /Emplois salariés estimés/);
  // The fixtures cover a few communes: no territory to compare with, and the page says why.
  assert.match(await page.locator('#ind-base').innerText(), /Pas de territoire de comparaison/);
  assert.equal(await page.locator('#table-specialisations').count(), 0, 'no quotient without a base');
  await page.selectOption('#ind-level', 'A10');
  await page.locator('#ind-base').waitFor();
  assert.match(await page.locator('section.indicators').innerText(), /Emplois salariés estimés/);
  await shot('pages-04b-territory-diagnosis');
});

test('the rankings page ranks the EPCI of the Bouches-du-Rhône, each score explained, and ranks again when a weight moves', async () => {
  await page.goto(`${base}/#/rank`);
  await page.locator('#table-rank tbody tr').first().waitFor();
  assert.equal(await page.locator('#table-rank tbody tr').count(), 4, 'the 4 EPCI of département 13');
  const first = await page.locator('#table-rank tbody tr').first().innerText();
  assert.match(first, /Métropole d'Aix-Marseille-Provence/, 'the one with establishments in the fixtures comes first');
  assert.match(first, /Territoire d’industrie ti-9301/);
  assert.match(first, /Part de l’industrie dans l’emploi|Part de l'industrie dans l'emploi/);
  assert.match(await page.locator('#rank-missing').innerText(), /Seuls 1 des 4/);
  // All weights to 0: the page asks for one.
  for (const id of await page.locator('.sliders input[type=range]').evaluateAll((xs) => xs.map((x) => x.id)))
    await page.locator('#' + id).fill('0');
  await page.locator('#rank-no-weight').waitFor();
  assert.match(await page.locator('#rank-body').innerText(), /au moins un critère/);
  await page.locator('#w-jobs').fill('5');
  await page.locator('#table-rank').waitFor();
  assert.match(await page.locator('#table-rank tbody tr').first().innerText(), /Emplois salariés estimés/);
  await shot('pages-06-rankings');
});

test('a Territoire d\'industrie is chosen from the list; a perimeter is defined from codes and opened', async () => {
  await page.goto(`${base}/#/territory/${AMP}`);
  await page.locator('#perimeter-select optgroup').first().waitFor({ state: 'attached' });
  await page.selectOption('#perimeter-select', 'ti-9301');
  await page.waitForFunction(() => location.hash === '#/territory/ti-9301');
  await page.locator('h1', { hasText: 'Aix-Marseille-Provence' }).waitFor();
  await page.locator('#perimeter-define').evaluate((f) => { f.closest('details').open = true; });
  await page.fill('#per-name', 'Pays d’Aix (essai navigateur)');
  await page.fill('#per-members', '13001\n13071, 99999');
  await page.click('#perimeter-define button[type=submit]');
  await page.locator('#per-status.error').waitFor();
  assert.match(await page.locator('#per-status').innerText(), /99999/, 'the unknown code is named');
  await page.fill('#per-members', '13001\n13071');
  await page.click('#perimeter-define button[type=submit]');
  await page.waitForFunction(() => location.hash === '#/territory/p-pays-d-aix-essai-navigateur');
  await page.locator('h1', { hasText: 'Pays d’Aix (essai navigateur)' }).waitFor();
  assert.match(await page.locator('h1').innerText(), /Périmètre/);
});

test('a territory the imported files do not cover says so, without empty tables or a blank import date', async () => {
  await page.goto(`${base}/#/territory/69`);
  await page.locator('#territory-not-covered').waitFor();
  assert.match(await page.locator('#territory-not-covered').innerText(), /ne le couvrent pas/);
  assert.equal(await page.locator('table.shares').count(), 0, 'no empty table');
  assert.equal(await page.locator('#territory-export-csv').count(), 0, 'nothing to export');
  const sources = await page.locator('.sources').innerText();
  assert.doesNotMatch(sources, /importé le —|de \?/);
  assert.match(sources, /Populations légales 2023/);
});

test('the territory page in English at a phone width', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/#/territory/${AMP}`);
  await page.click('#lang');
  await page.locator('#table-a38').waitFor();
  assert.match(await page.locator('#table-a10 caption').innerText(), /Open establishments by broad sector/);
  const shares = await page.locator('#table-a10 tbody td.num:nth-child(4)').allInnerTexts();
  assert.ok(shares.every((s) => /^(< )?\d+\.\d%$/.test(s)), shares.join(' | '));
  await shot('pages-05-territory-en-phone');
  await page.click('#lang');
  await page.setViewportSize({ width: 1366, height: 900 });
});

test('the search results download as a French CSV named after the words and the day', async () => {
  await page.goto(`${base}/#/search?q=fixture`);
  await page.locator('#search-export-csv').waitFor();
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#search-export-csv')]);
  assert.match(csv.suggestedFilename(), /^recherche-fixture-\d{4}-\d{2}-\d{2}\.csv$/);
  const file = join(dir, 'search.csv');
  await csv.saveAs(file);
  const text = readFileSync(file, 'utf8');
  assert.equal(text.charCodeAt(0), 0xfeff);
  assert.match(text.split('\n')[0], /^\uFEFF"SIRET";"Établissement"/);
  assert.ok(!text.includes(PRIV), 'never a P establishment');
});
