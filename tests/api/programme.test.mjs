// programme.test.mjs — programmes over the real server (issue 13): an
// officer creates a programme, adds projects, moves them, decides their aid
// (refused with the reason beyond an envelope), records payments and reads
// the positions; another organisation, even one sharing a workspace, sees
// none of it (404), a guest is refused; every write is audited; answers are
// never kept.
// Run: node --test --test-reporter=tap tests/api/programme.test.mjs
// Env: MAILLAGE_BIN (default build/maillage), MAILLAGE_DATA (reference data dir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, assertProblem, FIX, ENGINE } from './support.mjs';
import { accountsDb, cli, signedIn, PASSWORD } from './account_support.mjs';

const ASM = '91000001700012';
const NEAR = '91000002500015';
const PRIV = '91000006600019';
let env, srv, officer, peer, other, guest, programme, project;

before(async () => {
  env = accountsDb([['sirene', join(FIX, 'fixture_match.csv')]]);
  // Another organisation, outside the workspace, with its own officer.
  cli(env.db, ['org', 'add', 'Région Nord', '--type', 'agency']);
  cli(env.db, ['user', 'add', '--org', 'Région Nord', '--role', 'officer', 'officer@nord.example'], `${PASSWORD}\n`);
  srv = await startServer(env.db);
  officer = await signedIn(srv.base, 'officer');
  peer = await signedIn(srv.base, 'viewer'); // Sous-préfecture: shares a workspace with Agence Sud
  guest = await signedIn(srv.base, 'guest');
  const { Client } = await import('./account_support.mjs');
  other = new Client(srv.base);
  assert.equal((await other.login('officer@nord.example')).status, 200);
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

test('an officer creates a programme with its envelopes; its organisation runs it', async () => {
  const r = await officer.req('POST', '/api/v1/programmes', {
    name: 'Rebond API', territory: '13', start: '2026-01-01', end: '2026-12-31',
    subsidy: '1000000', advance: '500000', max_per_project: '300000', revolving: 'yes', funder: 'Région',
  });
  assert.equal(r.status, 201, r.text);
  programme = r.json.id;
  assert.equal(r.json.role, 'officer');
  assert.equal(r.json.territory_name, 'Bouches-du-Rhône');
  assert.deepEqual(r.json.envelopes.map((e) => [e.instrument, e.amount, e.max_project, e.revolving]),
    [['subsidy', 100000000, 30000000, false], ['advance', 50000000, 30000000, true]]);
  assert.equal(r.json.organisations[0].name, 'Agence Sud');
  const list = await officer.req('GET', '/api/v1/programmes');
  assert.deepEqual(list.json.programmes.map((p) => p.name), ['Rebond API']);
  assert.match(list.headers.get('cache-control'), /no-store/, 'never kept');
  const bad = await officer.req('POST', '/api/v1/programmes', { name: 'X', subsidy: '12.345' });
  assertProblem({ label: 'three decimals', status: bad.status }, 400, bad.headers, bad.text, /'subsidy'/);
});

test('projects: added (a firm with restricted diffusion refused), moved by the pipeline\'s rules', async () => {
  const r = await officer.req('POST', `/api/v1/programmes/${programme}/projects`, {
    siret: NEAR, title: 'Ligne robotisée', cost: '400000', jobs_created: '5', requested_subsidy: '100000',
  });
  assert.equal(r.status, 201, r.text);
  project = r.json.id;
  assert.equal(r.json.stage, 'detected');
  assert.equal(r.json.firm, 'EQUIPEMENTIER PROCHE FIXTURE');
  const priv = await officer.req('POST', `/api/v1/programmes/${programme}/projects`, { siret: PRIV, title: 'X', cost: '10' });
  assertProblem({ label: 'P firm', status: priv.status }, 403, priv.headers, priv.text, /restricted diffusion/);
  const moved = await officer.req('POST', `/api/v1/projects/${project}/stage`, { stage: 'qualified' });
  assert.equal(moved.status, 201, moved.text);
  assert.equal(moved.json.stage, 'qualified');
  const edit = await officer.req('POST', `/api/v1/projects/${project}`, { eligible: '350000', jobs_created: '6' });
  assert.equal(edit.status, 201, edit.text);
  assert.deepEqual([edit.json.cost, edit.json.eligible, edit.json.jobs_created, edit.json.title], [40000000, 35000000, 6, 'Ligne robotisée']);
  const jump = await officer.req('POST', `/api/v1/projects/${project}/stage`, { stage: 'committee' });
  assertProblem({ label: 'a jump', status: jump.status }, 409, jump.headers, jump.text, /cannot move from qualified to committee/);
  const board = await officer.req('GET', `/api/v1/programmes/${programme}/projects`);
  assert.equal(board.status, 200);
  assert.equal(board.json.stages.length, 13);
  assert.deepEqual(board.json.projects.map((p) => [p.id, p.stage]), [[project, 'qualified']]);
});

test('a decision beyond a rule is refused with its reason (409); one within is committed', async () => {
  const over = await officer.req('POST', `/api/v1/projects/${project}/decision`, { date: '2026-03-31', advance: '300000.01', instalments: '4' });
  assertProblem({ label: 'max per project', status: over.status }, 409, over.headers, over.text, /the most one project may get from the advance envelope is 300000.00 euros/);
  const ok = await officer.req('POST', `/api/v1/projects/${project}/decision`, {
    date: '2026-03-31', subsidy: '100000', advance: '150000', deferral: '12', instalments: '4', every: '6',
  });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.stage, 'decided');
  assert.deepEqual(ok.json.schedule.map((i) => [i.due, i.amount]),
    [['2027-03-31', 3750000], ['2027-09-30', 3750000], ['2028-03-31', 3750000], ['2028-09-30', 3750000]]);
  const pay = await officer.req('POST', `/api/v1/projects/${project}/ledger`, { kind: 'pay', instrument: 'advance', amount: '150000', date: '2026-04-15' });
  assert.equal(pay.status, 201, pay.text);
  const more = await officer.req('POST', `/api/v1/projects/${project}/ledger`, { kind: 'pay', instrument: 'advance', amount: '0.01', date: '2026-04-16' });
  assertProblem({ label: 'over-payment', status: more.status }, 409, more.headers, more.text, /only 0.00 euros are committed and unpaid/);
  const rep = await officer.req('POST', `/api/v1/projects/${project}/ledger`, { kind: 'repay', instrument: 'advance', amount: '37500', date: '2027-03-31' });
  assert.equal(rep.status, 201, rep.text);
  const pos = await officer.req('GET', `/api/v1/programmes/${programme}/position?at=2027-12-31`);
  assert.equal(pos.status, 200, pos.text);
  assert.deepEqual(pos.json.envelopes.map((e) => [e.instrument, e.committed, e.paid, e.repaid, e.available]),
    [['subsidy', 10000000, 0, 0, 90000000], ['advance', 15000000, 15000000, 3750000, 38750000]]);
  const early = await officer.req('GET', `/api/v1/programmes/${programme}/position?at=2026-03-30`);
  assert.deepEqual(early.json.envelopes.map((e) => e.committed), [0, 0], 'nothing before the decision');
  const ledger = await officer.req('GET', `/api/v1/programmes/${programme}/ledger`);
  assert.deepEqual(ledger.json.entries.map((e) => e.kind), ['commit', 'commit', 'pay', 'repay']);
  const show = await officer.req('GET', `/api/v1/projects/${project}?at=2028-01-15`);
  assert.deepEqual(show.json.schedule.map((i) => i.state), ['paid', 'defaulted', 'due', 'due']);
  const impact = await officer.req('GET', `/api/v1/programmes/${programme}/impact?at=2028-01-15`);
  assert.equal(impact.status, 200, impact.text);
  assert.deepEqual([impact.json.projects_decided, impact.json.aid, impact.json.repayments.due, impact.json.repayments.defaulted],
    [1, 25000000, 7500000, 3750000]);
  assert.equal(impact.json.leverage, 150000 / 250000, '(400,000 - 250,000) / 250,000');
  const xlsx = await officer.req('GET', `/api/v1/programmes/${programme}/export.xlsx?at=2027-12-31`);
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  assert.match(xlsx.headers.get('content-disposition'), /attachment; filename="programme-rebond-api-\d{4}-\d{2}-\d{2}\.xlsx"/);
  assert.match(xlsx.headers.get('cache-control'), /no-store/);
  const late = await officer.req('POST', `/api/v1/projects/${project}`, { cost: '1' });
  assertProblem({ label: 'edit after the decision', status: late.status }, 409, late.headers, late.text, /checked against/);
});

test('interviews on the needs grid and their synthesis', async () => {
  const r = await officer.req('POST', `/api/v1/programmes/${programme}/interviews`,
    { siret: NEAR, date: '2026-02-10', scores: 'skills=3,finance=2', flags: 'succession', notes: 'Visite <b>atelier</b>' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.scores.skills, r.json.scores.land, r.json.flags, r.json.notes], [3, null, ['succession'], 'Visite <b>atelier</b>']);
  const bad = await officer.req('POST', `/api/v1/programmes/${programme}/interviews`, { siret: NEAR, scores: 'skills=9' });
  assertProblem({ label: 'a score of 9', status: bad.status }, 400, bad.headers, bad.text, /THEME=0\.\.3/);
  const syn = await officer.req('GET', `/api/v1/programmes/${programme}/synthesis`);
  assert.equal(syn.status, 200, syn.text);
  assert.deepEqual([syn.json.interviews, syn.json.firms, syn.json.needs.skills.strong, syn.json.red_flags.succession], [1, 1, 1, 1]);
});

test('another organisation cannot read the programme, nor one sharing a workspace (404)', async () => {
  for (const [who, c] of [['Région Nord', other], ['Sous-préfecture (workspace)', peer]]) {
    const list = await c.req('GET', '/api/v1/programmes');
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.programmes, [], `${who}: an empty list`);
    for (const path of [`/api/v1/programmes/${programme}`, '/api/v1/programmes/Rebond%20API', `/api/v1/programmes/${programme}/impact`, `/api/v1/programmes/${programme}/export.xlsx`,
      `/api/v1/programmes/${programme}/interviews`, `/api/v1/programmes/${programme}/synthesis`,
      `/api/v1/programmes/${programme}/position`, `/api/v1/programmes/${programme}/ledger`,
      `/api/v1/programmes/${programme}/projects`, `/api/v1/projects/${project}`]) {
      const r = await c.req('GET', path);
      assertProblem({ label: `${who} GET ${path}`, status: r.status }, 404, r.headers, r.text);
      assert.ok(!r.text.includes('Ligne') && !r.text.includes('EQUIPEMENTIER') && !r.text.includes('atelier'), `${who}: nothing of it in the answer`);
    }
  }
  const write = await other.req('POST', `/api/v1/programmes/${programme}/projects`, { siret: ASM, title: 'X', cost: '10' });
  assert.equal(write.status, 404, write.text);
  const pay = await other.req('POST', `/api/v1/projects/${project}/ledger`, { kind: 'pay', amount: '1' });
  assert.equal(pay.status, 404, pay.text);
  const g = await guest.req('GET', `/api/v1/programmes/${programme}`);
  assert.equal(g.status, 403, 'a guest (a firm) is refused by the route\'s role');
});

test('an organisation given a role reads the programme, and only an officer one writes', async () => {
  cli(env.db, ['programme', 'member', String(programme), 'Région Nord', 'funder']);
  const pos = await other.req('GET', `/api/v1/programmes/${programme}/position`);
  assert.equal(pos.status, 200, pos.text);
  const show = await other.req('GET', `/api/v1/programmes/${programme}`);
  assert.equal(show.json.role, 'funder');
  const write = await other.req('POST', `/api/v1/programmes/${programme}/projects`, { siret: ASM, title: 'X', cost: '10' });
  assertProblem({ label: 'funder writes', status: write.status }, 400, write.headers, write.text, /yours is its funder/);
});

test('every write through the API was audited', () => {
  const q = "SELECT count(*) FROM audit WHERE action LIKE 'POST /api/v1/programmes%' OR action LIKE 'POST /api/v1/projects/%'";
  const n = execFileSync(ENGINE === 'pg' ? 'psql' : 'sqlite3', ENGINE === 'pg' ? ['-X', '-qtA', env.db, '-c', q] : [env.db, q]).toString().trim();
  assert.equal(Number(n), 8, 'programme, project, its edit, stage, decision, payment, repayment, interview');
});
