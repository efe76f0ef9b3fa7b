// privacy.test.mjs — the secrecy rule of docs/privacy.md, attacked the way
// issue 9 did it, on a generated Aix-Marseille (30,000 establishments, about
// 600 of them with status P): for every commune, the territory's figures
// against the search's list, totals and facets, the exports, and the
// metropolis against its communes. Nothing the rule calls secret may come out:
// no P establishment's SIRET, and so no name, address or position of one; no
// statistic under 3; no table whose shown cells and "other" line do not add
// up to its total (which would give a hidden cell back by subtraction).
// Run: node --test --test-reporter=tap tests/api/privacy.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ENV, makeDb, startServer } from './support.mjs';

const EPCI = '200054807';
const MIN = 3;
let db, server, communes, priv, privBySiren, allRows;

before(async () => {
  db = makeDb([]);
  execFileSync(BIN, ['demo', '--territory', EPCI, '--size', '30000', '--seed', '7', '--out', join(db.dir, 'demo')], { env: ENV });
  db.mk('import', 'unites', join(db.dir, 'demo/StockUniteLegale_utf8.csv'), '--rejects', join(db.dir, 'u.rej'));
  db.mk('import', 'sirene', join(db.dir, 'demo/StockEtablissement_utf8.csv'), '--rejects', join(db.dir, 's.rej'));
  // The P establishments, read from the generated file itself.
  const lines = readFileSync(join(db.dir, 'demo/StockEtablissement_utf8.csv'), 'utf8').trimEnd().split('\n');
  const head = lines[0].split(',');
  const col = (n) => head.indexOf(n);
  const [cSiret, cDiff, cState, cCommune] = ['siret', 'statutDiffusionEtablissement', 'etatAdministratifEtablissement', 'codeCommuneEtablissement'].map(col);
  allRows = lines.slice(1).map((l) => l.split(','));
  priv = new Set(allRows.filter((r) => r[cDiff] === 'P').map((r) => r[cSiret]));
  privBySiren = new Set([...priv].map((s) => s.slice(0, 9)));
  assert.ok(priv.size > 100, `the generated territory has P establishments: ${priv.size}`);
  // P rows that are active, by commune: what the comparison of outputs may reveal (public).
  db.privActiveByCommune = new Map();
  for (const r of allRows) if (r[cDiff] === 'P' && r[cState] === 'A') db.privActiveByCommune.set(r[cCommune], (db.privActiveByCommune.get(r[cCommune]) || 0) + 1);
  server = await startServer(db.db);
  const c = await get(`/api/v1/map/communes?territory=${EPCI}`);
  communes = c.communes.map((x) => x.code);
  assert.ok(communes.length >= 92, `the communes of the metropolis: ${communes.length}`);
});

after(async () => {
  await server?.stop();
  db?.cleanup();
});

async function get(path) {
  const res = await fetch(server.base + path);
  const text = await res.text();
  assert.equal(res.status, 200, `${path}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Every SIRET-looking string in a text. */
function noPrivateSiret(text, where) {
  for (const m of text.matchAll(/\b\d{14}\b/g)) assert.ok(!priv.has(m[0]), `${where} shows the P establishment ${m[0]}`);
}

/** A statistic shown: 0, at least 3, or withheld (null). */
function safe(v, where) {
  assert.ok(v === null || v === undefined || v === 0 || v >= MIN, `${where} shows ${v}`);
}

/** A table: every cell safe, "other" at least 3, the cells adding up to the total. */
function checkTable(rows, total, where) {
  let sum = 0;
  for (const r of rows || []) {
    assert.ok(typeof r.count === 'number', `${where}: a row without its count ${JSON.stringify(r)}`);
    assert.ok(r.count >= MIN, `${where} shows ${r.code} = ${r.count}`);
    sum += r.count;
  }
  if (typeof total === 'number' && total > 0) assert.equal(sum, total, `${where}: the shown cells and "other" add up to the total`);
}

async function allResults(query) {
  const out = [];
  for (let offset = 0; ; offset += 200) {
    const page = await get(`/api/v1/search?${query}&limit=200&offset=${offset}`);
    out.push(...page.results);
    if (page.results.length < 200 || offset >= 9800) return { results: out, total: page.total, exact: page.total_exact !== false };
  }
}

test('every commune: the figures are 0, withheld or at least 3, and each table adds up to the open establishments', async () => {
  for (const code of communes) {
    const t = await get(`/api/v1/territories/${code}`);
    const e = t.establishments;
    for (const [k, v] of Object.entries(e)) safe(v, `${code} ${k}`);
    for (const key of ['by_a10', 'by_a38', 'by_size']) checkTable(t[key], e.active, `${code} ${key}`);
    // Complements of 1 or 2 are withheld too.
    if (e.total !== null && e.active !== null) safe(e.total - e.active, `${code} total - active`);
    if (e.active_employers !== null && e.active !== null) safe(e.active - e.active_employers, `${code} active - employers`);
    if (e.active_restricted !== null && e.active !== null) safe(e.active - e.active_restricted, `${code} active - restricted`);
  }
});

test('every commune: the search lists no P establishment, and the territory minus the search is exactly its public P count', async () => {
  let compared = 0;
  for (const code of communes) {
    const t = await get(`/api/v1/territories/${code}`);
    const { results, total, exact } = await allResults(`commune=${code}&active=true`);
    noPrivateSiret(JSON.stringify(results), `search in ${code}`);
    if (!exact) continue; // a total given as "at least N"
    assert.equal(results.length, total, `${code}: the search total is the length of its list`);
    if (t.establishments.active !== null) {
      // What the comparison reveals is the number of P lines of INSEE's own file, nothing more.
      assert.equal(t.establishments.active - total, db.privActiveByCommune.get(code) || 0, `${code}: territory - search`);
      compared++;
    }
  }
  assert.ok(compared > 50, `compared ${compared} communes`);
});

test('the search facets of every commune are 0 or at least 3 and add up to the list', async () => {
  for (const code of communes) {
    const s = await get(`/api/v1/search?commune=${code}&active=true&facets=true&limit=1`);
    if (!s.facets || !s.facets.complete || s.total_exact === false) continue;
    for (const k of ['departement', 'section', 'size']) checkTable(s.facets[k], s.total, `facets ${k} of ${code}`);
  }
});

test('the metropolis against its communes: every table adds up, the communes table too', async () => {
  const t = await get(`/api/v1/territories/${EPCI}`);
  for (const key of ['by_a10', 'by_a38', 'by_size', 'top_communes']) checkTable(t[key], t.establishments.active, `${EPCI} ${key}`);
  // The communes' shown totals never exceed the metropolis's.
  let sum = 0;
  for (const code of communes) sum += (await get(`/api/v1/territories/${code}`)).establishments.active || 0;
  assert.ok(sum <= t.establishments.active, `${sum} <= ${t.establishments.active}`);
});

test('no export, suggestion or network report names a P establishment', async () => {
  const csv = await (await fetch(`${server.base}/api/v1/search/export.csv?epci=${EPCI}`)).text();
  noPrivateSiret(csv, 'the search export');
  const ter = await (await fetch(`${server.base}/api/v1/territories/${EPCI}/export.csv`)).text();
  for (const m of ter.matchAll(/;(\d+);/g)) safe(Number(m[1]), 'the territory export');
  // A network listing P establishments among others.
  const some = [...priv].slice(0, 5);
  const listed = (await allResults(`epci=${EPCI}&active=true&size_min=11`)).results.slice(0, 20).map((r) => r.siret);
  const file = join(db.dir, 'net.txt');
  (await import('node:fs')).writeFileSync(file, [...some, ...listed].join('\n') + '\n');
  db.mk('group', 'add', 'Mixte', file, '--rejects', join(db.dir, 'net.rej'));
  await new Promise((r) => setTimeout(r, 1500)); // the server's snapshot follows the new network
  for (const path of ['/api/v1/networks/Mixte', '/api/v1/networks/Mixte/report?limit=200', '/api/v1/networks/Mixte/bridges']) {
    const res = await fetch(server.base + path);
    noPrivateSiret(await res.text(), path);
  }
  const net = await (await fetch(`${server.base}/api/v1/networks/Mixte/export.csv`)).text();
  noPrivateSiret(net, 'the network export');
  for (const s of listed.slice(0, 5)) {
    noPrivateSiret(await (await fetch(`${server.base}/api/v1/establishments/${s}/suppliers?limit=100`)).text(), `suppliers of ${s}`);
    noPrivateSiret(await (await fetch(`${server.base}/api/v1/establishments/${s}/customers?limit=100`)).text(), `customers of ${s}`);
  }
  for (const s of some) assert.equal((await fetch(`${server.base}/api/v1/establishments/${s}`)).status, 403);
});

test('the map at every zoom: clusters and points add up to the public placed establishments, none of them P', async () => {
  let territoryTotal = null;
  for (const [zoom, bbox] of [[8, '4.7,43.1,5.8,43.8'], [10, '4.7,43.1,5.8,43.8'], [12, '4.7,43.1,5.8,43.8'], [14, '5.40,43.50,5.48,43.55'], [16, '5.44,43.52,5.46,43.535']]) {
    const m = await get(`/api/v1/map/clusters?territory=${EPCI}&zoom=${zoom}&bbox=${bbox}`);
    noPrivateSiret(JSON.stringify(m), `map zoom ${zoom}`);
    if (m.error) continue;
    territoryTotal ??= m.territory_total;
    assert.equal(m.territory_total, territoryTotal, 'the same territory total at every zoom');
    const sum = (m.clusters || []).reduce((a, c) => a + c.count, 0) + (m.points || []).length;
    assert.equal(sum, m.total, `zoom ${zoom}: clusters and points make the view's total`);
    for (const c of m.clusters || []) assert.ok(c.count > 3, `zoom ${zoom}: a cluster of ${c.count} would be points`);
  }
  // The map counts exactly what the search may list with a position: never more than the listable.
  const s = await get(`/api/v1/search?epci=${EPCI}&active=true&limit=1`);
  if (s.total_exact !== false) assert.ok(territoryTotal <= s.total, `${territoryTotal} <= ${s.total}`);
  const t = await get(`/api/v1/territories/${EPCI}`);
  assert.ok(territoryTotal <= t.establishments.active - (t.establishments.active_restricted || 0));
});
