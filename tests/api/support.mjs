// support.mjs — what the API test files share: a database built by the real
// binary from the fixtures, the real server on a free port, raw requests
// (bytes sent as given, for what fetch refuses to send), and the check that
// an answer is a problem document (RFC 9457).
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const BIN = process.env.MAILLAGE_BIN ? resolve(process.env.MAILLAGE_BIN) : join(ROOT, 'build/maillage');
export const FIX = join(ROOT, 'tests/data');
export const ENV = { ...process.env, MAILLAGE_DATA: process.env.MAILLAGE_DATA || join(ROOT, 'data') };

/**
 * The engine of this run: 'sqlite', or 'pg' on the PostgreSQL pass of
 * tests/run.sh (MAILLAGE_TEST_ENGINE=pg, MAILLAGE_PG_URL from
 * tests/pg/cluster.sh), where each database is a fresh PostgreSQL database.
 * A test about SQLite files passes { skip: SQLITE_ONLY } to node's test().
 */
export const ENGINE = process.env.MAILLAGE_TEST_ENGINE === 'pg' ? 'pg' : 'sqlite';
export const SQLITE_ONLY = ENGINE === 'pg' && 'about the SQLite file (PostgreSQL pass)';
let pgDatabases = 0;

/** A new, empty PostgreSQL database of the cluster: its URL and a function that drops it. */
function makePgDb() {
  const admin = process.env.MAILLAGE_PG_URL;
  if (!admin) throw new Error('MAILLAGE_TEST_ENGINE=pg needs MAILLAGE_PG_URL (tests/pg/cluster.sh)');
  const name = `api_${process.pid}_${++pgDatabases}`;
  execFileSync('psql', ['-X', '-q', admin, '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
  const url = admin.replace(/^(postgres(?:ql)?:\/\/[^/]*\/)[^?]*/, `$1${name}`);
  const drop = () => {
    try {
      execFileSync('psql', ['-X', '-q', admin, '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'pipe' });
    } catch { /* the cluster goes with the run */ }
  };
  return { url, drop };
}

/** Where a new database goes: a file in dir, or a new PostgreSQL database. */
export function newDatabase(dir) {
  if (ENGINE !== 'pg') return { db: join(dir, 'api.db'), drop: () => {} };
  const pg = makePgDb();
  return { db: pg.url, drop: pg.drop };
}

/** A fresh directory with a database: init, then `imports` ([kind, file] pairs). */
export function makeDb(imports = [['sirene', join(FIX, 'fixture_match.csv')]]) {
  const dir = mkdtempSync(join(tmpdir(), 'maillage-api-'));
  const pg = ENGINE === 'pg' ? makePgDb() : null;
  const db = pg ? pg.url : join(dir, 'api.db');
  const mk = (...args) => execFileSync(BIN, ['--db', db, ...args], { stdio: 'pipe', env: ENV });
  mk('init');
  for (const [kind, ...rest] of imports) mk(kind === 'group' ? 'group' : 'import', ...(kind === 'group' ? rest : [kind, ...rest]));
  return {
    dir, db, mk, cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      if (pg) pg.drop();
    },
  };
}

/** Starts `maillage serve` on db; resolves when it answers. */
export async function startServer(db, args = ['--quiet']) {
  const proc = spawn(BIN, ['--db', db, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: ENV,
  });
  const s = { proc, stderr: '', stdout: '' };
  proc.stderr.on('data', (d) => { s.stderr += d; });
  s.exited = new Promise((ok) => proc.on('exit', (code, signal) => ok({ code, signal })));
  s.port = await new Promise((ok, ko) => {
    const timer = setTimeout(() => ko(new Error(`server did not start: ${s.stdout} ${s.stderr}`)), 30000);
    proc.stdout.on('data', (d) => {
      s.stdout += d;
      const m = s.stdout.match(/^maillage serves .* on http:\/\/[0-9.]+:(\d+)\//m);
      if (m) { clearTimeout(timer); ok(Number(m[1])); }
    });
    proc.on('exit', (c) => { clearTimeout(timer); ko(new Error(`server exited with ${c}: ${s.stderr}`)); });
  });
  s.base = `http://127.0.0.1:${s.port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${s.base}/api/v1/info`)).ok) break; } catch (e) { if (i > 200) throw e; }
    await new Promise((r) => setTimeout(r, 50));
  }
  s.stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    return s.exited;
  };
  return s;
}

/**
 * Sends `bytes` (a string taken as latin1, or a Buffer) on a new connection
 * and reads until the server closes it or `ms` pass. Resolves to the answers
 * parsed: [{status, headers, body}], plus `raw`.
 */
export function rawRequest(port, bytes, { ms = 10000 } = {}) {
  return new Promise((ok) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', () => {}); // a reset after the answer is fine
    const done = () => {
      const raw = Buffer.concat(chunks);
      ok({ raw, answers: parseAnswers(raw) });
    };
    sock.on('close', done);
    sock.setTimeout(ms, () => sock.destroy());
    sock.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, () => {});
  });
}

/** Splits a byte stream of HTTP/1.1 answers (Content-Length framed). */
export function parseAnswers(raw) {
  const out = [];
  let pos = 0;
  while (pos < raw.length) {
    const end = raw.indexOf('\r\n\r\n', pos);
    if (end < 0) break;
    const head = raw.subarray(pos, end).toString('latin1').split('\r\n');
    const m = head[0].match(/^HTTP\/1\.[01] (\d{3})/);
    if (!m) break;
    const headers = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const len = Number(headers['content-length'] || 0);
    const body = raw.subarray(end + 4, end + 4 + len).toString('utf8');
    out.push({ status: Number(m[1]), headers, body });
    pos = end + 4 + len;
  }
  return out;
}

/** Asserts an answer is a problem document with the given status (or range). */
export function assertProblem(what, status, headers, body, want) {
  const get = (h) => (typeof headers.get === 'function' ? headers.get(h) : headers[h]);
  if (Array.isArray(status)) assert.ok(status.includes(what.status), `${what.label}: status ${what.status} not in ${status}: ${String(body).slice(0, 300)}`);
  else assert.equal(what.status, status, `${what.label}: ${String(body).slice(0, 300)}`);
  assert.match(get('content-type') || '', /^application\/problem\+json\b/, `${what.label}: content type`);
  let p;
  assert.doesNotThrow(() => { p = JSON.parse(body); }, `${what.label}: JSON body: ${String(body).slice(0, 200)}`);
  assert.equal(p.status, what.status, `${what.label}: the status inside is the HTTP status`);
  assert.equal(typeof p.title, 'string', `${what.label}: title`);
  assert.equal(typeof p.detail, 'string', `${what.label}: detail`);
  assert.ok(p.title.length > 0 && p.detail.length > 0, `${what.label}: title and detail are not empty`);
  assert.ok(p.detail.length <= 2048, `${what.label}: the detail is bounded`);
  if (want) assert.match(p.detail, want, what.label);
  return p;
}

/**
 * The files of a zip archive (an .xlsx workbook) as {name: Buffer}, read from
 * its central directory with node's zlib: enough to look inside a workbook
 * without a spreadsheet library.
 */
export async function unzip(buf) {
  const { inflateRawSync } = await import('node:zlib');
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'the zip has an end of central directory');
  const n = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = {};
  for (let i = 0; i < n; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'a central directory entry');
    const method = buf.readUInt16LE(p + 10), csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nlen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + csize);
    files[name] = method === 8 ? inflateRawSync(data) : Buffer.from(data);
    p += 46 + nlen + xlen + clen;
  }
  return files;
}

/** The text of the cells of one worksheet's XML, row by row (inline and shared strings). */
export function sheetRows(xml, shared = []) {
  const rows = [];
  for (const m of xml.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells = [];
    for (const c of m[1].matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = c[1], body = c[2] || '';
      const col = attrs.match(/r="([A-Z]+)\d+"/)[1];
      const idx = [...col].reduce((a, ch) => a * 26 + ch.charCodeAt(0) - 64, 0) - 1;
      let v = '';
      if (/t="inlineStr"/.test(attrs)) v = (body.match(/<t[^>]*>([\s\S]*?)<\/t>/) || [])[1] || '';
      else if (/t="s"/.test(attrs)) v = shared[Number((body.match(/<v>(\d+)<\/v>/) || [])[1])];
      else v = (body.match(/<v>([^<]*)<\/v>/) || [])[1] || '';
      cells[idx] = v.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
    }
    rows.push(cells);
  }
  return rows;
}
