// campaign.test.mjs — a programme's interview campaign in Debian's Chromium
// at a tablet's viewport (issue 13, item 2), as a consultant uses it during
// a visit: the planned visits and the engineering budget, the suggested
// firms with their reasons and sources (one put on the list), the interview
// form opened on a planned visit (the visit done, its days consumed, the
// synthesis updated) and a project detected there, a roadmap action added and done, the roadmap's PDF
// and Word links; nothing wider than the tablet; English with the switch.
// Screenshots go to build/test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, SHOTS } from './support.mjs';

const NEAR = '91000002500015';
const ASM = '91000001700012';
const PRIV = '91000006600019';
let env, base, page;

before(async () => {
  env = await start({
    prepare: (mk) => {
      mk('programme', 'add', 'Rebond tablette', '--territory', '13', '--envelope', 'subsidy=1000000');
      mk('campaign', 'add', '1', '--name', 'Vague 1', '--start', '2026-01-05', '--end', '2026-03-31');
      mk('campaign', 'budget', '1', '--days', '5');
      mk('campaign', 'firm', 'add', '1', '--siret', ASM, '--reason', 'signalée par la CCI');
      mk('campaign', 'visit', '1', '--siret', ASM, '--date', '2026-01-12', '--time', '09:30', '--consultant', 'A. Martin');
    },
  });
  ({ base, page } = env);
  await page.setViewportSize({ width: 820, height: 1180 });
});

after(async () => {
  await env?.stop();
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const card = (siret) => page.locator(`.camp-firm[data-siret="${siret}"]`);

test('at a tablet\'s width: the planned visit, the budget, the suggested firms with their reasons and sources', async () => {
  await page.goto(`${base}/#/programme/1`);
  await card(ASM).waitFor();
  const visit = await card(ASM).innerText();
  assert.match(visit, /visite planifiée/);
  assert.match(visit, /Visite le .*09:30 — A\. Martin/);
  assert.match(await page.locator('#camp-engineering').innerText(), /budget 5 j, consommés 0 j, réservés 1 j, restants 4 j/);
  await page.locator('#camp-suggest').click();
  await page.locator('.camp-suggestion').first().waitFor();
  const sugg = await page.locator('#camp-suggestions').innerText();
  assert.match(sugg, /Taille/);
  assert.match(sugg, /source : SIRENE, tranche d’effectif/);
  assert.match(sugg, /50 à 99 salariés/);
  assert.ok(!sugg.includes(PRIV), 'never an establishment of restricted diffusion');
  await page.locator(`.camp-suggestion[data-siret="${NEAR}"] .camp-add-suggested`).click();
  await card(NEAR).waitFor();
  assert.match(await card(NEAR).innerText(), /à contacter/);
  assert.ok(!(await page.locator('#camp-visits').innerText()).includes('null'), 'no stray value in the page');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 820, `nothing wider than the tablet (${wide}px)`);
  await shot('campaign-tablet-list');
});

test('the interview form opened on the planned visit: the visit done, its days consumed, the synthesis updated', async () => {
  await page.goto(`${base}/#/programme/1`);
  await card(ASM).locator('.camp-interview').click();
  const f = page.locator('#prog-interview-form');
  assert.equal(await f.locator('input[name=siret]').inputValue(), ASM);
  assert.match(await page.locator('#prog-interview-visit').innerText(), /Entretien de la visite de ASSEMBLAGE/);
  await f.locator('select[name=score_skills]').selectOption('3');
  await f.locator('select[name=score_export]').selectOption('2');
  await f.locator('input[value=key_customer]').check();
  await f.locator('textarea[name=notes]').fill('Carnet de commandes dépendant d’un client');
  await f.locator('button[type=submit]').click();
  await f.getByText('Entretien enregistré.').waitFor();
  await card(ASM).locator('.camp-status-done').waitFor();
  assert.match(await page.locator('#camp-engineering').innerText(), /consommés 1 j, réservés 0 j/);
  assert.match(await page.locator('#camp-synthesis').innerText(), /Entretiens : 1 · entreprises rencontrées : 1/);
  assert.match(await page.locator('#camp-synthesis').innerText(), /Compétences et recrutement \(1\)/);
  // A project detected during the visit, recorded on the interview: in the pipeline, in the synthesis.
  const p = page.locator('#camp-detected-form');
  await p.locator('input[name=title]').fill('Prospection export Italie');
  await p.locator('select[name=type]').selectOption('export');
  await p.locator('input[name=cost]').fill('120000');
  await p.locator('button[type=submit]').click();
  await p.getByText('Projet « Prospection export Italie » ajouté au pipeline.').waitFor();
  await page.locator('.prog-col[data-stage="detected"]').getByText('Prospection export Italie').waitFor();
  await page.locator('#camp-synthesis').getByText('Projets détectés pendant les visites : 1').waitFor();
  await shot('campaign-tablet-interview');
});

test('a roadmap action added and done; the roadmap in PDF and Word', async () => {
  await page.goto(`${base}/#/programme/1`);
  const f = page.locator('#camp-action-form');
  await f.locator('input[name=title]').fill('Monter un groupement d’employeurs');
  await f.locator('input[name=owner]').fill('Agence');
  await f.locator('select[name=need]').selectOption('skills');
  await f.locator('button[type=submit]').click();
  const row = page.locator('.camp-action-table tbody tr').filter({ hasText: 'groupement' });
  await row.waitFor();
  assert.match(await row.innerText(), /Agence\s+—\s+à faire\s+Compétences et recrutement/);
  await row.locator('.camp-action-toggle').click();
  await page.locator('.camp-action-table tbody tr').filter({ hasText: 'fait' }).first().waitFor();
  const pdf = await page.locator('#camp-roadmap-pdf').getAttribute('href');
  assert.equal(pdf, '/api/v1/programmes/1/roadmap.pdf');
  const res = await page.request.get(base + pdf);
  assert.equal(res.status(), 200);
  assert.equal((await res.body()).subarray(0, 4).toString(), '%PDF');
  const docx = await page.request.get(base + await page.locator('#camp-roadmap-docx').getAttribute('href'));
  assert.equal(docx.status(), 200);
  assert.equal((await docx.body()).subarray(0, 2).toString(), 'PK', 'a zip package');
  await shot('campaign-tablet-roadmap');
});

test('in English with the switch', async () => {
  await page.goto(`${base}/#/programme/1`);
  await card(ASM).waitFor();
  await page.locator('#lang').click();
  await page.locator('#prog-campaigns h2').getByText('Interview campaigns and roadmap').waitFor();
  await page.locator('#camp-engineering').getByText(/Engineering: budget 5 d/).waitFor();
  await page.locator('#lang').click();
});
