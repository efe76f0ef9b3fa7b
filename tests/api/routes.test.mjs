// routes.test.mjs — the route table as the server publishes it: every
// operation of /api/v1/openapi.json (generated from the table's columns)
// answers a request built from its own parameters and body schema, every
// request body that breaks its route's schema is refused with a 400 problem
// naming the field, a route that takes no body refuses one, and each
// operation says who may call it and how long its answer is kept.
// Run: node --test --test-reporter=tap tests/api/routes.test.mjs
// Env: MAILLAGE_BIN (default build/maillage), MAILLAGE_DATA (reference data dir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeDb, startServer, rawRequest, assertProblem, FIX } from './support.mjs';

// The fixtures (tests/data/README.md).
const ASM = '91000001700012'; // car assembler, Aix-en-Provence
const NEAR = '91000002500015'; // car-parts maker 2.7 km away
const NETWORK = 'Lauréats';
const AMP = '200054807'; // EPCI: Métropole d'Aix-Marseille-Provence

let env, srv, doc;

before(async () => {
  env = makeDb([
    ['sirene', join(FIX, 'fixture_match.csv')],
    ['profiles', join(FIX, 'fixture_profiles.csv')],
    ['group', 'add', NETWORK, join(FIX, 'fixture_network.txt')],
  ]);
  // Documents need a folder on PostgreSQL (on SQLite one beside the file is the default).
  env.mk('doc', 'settings', '--folder', join(env.dir, 'documents'));
  srv = await startServer(env.db);
  doc = await (await fetch(`${srv.base}/api/v1/openapi.json`)).json();
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

// The routes of accounts (tag "accounts": signing in, tokens, members,
// the audit log) need accounts in the database: accounts.test.mjs and
// roles.test.mjs drive them. Business conventions (tag "events") need an
// event with participants and requests made in order: event.test.mjs
// answers each of them with its 2xx.
const operations = () => {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item))
      if (!op.tags.includes('accounts') && !op.tags.includes('events')) ops.push({ path, method: method.toUpperCase(), op });
  return ops;
};

// Ids the history's routes return, for the routes that name one (issue 11):
// the table lists a record's creation before the routes that use it.
const made = {};

/** A value of the fixtures for a parameter, by its name. */
function valueOf(p, path = '') {
  // A perimeter's path names the one the POST before it defined (its example).
  if (path.startsWith('/api/v1/perimeters/') && p.name === 'code') return 'p-etang-de-berre';
  const byName = { siret: ASM, siren: ASM.slice(0, 9), name: NETWORK, code: AMP, territory: AMP, kind: 'commune', q: 'aix',
    among: '13', criteria: 'industry_jobs_share:3:higher:minmax,establishments:1',
    filename: 'routes-test.pdf', programme: '1', project: '1', campaign: '1', interview: '1', action: '1', at: '2026-06-30', committee: '1', partner: '1', need: '1', contact: made.contacts, followup: made['follow-ups'], document: made.documents };
  if (p.name in byName) return byName[p.name];
  throw new Error(`no fixture value for the required parameter '${p.name}'`);
}

/** The operation's URL with its path parameters, its required query
 * parameters and the words of a search filled in. */
function urlOf(path, op) {
  let u = path;
  const query = new URLSearchParams();
  for (const p of op.parameters || []) {
    if (p.in === 'path') u = u.replace(`{${p.name}}`, encodeURIComponent(valueOf(p, path)));
    else if (p.required || p.name === 'q') query.set(p.name, valueOf(p));
  }
  const qs = query.toString();
  return qs ? `${u}?${qs}` : u;
}

/** The schema of a request body, resolved from the components. */
function bodySchema(op) {
  const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
  assert.ok(ref, `${op.operationId} describes its JSON body by a $ref`);
  const schema = doc.components.schemas[ref.replace('#/components/schemas/', '')];
  assert.ok(schema, `${ref} is in the components`);
  return schema;
}

// Fields whose text the library checks (the history's contacts).
const FIELD_VALUES = { email: 'routes.test@example.org', phone: '04 42 00 00 00', contacts: '' };

/** A body that satisfies a body schema, from the fixtures. */
function validBody(schema) {
  const body = {};
  const sirets = [NEAR, ASM];
  for (const [name, prop] of Object.entries(schema.properties)) {
    if (prop.pattern === '^[0-9]{14}$') body[name] = sirets.shift();
    else if (prop.examples) body[name] = prop.examples[0];
    else if (prop.format === 'date') body[name] = '2026-01-15';
    else if (name in FIELD_VALUES) body[name] = FIELD_VALUES[name];
    else if (prop.enum) body[name] = prop.enum.includes('note') ? 'note' : prop.enum[0];
    else body[name] = `routes test ${name}`;
  }
  return body;
}

const post = (path, body) => fetch(srv.base + path, {
  method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

test('the document has one operation per row, each with its role and its cache', () => {
  const ops = operations();
  assert.ok(ops.length >= 25, `${ops.length} operations`);
  for (const { path, method, op } of ops) {
    assert.ok(['public', 'guest', 'viewer', 'officer', 'admin'].includes(op['x-maillage-role']), `${method} ${path} role`);
    assert.equal(typeof op['x-maillage-cache-seconds'], 'number', `${method} ${path} cache`);
  }
  const get = (p, m = 'get') => doc.paths[p][m];
  assert.equal(get('/api/v1/search')['x-maillage-role'], 'public', 'reads are public');
  assert.equal(get('/api/v1/verdicts', 'post')['x-maillage-role'], 'officer', 'verdicts are for officers');
  assert.ok(get('/api/v1/info')['x-maillage-cache-seconds'] > 0, 'info is kept a while');
  assert.equal(get('/api/v1/search')['x-maillage-cache-seconds'], 0, 'a search is made afresh');
  assert.ok(get('/api/v1/openapi.json'), 'the document describes itself: it is a row too');
});

test('every operation of the document answers a request built from its own description', async () => {
  let n = 0;
  for (const { path, method, op } of operations()) {
    // Aid schemes and committees (tag "committees") need a catalogue and a
    // committee made in order: committee.test.mjs answers each with its 2xx.
    if (op.tags.includes('committees')) continue;
    const url = urlOf(path, op);
    const file = op.requestBody?.content?.['application/octet-stream'];
    const res = file ? await fetch(srv.base + url, { method, body: '%PDF-1.4\n', headers: { 'content-type': 'application/octet-stream' } })
      : method === 'POST' ? await post(url, validBody(bodySchema(op)))
        : method === 'DELETE' ? await fetch(srv.base + url, { method, headers: { 'content-type': 'application/json' } })
          : await fetch(srv.base + url);
    const text = await res.text();
    // Above the local officer's role (until accounts exist): a signed-in admin is needed, said so.
    if (op['x-maillage-role'] === 'admin') {
      assertProblem({ label: `${method} ${url}`, status: res.status }, 401, res.headers, text, /admin/);
      n++;
      continue;
    }
    const code = Object.keys(op.responses).find((c) => c.startsWith('2'));
    assert.equal(String(res.status), code, `${method} ${url} → ${res.status}: ${text.slice(0, 300)}`);
    const types = Object.keys(op.responses[code].content || {});
    if (!types.includes('application/octet-stream'))
      assert.ok(types.some((t) => (res.headers.get('content-type') || '').startsWith(t)),
        `${method} ${url}: content type ${res.headers.get('content-type')} is one of ${types}`);
    const made_ = method === 'POST' && path.match(/\/(contacts|follow-ups|documents)$/);
    if (made_) made[made_[1]] = JSON.parse(text).id;
    n++;
  }
  assert.ok(n >= 25, `${n} operations answered`);
});

test('every request body that breaks its route\'s schema answers 400 naming the field', async () => {
  const posts = operations().filter((o) => o.method === 'POST' && o.op.requestBody?.content?.['application/json']
    && o.op['x-maillage-role'] !== 'admin');
  assert.ok(posts.length >= 1, 'there is a route that takes a body');
  let n = 0;
  for (const { path, op } of posts) {
    const schema = bodySchema(op);
    const ok = validBody(schema);
    const broken = [];
    for (const [name, prop] of Object.entries(schema.properties)) {
      broken.push([name, `${name} a number`, { ...ok, [name]: 42 }]);
      broken.push([name, `${name} an object`, { ...ok, [name]: { x: 1 } }]);
      if (prop.enum) broken.push([name, `${name} not among ${prop.enum}`, { ...ok, [name]: 'perhaps' }]);
      if (prop.pattern) broken.push([name, `${name} not of ${prop.pattern}`, { ...ok, [name]: '1234' }]);
    }
    for (const name of schema.required) {
      const without = { ...ok };
      delete without[name];
      broken.push([name, `${name} missing`, without]);
      broken.push([name, `${name} null`, { ...ok, [name]: null }]);
    }
    for (const [field, what, body] of broken) {
      const res = await post(urlOf(path, op), body);
      const p = assertProblem({ label: `${op.operationId}: ${what}`, status: res.status }, 400, res.headers, await res.text());
      assert.equal(p.parameter, field, `${op.operationId}: ${what}: the problem names the field`);
      assert.ok(p.detail.includes(`'${field}'`), `${what}: the detail names the field: ${p.detail}`);
      n++;
    }
    assert.equal(schema.additionalProperties, false, `${op.operationId}: the schema says no other field`);
    const res = await post(urlOf(path, op), { ...ok, colour: 'blue' });
    assertProblem({ label: `${op.operationId}: unknown field`, status: res.status }, 400, res.headers, await res.text(), /colour/);
    n++;
  }
  assert.ok(n >= 15, `${n} broken bodies`);
});

test('the refused bodies left no verdict behind', async () => {
  const j = await (await fetch(`${srv.base}/api/v1/establishments/${ASM}/links`)).json();
  assert.deepEqual(j.links, [], 'no accepted link');
  assert.deepEqual(j.rejected, [], 'no rejected pair');
  assert.equal(j.notes.length, 1, 'only the one note of the valid body above');
  assert.equal(j.notes[0].note, 'routes test note');
});

test('a route that declares no body refuses one', async () => {
  const body = '{"q":"x"}';
  const { answers } = await rawRequest(srv.port, `GET /api/v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\n`
    + `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  assert.equal(answers.length, 1);
  assertProblem({ label: 'GET info with a body', status: answers[0].status }, 400, answers[0].headers, answers[0].body, /takes no body/);
});

test('a body with a key given twice is refused as invalid JSON', async () => {
  const res = await post('/api/v1/verdicts', `{"supplier":"${NEAR}","supplier":"${NEAR}","buyer":"${ASM}","verdict":"accept"}`);
  assertProblem({ label: 'duplicate key', status: res.status }, 400, res.headers, await res.text(), /duplicate/);
});

test('a kept answer (info, cache column) is not kept across a change of the data', async () => {
  const info = async () => (await (await fetch(`${srv.base}/api/v1/info`)).json()).counts.establishments;
  const first = await info();
  assert.equal(first, 8, 'fixture_match.csv holds 8 establishments');
  assert.equal(await info(), first, 'asked again: the same answer');
  env.mk('import', 'sirene', join(FIX, 'fixture_etablissements_2025.csv'), '--quiet', '--rejects', join(env.dir, 'r.csv'));
  // The server notices the commit (it looks once a second) and starts a new
  // snapshot, with no kept answer: the next info counts again.
  let now = first;
  for (let i = 0; i < 600 && now === first; i++) {
    await new Promise((r) => setTimeout(r, 100));
    now = await info();
  }
  assert.equal(now, 13, 'the 5 accepted rows of the 2025 fixture are counted');
});
