// committee.test.mjs — aid schemes, routing and committees over the real
// server (issue 13 parts 3 and 5): the starting catalogue read (and said to
// be the maillage team's, to check); a project's eligibility, each condition
// explained, and its routing; a committee whose agenda is built from the
// projects ready, its sheets with every rule checked and the envelopes
// before and after, its order, votes and decisions (a grant refused by a
// rule or by the votes, with the reason; a grant committed to the ledger; a
// refusal rejecting the project), its minutes, letters and pack as PDF read
// back by pdftotext; a committee member's organisation reads but does not
// write; another organisation sees nothing (404); every write is audited.
// Run: node --test --test-reporter=tap tests/api/committee.test.mjs
// Env: MAILLAGE_BIN (default build/maillage), MAILLAGE_DATA (reference data dir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, assertProblem, FIX, ENV } from './support.mjs';
import { accountsDb, cli, signedIn, Client, PASSWORD } from './account_support.mjs';

const ASM = '91000001700012'; // car assembler (a large company in the fixtures' units)
const NEAR = '91000002500015'; // car-parts maker 2.7 km away (a small one)
let env, srv, officer, member, other, programme, small, large, committee;

before(async () => {
  env = accountsDb([['sirene', join(FIX, 'fixture_match.csv')], ['unites', join(FIX, 'fixture_unites.csv')]]);
  cli(env.db, ['scheme', 'import', join(ENV.MAILLAGE_DATA, 'schemes', 'dispositifs-aide-maillage.csv')]);
  for (const org of ['Région comité', 'Région Nord']) {
    cli(env.db, ['org', 'add', org, '--type', 'agency']);
    cli(env.db, ['user', 'add', '--org', org, '--role', 'officer', `officer@${org.split(' ')[1].toLowerCase()}.example`], `${PASSWORD}\n`);
  }
  srv = await startServer(env.db);
  officer = await signedIn(srv.base, 'officer');
  member = new Client(srv.base);
  assert.equal((await member.login('officer@comité.example')).status, 200);
  other = new Client(srv.base);
  assert.equal((await other.login('officer@nord.example')).status, 200);
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

/** GET a PDF as `who`: its status and its text (pdftotext -layout), spaces folded. */
async function pdfText(who, path) {
  const h = {};
  if (Object.keys(who.cookies).length) h.cookie = who.cookieHeader();
  const res = await fetch(who.base + path, { headers: h });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) return { status: res.status, text: bytes.toString() };
  const dir = mkdtempSync(join(tmpdir(), 'committee-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), bytes);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
    return { status: res.status, headers: res.headers, text: text.replace(/\s+/g, ' ') };
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

test('the catalogue of aid schemes: the starting one, said to be the maillage team\'s, to check', async () => {
  const r = await officer.req('GET', '/api/v1/schemes');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.schemes.length, 11);
  assert.match(r.json.note, /written by the maillage team: check each scheme against its official page/);
  const pv = r.json.schemes.find((s) => s.id === 'maillage-bpi-pret-vert');
  assert.match(pv.url, /^https:\/\/www\.bpifrance\.fr\//);
  assert.deepEqual([pv.targets, pv.company_sizes, pv.project_types], [['professionnels'], ['MIC', 'PME', 'ETI'], ['investment']]);
  const g = await signedIn(srv.base, 'guest');
  assert.equal((await g.req('GET', '/api/v1/schemes')).status, 403, 'a guest (a firm) does not read it');
});

test('a project\'s eligibility, each condition explained, and its routing', async () => {
  const p = await officer.req('POST', '/api/v1/programmes', { name: 'Rebond comité', territory: '13', subsidy: '1000000', advance: '500000', max_per_project: '200000' });
  assert.equal(p.status, 201, p.text);
  programme = p.json.id;
  const add = async (siret, title, s, a) => {
    const r = await officer.req('POST', `/api/v1/programmes/${programme}/projects`, { siret, title, cost: '500000', requested_subsidy: s, requested_advance: a });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  small = await add(NEAR, 'Ligne robotisée', '100000', '50000');
  large = await add(ASM, 'Extension du site', '300000', '0');
  const e = await officer.req('GET', `/api/v1/projects/${small}/schemes?at=2026-02-01`);
  assert.equal(e.status, 200, e.text);
  const verdicts = e.json.schemes.map((s) => s.verdict);
  assert.deepEqual([...verdicts].sort((x, y) => ['eligible', 'to_check', 'not_eligible'].indexOf(x) - ['eligible', 'to_check', 'not_eligible'].indexOf(y)), verdicts, 'eligible first');
  const sud = e.json.schemes.find((s) => s.id === 'maillage-region-sud-investissement');
  const state = Object.fromEntries(sud.conditions.map((c) => [c.condition, c.state]));
  assert.deepEqual(state, { target: 'met', project_type: 'met', size: 'met', naf: 'met', territory: 'met', stage: 'unmet' });
  assert.match(sud.conditions.find((c) => c.condition === 'territory').explain, /REG-93/);
  assert.match(sud.conditions.find((c) => c.condition === 'stage').explain, /this one is detected/);
  const occ = e.json.schemes.find((s) => s.id === 'maillage-region-occitanie-pass');
  assert.equal(occ.verdict, 'not_eligible');
  assert.match(occ.conditions.find((c) => c.condition === 'territory').explain, /outside REG-76/);
  const big = await officer.req('GET', `/api/v1/projects/${large}/schemes`);
  const bigSud = big.json.schemes.find((s) => s.id === 'maillage-region-sud-investissement');
  assert.match(bigSud.conditions.find((c) => c.condition === 'size').explain, /it is for MIC\|PME companies; this one is ETI/);
  const routed = await officer.req('POST', `/api/v1/projects/${small}/routes`, { scheme: 'maillage-bpi-pret-vert', date: '2026-02-01', note: 'dossier transmis' });
  assert.equal(routed.status, 201, routed.text);
  assert.deepEqual([routed.json.stage, routed.json.routes[0].scheme, routed.json.routes[0].title], ['routed', 'maillage-bpi-pret-vert', 'Bpifrance — Prêt Vert']);
  const shown = await officer.req('GET', `/api/v1/projects/${small}`);
  assert.deepEqual([shown.json.stage, shown.json.routes.length], ['routed', 1], 'the route is shown on the project');
  const none = await officer.req('POST', `/api/v1/projects/${small}/routes`, { scheme: 'no-such-scheme' });
  assertProblem({ label: 'unknown scheme', status: none.status }, 404, none.headers, none.text, /no aid scheme 'no-such-scheme'/);
});

test('a committee: its agenda from the projects ready, a sheet per project with every rule checked', async () => {
  for (const [id, stages] of [[small, ['applied', 'instructed']], [large, ['qualified', 'routed', 'applied', 'instructed', 'committee']]])
    for (const stage of stages) { const m = await officer.req('POST', `/api/v1/projects/${id}/stage`, { stage }); assert.equal(m.status, 201, m.text); }
  cli(env.db, ['interview', 'add', String(programme), '--siret', NEAR, '--date', '2026-01-20', '--scores', 'skills=3', '--flags', 'succession', '--notes', 'Visite atelier']);
  const c = await officer.req('POST', `/api/v1/programmes/${programme}/committees`, {
    date: '2026-03-31', place: 'Hôtel de Région', members: 'Anne Martin|Région Sud|présidente;Paul Roux|Bpifrance|membre;Léa Petit|Préfecture|membre',
  });
  assert.equal(c.status, 201, c.text);
  committee = c.json.id;
  assert.deepEqual(c.json.agenda.map((s) => s.project), [small, large], 'ready projects, by id');
  assert.deepEqual(c.json.members.map((m) => m.name), ['Anne Martin', 'Paul Roux', 'Léa Petit']);
  const [a, b] = c.json.agenda;
  assert.equal(a.firm.name, 'EQUIPEMENTIER PROCHE FIXTURE');
  assert.equal(a.firm.naf, '29.32Z');
  assert.equal(a.interviews.length, 1);
  assert.equal(a.passes, true);
  assert.deepEqual(a.checks.map((k) => k.rule), ['eligible', 'envelope', 'max_project', 'intensity', 'envelope', 'max_project', 'intensity', 'de_minimis']);
  assert.deepEqual(a.envelopes.map((e) => [e.instrument, e.available_before, e.taken, e.available_after]),
    [['subsidy', 100000000, 10000000, 90000000], ['advance', 50000000, 5000000, 45000000]]);
  assert.equal(b.passes, false);
  const failed = b.checks.filter((k) => !k.pass);
  assert.deepEqual(failed.map((k) => k.rule), ['max_project']);
  assert.match(failed[0].detail, /the most one project may get from the subsidy envelope is 200000.00 euros; 300000.00 euros asked/);
  assert.deepEqual(b.envelopes.map((e) => e.available_before), [90000000, 45000000], 'the running position follows the agenda');
  const list = await officer.req('GET', `/api/v1/programmes/${programme}/committees`);
  assert.deepEqual(list.json.committees.map((x) => [x.id, x.projects, x.held]), [[committee, 2, false]]);
  const ord = await officer.req('POST', `/api/v1/committees/${committee}/order`, { projects: `${large},${small}` });
  assert.equal(ord.status, 201, ord.text);
  assert.deepEqual(ord.json.agenda.map((s) => [s.seq, s.project]), [[1, large], [2, small]]);
});

test('votes and decisions: a rule or the votes refuse a grant with the reason; a grant commits; a refusal rejects', async () => {
  const vote = (project, m, v) => officer.req('POST', `/api/v1/committees/${committee}/votes`, { project: String(project), member: m, vote: v });
  for (const [m, v] of [['Anne Martin', 'for'], ['2', 'against'], ['3', 'against']]) assert.equal((await vote(small, m, v)).status, 201);
  const byVotes = await officer.req('POST', `/api/v1/committees/${committee}/decisions`, { project: String(small), decision: 'grant', subsidy: '100000' });
  assertProblem({ label: 'votes against', status: byVotes.status }, 409, byVotes.headers, byVotes.text, /for 1, against 2, abstain 0/);
  assert.equal((await vote(small, '3', 'for')).status, 201, 'a member changes their vote');
  const byRule = await officer.req('POST', `/api/v1/committees/${committee}/decisions`, { project: String(large), decision: 'grant', subsidy: '300000' });
  assertProblem({ label: 'max per project', status: byRule.status }, 409, byRule.headers, byRule.text, /the most one project may get from the subsidy envelope is 200000.00 euros/);
  const granted = await officer.req('POST', `/api/v1/committees/${committee}/decisions`, {
    project: String(small), decision: 'grant', subsidy: '100000', advance: '50000', deferral: '12', instalments: '4', every: '6',
  });
  assert.equal(granted.status, 201, granted.text);
  const s = granted.json.agenda.find((x) => x.project === small);
  assert.deepEqual([s.decision, s.votes.for, s.votes.against], ['granted', 2, 1]);
  assert.deepEqual(s.schedule.map((i) => [i.due, i.amount]), [['2027-03-31', 1250000], ['2027-09-30', 1250000], ['2028-03-31', 1250000], ['2028-09-30', 1250000]]);
  const led = await officer.req('GET', `/api/v1/programmes/${programme}/ledger`);
  assert.deepEqual(led.json.entries.map((e) => [e.kind, e.day, e.amount]), [['commit', '2026-03-31', 10000000], ['commit', '2026-03-31', 5000000]], 'committed on the committee\'s day');
  const late = await vote(small, '1', 'against');
  assertProblem({ label: 'vote after the decision', status: late.status }, 409, late.headers, late.text, /votes are closed/);
  const noReason = await officer.req('POST', `/api/v1/committees/${committee}/decisions`, { project: String(large), decision: 'refuse' });
  assertProblem({ label: 'refusal without a reason', status: noReason.status }, 400, noReason.headers, noReason.text, /reason/);
  const refused = await officer.req('POST', `/api/v1/committees/${committee}/decisions`, { project: String(large), decision: 'refuse', reason: 'Plafond par projet dépassé' });
  assert.equal(refused.status, 201, refused.text);
  const l = refused.json.agenda.find((x) => x.project === large);
  assert.deepEqual([l.decision, l.reason, l.stage], ['refused', 'Plafond par projet dépassé', 'rejected']);
  assert.deepEqual([refused.json.held, refused.json.decided], [true, 2]);
  assert.deepEqual(refused.json.envelopes.map((e) => [e.available_before, e.available_after]), [[100000000, 90000000], [50000000, 45000000]]);
  const again = await officer.req('POST', `/api/v1/committees/${committee}/decisions`, { project: String(small), decision: 'grant', subsidy: '1' });
  assertProblem({ label: 'decided twice', status: again.status }, 409, again.headers, again.text, /has decided project/);
});

test('minutes, letters and pack as PDF, read back by pdftotext', async () => {
  const min = await pdfText(officer, `/api/v1/committees/${committee}/minutes.pdf`);
  assert.equal(min.status, 200, min.text);
  assert.equal(min.headers.get('content-type'), 'application/pdf');
  assert.match(min.headers.get('content-disposition'), /proces-verbal-rebond-comite-2026-03-31/);
  for (const want of ['Procès-verbal du comité', 'Comité du 31/03/2026 — Hôtel de Région', 'Anne Martin', 'Région Sud', 'présidente',
    'Votes : pour 2, contre 1, abstention 0', 'Anne Martin : pour', 'Décision : accordé — subvention 100 000,00 €, avance remboursable 50 000,00 €',
    'Décision : refusé — motif : Plafond par projet dépassé', 'Enveloppes après le comité'])
    assert.ok(min.text.includes(want), `minutes: ${want} in ${min.text}`);
  const let_ = await pdfText(officer, `/api/v1/committees/${committee}/letters.pdf`);
  assert.equal(let_.status, 200);
  for (const want of ['EQUIPEMENTIER PROCHE FIXTURE', 'a décidé d\'accorder à votre projet « Ligne robotisée »', '— subvention : 100 000,00 €',
    'L\'avance est remboursable selon l\'échéancier suivant', '31/03/2027', '12 500,00 €', 'ASSEMBLAGE AUTOMOBILE FIXTURE',
    'n\'a pas retenu votre projet « Extension du site »', 'Motif : Plafond par projet dépassé'])
    assert.ok(let_.text.includes(want), `letters: ${want}`);
  const pack = await pdfText(officer, `/api/v1/committees/${committee}/pack.pdf`);
  assert.equal(pack.status, 200);
  for (const want of ['Dossier du comité', 'Ordre du jour', 'Fiche 1 — Extension du site', 'Fiche 2 — Ligne robotisée', 'NAF 29.32Z',
    'Entretien du 20/01/2026', 'succession', 'Position des enveloppes avant et après ce projet'])
    assert.ok(pack.text.includes(want), `pack: ${want}`);
  assert.ok(!/DÉMONSTRATION/.test(pack.text), 'no generated-data mention for a real programme');
});

test('a committee member\'s organisation reads the committee but does not write; another sees nothing', async () => {
  for (const path of [`/api/v1/committees/${committee}`, `/api/v1/programmes/${programme}/committees`]) {
    const r = await other.req('GET', path);
    assertProblem({ label: `Région Nord GET ${path}`, status: r.status }, 404, r.headers, r.text);
    assert.ok(!r.text.includes('Ligne') && !r.text.includes('FIXTURE'), 'nothing of it in the answer');
  }
  assert.equal((await pdfText(other, `/api/v1/committees/${committee}/minutes.pdf`)).status, 404);
  cli(env.db, ['programme', 'member', String(programme), 'Région comité', 'committee']);
  const r = await member.req('GET', `/api/v1/committees/${committee}`);
  assert.equal(r.status, 200, r.text);
  assert.equal((await pdfText(member, `/api/v1/committees/${committee}/pack.pdf`)).status, 200);
  const w = await member.req('POST', `/api/v1/committees/${committee}/order`, { projects: String(small) });
  assertProblem({ label: 'a committee member writes', status: w.status }, 400, w.headers, w.text, /yours is its committee/);
  const route = await member.req('POST', `/api/v1/projects/${small}/routes`, { scheme: 'maillage-bpi-pret-vert' });
  assertProblem({ label: 'a committee member routes', status: route.status }, 400, route.headers, route.text, /yours is its committee/);
});

test('every write through the API was audited', () => {
  const j = JSON.parse(cli(env.db, ['audit', '--json', '--limit', '500']));
  const entries = Array.isArray(j) ? j : j.entries;
  const ours = entries.filter((e) => /\/(committees|routes)/.test(e.action || ''));
  // route, committee, order, 4 votes, 2 grants refused? no: refusals are not changes; grant, refusal
  assert.equal(ours.length, 1 + 1 + 1 + 4 + 2, ours.map((e) => e.action).join('\n'));
});
