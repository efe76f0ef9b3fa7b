// impact.test.mjs — the impact follow-up and the poles' R&D projects over the
// real server (issue 13 parts 6, 7): an officer sets the milestones, records
// a decided project's figures, reads the indicators and the follow-ups due,
// downloads the workbook; adds partners (a restricted-diffusion firm
// refused), TRL assessments and needs, and gets suggestions only from TRL 6;
// another organisation sees none of it (404), a reader reads but does not
// write; every write is audited; answers are never kept.
// Run: node --test --test-reporter=tap tests/api/impact.test.mjs
// Env: MAILLAGE_BIN (default build/maillage), MAILLAGE_DATA (reference data dir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, assertProblem, FIX } from './support.mjs';
import { accountsDb, cli, signedIn, PASSWORD } from './account_support.mjs';

const ASM = '91000001700012';
const NEAR = '91000002500015';
const PRIV = '91000006600019';
let env, srv, officer, other, guest, programme, project, rd;

before(async () => {
  env = accountsDb([['sirene', join(FIX, 'fixture_match.csv')]]);
  cli(env.db, ['org', 'add', 'Région Nord', '--type', 'agency']);
  cli(env.db, ['user', 'add', '--org', 'Région Nord', '--role', 'officer', 'officer@nord.example'], `${PASSWORD}\n`);
  srv = await startServer(env.db);
  officer = await signedIn(srv.base, 'officer');
  guest = await signedIn(srv.base, 'guest');
  const { Client } = await import('./account_support.mjs');
  other = new Client(srv.base);
  assert.equal((await other.login('officer@nord.example')).status, 200);
  const p = await officer.req('POST', '/api/v1/programmes', { name: 'Impact API', territory: '13', subsidy: '1000000', advance: '500000' });
  assert.equal(p.status, 201, p.text);
  programme = p.json.id;
  const pj = await officer.req('POST', `/api/v1/programmes/${programme}/projects`, { siret: NEAR, title: 'Ligne', cost: '400000', jobs_created: '5', jobs_kept: '10' });
  project = pj.json.id;
  const d = await officer.req('POST', `/api/v1/projects/${project}/decision`, { date: '2026-01-15', subsidy: '100000', advance: '100000', deferral: '6', instalments: '4', every: '6' });
  assert.equal(d.status, 201, d.text);
  await officer.req('POST', `/api/v1/projects/${project}/ledger`, { kind: 'pay', instrument: 'advance', amount: '100000', date: '2026-02-01' });
  await officer.req('POST', `/api/v1/projects/${project}/ledger`, { kind: 'repay', instrument: 'advance', amount: '25000', date: '2026-07-15' });
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

test('milestones, figures at a milestone, the follow-ups due', async () => {
  const bad = await officer.req('POST', `/api/v1/programmes/${programme}/milestones`, { months: '12,x' });
  assertProblem({ label: 'months', status: bad.status }, 400, bad.headers, bad.text, /'months'/);
  const m = await officer.req('POST', `/api/v1/programmes/${programme}/milestones`, { months: '24,6,12' });
  assert.equal(m.status, 201, m.text);
  assert.deepEqual(m.json.milestones, [6, 12, 24]);
  const notm = await officer.req('POST', `/api/v1/projects/${project}/followups`, { months: '7', jobs_created: '1', jobs_kept: '1', invested: '1' });
  assertProblem({ label: 'not a milestone', status: notm.status }, 400, notm.headers, notm.text, /not a milestone/);
  const r = await officer.req('POST', `/api/v1/projects/${project}/followups`, {
    months: '6', date: '2026-07-20', jobs_created: '3', jobs_kept: '10', invested: '250000', note: 'premier suivi',
  });
  assert.equal(r.status, 201, r.text);
  const row = r.json.projects[0];
  assert.deepEqual([row.jobs_realised.created, row.invested, row.leverage, row.aid_per_job], [3, 25000000, 0.25, 1538462]);
  const due = await officer.req('GET', `/api/v1/programmes/${programme}/followups?at=2027-05-01`);
  assert.equal(due.status, 200, due.text);
  assert.deepEqual(due.json.followups.map((f) => [f.months, f.due, f.state]), [[12, '2027-01-15', 'overdue']]);
  assert.match(due.headers.get('cache-control'), /no-store/, 'never kept');
  const all = await officer.req('GET', `/api/v1/programmes/${programme}/followups?at=2027-05-01&all=true`);
  assert.deepEqual(all.json.counts, { recorded: 1, upcoming: 1, due: 0, overdue: 1 });
});

test('the indicators, per project and for the programme, and the workbook', async () => {
  const r = await officer.req('GET', `/api/v1/programmes/${programme}/indicators?at=2027-05-01`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total.leverage, 0.25, '(250,000 - 200,000) / 200,000');
  assert.equal(r.json.total.aid_per_job, 1538462, '200,000 euros / 13 jobs');
  assert.deepEqual([r.json.total.repayments.due, r.json.total.repayments.repaid, r.json.total.repayments.rate], [5000000, 2500000, 0.5]);
  assert.deepEqual([r.json.total.jobs_promised.created, r.json.total.jobs_realised.created], [5, 3]);
  const one = await officer.req('GET', `/api/v1/programmes/${programme}/indicators?project=${project}`);
  assert.equal(one.json.projects.length, 1);
  const xlsx = await officer.req('GET', `/api/v1/programmes/${programme}/impact.xlsx?at=2027-05-01`);
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  assert.match(xlsx.headers.get('content-disposition'), /attachment; filename="impact-impact-api-\d{4}-\d{2}-\d{2}\.xlsx"/);
  const csv = await officer.req('GET', `/api/v1/programmes/${programme}/impact.csv?at=2027-05-01`);
  assert.equal(csv.status, 200);
  assert.match(csv.text, /Effet de levier réalisé/);
});

test('a collaborative R&D project: partners, TRL history, needs, suggestions from TRL 6', async () => {
  const pj = await officer.req('POST', `/api/v1/programmes/${programme}/projects`, { siret: ASM, title: 'Capteur', type: 'collaborative_rd', cost: '900000' });
  assert.equal(pj.status, 201, pj.text);
  rd = pj.json.id;
  const priv = await officer.req('POST', `/api/v1/projects/${rd}/partners`, { siret: PRIV, role: 'x' });
  assertProblem({ label: 'P partner', status: priv.status }, 403, priv.headers, priv.text, /restricted diffusion/);
  const notrd = await officer.req('POST', `/api/v1/projects/${project}/partners`, { name: 'LAAS', role: 'lab' });
  assertProblem({ label: 'partner of an investment', status: notrd.status }, 409, notrd.headers, notrd.text, /collaborative_rd/);
  const a = await officer.req('POST', `/api/v1/projects/${rd}/partners`, { siret: NEAR, role: 'industriel' });
  assert.equal(a.status, 201, a.text);
  const b = await officer.req('POST', `/api/v1/projects/${rd}/partners`, { name: 'LAAS-CNRS', role: 'laboratoire' });
  assert.deepEqual(b.json.partners.map((x) => [x.kind, x.name]), [['firm', 'EQUIPEMENTIER PROCHE FIXTURE'], ['lab', 'LAAS-CNRS']]);
  await officer.req('POST', `/api/v1/projects/${rd}/trl`, { level: '4', date: '2025-05-01' });
  const t = await officer.req('POST', `/api/v1/projects/${rd}/needs`, { text: 'usinage' });
  assert.equal(t.status, 201, t.text);
  const early = await officer.req('GET', `/api/v1/projects/${rd}/suggestions`);
  assertProblem({ label: 'TRL 4', status: early.status }, 409, early.headers, early.text, /TRL 4/);
  const bad = await officer.req('POST', `/api/v1/projects/${rd}/trl`, { level: '12' });
  assertProblem({ label: 'TRL 12', status: bad.status }, 400, bad.headers, bad.text, /'level'/);
  const six = await officer.req('POST', `/api/v1/projects/${rd}/trl`, { level: '6', date: '2026-06-01', note: 'démonstrateur' });
  assert.deepEqual(six.json.trl.map((x) => x.level), [4, 6]);
  assert.equal(six.json.near_industrial, true);
  const s = await officer.req('GET', `/api/v1/projects/${rd}/suggestions?per_need=3`);
  assert.equal(s.status, 200, s.text);
  assert.ok(s.json.suggestions.length >= 1, 'at least one suggestion');
  for (const x of s.json.suggestions) {
    assert.ok(![ASM, NEAR, PRIV].includes(x.siret), `${x.siret}: never the lead, a partner or restricted`);
    assert.match(x.why, /answers need \d+ .* Bouches-du-Rhône/);
  }
  const del = await officer.req('DELETE', `/api/v1/projects/${rd}/partners/${b.json.partners[1].id}`);
  assert.equal(del.status, 200, del.text);
  assert.equal(del.json.partners.length, 1);
});

test('another organisation sees none of it (404); a reader reads and does not write; a guest is refused', async () => {
  for (const path of [`/api/v1/programmes/${programme}/indicators`, `/api/v1/programmes/${programme}/followups`,
    `/api/v1/programmes/${programme}/impact.xlsx`, `/api/v1/projects/${rd}/pole`, `/api/v1/projects/${rd}/suggestions`]) {
    const r = await other.req('GET', path);
    assertProblem({ label: `GET ${path}`, status: r.status }, 404, r.headers, r.text);
    assert.ok(!r.text.includes('Capteur') && !r.text.includes('LAAS'), 'nothing of it in the answer');
  }
  const w = await other.req('POST', `/api/v1/projects/${rd}/trl`, { level: '7' });
  assert.equal(w.status, 404, w.text);
  cli(env.db, ['programme', 'member', String(programme), 'Région Nord', 'reader']);
  const pole = await other.req('GET', `/api/v1/projects/${rd}/pole`);
  assert.equal(pole.status, 200, pole.text);
  const w2 = await other.req('POST', `/api/v1/projects/${project}/followups`, { months: '12', jobs_created: '1', jobs_kept: '1', invested: '1' });
  assertProblem({ label: 'reader writes', status: w2.status }, 400, w2.headers, w2.text, /yours is its reader/);
  const g = await guest.req('GET', `/api/v1/programmes/${programme}/indicators`);
  assert.equal(g.status, 403);
});

test('every write through the API was audited', () => {
  // On the PostgreSQL pass the database is a URL: psql answers the same query.
  const pg = /^postgres(ql)?:/.test(env.db);
  const n = execFileSync(pg ? 'psql' : 'sqlite3', [...(pg ? ['-X', '-qtA'] : []), env.db, ...(pg ? ['-c'] : []), "SELECT count(*) FROM audit WHERE action LIKE 'POST /api/v1/programmes/%/milestones' OR action LIKE 'POST /api/v1/projects/%/followups' OR action LIKE 'POST /api/v1/projects/%/partners' OR action LIKE 'POST /api/v1/projects/%/trl' OR action LIKE 'POST /api/v1/projects/%/needs' OR action LIKE 'DELETE /api/v1/projects/%/partners/%'"]).toString().trim();
  assert.equal(Number(n), 8, 'milestones, a follow-up, two partners, two TRL, a need, a removal');
});
