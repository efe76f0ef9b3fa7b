// roles.test.mjs — the role matrix, generated from the route table as the
// server publishes it (/api/v1/openapi.json: x-maillage-role, and
// x-maillage-open for the routes anyone may call): every route is called
// by nobody, a guest, a viewer, an officer and an administrator, and each
// answer is compared with what the table says: refused (401 for nobody,
// 403 for a signed-in caller) exactly when the caller's role is below the
// route's; the public directory is closed to nobody with --public-read no.
// Run: node --test --test-reporter=tap tests/api/roles.test.mjs
// Env: MAILLAGE_BIN (default build/maillage), MAILLAGE_DATA (reference data dir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, FIX } from './support.mjs';
import { accountsDb, Client, signedIn } from './account_support.mjs';

const ASM = '91000001700012';
const NEAR = '91000002500015';
const NETWORK = 'Lauréats';
const AMP = '200054807';
const RANK = { public: 0, guest: 1, viewer: 2, officer: 3, admin: 4 };
const CALLERS = ['nobody', 'guest', 'viewer', 'officer', 'admin'];
// The answers that are the role check's refusals (a handler's own 4xx,
// e.g. a wrong password, is an answer of an allowed call).
const REFUSALS = new Set(['authentication_required', 'forbidden']);
// Calls that end the caller's session: it signs in again after them.
const ENDS_SESSION = new Set(['DELETE /api/v1/session', 'DELETE /api/v1/sessions']);

let env, srv, closed, doc;

before(async () => {
  env = accountsDb([['sirene', join(FIX, 'fixture_match.csv')], ['group', 'add', NETWORK, join(FIX, 'fixture_network.txt')]]);
  srv = await startServer(env.db);
  closed = await startServer(env.db, ['--quiet', '--public-read', 'no']);
  doc = await (await fetch(`${srv.base}/api/v1/openapi.json`)).json();
});

after(async () => {
  await srv?.stop();
  await closed?.stop();
  env?.cleanup();
});

function operations() {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) ops.push({ path, method: method.toUpperCase(), op });
  return ops;
}

function urlOf(path, op) {
  const byName = { siret: ASM, siren: ASM.slice(0, 9), name: NETWORK, code: path.startsWith('/api/v1/perimeters/') ? 'p-essai' : AMP,
    territory: AMP, kind: 'commune', q: 'aix', id: '1', contact: '1', followup: '1', document: 'a'.repeat(32),
    filename: 'essai.pdf', among: '13', criteria: 'jobs:1', programme: '1', project: '1', campaign: '1', interview: '1', action: '1',
    event: '1', participant: '1', token: 'a'.repeat(43), need: '1', committee: '1', partner: '1' };
  let u = path;
  const query = new URLSearchParams();
  for (const p of op.parameters || []) {
    if (p.in === 'path') u = u.replace(`{${p.name}}`, encodeURIComponent(byName[p.name]));
    else if (p.required) query.set(p.name, byName[p.name]);
  }
  const qs = query.toString();
  return qs ? `${u}?${qs}` : u;
}

function bodyOf(op) {
  const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
  if (!ref) return undefined;
  const schema = doc.components.schemas[ref.split('/').pop()];
  const body = {};
  const sirets = [NEAR, ASM];
  for (const [name, prop] of Object.entries(schema.properties)) {
    if (prop.pattern === '^[0-9]{14}$') body[name] = sirets.shift();
    else if (prop.enum) body[name] = prop.enum.includes('note') ? 'note' : prop.enum.includes('viewer') ? 'viewer' : prop.enum[0];
    else body[name] = `roles test ${name}`;
  }
  return body;
}

/** The callers, each a client (nobody: signed out, with its CSRF cookie). */
async function callers(base) {
  const c = { nobody: new Client(base) };
  await c.nobody.session();
  for (const role of CALLERS.slice(1)) c[role] = await signedIn(base, role);
  return c;
}

async function matrix(base, publicRead) {
  const c = await callers(base);
  const rows = [];
  let n = 0;
  for (const { path, method, op } of operations()) {
    const need = op['x-maillage-role'];
    assert.ok(need in RANK, `${method} ${path}: a known role (${need})`);
    for (const who of CALLERS) {
      const rank = who === 'nobody' ? 0 : RANK[who];
      let allowed = rank >= RANK[need];
      if (who === 'nobody' && need === 'public' && !publicRead && !op['x-maillage-open']) allowed = false;
      const r = await c[who].req(method, urlOf(path, op), bodyOf(op));
      const refused = r.status >= 400 && REFUSALS.has(r.json?.code);
      rows.push(`${method} ${path} ${who}: ${refused ? 'refused' : 'allowed'} (${r.status})`);
      assert.equal(refused, !allowed,
        `${method} ${path} by ${who} (route role ${need}): expected ${allowed ? 'allowed' : 'refused'}, got ${r.status} ${r.text.slice(0, 200)}`);
      if (refused) assert.equal(r.status, who === 'nobody' ? 401 : 403, `${method} ${path} by ${who}`);
      assert.ok(r.status < 500, `${method} ${path} by ${who}: ${r.status} ${r.text.slice(0, 200)}`);
      if (ENDS_SESSION.has(`${method} ${path}`) && who !== 'nobody' && allowed) c[who] = await signedIn(base, who);
      n++;
    }
  }
  return { n, rows };
}

test('every route with every role, as the table says (public reading on)', async () => {
  const { n } = await matrix(srv.base, true);
  assert.ok(n >= 5 * 35, `${n} calls`);
});

test('every route with every role, the directory kept to accounts (--public-read no)', async () => {
  const { n, rows } = await matrix(closed.base, false);
  assert.ok(n >= 5 * 35, `${n} calls`);
  assert.ok(rows.includes('GET /api/v1/search nobody: refused (401)'), 'the search is closed to nobody');
  assert.ok(rows.some((r) => r.startsWith('GET /api/v1/search guest: allowed')), 'a guest signed in reads the directory');
  assert.ok(rows.some((r) => r.startsWith('GET /api/v1/openapi.json nobody: allowed')), 'the API document stays open');
});

test('the table covers each role: some route needs each of public, guest, viewer, officer, admin', () => {
  const needed = new Set(operations().map((o) => o.op['x-maillage-role']));
  for (const role of Object.keys(RANK)) assert.ok(needed.has(role), role);
});
