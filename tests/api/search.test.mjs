// search.test.mjs — what a person types, over HTTP: trade words, a SIRET
// with spaces, a SIREN, a postcode, names in filters and their suggestions,
// a word being typed (prefix=true), the nearest trades when nothing
// matches, and errors that list the candidates. On the hand-built search
// fixture (tests/data/fixture_search.csv, tests/data/README.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeDb, startServer, FIX } from './support.mjs';

const PREC = '92000001500015'; // machining (25.62B), Le Tholonet (postcode 13100)
const CUVE = '92000002300019'; // tanks (25.29Z), Aix-en-Provence
const PAIN = '92000003100012'; // bakery (10.71C), Beaurecueil (postcode 13100)
const SECRET = '92000004900014'; // machining, statut P: never shown
const CONSEIL = '92000005600019'; // "BOULANGER CONSEIL" (70.22Z), Marseille 8e (postcode 13008)
const MOUL = '92000006400013'; // flour mill (10.61A), Brest, head office
const MAG = '92000006400039'; // its bread shop (47.24Z)
const OLD = '92000007200016'; // closed boilermaker, Aix-en-Provence

let env, srv;
before(async () => {
  env = makeDb([['sirene', join(FIX, 'fixture_search.csv')]]);
  srv = await startServer(env.db);
});
after(async () => {
  await srv?.stop();
  env?.cleanup();
});

async function get(path, status = 200) {
  const res = await fetch(srv.base + path);
  const text = await res.text();
  assert.equal(res.status, status, `${path} → ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}
const search = (params) => get('/api/v1/search?' + new URLSearchParams(params));
const ids = (j) => j.results.map((r) => r.siret);

test('"usinage" finds the machining firm (25.62B) whose name does not say it, never the P one', async () => {
  const j = await search({ q: 'usinage', facets: 'true' });
  assert.deepEqual(ids(j), [PREC]);
  assert.deepEqual(j.query.interpretation.terms[0].trades_listed.map((x) => x.code), ['25.62A', '25.62B']);
  assert.equal(j.facets.counted, 1);
});

test('a word of a wider description only ("perçage") finds neighbouring activities, and says so', async () => {
  const j = await search({ q: 'perçage' });
  assert.deepEqual(ids(j), [PREC]);
  assert.equal(j.wider, true);
  assert.equal((await search({ q: 'usinage' })).wider, false);
});

test('"chaudronnerie" finds the boilermakers, the open one first', async () => {
  assert.deepEqual(ids(await search({ q: 'chaudronnerie' })), [CUVE, OLD]);
});

test('a SIRET typed with spaces finds that establishment', async () => {
  const j = await search({ q: '920 000 015 00015' });
  assert.deepEqual(ids(j), [PREC]);
  assert.equal(j.query.interpretation.siret, PREC);
});

test('a SIREN lists the company\'s establishments, head office first; a P SIRET shows nothing', async () => {
  assert.deepEqual(ids(await search({ q: '920000064' })), [MOUL, MAG]);
  assert.equal((await search({ q: SECRET })).total, 0);
});

test('the postcode 13100 finds the establishments of Aix-en-Provence, Beaurecueil, Le Tholonet…', async () => {
  const j = await search({ q: '13100' });
  assert.deepEqual(ids(j).sort(), [PREC, CUVE, PAIN, OLD].sort());
  assert.deepEqual(j.query.interpretation.postcode.communes.map((c) => c.code), ['13001', '13012', '13090', '13095', '13109']);
});

test('a word being typed (prefix=true) also matches the words it starts: "méca"', async () => {
  assert.equal((await search({ q: 'chaudro' })).total, 0);
  assert.deepEqual(ids(await search({ q: 'chaudro', prefix: 'true' })), [CUVE, OLD]);
  assert.deepEqual(ids(await search({ q: 'méca', prefix: 'true' })), [PREC]);
});

test('nothing found: the answer says what was searched and offers the nearest trades', async () => {
  const j = await search({ q: 'chaudronerie' });
  assert.equal(j.total, 0);
  assert.equal(j.query.text, 'chaudronerie');
  assert.equal(j.nearest[0].term, 'chaudronnerie');
});

test('filters take names: commune, département, NAF label or trade word', async () => {
  assert.deepEqual(ids(await search({ commune: 'Le Tholonet' })), [PREC]);
  assert.deepEqual(ids(await search({ dep: 'Finistère', naf: 'Meunerie' })), [MOUL]);
  assert.deepEqual(ids(await search({ dep: 'Bouches-du-Rhône', naf: 'chaudronnerie', active: 'true' })), [CUVE]);
  assert.deepEqual(ids(await search({ commune: 'Aix-en-Provence (13001)' })), [CUVE, OLD]);
});

test('an ambiguous commune name is a 400 that lists the communes with their codes', async () => {
  const p = await get('/api/v1/search?commune=Saint-Denis', 400);
  assert.match(p.detail, /Saint-Denis \(93066, Seine-Saint-Denis\)/);
  assert.equal(p.code, 'ambiguous_name');
  assert.match(p.detail, /Saint-Denis \(97411, La Réunion\)/);
});

test('suggest: a postcode proposes its communes, then the commune of that INSEE code', async () => {
  const j = await get('/api/v1/suggest?kind=commune&q=13100');
  assert.deepEqual(j.suggestions.map((s) => s.code), ['13001', '13109', '13095', '13012', '13090', '13100']);
  assert.equal(j.suggestions[0].match, 'postcode');
  assert.equal(j.suggestions.at(-1).match, 'code');
});

test('suggest: NAF codes by prefix in code order, trade words with their codes', async () => {
  const codes = await get('/api/v1/suggest?kind=naf&q=25.6');
  assert.deepEqual(codes.suggestions.map((s) => s.code), ['25.6', '25.61', '25.61Z', '25.62', '25.62A', '25.62B']);
  const words = await get('/api/v1/suggest?kind=naf&q=' + encodeURIComponent('chaudronnerie'));
  assert.equal(words.suggestions[0].code, 'chaudronnerie');
  assert.equal(words.suggestions[0].source, 'vocabulary');
  const dep = await get('/api/v1/suggest?kind=departement&q=bouches');
  assert.deepEqual(dep.suggestions.map((s) => s.code), ['13']);
});

test('suggest refuses an unknown kind, and a missing text, with problem documents', async () => {
  assert.match((await get('/api/v1/suggest?kind=planet&q=x', 400)).detail, /unknown kind/);
  assert.match((await get('/api/v1/suggest?kind=commune', 400)).detail, /q/);
});
