// needs.test.mjs — the needs grid through the API with accounts (tag
// "needs"): an officer sets levels of a territory's and a firm's needs, the
// history is kept and the grid shows the latest; a viewer of an organisation
// sharing a workspace reads them, an officer of another organisation does
// not see them, a viewer may not write, a guest may not read; bad bodies and
// unknown subjects answer problem documents. Every 2xx answer matches the
// route's schema in the OpenAPI document.
// Run: node --test --test-reporter=tap tests/api/needs.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startServer, FIX } from './support.mjs';
import { accountsDb, cli, signedIn, Client, PASSWORD } from './account_support.mjs';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js').default;

const AMP = '200054807';
const ASM = '91000001700012';
const PRIV = '91000006600019';
const T = `/api/v1/territories/${AMP}/needs`;
const F = `/api/v1/establishments/${ASM}/needs`;
let env, srv, doc, ajv, officer, viewer, other, guest;

before(async () => {
  env = accountsDb([['sirene', join(FIX, 'fixture_match.csv')]]);
  cli(env.db, ['org', 'add', 'Autre agence', '--type', 'agency']);
  cli(env.db, ['user', 'add', '--org', 'Autre agence', '--role', 'officer', 'other@autre.example'], `${PASSWORD}\n`);
  srv = await startServer(env.db);
  doc = await (await fetch(`${srv.base}/api/v1/openapi.json`)).json();
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ ...doc, $id: 'openapi' });
  officer = await signedIn(srv.base, 'officer');
  viewer = await signedIn(srv.base, 'viewer');
  guest = await signedIn(srv.base, 'guest');
  other = new Client(srv.base);
  assert.equal((await other.login('other@autre.example')).status, 200);
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

const ptr = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
function matches(method, pattern, status, json) {
  const ref = `openapi#/paths/${encodeURIComponent(ptr(pattern))}/${method}/responses/${status}/content/${encodeURIComponent(ptr('application/json'))}/schema`;
  const v = ajv.getSchema(ref) || ajv.compile({ $ref: ref });
  assert.ok(v(json), `${method} ${pattern} matches its schema: ${ajv.errorsText(v.errors)}`);
}

const level = (grid, need) => grid.needs.find((n) => n.need === need).level;

test('the needs routes are in the document: reads for viewers, writes for officers', () => {
  for (const p of ['/api/v1/territories/{code}/needs', '/api/v1/establishments/{siret}/needs']) {
    assert.equal(doc.paths[p].get['x-maillage-role'], 'viewer');
    assert.equal(doc.paths[p].post['x-maillage-role'], 'officer');
    assert.deepEqual(doc.paths[p].get.tags, ['needs']);
  }
});

test('an officer sets a territory\'s needs; the grid shows the latest level, the history every one', async () => {
  const note = '<img src=x onerror=alert(1)> =1+1 "Soudeurs"';
  let r = await officer.req('POST', T, { need: 'skills', level: 'high', note });
  assert.equal(r.status, 201, r.text);
  matches('post', '/api/v1/territories/{code}/needs', 201, r.json);
  r = await officer.req('POST', T, { need: 'skills', level: 'critical' });
  r = await officer.req('POST', T, { need: 'land', level: 'low', note: 'Friches à Fos' });
  assert.equal(r.status, 201);
  r = await officer.req('GET', T);
  assert.equal(r.status, 200);
  matches('get', '/api/v1/territories/{code}/needs', 200, r.json);
  assert.equal(r.json.subject.code, AMP);
  assert.equal(level(r.json, 'skills'), 'critical');
  assert.equal(level(r.json, 'land'), 'low');
  assert.equal(level(r.json, 'export'), null);
  assert.deepEqual(r.json.history.map((h) => `${h.need}:${h.level}`), ['land:low', 'skills:critical', 'skills:high']);
  assert.equal(r.json.history[2].note, note, 'the note comes back as written');
  assert.equal(r.json.history[0].author, 'officer@agence.example');
});

test('a viewer of an organisation sharing a workspace reads them; an officer of another organisation does not', async () => {
  let r = await viewer.req('GET', T);
  assert.equal(r.status, 200, r.text);
  assert.equal(level(r.json, 'skills'), 'critical');
  assert.equal(r.json.history.length, 3);
  r = await other.req('GET', T);
  assert.equal(r.status, 200);
  assert.equal(level(r.json, 'skills'), null, 'another organisation\'s levels are not shown');
  assert.equal(r.json.history.length, 0);
  // Its own level is its own: the first organisation still sees its own.
  r = await other.req('POST', T, { need: 'skills', level: 'none' });
  assert.equal(r.status, 201);
  assert.equal(level(r.json, 'skills'), 'none');
  r = await officer.req('GET', T);
  assert.equal(level(r.json, 'skills'), 'critical');
});

test('a viewer may not set a need; a guest may not read them', async () => {
  let r = await viewer.req('POST', T, { need: 'skills', level: 'low' });
  assert.equal(r.status, 403, r.text);
  assert.match(r.headers.get('content-type'), /application\/problem\+json/);
  r = await guest.req('GET', T);
  assert.equal(r.status, 403, r.text);
});

test('a firm\'s needs are its own grid', async () => {
  let r = await officer.req('POST', F, { need: 'export', level: 'medium', note: 'Salon à Hanovre' });
  assert.equal(r.status, 201, r.text);
  matches('post', '/api/v1/establishments/{siret}/needs', 201, r.json);
  assert.equal(r.json.subject.kind, 'firm');
  r = await viewer.req('GET', F);
  matches('get', '/api/v1/establishments/{siret}/needs', 200, r.json);
  assert.equal(level(r.json, 'export'), 'medium');
  assert.equal(level(r.json, 'skills'), null);
  assert.equal(r.json.history.length, 1);
});

test('bad bodies and subjects answer problem documents', async () => {
  let r = await officer.req('POST', T, { need: 'weather', level: 'high' });
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /need/);
  r = await officer.req('POST', T, { need: 'skills', level: 'extreme' });
  assert.equal(r.status, 400);
  r = await officer.req('POST', T, { need: 'skills' });
  assert.equal(r.status, 400);
  r = await officer.req('POST', T, { need: 'skills', level: 'low', note: 'x'.repeat(4001) });
  assert.ok([400, 413].includes(r.status), r.text);
  r = await officer.req('POST', '/api/v1/territories/99999/needs', { need: 'skills', level: 'low' });
  assert.equal(r.status, 404);
  r = await officer.req('POST', `/api/v1/establishments/${PRIV}/needs`, { need: 'skills', level: 'low' });
  assert.ok(r.status >= 400 && r.status < 500, r.text);
  assert.match(r.json.detail, /restricted diffusion/);
  r = await officer.req('GET', T);
  assert.equal(r.json.history.filter((h) => h.org === r.json.history[0].org).length, 3, 'refusals wrote nothing');
});
