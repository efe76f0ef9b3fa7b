// event.test.mjs — business conventions in Debian's Chromium, as an agency
// officer runs one: the organiser's view in French (participants, a
// suggested request accepted with one click, the schedule computed and
// proven optimal, the grid), names shown as text and never as markup, the
// English switch, and a participant's agenda through their personal link
// showing their meetings only. Screenshots go to build/test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, SHOTS, ROOT } from './support.mjs';

const ASM = '91000001700012', NEAR = '91000002500015', TOULON = '91000003300019';
const MARKUP = '<img src=x onerror="window.pwned=1">';
let env, base, page;
const links = {};

before(async () => {
  env = await start({
    prepare: (mk) => {
      mk('event', 'add', 'Convention de test', '--date', '2026-06-16', '--start', '09:00', '--slot-minutes', '20',
        '--slots', '4', '--tables', '2', '--two-sided');
      for (const [s, side] of [[ASM, 'A'], [NEAR, 'B'], [TOULON, 'B']])
        links[s] = JSON.parse(mk('event', 'participant', 'add', '1', s, '--side', side, '--json').toString()).link;
      links.guest = JSON.parse(mk('event', 'participant', 'add', '1', '--guest', `Mairie ${MARKUP}`, '--side', 'A',
        '--buyer', '--json').toString()).link;
      mk('event', 'request', 'add', '1', `Mairie ${MARKUP}`, NEAR, '--priority', 'must');
      mk('need', 'add', '--buyer', `Ville ${MARKUP}`, '--buyer-siret', '91000005800016', '--title', 'Navette électrique',
        '--cpv', '34144900', '--naf', '29.32Z', '--budget', '80000', '--commune', '13001');
    },
  });
  ({ base, page } = env);
});

after(async () => {
  await env?.stop();
});

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

test('the organiser accepts a suggestion, computes the schedule (proven optimal) and sees the grid, in French', async () => {
  await page.goto(`${base}/#/events`);
  await page.getByRole('link', { name: 'Convention de test' }).click();
  await page.getByRole('heading', { name: 'Demandes suggérées' }).waitFor();
  const sug = page.locator('li', { hasText: 'pourrait acheter à EQUIPEMENTIER PROCHE FIXTURE' });
  await sug.waitFor();
  assert.match(await sug.innerText(), /Fabrication d'autres équipements automobiles/, 'with its reason');
  await sug.getByRole('button', { name: 'Accepter' }).click();
  await page.locator('li', { hasText: 'ASSEMBLAGE AUTOMOBILE FIXTURE (A) ↔ EQUIPEMENTIER PROCHE FIXTURE (B)' }).waitFor();
  await page.getByRole('button', { name: 'Calculer le planning' }).click();
  await page.getByText('Optimal prouvé.').first().waitFor();
  assert.match(await page.getByRole('status').filter({ hasText: 'rendez-vous placés' }).innerText(), /2 rendez-vous placés.*vérification : passed/s);
  await page.getByRole('button', { name: 'Continuer' }).click();
  const grid = page.locator('table.ev-grid');
  await grid.waitFor();
  const cells = await grid.locator('td').allInnerTexts();
  assert.ok(cells.includes('ASSEMBLAGE AUTOMOBILE FIXTURE / EQUIPEMENTIER PROCHE FIXTURE'), cells.join('|'));
  assert.ok(cells.includes(`Mairie ${MARKUP} / EQUIPEMENTIER PROCHE FIXTURE`), 'a name with markup is text');
  assert.equal(await page.locator('main img').count(), 0, 'no element made from a name');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await shot('event-organiser');
});

test('the organiser\'s view says what past meetings teach the suggestions (none yet here)', async () => {
  await page.goto(`${base}/#/event/1`);
  await page.locator('.ev-learned', { hasText: 'Aucune rencontre tenue n’est encore enregistrée' }).waitFor();
});

test('the English switch translates the organiser\'s view', async () => {
  await page.goto(`${base}/#/event/1`);
  await page.getByRole('heading', { name: 'Demandes suggérées' }).waitFor();
  await page.locator('#lang').click();
  await page.getByRole('heading', { name: 'Suggested requests' }).waitFor();
  assert.equal(await page.locator('#nav-events').innerText(), 'Conventions');
  await page.getByRole('heading', { name: 'Meeting grid' }).or(page.getByText('Meeting grid')).first().waitFor();
  await page.locator('#lang').click();
});

test('a personal link shows that participant\'s meetings only', async () => {
  await page.goto(`${base}/#/agenda/${links[TOULON]}`);
  await page.getByRole('heading', { name: 'Agenda de EQUIPEMENTIER TOULON FIXTURE' }).waitFor();
  assert.match(await page.locator('main').innerText(), /pas encore publié|Aucun rendez-vous/);
  await page.goto(`${base}/#/agenda/${links[NEAR]}`);
  await page.getByRole('heading', { name: 'Agenda de EQUIPEMENTIER PROCHE FIXTURE' }).waitFor();
  const rows = await page.locator('main table tbody tr').allInnerTexts();
  assert.equal(rows.length, 2, rows.join('\n'));
  assert.ok(rows.some((r) => r.includes('ASSEMBLAGE AUTOMOBILE FIXTURE')) && rows.some((r) => r.includes(`Mairie ${MARKUP}`)));
  const text = await page.locator('main').innerText();
  assert.ok(!text.includes('TOULON'), 'nothing of the others');
  assert.ok(await page.getByRole('link', { name: 'Ajouter à mon agenda (.ics)' }).isVisible());
  await shot('event-agenda');
  await page.goto(`${base}/#/agenda/${'x'.repeat(43)}`);
  await page.getByRole('alert').waitFor();
});

test('after publication, a do-not-meet request and a new schedule: the participant\'s page shows the change until seen', async () => {
  await page.goto(`${base}/#/event/1`);
  await page.getByRole('button', { name: 'Publier le planning' }).click();
  await page.getByText(/Planning publié le/).waitFor();
  const form = page.locator('form', { hasText: 'Ajouter une demande' });
  await form.getByLabel('A', { exact: true }).fill(ASM);
  await form.getByLabel('B', { exact: true }).fill(NEAR);
  await form.getByLabel('Priorité').selectOption('avoid');
  await form.getByRole('button', { name: 'Ajouter' }).click();
  await page.locator('li', { hasText: 'ASSEMBLAGE AUTOMOBILE FIXTURE (A) ↔ EQUIPEMENTIER PROCHE FIXTURE (B) — à ne pas rencontrer' }).waitFor();
  await page.getByRole('button', { name: 'Calculer le planning' }).click();
  await page.getByText(/rendez-vous placés/).waitFor();
  await page.goto(`${base}/#/agenda/${links[NEAR]}`);
  const notice = page.locator('section.ev-changes');
  await notice.getByRole('heading', { name: 'Votre agenda a changé' }).waitFor();
  assert.match(await notice.innerText(), /Rendez-vous avec ASSEMBLAGE AUTOMOBILE FIXTURE annulé \(il était prévu \d\d:\d\d–\d\d:\d\d, Table \d\)/);
  const rows = await page.locator('main table tbody tr').allInnerTexts();
  assert.ok(!rows.some((r) => r.includes('ASSEMBLAGE')), 'the cancelled meeting is gone from the table');
  await shot('event-agenda-changes');
  await notice.getByRole('button', { name: 'J’ai pris connaissance de ces changements' }).click();
  await notice.waitFor({ state: 'detached' });
  await page.reload();
  await page.getByRole('heading', { name: 'Agenda de EQUIPEMENTIER PROCHE FIXTURE' }).waitFor();
  assert.equal(await page.locator('section.ev-changes').count(), 0, 'seen: the notice does not come back');
  assert.ok(await page.getByRole('link', { name: 'Mon agenda en PDF' }).isVisible());
});

test('the events pages have no WCAG 2 A/AA violation (axe-core)', async () => {
  const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  for (const path of ['/#/events', '/#/event/1', `/#/agenda/${links[NEAR]}`, '/#/needs', '/#/need/1']) {
    await page.goto(base + path);
    await page.waitForLoadState('networkidle');
    await page.evaluate(AXE);
    const v = await page.evaluate(async () =>
      (await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] })).violations.map(
        (x) => `${x.impact} ${x.id}: ${x.help} (${x.nodes.map((n) => n.target).join(' ')})`));
    assert.deepEqual(v, [], path);
  }
});

test('a buyer\'s need page: the route, the checklist ticked, the firms, the contract and its DECP record', async () => {
  await page.goto(`${base}/#/needs`);
  await page.getByRole('link', { name: 'Navette électrique' }).click();
  await page.getByText('L’achat innovant sans publicité ni mise en concurrence est possible.').waitFor();
  assert.ok((await page.locator('main').innerText()).includes(`Ville ${MARKUP}`), 'the buyer\'s name as text');
  assert.equal(await page.locator('main img').count(), 0);
  const firms = await page.locator('section', { hasText: 'Entreprises locales' }).locator('li').allInnerTexts();
  assert.ok(firms.some((f) => f.includes('EQUIPEMENTIER PROCHE FIXTURE') && f.includes('29.32Z')), firms.join('\n'));
  // Each box by its place (the page redraws from the server after each click:
  // "the first unchecked" could name another box between a click and the
  // redraw), and the next only once this tick is saved and drawn.
  for (let i = 0; i < 4; i++) {
    await page.locator('.nd-checklist input[type=checkbox]').nth(i).click();
    await page.waitForFunction((n) => document.querySelectorAll('.nd-checklist input[type=checkbox]:checked').length === n, i + 1);
  }
  await page.getByText('Le dossier est complet.').waitFor();
  await page.getByLabel('SIRET du titulaire').fill(NEAR);
  await page.getByLabel('Montant (€ HT)').fill('75000');
  await page.getByLabel('Date de notification').fill('2026-10-15');
  await page.getByLabel('Durée (mois)').fill('12');
  await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await page.getByRole('link', { name: 'Télécharger la donnée essentielle (DECP, JSON)' }).waitFor();
  await shot('need-page');
});

test('the buyer finds a CPV code by words on the need page (accents ignored) and sets it; its label is shown', async () => {
  await page.goto(`${base}/#/need/1`);
  await page.locator('.nd-cpv', { hasText: 'CPV 34144900-7 — Véhicules électriques' }).waitFor();
  await page.getByLabel('Trouver un code CPV').fill('entrepots construction');
  const pick = page.locator('.cpv-pick[data-code="45213000"]');
  await pick.waitFor();
  assert.ok((await page.locator('.cpv-results li').first().innerText()).includes('entrepôts'), 'French labels, accents kept');
  await pick.click();
  assert.equal(await page.locator('.nd-cpv-form input[name=cpv]').inputValue(), '45213000', 'the code goes in the field');
  await page.getByRole('button', { name: 'Enregistrer le code' }).click();
  await page.locator('.nd-cpv', { hasText: 'CPV 45213000-3 — Travaux de construction de locaux commerciaux' }).waitFor();
  await shot('need-cpv');
  await page.getByLabel('Trouver un code CPV').fill('zzzyx');
  await page.getByText('Aucun code CPV n’a ces mots.').waitFor();
  // the new-need form has the same finder
  await page.goto(`${base}/#/needs`);
  await page.getByLabel('Trouver un code CPV').fill('VEHICULES electriques');
  await page.locator('.cpv-pick[data-code="34144900"]').click();
  assert.equal(await page.locator('form input[name=cpv]').inputValue(), '34144900');
});
