// committee.test.mjs — the committee section of a programme's page in
// Debian's Chromium (issue 13 part 5): the meeting and its members, one
// sheet per project with every rule checked (✓ or ✗ and the server's
// finding), the envelopes before and after, the documents' links; a vote
// recorded, a grant refused by a rule with the server's reason, a grant and
// a refusal recorded; titles people wrote shown as text; English with the
// switch. Screenshots go to build/test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, SHOTS } from './support.mjs';

const CATALOGUE = join(process.env.MAILLAGE_DATA || join(import.meta.dirname, '../../data'), 'schemes', 'dispositifs-aide-maillage.csv');

const NEAR = '91000002500015';
const ASM = '91000001700012';
const MARKUP = '<img src=x onerror="window.pwned=1">';
let env, base, page;

before(async () => {
  env = await start({
    prepare: (mk) => {
      mk('scheme', 'import', CATALOGUE);
      mk('programme', 'add', 'Rebond comité', '--envelope', 'subsidy=1000000:max=200000', '--envelope', 'advance=500000:revolving');
      mk('project', 'add', '1', '--siret', NEAR, '--title', `Ligne ${MARKUP}`, '--cost', '400000', '--ask-subsidy', '100000');
      mk('project', 'add', '1', '--siret', ASM, '--title', 'Extension', '--cost', '2000000', '--ask-subsidy', '300000');
      for (const id of ['1', '2'])
        for (const s of ['qualified', 'routed', 'applied', 'instructed', 'committee']) mk('project', 'move', id, s);
      mk('committee', 'add', '1', '--date', '2026-03-31', '--place', 'Hôtel de Région',
        '--member', 'Anne Martin|Région Sud|présidente', '--member', 'Paul Roux|Bpifrance|membre');
    },
  });
  ({ base, page } = env);
});

after(async () => {
  await env?.stop();
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const sheetOf = (project) => page.locator(`.com-sheet[data-project="${project}"]`);

test('the committee: members, one sheet per project with every rule checked, the documents', async () => {
  await page.goto(`${base}/#/programme/1`);
  await sheetOf(1).waitFor();
  const head = await page.locator('#com-show').innerText();
  assert.match(head, /Comité du 31 mars 2026 — Hôtel de Région/);
  assert.match(head, /Anne Martin \(Région Sud, présidente\)/);
  const one = await sheetOf(1).innerText();
  assert.ok(one.includes(MARKUP), 'a title is text');
  assert.equal(await page.locator('#com-show img').count(), 0, 'never markup');
  assert.match(one, /EQUIPEMENTIER PROCHE FIXTURE/);
  assert.match(one, /✓ Plafond par projet \(Subvention\) — the most one project may get from the subsidy envelope is 200000.00 euros; 100000.00 euros asked/);
  assert.match(one, /✓ De minimis/);
  const two = await sheetOf(2).innerText();
  assert.match(two, /✗ Plafond par projet \(Subvention\)/);
  assert.match((await sheetOf(1).locator('.com-envelopes tbody tr').first().innerText()).replace(/\s/g, ''),
    /1000000,00€100000,00€900000,00€/);
  for (const doc of ['pack', 'minutes', 'letters'])
    assert.equal(await page.locator(`a.com-pdf[data-doc=${doc}]`).getAttribute('href'), `/api/v1/committees/1/${doc}.pdf`);
  await shot('committee-agenda');
});

test('a vote, a grant refused by a rule with the reason, a grant and a refusal', async () => {
  await page.goto(`${base}/#/programme/1`);
  await sheetOf(1).waitFor();
  await sheetOf(1).locator('select[name=vote]').selectOption('for');
  await sheetOf(1).locator('button.com-vote').click();
  await sheetOf(1).getByText('Votes : pour 1, contre 0, abstention 0').waitFor();
  await sheetOf(2).locator('button.com-grant').click();
  const alert = page.locator('#prog-committees [role=alert]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /^Refusé : the most one project may get from the subsidy envelope is 200000.00 euros; 300000.00 euros asked/);
  await sheetOf(1).locator('button.com-grant').click();
  await sheetOf(1).locator('.com-decision').getByText('Accordé').waitFor();
  await sheetOf(2).locator('input[name=reason]').fill('Plafond par projet dépassé');
  await sheetOf(2).locator('button.com-refuse').click();
  await sheetOf(2).locator('.com-decision').getByText('Refusé').waitFor();
  assert.match(await sheetOf(2).locator('.com-decision').innerText(), /Plafond par projet dépassé/);
  assert.match(await page.locator('#com-list').innerText(), /2 projets, 2 décidés · tenu/);
  await shot('committee-held');
});

test('the schemes a project may be routed to, labelled as a starting catalogue to check; routing', async () => {
  await page.goto(`${base}/#/programme/1`);
  await sheetOf(1).waitFor();
  assert.match(await page.locator('#prog-schemes .scheme-note').innerText(), /Catalogue de départ rédigé par l’équipe maillage \(non officiel\)/);
  await page.locator('#scheme-project').selectOption('1');
  const item = page.locator('.scheme-item', { hasText: 'Bpifrance — Prêt Vert' });
  await item.waitFor();
  assert.match(await item.innerText(), /éligible/);
  assert.match(await item.innerText(), /rempli — the scheme is for firms/);
  assert.equal(await item.locator('a').getAttribute('href'), 'https://www.bpifrance.fr/catalogue-offres/transition-ecologique-et-energetique/pret-vert');
  await item.locator('button.scheme-route').click();
  await item.getByText('Orienté').waitFor();
  await shot('committee-schemes');
});

test('in English with the switch', async () => {
  await page.goto(`${base}/#/programme/1`);
  await sheetOf(1).waitFor();
  await page.locator('#lang').click();
  await page.locator('#com-show').getByText('Committee of', { exact: false }).first().waitFor();
  assert.match(await page.locator('a.com-pdf[data-doc=minutes]').innerText(), /Minutes \(PDF\)/);
  await page.locator('#lang').click();
});
