// live_import.test.mjs — an import runs while `maillage serve` answers: the
// import succeeds (no "database is locked"), every answer given meanwhile is
// the previous data or the new, never a part, and once the import commits the
// server uses the new data, suggestions included (its snapshot is rebuilt).
// Run: node --test --test-reporter=tap tests/api/live_import.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDb, startServer, BIN, ENV, FIX, SQLITE_ONLY } from './support.mjs';

const DECOLLETAGE = '90000002700012'; // in fixture_etablissements_2025.csv only
let env, srv;

before(async () => {
  env = makeDb();
  srv = await startServer(env.db, []);
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

function importFile(file) {
  return new Promise((ok) => {
    const p = spawn(BIN, ['--db', env.db, 'import', 'sirene', file, '--quiet', '--rejects', join(env.dir, 'r.csv')], { env: ENV });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (code) => ok({ code, out, err }));
  });
}

async function json(path) {
  const res = await fetch(srv.base + path);
  return { status: res.status, body: await res.json() };
}

/** Luhn check digit. */
function luhn(s) {
  for (let d = 0; d <= 9; d++) {
    let sum = 0;
    const t = s + d;
    for (let i = 0; i < t.length; i++) {
      const v = Number(t[t.length - 1 - i]) * (i % 2 ? 2 : 1);
      sum += v > 9 ? v - 9 : v;
    }
    if (sum % 10 === 0) return String(d);
  }
  throw new Error('no digit');
}

test('an import runs while the server answers, and the server then serves the new data', async () => {
  let r = await json('/api/v1/search?q=decolletage');
  assert.equal(r.body.total, 0, 'not there before');
  r = await json(`/api/v1/establishments/${DECOLLETAGE}/suppliers`);
  assert.equal(r.status, 404);

  const done = await importFile(join(FIX, 'fixture_etablissements_2025.csv'));
  assert.equal(done.code, 0, `the import succeeds beside the server: ${done.err}`);
  assert.doesNotMatch(done.err, /locked/);

  r = await json('/api/v1/search?q=decolletage');
  assert.equal(r.body.total, 1, 'searches see the committed rows at once');
  // Suggestions read the snapshot: the server rebuilds it after the commit.
  for (let i = 0; ; i++) {
    r = await json(`/api/v1/establishments/${DECOLLETAGE}/suppliers`);
    if (r.status === 200) break;
    assert.ok(i < 600, `the snapshot was not rebuilt: ${JSON.stringify(r.body)}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.ok(r.body.suggestions.length > 0);
  assert.match(srv.stderr, /the database changed/);
});

test('while a long import runs, every answer is the previous data or the new, never a part', async () => {
  // 900 new establishments (search totals are exact under 1,000), one transaction.
  const lines = readFileSync(join(FIX, 'fixture_match.csv'), 'utf8').split('\n');
  const head = lines[0].split(',');
  const base = lines[1].split(',');
  const out = [lines[0]];
  const N = 900;
  for (let i = 0; i < N; i++) {
    const row = [...base];
    const siren = '95' + String(i).padStart(6, '0') + luhn('95' + String(i).padStart(6, '0'));
    const siret = siren + '0001' + luhn(siren + '0001');
    row[head.indexOf('siren')] = siren;
    row[head.indexOf('nic')] = siret.slice(9);
    row[head.indexOf('siret')] = siret;
    row[head.indexOf('enseigne1Etablissement')] = 'CHAUDRONNERIE EN LOT';
    out.push(row.join(','));
  }
  const file = join(env.dir, 'lot.csv');
  writeFileSync(file, out.join('\n') + '\n');
  const running = importFile(file);
  let finished = false;
  running.then(() => { finished = true; });
  const seen = new Set();
  while (!finished) {
    const r = await json('/api/v1/search?q=chaudronnerie&limit=1');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    seen.add(r.body.total);
    assert.ok(r.body.total === 0 || r.body.total >= N, `a partial import was visible: ${r.body.total}`);
  }
  const done = await running;
  assert.equal(done.code, 0, done.err);
  const r = await json('/api/v1/search?q=chaudronnerie&limit=1');
  assert.ok(r.body.total >= N, `${r.body.total} after the commit`);
  assert.ok(seen.has(0) || seen.size === 0 || [...seen].every((t) => t >= N), [...seen].join(','));
});

// An SQLite file locked by another process; PostgreSQL's writers wait for
// row locks instead (tests/cli/t_pg.sh and t_pg_shared.sh write through two servers).
test('a verdict sent while another process writes the database gets a 503 "busy" soon, and is recorded when sent again', { skip: SQLITE_ONLY }, async () => {
  // Another writer holds the write lock, as a first import does from start to
  // commit, or an update while it writes its changes.
  const lock = spawn('sqlite3', ['-cmd', 'BEGIN IMMEDIATE;', env.db], { stdio: ['pipe', 'ignore', 'ignore'] });
  const locked = () => {
    try {
      execFileSync('sqlite3', ['-cmd', '.timeout 0', env.db, 'BEGIN IMMEDIATE; ROLLBACK;'], { stdio: 'ignore' });
      return false;
    } catch (_) {
      return true;
    }
  };
  for (let i = 0; i < 100 && !locked(); i++) await new Promise((ok) => setTimeout(ok, 50));
  assert.ok(locked(), 'the other writer holds the lock');
  const body = JSON.stringify({ supplier: '91000002500015', buyer: '91000001700012', verdict: 'accept', author: 'pendant import' });
  const post = () => fetch(srv.base + '/api/v1/verdicts', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body,
  });
  const t0 = Date.now();
  const res = await post();
  const waited = Date.now() - t0;
  const problem = await res.json();
  assert.equal(res.status, 503);
  assert.equal(problem.code, 'busy');
  assert.match(problem.detail, /another process is writing the database.*nothing was changed; try again/);
  assert.equal(res.headers.get('retry-after'), '10', 'the client is told when to try again');
  assert.ok(waited < 9000, `answered after ${waited} ms, not after a long wait`);
  lock.stdin.end('ROLLBACK;\n');
  await new Promise((ok) => lock.on('exit', ok));
  const again = await post();
  assert.equal(again.status, 201, 'sent again once the writer is done, it is recorded');
  const links = await (await fetch(srv.base + '/api/v1/establishments/91000001700012/links')).json();
  assert.equal(links.links.filter((l) => l.author === 'pendant import').length, 1, 'recorded once');
});
