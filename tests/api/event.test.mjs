// event.test.mjs — business conventions through the API (issue 14), on a
// database with accounts: an officer of one organisation makes an event,
// adds participants (an establishment with restricted diffusion refused),
// requests and suggested ones, schedules it (checked, proven optimal), locks
// a meeting, records an outcome; the personal agenda link shows one
// participant's meetings only, as JSON and iCalendar, to someone signed
// out; a viewer of a workspace partner reads but cannot change; another
// organisation cannot read the event at all. Every JSON answer is checked
// against its route's schema in the OpenAPI document.
// Run: node --test --test-reporter=tap tests/api/event.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { startServer, assertProblem, FIX, unzip } from './support.mjs';
import { accountsDb, cli, Client, signedIn, PASSWORD } from './account_support.mjs';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js').default;

const ASM = '91000001700012', NEAR = '91000002500015', TOULON = '91000003300019', PRIV = '91000006600019';
let env, srv, doc, ajv, officer, viewer, stranger, nobody;

before(async () => {
  env = accountsDb([['sirene', join(FIX, 'fixture_match.csv')]]);
  cli(env.db, ['org', 'add', 'Autre Agence', '--type', 'agency']);
  cli(env.db, ['user', 'add', '--org', 'Autre Agence', '--role', 'officer', 'officer@autre.example'], `${PASSWORD}\n`);
  srv = await startServer(env.db);
  doc = await (await fetch(`${srv.base}/api/v1/openapi.json`)).json();
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ ...doc, $id: 'openapi' });
  officer = await signedIn(srv.base, 'officer');
  viewer = await signedIn(srv.base, 'viewer');
  stranger = new Client(srv.base);
  assert.equal((await stranger.login('officer@autre.example')).status, 200);
  nobody = new Client(srv.base);
  await nobody.session();
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

const ptr = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** A call by `who`; a 2xx JSON answer is checked against its route's schema. */
async function call(who, method, pattern, path, body, status) {
  const r = await who.req(method, path, body);
  assert.equal(r.status, status, `${method} ${path}: ${r.text.slice(0, 300)}`);
  if (r.status < 300 && (r.headers.get('content-type') || '').startsWith('application/json')) {
    const ref = `openapi#/paths/${encodeURIComponent(ptr(pattern))}/${method.toLowerCase()}/responses/${r.status}/content/${encodeURIComponent(ptr('application/json'))}/schema`;
    const v = ajv.getSchema(ref) || ajv.compile({ $ref: ref });
    assert.ok(v(r.json), `${method} ${pattern} matches its schema: ${ajv.errorsText(v.errors)}`);
  }
  return r;
}

let ev, links = {};
const P = '/api/v1/events/{event}';

test('an officer makes a two-sided event and adds its participants', async () => {
  const r = await call(officer, 'POST', '/api/v1/events', '/api/v1/events', {
    name: 'Convention, acheteurs; fournisseurs', date: '2026-06-16', start: '09:00', slot_minutes: '20',
    slots: '4', tables: '2', two_sided: 'yes', breaks: '2:15', place: 'Aix',
  }, 201);
  ev = r.json.event.id;
  assert.deepEqual(r.json.event.slot_times.map((s) => s.start), ['09:00', '09:20', '09:55', '10:15']);
  for (const [siret, side] of [[ASM, 'A'], [NEAR, 'B'], [TOULON, 'B']]) {
    const p = await call(officer, 'POST', `${P}/participants`, `/api/v1/events/${ev}/participants`, { siret, side }, 201);
    assert.equal(p.json.link.length, 43, 'a personal link of 43 characters');
    links[siret] = p.json.link;
  }
  const g = await call(officer, 'POST', `${P}/participants`, `/api/v1/events/${ev}/participants`,
    { guest: 'Mairie de Test', buyer: 'yes', side: 'A', slots: '1-3', max_meetings: '2' }, 201);
  links.guest = g.json.link;
  const priv = await officer.req('POST', `/api/v1/events/${ev}/participants`, { siret: PRIV, side: 'B' });
  assertProblem({ label: 'restricted diffusion', status: priv.status }, 403, priv.headers, priv.text, /restricted diffusion/);
  const bad = await officer.req('POST', `/api/v1/events/${ev}/participants`, { guest: 'X', side: 'A', slots: '2-7' });
  assertProblem({ label: 'slots past the event', status: bad.status }, 400, bad.headers, bad.text, /slot 7 is past the event's 4 slots/);
});

test('suggestions carry their reasons; requests are refused when they break a rule', async () => {
  const s = await call(officer, 'GET', `${P}/suggestions`, `/api/v1/events/${ev}/suggestions`, undefined, 200);
  assert.equal(s.json.suggestions.length, 2);
  for (const x of s.json.suggestions) {
    assert.equal(x.a.siret, ASM);
    assert.ok(x.reason_fr.length > 20 && x.reason_en.length > 20, 'each with its reason');
    await call(officer, 'POST', `${P}/requests`, `/api/v1/events/${ev}/requests`,
      { a: String(x.a.id), b: String(x.b.id), reason: x.reason_fr }, 201);
  }
  await call(officer, 'POST', `${P}/requests`, `/api/v1/events/${ev}/requests`, { a: 'Mairie de Test', b: NEAR, priority: 'must' }, 201);
  const sellers = await officer.req('POST', `/api/v1/events/${ev}/requests`, { a: NEAR, b: TOULON });
  assertProblem({ label: 'two sellers', status: sellers.status }, 400, sellers.headers, sellers.text, /both on side B/);
  const unknown = await officer.req('POST', `/api/v1/events/${ev}/requests`, { a: ASM, b: '77' });
  assertProblem({ label: 'unknown participant', status: unknown.status }, 404, unknown.headers, unknown.text, /no participant '77'/);
});

test('the schedule is computed, checked, proven optimal and saved', async () => {
  const r = await call(officer, 'POST', `${P}/schedule`, `/api/v1/events/${ev}/schedule`, {}, 201);
  assert.equal(r.json.check, 'passed');
  assert.equal(r.json.optimal, true);
  assert.equal(r.json.meetings, 3);
  assert.equal(r.json.weight, r.json.upper_bound);
  await call(officer, 'POST', `${P}/lock`, `/api/v1/events/${ev}/lock`, { a: ASM, b: NEAR }, 201);
  const again = await call(officer, 'POST', `${P}/schedule`, `/api/v1/events/${ev}/schedule`, {}, 201);
  assert.equal(again.json.locked, 1, 'the locked meeting is kept');
  const show = await call(officer, 'GET', P, `/api/v1/events/${ev}`, undefined, 200);
  assert.equal(show.json.meetings.length, 3);
  assert.equal(show.json.grid.length, 4, 'one row a slot');
  const x = await officer.req('GET', `/api/v1/events/${ev}/grid.xlsx`);
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
});

test('a personal link shows that participant\'s meetings only, to someone signed out', async () => {
  const a = await call(nobody, 'GET', '/api/v1/agenda/{token}', `/api/v1/agenda/${links[TOULON]}`, undefined, 200);
  assert.equal(a.json.participant.siret, TOULON);
  assert.equal(a.json.meetings.length, 1);
  assert.ok(a.json.meetings.every((m) => m.with.siret === ASM), 'only its own meeting, with the assembler');
  assert.ok(!a.text.includes('Mairie de Test') && !a.text.includes(NEAR), 'nothing of the others\' meetings');
  const g = await call(nobody, 'GET', '/api/v1/agenda/{token}', `/api/v1/agenda/${links.guest}`, undefined, 200);
  assert.deepEqual(g.json.meetings.map((m) => m.with.siret), [NEAR]);
  const ics = await nobody.req('GET', `/api/v1/agenda/${links[TOULON]}/ics`);
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get('content-type'), /^text\/calendar/);
  assert.match(ics.text, /^BEGIN:VCALENDAR\r\n/);
  assert.equal((ics.text.match(/BEGIN:VEVENT/g) || []).length, 1);
  assert.match(ics.text, /X-WR-CALNAME:Convention\\, acheteurs\\; fournisseurs/);
  const wrong = await nobody.req('GET', `/api/v1/agenda/${'A'.repeat(43)}`);
  assertProblem({ label: 'unknown link', status: wrong.status }, 404, wrong.headers, wrong.text, /not valid/);
  // a new link replaces the old one
  const n = await call(officer, 'POST', `${P}/participants/{participant}/link`, `/api/v1/events/${ev}/participants/${TOULON}/link`, undefined, 201);
  assert.equal((await nobody.req('GET', `/api/v1/agenda/${links[TOULON]}`)).status, 404, 'the old link stops working');
  assert.equal((await nobody.req('GET', `/api/v1/agenda/${n.json.link}`)).status, 200);
  const own = await call(officer, 'GET', `${P}/agenda/{participant}`, `/api/v1/events/${ev}/agenda/${ASM}`, undefined, 200);
  assert.equal(own.json.meetings.length, 2);
  const oi = await officer.req('GET', `/api/v1/events/${ev}/agenda/${ASM}/ics`);
  assert.equal((oi.text.match(/BEGIN:VEVENT/g) || []).length, 2);
});

/** GET a PDF as `who`; its text by pdftotext -layout, and the answer. */
async function pdfText(who, path) {
  const h = {};
  if (Object.keys(who.cookies).length) h.cookie = who.cookieHeader();
  if (who.token) h.authorization = `Bearer ${who.token}`;
  const res = await fetch(who.base + path, { headers: h });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) return { status: res.status, headers: res.headers, text: bytes.toString() };
  const dir = mkdtempSync(join(tmpdir(), 'agenda-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), bytes);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
    return { status: res.status, headers: res.headers, bytes, text, flat: text.replace(/\s+/g, ' ') };
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

test('agendas as PDF: by the organiser, by the personal link, in French or English; the table plan', async () => {
  const j = await call(officer, 'GET', `${P}/agenda/{participant}`, `/api/v1/events/${ev}/agenda/${ASM}`, undefined, 200);
  const p = await pdfText(officer, `/api/v1/events/${ev}/agenda/${ASM}/pdf`);
  assert.equal(p.status, 200);
  assert.equal(p.headers.get('content-type'), 'application/pdf');
  assert.match(p.headers.get('content-disposition'), /agenda-assemblage-automobile-fixture-\d{4}-\d\d-\d\d\.pdf/);
  assert.equal(p.bytes.subarray(0, 5).toString(), '%PDF-');
  assert.ok(p.flat.includes('Agenda de ASSEMBLAGE AUTOMOBILE FIXTURE'), p.flat);
  assert.ok(p.flat.includes('Convention, acheteurs; fournisseurs'), 'the event');
  assert.ok(p.flat.includes('Le 16/06/2026, Aix'), 'the date and place');
  for (const m of j.json.meetings)
    assert.ok(p.flat.includes(`${m.start}-${m.end} ${m.table} ${m.with.name} ${m.with.commune.name}`), `meeting at ${m.start}: ${p.flat}`);
  assert.ok(p.flat.includes("Fabrication d'autres équipements automobiles — 29.32Z"), 'the other party\'s activity, accents kept');
  assert.ok(p.flat.includes('09:40-09:55 Pause'), 'the break after slot 2');
  const en = await pdfText(officer, `/api/v1/events/${ev}/agenda/${ASM}/pdf?lang=en`);
  assert.ok(en.flat.includes('Agenda of ASSEMBLAGE AUTOMOBILE FIXTURE') && en.flat.includes('09:40-09:55 Break'), en.flat);
  const bad = await officer.req('GET', `/api/v1/events/${ev}/agenda/${ASM}/pdf?lang=de`);
  assertProblem({ label: 'lang=de', status: bad.status }, 400, bad.headers, bad.text, /lang: 'fr' or 'en'/);
  const l = await pdfText(nobody, `/api/v1/agenda/${links.guest}/pdf`);
  assert.equal(l.status, 200, 'the personal link gives the PDF to someone signed out');
  assert.ok(l.flat.includes('Agenda de Mairie de Test') && l.flat.includes('EQUIPEMENTIER PROCHE FIXTURE'), l.flat);
  assert.ok(!l.flat.includes('EQUIPEMENTIER TOULON FIXTURE'), 'only its own meetings');
  const w = await nobody.req('GET', `/api/v1/agenda/${'A'.repeat(43)}/pdf`);
  assertProblem({ label: 'unknown link (pdf)', status: w.status }, 404, w.headers, w.text, /not valid/);
  assert.equal((await stranger.req('GET', `/api/v1/events/${ev}/agenda/${ASM}/pdf`)).status, 404, 'another organisation');
  assert.equal((await nobody.req('GET', `/api/v1/events/${ev}/plan.pdf`)).status, 401);
  const show = await call(officer, 'GET', P, `/api/v1/events/${ev}`, undefined, 200);
  const plan = await pdfText(viewer, `/api/v1/events/${ev}/plan.pdf`);
  assert.equal(plan.status, 200, 'a viewer reads the table plan');
  assert.ok(plan.flat.includes('Plan de tables — Convention, acheteurs; fournisseurs'), plan.flat);
  for (const m of show.json.meetings)
    assert.ok(plan.flat.includes(`Créneau ${m.slot} · ${m.start}-${m.end}`) && plan.flat.includes(`${m.table} ${m.a.name} ${m.b.name}`), `meeting ${m.request}`);
  const x = await officer.req('GET', `/api/v1/events/${ev}/grid.xlsx`);
  assert.equal(x.status, 200);
});

test('publication: a later change is noted per participant, shown in the agenda until seen; do-not-meet', async () => {
  const early = await officer.req('POST', `/api/v1/events/${ev}/changes`);
  assert.equal(early.status, 405, 'changes are read, not written');
  const none = await call(officer, 'GET', `${P}/changes`, `/api/v1/events/${ev}/changes`, undefined, 200);
  assert.equal(none.json.published, null);
  assert.equal((await viewer.req('POST', `/api/v1/events/${ev}/publish`)).status, 403, 'a viewer cannot publish');
  const pub = await call(officer, 'POST', `${P}/publish`, `/api/v1/events/${ev}/publish`, undefined, 201);
  assert.equal(pub.json.already, false);
  assert.equal(typeof pub.json.published, 'number');
  const before = await call(officer, 'GET', `${P}/agenda/{participant}`, `/api/v1/events/${ev}/agenda/${TOULON}`, undefined, 200);
  const m = before.json.meetings.find((x) => x.with.siret === ASM);
  assert.ok(m, 'TOULON meets ASM before');
  const av = await call(officer, 'POST', `${P}/requests`, `/api/v1/events/${ev}/requests`, { a: ASM, b: TOULON, priority: 'avoid', asked_by: 'b' }, 201);
  assert.equal(av.json.replaced, 'wish', 'the suggested request became do-not-meet');
  assert.equal(av.json.request.priority, 'avoid');
  const wish = await officer.req('POST', `/api/v1/events/${ev}/requests`, { a: TOULON, b: ASM });
  assertProblem({ label: 'wish for an avoided pair', status: wish.status }, 400, wish.headers, wish.text, /not to meet/);
  const s = await call(officer, 'POST', `${P}/schedule`, `/api/v1/events/${ev}/schedule`, {}, 201);
  assert.ok(s.json.changes >= 2, `changes noted: ${s.json.changes}`);
  assert.ok(!s.json.meetings_list.some((x) => [x.a.siret, x.b.siret].sort().join() === [ASM, TOULON].sort().join()), 'never scheduled');
  const ch = await call(viewer, 'GET', `${P}/changes`, `/api/v1/events/${ev}/changes?participant=${TOULON}`, undefined, 200);
  assert.deepEqual(ch.json.changes.map((c) => [c.kind, c.with, c.before.start, c.before.table, c.after, c.seen]),
    [['cancelled', 'ASSEMBLAGE AUTOMOBILE FIXTURE', m.start, m.table, null, false]]);
  const link = await call(officer, 'POST', `${P}/participants/{participant}/link`, `/api/v1/events/${ev}/participants/${TOULON}/link`, undefined, 201);
  const a = await call(nobody, 'GET', '/api/v1/agenda/{token}', `/api/v1/agenda/${link.json.link}`, undefined, 200);
  assert.equal(a.json.published, true);
  assert.deepEqual(a.json.changes.map((c) => c.kind), ['cancelled'], 'the agenda carries the change');
  await call(nobody, 'POST', '/api/v1/agenda/{token}/seen', `/api/v1/agenda/${link.json.link}/seen`, undefined, 201);
  const b = await call(nobody, 'GET', '/api/v1/agenda/{token}', `/api/v1/agenda/${link.json.link}`, undefined, 200);
  assert.deepEqual(b.json.changes, [], 'seen: no more notices');
  const all = await call(officer, 'GET', `${P}/changes`, `/api/v1/events/${ev}/changes?participant=${TOULON}`, undefined, 200);
  assert.equal(all.json.changes[0].seen, true, 'the organiser sees it was seen');
  const other = await call(nobody, 'GET', '/api/v1/agenda/{token}', `/api/v1/agenda/${links.guest}`, undefined, 200);
  assert.ok(other.json.changes.every((c) => c.participant.name === 'Mairie de Test'), 'a participant sees only their changes');
  const bad = await nobody.req('POST', `/api/v1/agenda/${'B'.repeat(43)}/seen`);
  assertProblem({ label: 'seen, unknown link', status: bad.status }, 404, bad.headers, bad.text, /not valid/);
  const again = await call(officer, 'POST', `${P}/publish`, `/api/v1/events/${ev}/publish`, undefined, 201);
  assert.equal(again.json.already, true);
  assert.equal(again.json.published, pub.json.published, 'publishing again keeps the first date');
  assert.equal((await stranger.req('GET', `/api/v1/events/${ev}/changes`)).status, 404, 'another organisation');
});

test('another organisation cannot read the event; a workspace partner reads but cannot change it', async () => {
  const s = await stranger.req('GET', `/api/v1/events/${ev}`);
  assertProblem({ label: 'another organisation', status: s.status }, 404, s.headers, s.text, /no event/);
  const l = await call(stranger, 'GET', '/api/v1/events', '/api/v1/events', undefined, 200);
  assert.equal(l.json.events.length, 0, 'its list does not show it');
  assert.equal((await stranger.req('GET', `/api/v1/events/${ev}/agenda/${ASM}`)).status, 404);
  assert.equal((await stranger.req('POST', `/api/v1/events/${ev}/schedule`, {})).status, 404);
  const v = await call(viewer, 'GET', P, `/api/v1/events/${ev}`, undefined, 200);
  assert.equal(v.json.event.id, ev);
  assert.equal((await viewer.req('POST', `/api/v1/events/${ev}/schedule`, {})).status, 403);
  assert.equal((await nobody.req('GET', `/api/v1/events/${ev}`)).status, 401);
});

test('an outcome joins the firm\'s timeline and the pair\'s verdicts', async () => {
  const o = await call(officer, 'POST', `${P}/outcomes`, `/api/v1/events/${ev}/outcomes`,
    { a: ASM, b: NEAR, met: 'yes', result: 'contract', amount: '12000', jobs: '2' }, 201);
  assert.deepEqual(o.json.written.map((w) => w.kind), ['interaction', 'interaction', 'verdict']);
  const t = await officer.req('GET', `/api/v1/establishments/${NEAR}/timeline`);
  assert.equal(t.status, 200);
  const items = t.json.items.map((i) => i.kind);
  assert.ok(items.includes('interaction') && items.includes('verdict'), `timeline: ${items}`);
  assert.ok(t.json.items.some((i) => (i.notes || '').includes('contrat, 12000 €, 2 emplois')));
  const bad = await officer.req('POST', `/api/v1/events/${ev}/outcomes`, { a: ASM, b: NEAR, met: 'yes', amount: 'beaucoup' });
  assertProblem({ label: 'amount', status: bad.status }, 400, bad.headers, bad.text, /'amount'/);
  const show = await call(officer, 'GET', P, `/api/v1/events/${ev}`, undefined, 200);
  const m = show.json.meetings.find((x) => x.a.siret === ASM && x.b.siret === NEAR);
  assert.equal(m.outcome.result, 'contract');
});

test('a pending request is not scheduled until it is accepted', async () => {
  const q = await call(officer, 'POST', `${P}/requests`, `/api/v1/events/${ev}/requests`,
    { a: 'Mairie de Test', b: TOULON, pending: 'yes', asked_by: 'a' }, 201);
  assert.equal(q.json.request.accepted, false);
  assert.equal(q.json.request.asked_by, 'a');
  const acc = await call(officer, 'POST', `${P}/requests/accept`, `/api/v1/events/${ev}/requests/accept`,
    { a: TOULON, b: 'Mairie de Test' }, 201);
  assert.equal(acc.json.request.accepted, true);
  const none = await officer.req('POST', `/api/v1/events/${ev}/requests/accept`, { a: NEAR, b: TOULON });
  assertProblem({ label: 'no such request', status: none.status }, 404, none.headers, none.text, /no request between/);
});

test('a public buyer\'s innovation need: the route, the checklist, the contract, the DECP record, a conference', async () => {
  const N = '/api/v1/needs/{need}';
  const a = await call(officer, 'POST', '/api/v1/needs', '/api/v1/needs', {
    buyer: 'Ville de Test', buyer_siret: '91000005800016', title: 'Navette électrique', cpv: '34144900',
    naf: '29.32Z', budget: '80000', commune: '13001', deadline: '2026-09-30',
  }, 201);
  const id = a.json.need.id;
  const s = await call(officer, 'GET', N, `/api/v1/needs/${id}`, undefined, 200);
  assert.equal(s.json.threshold.route_open, true);
  assert.deepEqual(s.json.suggestions.filter((x) => x.by === 'naf').map((x) => x.siret).sort(), [NEAR, '91000004100012']);
  assert.equal(s.json.need.cpv_label.label_fr, 'Véhicules électriques', 'the need shows its CPV label');
  const byCpv = s.json.suggestions.filter((x) => x.by === 'cpv');
  assert.deepEqual(byCpv.map((x) => `${x.siret} ${x.cpv}`), [`${ASM} 34100000`],
    'no firm has the words of 34144900, nor of 34144000 and 34140000: those of 34100000 (Véhicules à moteur) do');
  assert.match(byCpv[0].reason_fr, /^ses mots répondent au libellé CPV 34100000 « Véhicules à moteur » ; /);
  const t = await call(officer, 'GET', N, `/api/v1/needs/${id}?threshold=50000`, undefined, 200);
  assert.equal(t.json.threshold.route_open, false, 'the threshold is configurable');
  for (const key of ['novelty', 'market', 'price', 'sourcing'])
    await call(officer, 'POST', `${N}/evidence`, `/api/v1/needs/${id}/evidence`, { key }, 201);
  const d0 = await officer.req('GET', `/api/v1/needs/${id}/decp`);
  assertProblem({ label: 'decp before the contract', status: d0.status }, 400, d0.headers, d0.text, /needs the contract/);
  const w = await call(officer, 'POST', `${N}/award`, `/api/v1/needs/${id}/award`,
    { holder: NEAR, amount: '75000', date: '2026-10-15', months: '12' }, 201);
  assert.equal(w.json.ready, true);
  const d = await call(officer, 'GET', `${N}/decp`, `/api/v1/needs/${id}/decp`, undefined, 200);
  assert.equal(d.json.marches.marche[0].marcheInnovant, true);
  assert.equal(d.json.marches.marche[0].titulaires[0].titulaire.id, NEAR);
  const inv = await call(officer, 'POST', `${N}/invite`, `/api/v1/needs/${id}/invite`, { event: String(ev) }, 201);
  assert.equal(inv.json.firms_added, 1, 'the firm not yet there joins; NEAR was there already');
  assert.equal(inv.json.requests_added, 2, 'the buyer asks to meet both');
  const l = await call(officer, 'GET', '/api/v1/needs', '/api/v1/needs', undefined, 200);
  assert.equal(l.json.needs.length, 1);
  assert.equal((await stranger.req('GET', `/api/v1/needs/${id}`)).status, 404, 'another organisation cannot read it');
  assert.equal((await call(stranger, 'GET', '/api/v1/needs', '/api/v1/needs', undefined, 200)).json.needs.length, 0);
});

test('CPV codes: found by words or digits, checked, a need\'s code set; the DECP record names it', async () => {
  const f = await call(nobody, 'GET', '/api/v1/cpv', `/api/v1/cpv?q=${encodeURIComponent('VEHICULE electrique')}&limit=3`, undefined, 200);
  assert.equal(f.json.results[0].code, '34144900-7', 'accents, case and plurals ignored');
  assert.equal(f.json.results.length, 3);
  const d = await call(nobody, 'GET', '/api/v1/cpv', '/api/v1/cpv?q=3414&limit=4', undefined, 200);
  assert.ok(d.json.results.every((c) => c.code8.startsWith('3414')), 'digits: the codes that start with them');
  const one = await call(nobody, 'GET', '/api/v1/cpv/{code}', '/api/v1/cpv/45213000-3', undefined, 200);
  assert.equal(one.json.cpv.label_en, 'Construction work for commercial buildings, warehouses and industrial buildings, buildings relating to transport');
  const bad = await nobody.req('GET', '/api/v1/cpv/45213000-4');
  assertProblem({ label: 'check digit', status: bad.status }, 400, bad.headers, bad.text, /check digit of 45213000 is 3, not 4/);
  const unknown = await officer.req('POST', '/api/v1/needs', { buyer: 'X', title: 'Y', budget: '10', cpv: '99999999' });
  assertProblem({ label: 'unknown CPV', status: unknown.status }, 400, unknown.headers, unknown.text, /not a code of the CPV 2008/);
  const id = (await call(officer, 'GET', '/api/v1/needs', '/api/v1/needs', undefined, 200)).json.needs[0].id;
  const N = '/api/v1/needs/{need}';
  const set = await call(officer, 'POST', `${N}/cpv`, `/api/v1/needs/${id}/cpv`, { cpv: '34144900-7' }, 201);
  assert.equal(set.json.need.cpv, '34144900', 'kept on 8 digits');
  assert.equal((await viewer.req('POST', `/api/v1/needs/${id}/cpv`, { cpv: '34144900' })).status, 403);
  assert.equal((await stranger.req('POST', `/api/v1/needs/${id}/cpv`, { cpv: '34144900' })).status, 404);
  const decp = await call(officer, 'GET', `${N}/decp`, `/api/v1/needs/${id}/decp`, undefined, 200);
  assert.equal(decp.json.marches.marche[0].codeCPV, '34144900');
  assert.equal(decp.json.cpv.label_fr, 'Véhicules électriques');
});

test('a buyer\'s needs feed an event\'s suggestions; outcomes teach the engine, only those the caller may read', async () => {
  const r = await call(officer, 'POST', '/api/v1/events', '/api/v1/events', {
    name: 'Conférence d\'innovation', date: '2026-11-05', start: '14:00', slot_minutes: '30', slots: '4', tables: '3',
  }, 201);
  const e2 = r.json.event.id;
  const add = (who, id, body) => call(who, 'POST', `${P}/participants`, `/api/v1/events/${id}/participants`, body, 201);
  await add(officer, e2, { guest: 'Ville de Test', buyer: 'yes' });
  for (const siret of [ASM, NEAR, '91000004100012']) await add(officer, e2, { siret });
  const s = await call(officer, 'GET', `${P}/suggestions`, `/api/v1/events/${e2}/suggestions`, undefined, 200);
  const fromNeeds = s.json.suggestions.filter((x) => x.source === 'need');
  assert.deepEqual(fromNeeds.map((x) => `${x.a.name}>${x.b.siret}`).sort(),
    [ASM, NEAR, '91000004100012'].map((x) => `Ville de Test>${x}`).sort(), 'the buyer meets the firms suggested for its need');
  assert.ok(fromNeeds.every((x) => x.reason_fr.startsWith('répond au besoin « Navette électrique »') && x.need.title === 'Navette électrique'));
  assert.equal(s.json.suggestions[0].source, 'need', 'the needs first');
  // the contract of ASM and NEAR (supplier NEAR, 29.32Z; customer ASM, 29.10Z) is the one meeting held:
  // prior (1 + 1) / (1 + 2) = 2/3; rate (1 + 6 x 2/3) / (1 + 6) = 5/7; factor (5/7) / (2/3) = 1.071
  const m = s.json.suggestions.find((x) => x.source === 'match' && x.a.siret === ASM && x.b.siret === NEAR);
  assert.equal(m.learned.factor, 1.071, 'one meeting moves the score little');
  assert.equal(Math.round(m.score / m.score_engine * 1000), 1071);
  assert.match(m.reason_fr, /: 1 sur 1 a abouti à un devis ou un contrat ; score × 1,07$/);
  const l = await call(viewer, 'GET', '/api/v1/meetings/learning', '/api/v1/meetings/learning', undefined, 200);
  assert.deepEqual([l.json.meetings, l.json.successes, l.json.kinds.map((k) => `${k.supplier_division}>${k.customer_division} ${k.successes}/${k.meetings}`)],
    [1, 1, ['29>29 1/1']], 'a workspace partner reads what the events it may read teach');
  // another organisation: neither the need nor the outcomes
  const x = await call(stranger, 'POST', '/api/v1/events', '/api/v1/events', {
    name: 'Autre conférence', date: '2026-11-06', start: '14:00', slot_minutes: '30', slots: '4', tables: '3',
  }, 201);
  await add(stranger, x.json.event.id, { guest: 'Ville de Test', buyer: 'yes' });
  for (const siret of [ASM, NEAR]) await add(stranger, x.json.event.id, { siret });
  const o = await call(stranger, 'GET', `${P}/suggestions`, `/api/v1/events/${x.json.event.id}/suggestions`, undefined, 200);
  assert.equal(o.json.suggestions.filter((y) => y.source === 'need').length, 0, 'another organisation\'s need is not used');
  const om = o.json.suggestions.find((y) => y.a.siret === ASM && y.b.siret === NEAR);
  assert.deepEqual([om.learned.meetings, om.learned.factor, om.score === om.score_engine], [0, 1, true], 'nor its outcomes');
  const ol = await call(stranger, 'GET', '/api/v1/meetings/learning', '/api/v1/meetings/learning', undefined, 200);
  assert.equal(ol.json.meetings, 0);
  assert.equal((await nobody.req('GET', '/api/v1/meetings/learning')).status, 401);
});

test('the document lists the 33 events and needs routes, each called by a test above', () => {
  const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).filter(([, op]) => op.tags.includes('events')).map(([m]) => `${m} ${path}`));
  assert.equal(ops.length, 33, ops.join(', '));
});
