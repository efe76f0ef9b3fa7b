// programme.test.mjs — a programme's dashboard in Debian's Chromium (issue
// 13), as a programme team uses it: the envelopes' positions in euros, the
// pipeline board with a column per stage, a card moved one stage on, a
// project added through the form, a decision beyond a rule refused
// with the server's reason, the ledger; titles people wrote shown as text;
// English with the switch. Screenshots go to build/test-artifacts/.
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
      mk('programme', 'add', 'Rebond navigateur', '--envelope', 'subsidy=1000000', '--envelope', 'advance=500000:revolving');
      mk('project', 'add', '1', '--siret', NEAR, '--title', `Ligne ${MARKUP}`, '--cost', '400000', '--jobs', '5');
      mk('project', 'add', '1', '--siret', ASM, '--title', 'Extension', '--cost', '2000000');
      mk('project', 'decide', '2', '--subsidy', '250000', '--date', '2026-03-31');
      mk('ledger', 'pay', '2', '--amount', '100000', '--date', '2026-04-15');
    },
  });
  ({ base, page } = env);
});

after(async () => {
  await env?.stop();
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const column = (stage) => page.locator(`.prog-col[data-stage="${stage}"]`);

test('the dashboard shows the envelopes\' positions and a board with a column per stage, in French', async () => {
  await page.goto(`${base}/#/programme/1`);
  await page.locator('.prog-position').waitFor();
  assert.equal(await page.locator('h1').innerText(), 'Rebond navigateur');
  const row = await page.locator('.prog-position tbody tr').first().innerText();
  assert.match(row, /Subvention/);
  assert.match(row.replace(/\s/g, ''), /1000000,00€250000,00€100000,00€0,00€750000,00€/);
  assert.equal(await page.locator('.prog-col').count(), 13, 'one column per stage');
  assert.match(await column('detected').innerText(), /Ligne/);
  assert.match(await column('decided').innerText(), /Extension/);
  assert.equal(await page.locator('#prog-pipeline img').count(), 0, 'a title is text, never markup');
  assert.ok((await column('detected').innerText()).includes(MARKUP));
  assert.match(await page.locator('#prog-committee').innerText(), /Aucun projet à l’étape du comité/);
  const impact = await page.locator('.prog-impact').innerText();
  assert.match(impact, /Projets décidés\s+1/);
  assert.match(await page.locator('#prog-export').getAttribute('href'), /\/api\/v1\/programmes\/1\/export\.xlsx\?at=\d{4}-\d{2}-\d{2}/);
  const ledger = await page.locator('.prog-ledger tbody').innerText();
  assert.match(ledger, /Engagement/);
  assert.match(ledger, /Versement/);
  await shot('programme-dashboard');
});

test('a card moves one stage on; a project is added through the form', async () => {
  await page.goto(`${base}/#/programme/1`);
  await column('detected').locator('.prog-card').first().waitFor();
  await column('detected').locator('.prog-next').first().click();
  await column('qualified').locator('.prog-card').first().waitFor();
  assert.match(await column('qualified').innerText(), /Ligne/);
  const f = page.locator('#prog-project-form');
  await f.locator('input[name=siret]').fill('91000004100012');
  await f.locator('input[name=title]').fill('Atelier numérique');
  await f.locator('input[name=cost]').fill('80000');
  await f.locator('button[type=submit]').click();
  await column('detected').getByText('Atelier numérique').waitFor();
});

test('a decision beyond a rule is refused with the server\'s reason', async () => {
  await page.goto(`${base}/#/programme/1`);
  await page.locator('.prog-position').waitFor();
  const f = page.locator('#prog-decide-form');
  await f.locator('select[name=project]').selectOption('1');
  await f.locator('input[name=subsidy]').fill('750000.01');
  await f.locator('button[type=submit]').click();
  const alert = f.locator('[role=alert]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /^Refusé : the aid \(750000.01 euros\) exceeds the project's eligible expenses \(400000.00 euros\)/);
  await f.locator('input[name=subsidy]').fill('100000');
  await f.locator('button[type=submit]').click();
  await column('decided').getByText('Ligne', { exact: false }).waitFor();
  await shot('programme-decided');
});

test('an interview recorded through the form (as on a tablet) enters the synthesis', async () => {
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.goto(`${base}/#/programme/1`);
  await page.locator('#prog-synthesis p').first().waitFor();
  const f = page.locator('#prog-interview-form');
  await f.locator('input[name=siret]').fill(NEAR);
  await f.locator('select[name=score_skills]').selectOption('3');
  await f.locator('select[name=score_finance]').selectOption('2');
  await f.locator('input[value=succession]').check();
  await f.locator('textarea[name=notes]').fill(`Visite ${MARKUP}`);
  await f.locator('button[type=submit]').click();
  await f.getByText('Entretien enregistré.').waitFor();
  const syn = await page.locator('#prog-synthesis').innerText();
  assert.match(syn, /Entretiens : 1 · entreprises rencontrées : 1/);
  assert.match(syn, /Compétences et recrutement\s+3\s+1/);
  assert.match(syn, /Transmission\u00a0: 1/);
  await shot('programme-interview-tablet');
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('in English with the switch', async () => {
  await page.goto(`${base}/#/programme/1`);
  await page.locator('.prog-position').waitFor();
  await page.locator('#lang').click();
  await page.locator('#prog-pipeline h2').getByText('Projects by stage').waitFor();
  assert.match(await page.locator('.prog-position caption').innerText(), /computed from the ledger/);
  await page.locator('#lang').click();
});
