// history.test.mjs — the firm's history on its page in Debian's Chromium, as
// an agency officer uses it: the timeline newest first in French (English
// with the switch), what people wrote shown as text and never as markup, an
// interaction, a follow-up, a contact and a document added through the forms,
// a follow-up marked done, a disguised page refused with a message in French.
// Screenshots go to build/test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { start, SHOTS } from './support.mjs';

const ASM = '91000001700012'; // car assembler (tests/data/README.md)
const MARKUP = '<img src=x onerror="window.pwned=1">';
let env, base, page;

before(async () => {
  env = await start({
    prepare: (mk, dir) => {
      mk('contact', 'add', ASM, '--name', `Jeanne ${MARKUP}`, '--position', 'Directrice achats',
        '--basis', 'intérêt légitime : suivi du projet');
      mk('note', 'add', ASM, '--kind', 'visit', '--date', '2026-03-02', '--text', `Visite ${MARKUP}\nligne 2`,
        '--contact', '1');
      mk('followup', 'add', ASM, '--what', 'Envoyer la liste des fournisseurs', '--due', '2020-01-15');
      writeFileSync(join(dir, 'cr.pdf'), '%PDF-1.4\n% compte rendu\n');
      mk('doc', 'add', ASM, join(dir, 'cr.pdf'), '--name', 'Compte rendu.pdf');
    },
  });
  ({ base, page } = env);
});

after(async () => {
  await env?.stop();
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const timeline = () => page.locator('#hist-timeline');

test('the firm page shows its history: timeline newest first, contacts, follow-ups, documents, in French', async () => {
  await page.goto(`${base}/#/firm/${ASM}`);
  await timeline().waitFor();
  const title = await page.locator('#history-title').innerText();
  assert.equal(title, 'Suivi de l’entreprise');
  const items = await timeline().locator('li').allInnerTexts();
  assert.ok(items.length >= 5, items.join('\n'));
  assert.match(items.at(-1), /Création de l’établissement/, 'the oldest last: the SIRENE creation');
  const visit = items.find((x) => x.includes('Visite') && x.includes('Échange'));
  assert.ok(visit, items.join('\n'));
  assert.match(visit, /2 mars 2026/);
  assert.match(await page.locator('#hist-followups').innerText(), /en retard/);
  assert.match(await page.locator('#hist-documents').innerText(), /Compte rendu\.pdf/);
  await shot('history-timeline');
});

test('what people wrote is shown as text, never as markup', async () => {
  await page.goto(`${base}/#/firm/${ASM}`);
  await timeline().waitFor();
  assert.equal(await page.locator('#history img').count(), 0, 'no element made from the text');
  assert.ok((await timeline().innerText()).includes(MARKUP), 'the text itself is there');
  assert.ok((await page.locator('#hist-contacts').innerText()).includes(`Jeanne ${MARKUP}`));
  assert.equal(await page.evaluate(() => window.pwned), undefined);
});

test('an interaction and a follow-up added through the forms appear in the timeline; a follow-up is marked done', async () => {
  await page.goto(`${base}/#/firm/${ASM}`);
  await timeline().waitFor();
  await page.locator('#history details').evaluate((d) => { d.open = true; });
  const f = page.locator('#hist-add-interaction');
  await f.locator('select').selectOption('call');
  await f.locator('input[type=date]').fill('2026-11-02');
  await f.locator('textarea').fill('Appel : besoin de sous-traitants en usinage');
  await f.locator('.hist-checks input').first().check();
  await f.locator('button[type=submit]').click();
  await timeline().locator('li', { hasText: 'besoin de sous-traitants' }).waitFor();
  const call = await timeline().locator('li', { hasText: 'besoin de sous-traitants' }).innerText();
  assert.match(call, /Appel/);
  assert.match(call, /Avec\s:\sJeanne/);

  const g = page.locator('#hist-add-followup');
  await g.locator('input[type=text]').first().fill('Proposer une visite du réseau');
  await g.locator('input[type=date]').fill('2099-06-30');
  await g.locator('button[type=submit]').click();
  await page.locator('#hist-followups li', { hasText: 'Proposer une visite' }).waitFor();
  const late = page.locator('#hist-followups li', { hasText: 'Envoyer la liste' });
  await late.locator('button').click();
  // Done once its button offers to undo it ("faite" alone is also in "Marquer comme faite").
  await page.locator('#hist-followups li', { hasText: 'Envoyer la liste' }).locator('button', { hasText: 'Remettre à faire' }).waitFor();
  assert.doesNotMatch(await page.locator('#hist-followups').innerText(), /en retard/);
  await shot('history-forms');
});

test('a contact and a document added through the forms; a page disguised as a PDF is refused in French', async () => {
  await page.goto(`${base}/#/firm/${ASM}`);
  await timeline().waitFor();
  await page.locator('#history details').evaluate((d) => { d.open = true; });
  const c = page.locator('#hist-add-contact');
  await c.locator('input[type=text]').first().fill('Paul Martin');
  await c.locator('input[type=email]').fill('paul.martin@example.fr');
  await c.locator('button[type=submit]').click();
  await page.locator('#hist-contacts li', { hasText: 'Paul Martin' }).waitFor();

  const d = page.locator('#hist-add-document');
  await d.locator('input[type=file]').setInputFiles({ name: 'devis.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% devis\n') });
  await d.locator('button[type=submit]').click();
  await page.locator('#hist-documents li', { hasText: 'devis.pdf' }).waitFor();
  const link = page.locator('#hist-documents a', { hasText: 'devis.pdf' });
  assert.equal(await link.getAttribute('download'), '');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'devis.pdf');

  await d.locator('input[type=file]').setInputFiles({ name: 'piege.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>alert(1)</script></html>') });
  await d.locator('button[type=submit]').click();
  const err = d.locator('.hist-error');
  await err.locator('*').first().waitFor();
  assert.match(await err.innerText(), /ne peuvent pas être traitées/);
  assert.equal(await page.locator('#hist-documents li', { hasText: 'piege.pdf' }).count(), 0);
});

test('the English switch translates the history', async () => {
  await page.goto(`${base}/#/firm/${ASM}`);
  await timeline().waitFor();
  await page.click('#lang');
  await page.locator('#history-title', { hasText: 'Follow-up of the firm' }).waitFor();
  await timeline().waitFor();
  const text = await timeline().innerText();
  assert.match(text, /Establishment created/);
  assert.match(text, /Interaction/);
  await page.click('#lang'); // back to French for whoever comes next
});
