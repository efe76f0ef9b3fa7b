// campaign.test.mjs — interview campaigns and roadmaps over the real server
// (issue 13, item 2): an officer opens a campaign, reads the suggested firms
// with their reasons (never one of restricted diffusion), edits the list,
// plans visits within the engineering budget (refused past it, with the
// figures), records an interview on its visit and a project detected
// there, reads the campaign's synthesis, writes the roadmap's actions and
// downloads the roadmap as PDF and .docx; another organisation, even one
// sharing a workspace, sees none of it (404); every write is audited.
// Run: node --test --test-reporter=tap tests/api/campaign.test.mjs
// Env: MAILLAGE_BIN (default build/maillage), MAILLAGE_DATA (reference data dir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startServer, assertProblem, FIX, ENGINE, unzip } from './support.mjs';
import { accountsDb, cli, signedIn, PASSWORD } from './account_support.mjs';

const ASM = '91000001700012';
const NEAR = '91000002500015';
const TOULON = '91000003300019';
const PRIV = '91000006600019';
let env, srv, officer, peer, other, guest, programme, campaign, visit, interview, project, tmp;

/** The first value of a query on the test's database, on either engine. */
function sqlValue(q) {
  const out = ENGINE === 'pg' ? execFileSync('psql', ['-X', '-qtA', env.db, '-c', q])
    : execFileSync('sqlite3', [env.db, q]);
  return out.toString().trim();
}

/** A file answer as bytes (the client's req reads text). */
async function file(c, path) {
  const res = await fetch(srv.base + path, { headers: { cookie: c.cookieHeader() } });
  return { status: res.status, type: res.headers.get('content-type'), cd: res.headers.get('content-disposition'),
    cache: res.headers.get('cache-control'), buf: Buffer.from(await res.arrayBuffer()) };
}

before(async () => {
  env = accountsDb([['sirene', join(FIX, 'fixture_match.csv')], ['unites', join(FIX, 'fixture_unites.csv')]]);
  cli(env.db, ['org', 'add', 'Région Nord', '--type', 'agency']);
  cli(env.db, ['user', 'add', '--org', 'Région Nord', '--role', 'officer', 'officer@nord.example'], `${PASSWORD}\n`);
  srv = await startServer(env.db);
  officer = await signedIn(srv.base, 'officer');
  peer = await signedIn(srv.base, 'viewer');
  guest = await signedIn(srv.base, 'guest');
  const { Client } = await import('./account_support.mjs');
  other = new Client(srv.base);
  assert.equal((await other.login('officer@nord.example')).status, 200);
  tmp = mkdtempSync(join(tmpdir(), 'maillage-campaign-'));
  const r = await officer.req('POST', '/api/v1/programmes', { name: 'Rebond campagne', territory: '13', subsidy: '1000000' });
  assert.equal(r.status, 201, r.text);
  programme = r.json.id;
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('a campaign of the programme, with its period', async () => {
  const r = await officer.req('POST', `/api/v1/programmes/${programme}/campaigns`, { name: 'Vague 1', start: '2026-01-05', end: '2026-03-31' });
  assert.equal(r.status, 201, r.text);
  campaign = r.json.id;
  assert.deepEqual([r.json.name, r.json.start, r.json.end, r.json.firms], ['Vague 1', '2026-01-05', '2026-03-31', []]);
  const list = await officer.req('GET', `/api/v1/programmes/${programme}/campaigns`);
  assert.deepEqual(list.json.campaigns.map((c) => c.name), ['Vague 1']);
  assert.match(list.headers.get('cache-control'), /no-store/, 'never kept');
});

test('suggested firms: scored, each reason with its source, never one of restricted diffusion', async () => {
  const r = await officer.req('GET', `/api/v1/campaigns/${campaign}/suggestions?top=10`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.suggestions.length >= 2);
  assert.ok(!r.json.suggestions.some((s) => s.siret === PRIV), 'no restricted establishment');
  assert.ok(!r.text.includes('PRIVE'), 'nothing of it in the answer');
  for (const s of r.json.suggestions) {
    assert.equal(s.reasons.reduce((a, x) => a + x.points, 0), s.score, `${s.siret}: the points add up`);
    assert.ok(s.reasons.every((x) => x.source.length > 0), `${s.siret}: each reason says its data`);
  }
  const save = await officer.req('POST', `/api/v1/campaigns/${campaign}/suggestions`, { top: '3' });
  assert.equal(save.status, 201, save.text);
  assert.equal(save.json.added, 3);
});

test('the list is editable: a firm added with a reason, one removed with its reason', async () => {
  const add = await officer.req('POST', `/api/v1/campaigns/${campaign}/firms`, { siret: TOULON, reason: 'signalée par la CCI' });
  assert.equal(add.status, 201, add.text);
  assert.deepEqual([add.json.source, add.json.note], ['added', 'signalée par la CCI']);
  const priv = await officer.req('POST', `/api/v1/campaigns/${campaign}/firms`, { siret: PRIV, reason: 'x' });
  assertProblem({ label: 'restricted firm', status: priv.status }, 403, priv.headers, priv.text, /restricted diffusion/);
  const rm = await officer.req('POST', `/api/v1/campaigns/${campaign}/removals`, { siret: TOULON, reason: 'hors périmètre' });
  assert.equal(rm.status, 201, rm.text);
  assert.equal(rm.json.status, 'removed');
  const show = await officer.req('GET', `/api/v1/campaigns/${campaign}`);
  assert.deepEqual(show.json.removed.map((f) => [f.siret, f.note]), [[TOULON, 'hors périmètre']]);
});

test('visits within the engineering budget; past it, refused with the figures', async () => {
  const none = await officer.req('POST', `/api/v1/campaigns/${campaign}/visits`, { siret: ASM, date: '2026-01-12' });
  assertProblem({ label: 'no budget', status: none.status }, 409, none.headers, none.text, /no engineering budget/);
  const b = await officer.req('POST', `/api/v1/programmes/${programme}/engineering`, { days: '2' });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.json.engineering.budget, 20);
  const v = await officer.req('POST', `/api/v1/campaigns/${campaign}/visits`,
    { siret: ASM, date: '2026-01-12', time: '09:30', consultant: 'A. Martin', days: '1.5' });
  assert.equal(v.status, 201, v.text);
  visit = v.json.id;
  assert.deepEqual([v.json.status, v.json.visit_day, v.json.visit_time, v.json.consultant, v.json.tenths], ['planned', '2026-01-12', '09:30', 'A. Martin', 15]);
  const over = await officer.req('POST', `/api/v1/campaigns/${campaign}/visits`, { siret: NEAR, date: '2026-01-13', days: '1' });
  assertProblem({ label: 'past the budget', status: over.status }, 409, over.headers, over.text,
    /is 2\.0 person-days: 0\.0 consumed and 1\.5 reserved leave 0\.5, not the 1\.0 this visit takes/);
  const bad = await officer.req('POST', `/api/v1/campaigns/${campaign}/visits`, { siret: NEAR, date: '2026-01-13', days: 'deux' });
  assertProblem({ label: 'days in words', status: bad.status }, 400, bad.headers, bad.text, /'days'/);
});

test('an interview on its visit (done, its days consumed) and a project detected there', async () => {
  const r = await officer.req('POST', `/api/v1/programmes/${programme}/interviews`,
    { siret: ASM, date: '2026-01-12', scores: 'skills=3,export=2', flags: 'key_customer', visit: String(visit) });
  assert.equal(r.status, 201, r.text);
  interview = r.json.id;
  const pos = await officer.req('GET', `/api/v1/programmes/${programme}/engineering`);
  assert.deepEqual([pos.json.engineering.consumed, pos.json.engineering.reserved, pos.json.engineering.left], [15, 0, 5]);
  const p = await officer.req('POST', `/api/v1/interviews/${interview}/projects`,
    { title: 'Prospection export', type: 'export', cost: '120000', requested_subsidy: '30000' });
  assert.equal(p.status, 201, p.text);
  project = p.json.id;
  assert.deepEqual([p.json.siret, p.json.interview, p.json.type], [ASM, interview, 'export']);
  const list = await officer.req('GET', `/api/v1/programmes/${programme}/interviews`);
  assert.deepEqual(list.json.interviews[0].projects.map((x) => x.id), [project]);
  assert.equal(list.json.interviews[0].visit, visit);
  const syn = await officer.req('GET', `/api/v1/campaigns/${campaign}/synthesis`);
  assert.equal(syn.status, 200, syn.text);
  assert.deepEqual([syn.json.interviews, syn.json.needs.export.strong, syn.json.red_flags.key_customer, syn.json.projects_by_type[0].type],
    [1, 1, 1, 'export']);
  const w = await officer.req('POST', `/api/v1/campaigns/${campaign}/workshops`, { title: 'Atelier export', date: '2026-02-03', days: '1' });
  assertProblem({ label: 'workshop past the budget', status: w.status }, 409, w.headers, w.text, /this workshop takes/);
});

test('the roadmap: actions, then the document as PDF and .docx', async () => {
  const a = await officer.req('POST', `/api/v1/programmes/${programme}/actions`,
    { title: 'Accompagner la prospection export', owner: 'CCI', due: '2026-05-31', project: String(project) });
  assert.equal(a.status, 201, a.text);
  const b = await officer.req('POST', `/api/v1/programmes/${programme}/actions`, { title: 'Atelier compétences', need: 'skills' });
  assert.equal(b.status, 201, b.text);
  const bad = await officer.req('POST', `/api/v1/programmes/${programme}/actions`, { title: 'X', need: 'weather' });
  assertProblem({ label: 'unknown need', status: bad.status }, 400, bad.headers, bad.text, /need/);
  const d = await officer.req('POST', `/api/v1/actions/${a.json.id}/state`, { state: 'done' });
  assert.equal(d.json.state, 'done');
  const list = await officer.req('GET', `/api/v1/programmes/${programme}/actions`);
  assert.deepEqual([list.json.open, list.json.done], [1, 1]);

  const pdf = await file(officer, `/api/v1/programmes/${programme}/roadmap.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.type, 'application/pdf');
  assert.match(pdf.cd, /feuille-de-route.*\.pdf/);
  assert.match(pdf.cache || '', /no-store/);
  writeFileSync(join(tmp, 'r.pdf'), pdf.buf);
  const text = execFileSync('pdftotext', [join(tmp, 'r.pdf'), '-']).toString().replace(/\s+/g, ' ');
  for (const s of ['Feuille de route — Rebond campagne', 'Campagne « Vague 1 »', 'Accompagner la prospection export', 'Moins de 3 entreprises'])
    assert.ok(text.includes(s), `the PDF says '${s}'`);
  const docx = await file(officer, `/api/v1/programmes/${programme}/roadmap.docx`);
  assert.equal(docx.status, 200);
  assert.equal(docx.type, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  const parts = await unzip(docx.buf);
  for (const n of ['[Content_Types].xml', '_rels/.rels', 'word/document.xml']) assert.ok(parts[n], `the package has ${n}`);
  const xml = parts['word/document.xml'].toString();
  const words = xml.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  for (const s of ['Feuille de route — Rebond campagne', 'Atelier compétences', 'besoin : Compétences et recrutement'])
    assert.ok(words.includes(s), `the .docx says '${s}'`);
});

test('another organisation, even sharing a workspace, sees nothing of the campaign (404); a guest is refused', async () => {
  for (const [who, c] of [['Région Nord', other], ['Sous-préfecture (workspace)', peer]]) {
    for (const path of [`/api/v1/programmes/${programme}/campaigns`, `/api/v1/campaigns/${campaign}`,
      `/api/v1/campaigns/${campaign}/suggestions`, `/api/v1/campaigns/${campaign}/synthesis`,
      `/api/v1/programmes/${programme}/engineering`, `/api/v1/programmes/${programme}/actions`,
      `/api/v1/programmes/${programme}/roadmap.pdf`, `/api/v1/programmes/${programme}/roadmap.docx`]) {
      const r = await c.req('GET', path);
      assertProblem({ label: `${who} GET ${path}`, status: r.status }, 404, r.headers, r.text);
      assert.ok(!r.text.includes('ASSEMBLAGE') && !r.text.includes('Vague'), `${who}: nothing of it in the answer`);
    }
  }
  const w = await other.req('POST', `/api/v1/campaigns/${campaign}/firms`, { siret: NEAR, reason: 'x' });
  assert.equal(w.status, 404, w.text);
  const p = await other.req('POST', `/api/v1/interviews/${interview}/projects`, { title: 'X', cost: '10' });
  assert.equal(p.status, 404, p.text);
  const g = await guest.req('GET', `/api/v1/campaigns/${campaign}`);
  assert.equal(g.status, 403, 'a guest (a firm) is refused by the route\'s role');
  const v = await peer.req('POST', `/api/v1/campaigns/${campaign}/visits`, { siret: NEAR, date: '2026-01-13' });
  assert.equal(v.status, 403, 'a viewer does not write');
});

test('every write through the API was audited', () => {
  const n = sqlValue("SELECT count(*) FROM audit WHERE action LIKE 'POST /api/v1/campaigns/%' OR action LIKE 'POST /api/v1/programmes/%/campaigns' OR action LIKE 'POST /api/v1/programmes/%/engineering' OR action LIKE 'POST /api/v1/programmes/%/actions' OR action LIKE 'POST /api/v1/interviews/%' OR action LIKE 'POST /api/v1/actions/%'");
  assert.equal(Number(n), 10, 'campaign, suggestions saved, firm added, removal, budget, visit, project, two actions, a state');
});
