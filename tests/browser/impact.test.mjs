// impact.test.mjs — the Impact and Pôles sections of a programme's dashboard
// in Debian's Chromium (issue 13 parts 6, 7), as a programme team uses them:
// the indicators per programme and per project in euros, the follow-ups to
// collect, a follow-up recorded through the form that moves the indicators,
// the workbook's link; a collaborative project's partners, TRL history and,
// at TRL 6, the manufacturers suggested with why; names people wrote shown
// as text; English with the switch. Screenshots go to build/test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, SHOTS } from './support.mjs';

const NEAR = '91000002500015';
const ASM = '91000001700012';
const MARKUP = '<img src=x onerror="window.pwned=1">';
let env, base, page;

before(async () => {
  env = await start({
    prepare: (mk) => {
      mk('programme', 'add', 'Impact navigateur', '--territory', '13', '--envelope', 'subsidy=1000000', '--envelope', 'advance=500000');
      mk('project', 'add', '1', '--siret', NEAR, '--title', 'Ligne', '--cost', '400000', '--jobs', '5', '--jobs-kept', '10');
      mk('project', 'decide', '1', '--subsidy', '100000', '--advance', '100000', '--deferral', '6', '--instalments', '4', '--every', '6', '--date', '2025-01-15');
      mk('ledger', 'pay', '1', '--instrument', 'advance', '--amount', '100000', '--date', '2025-02-01');
      mk('ledger', 'repay', '1', '--instrument', 'advance', '--amount', '25000', '--date', '2025-07-15');
      mk('impact', 'milestones', '1', '6,12');
      mk('impact', 'record', '1', '--months', '6', '--jobs-created', '3', '--jobs-kept', '10', '--invested', '250000', '--date', '2025-07-20');
      mk('project', 'add', '1', '--siret', ASM, '--title', 'Capteur embarqué', '--type', 'collaborative_rd', '--cost', '900000');
      mk('project', 'partner', '2', '--name', `LAAS ${MARKUP}`, '--role', 'laboratoire');
      mk('project', 'trl', '2', '--level', '4', '--date', '2025-03-01', '--note', 'prototype');
      mk('project', 'trl', '2', '--level', '6', '--date', '2025-09-01');
      mk('project', 'needs', '2', '--text', 'usinage');
    },
  });
  ({ base, page } = env);
});

after(async () => {
  await env?.stop();
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

test('the Impact section: indicators in euros, follow-ups to collect, the workbook', async () => {
  await page.goto(`${base}/#/programme/1`);
  await page.locator('#imp-totals').waitFor();
  const totals = (await page.locator('#imp-totals').innerText()).replace(/\s/g, ' ');
  assert.match(totals, /Effet de levier réalisé \(€ privés par € public\) 0,25/);
  assert.match(totals.replace(/\u202f|\u00a0/g, ' '), /Aide publique par emploi 15 384,62 €/);
  assert.match(totals, /Emplois réalisés \(créés \+ maintenus\) 3 \+ 10/);
  const row = await page.locator('#imp-projects tbody tr').first().innerText();
  assert.match(row, /Ligne/);
  const due = await page.locator('#imp-due').innerText();
  assert.match(due, /12 mois/);
  assert.match(due, /en retard|à saisir/);
  assert.match(await page.locator('#imp-export').getAttribute('href'), /\/api\/v1\/programmes\/1\/impact\.xlsx\?at=\d{4}-\d{2}-\d{2}/);
  await shot('impact-section');
});

test('a follow-up recorded through the form moves the indicators', async () => {
  await page.goto(`${base}/#/programme/1`);
  await page.locator('#imp-totals').waitFor();
  const f = page.locator('#imp-record');
  await f.locator('select[name=project]').selectOption('1');
  await f.locator('select[name=months]').selectOption('12');
  await f.locator('input[name=date]').fill('2026-01-20');
  await f.locator('input[name=jobs_created]').fill('5');
  await f.locator('input[name=jobs_kept]').fill('11');
  await f.locator('input[name=invested]').fill('300000');
  await f.locator('button[type=submit]').click();
  await f.getByText('Suivi enregistré.').waitFor();
  await page.locator('#imp-totals').getByText('5 + 11').waitFor();
  assert.match((await page.locator('#imp-totals').innerText()).replace(/\s/g, ' '), /Effet de levier réalisé \(€ privés par € public\) 0,5/);
});

test('the Pôles section: partners as text, the TRL history, suggestions with why at TRL 6', async () => {
  await page.goto(`${base}/#/programme/1`);
  const card = page.locator('.imp-pole[data-project="2"]');
  await card.waitFor();
  const text = await card.innerText();
  assert.ok(text.includes(MARKUP), 'a partner\'s name is text');
  assert.equal(await card.locator('img').count(), 0, 'never markup');
  assert.match(text, /TRL 4 — .*prototype/);
  assert.match(text, /TRL actuel : 6 — proche de l’industrialisation/);
  await card.locator('.imp-suggest').click();
  await card.locator('.imp-suggestions li').first().waitFor();
  assert.match(await card.locator('.imp-suggestions').innerText(), /answers need \d+ \(«usinage»\)/);
  await shot('impact-poles');
});

test('in English with the switch', async () => {
  await page.goto(`${base}/#/programme/1`);
  await page.locator('#imp-totals').waitFor();
  await page.locator('#lang').click();
  await page.locator('#prog-impact-followup h2').getByText('Impact: following the funded projects').waitFor();
  await page.locator('#prog-poles h2').getByText('Poles: collaborative R&D projects').waitFor();
  await page.locator('#lang').click();
});
