// map.test.mjs — GET /api/v1/map/clusters against the real server, on a
// generated Bouches-du-Rhône (tens of thousands of establishments): every
// answer matches the schema of the server's OpenAPI document; the counts of
// a view add up to every public placed establishment of the territory, at
// every zoom; zooming in splits a cluster into parts that add up to it; an
// establishment with restricted diffusion (statut P) is never counted, even
// one that had a position; large answers come gzip-compressed when asked and
// answer 304 to If-None-Match.
// Run: node --test --test-reporter=tap tests/api/map.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import http from 'node:http';
import zlib from 'node:zlib';
import { makeDb, startServer, assertProblem, ROOT, BIN, ENV, ENGINE } from './support.mjs';

const require = createRequire(join(ROOT, 'package.json'));
const Ajv2020 = require('ajv/dist/2020.js').default;

const AMP = '200054807'; // the Aix-Marseille metropolis (92 communes)
const ROUTE = '/api/v1/map/clusters';
let env, srv, validate, expected, restricted;

// A look inside the database, on either engine (sqlite3's output format).
const sql = (q) => (ENGINE === 'pg'
  ? execFileSync('psql', ['-X', '-qtA', env.db, '-c', q], { encoding: 'utf8' })
  : execFileSync('sqlite3', [env.db, q], { encoding: 'utf8' })).trim();

before(async () => {
  env = makeDb([]);
  execFileSync(BIN, ['--db', env.db, 'demo', '--territory', '13', '--size', '20000', '--seed', '5', '--out', join(env.dir, 'd13')], { env: ENV, stdio: 'pipe' });
  env.mk('import', 'sirene', join(env.dir, 'd13/StockEtablissement_utf8.csv'), '--rejects', join(env.dir, 'r.csv'));
  // SIRENE publishes no position for a P entry; give some one anyway, as a
  // future source might: the map must still never count them.
  sql(`UPDATE etab SET lat = 43.3, lon = 5.4, geo = 1 WHERE diffusion = 'P' AND siret IN
    (SELECT e.siret FROM etab e JOIN commune c ON c.code = e.commune WHERE c.epci = '${AMP}' AND e.diffusion = 'P' LIMIT 50)`);
  restricted = Number(sql(`SELECT count(*) FROM etab e JOIN commune c ON c.code = e.commune
    WHERE c.epci = '${AMP}' AND e.state = 'A' AND e.diffusion = 'P' AND e.geo > 0`));
  expected = Number(sql(`SELECT count(*) FROM etab e JOIN commune c ON c.code = e.commune
    WHERE c.epci = '${AMP}' AND e.state = 'A' AND e.diffusion = 'O' AND e.geo > 0`));
  srv = await startServer(env.db);
  const doc = await (await fetch(`${srv.base}/api/v1/openapi.json`)).json();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ ...doc, $id: 'openapi' });
  const ptr = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
  validate = ajv.compile({ $ref: `openapi#/paths/${encodeURIComponent(ptr(ROUTE))}/get/responses/200/content/${encodeURIComponent(ptr('application/json'))}/schema` });
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

async function clusters(query) {
  const res = await fetch(`${srv.base}${ROUTE}?${query}`);
  const text = await res.text();
  assert.equal(res.status, 200, `${query}: ${text.slice(0, 300)}`);
  const j = JSON.parse(text);
  assert.ok(validate(j), `the answer matches the OpenAPI schema: ${JSON.stringify(validate.errors)}`);
  return j;
}

const counted = (j) => j.clusters.reduce((n, c) => n + c.count, 0) + j.points.length;

/** GET through node:http, the headers as given: status, headers, raw body bytes. */
function raw(path, headers = {}) {
  return new Promise((ok, ko) => {
    const req = http.request({ host: '127.0.0.1', port: srv.port, path, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', ko);
    req.end();
  });
}

test('the whole territory: its counts add up to every public placed establishment, at every zoom', async () => {
  assert.ok(expected > 10000, `${expected} establishments in the metropolis`);
  let previous = 0;
  for (const zoom of [6, 8, 10, 12, 13]) {
    const j = await clusters(`territory=${AMP}&zoom=${zoom}`);
    assert.equal(j.zoom, zoom);
    assert.equal(j.territory_total, expected);
    assert.equal(j.total, expected, `zoom ${zoom}: the view is the territory`);
    assert.equal(counted(j), expected, `zoom ${zoom}: clusters and points add up`);
    const n = j.clusters.length + j.points.length;
    assert.ok(n >= previous, `zoom ${zoom}: ${n} marks, no fewer than at the zoom before (${previous})`);
    previous = n;
  }
});

test('without a zoom the server picks one that shows the whole territory, and says where it lies', async () => {
  const j = await clusters(`territory=${AMP}`);
  assert.ok(j.zoom >= 8 && j.zoom <= 11, `zoom ${j.zoom}`);
  const [w, s, e, n] = j.extent;
  assert.ok(w > 4.7 && e < 5.9 && s > 43.1 && n < 43.8, `extent ${j.extent}`);
  assert.equal(counted(j), expected);
  assert.ok(j.clusters.every((c) => c.count > 3), 'a cluster has more than 3 establishments');
  assert.ok(j.clusters.every((c) => c.a10 === null || /^[A-Z]{2}$/.test(c.a10)));
  assert.ok(j.clusters.every((c) => c.a10_count <= c.count && c.a10_count * 10 >= c.count), 'the dominant sector has at least a tenth');
});

test('zooming in splits each cluster into clusters and points that add up to it', async () => {
  const z = 9;
  const parent = await clusters(`territory=${AMP}&zoom=${z}`);
  const big = parent.clusters.slice().sort((a, b) => b.count - a.count).slice(0, 3);
  for (const c of big) {
    const [w, s, e, n] = c.bounds;
    for (const dz of [1, 2, 3]) {
      const child = await clusters(`territory=${AMP}&zoom=${z + dz}&bbox=${w},${s},${e},${n}`);
      const inside = (cell) => cell[0] >> dz === c.cell[0] && cell[1] >> dz === c.cell[1];
      const parts = child.clusters.filter((x) => inside(x.cell));
      const pts = child.points.filter((x) => inside(x.cell));
      const sum = parts.reduce((k, x) => k + x.count, 0) + pts.length;
      assert.equal(sum, c.count, `cluster ${c.cell} of zoom ${z} (${c.count}) at zoom ${z + dz}`);
      assert.ok(parts.length + pts.length > 1, `cluster ${c.cell} splits at zoom ${z + dz}`);
    }
  }
});

test('a box counts the cells it touches; zoomed in far, the establishments are points with names', async () => {
  const j = await clusters(`territory=${AMP}&zoom=16&bbox=5.36,43.29,5.38,43.30`);
  assert.ok(j.total > 0 && j.total < expected);
  assert.equal(counted(j), j.total);
  assert.equal(j.clusters.length, 0, 'from zoom 16 every establishment is a point');
  assert.ok(j.points.every((p) => /^\d{14}$/.test(p.siret) && (p.name === null || typeof p.name === 'string')));
  assert.ok(j.points.some((p) => p.name), 'points carry their names (sign, usual name or the unit\'s)');
  const [w, s, e, n] = j.bbox;
  assert.ok(w <= 5.36 && s <= 43.29 && e >= 5.38 && n >= 43.30, `the counted cells cover the box: ${j.bbox}`);
});

test('a NAF filter counts only its sector', async () => {
  const all = await clusters(`territory=${AMP}&zoom=10`);
  const c = await clusters(`territory=${AMP}&zoom=10&naf=C`);
  const manuf = Number(sql(`SELECT count(*) FROM etab e JOIN commune c ON c.code = e.commune JOIN naf f ON f.code = e.naf
    WHERE c.epci = '${AMP}' AND e.state = 'A' AND e.diffusion = 'O' AND e.geo > 0 AND f.a21 = 'C'`));
  assert.equal(c.total, manuf);
  assert.ok(c.total > 0 && c.total < all.total);
  assert.equal(counted(c), manuf);
});

test('an establishment with restricted diffusion is never counted, even with a position', async () => {
  assert.ok(restricted > 0, 'the database holds P entries with a position');
  const j = await clusters(`territory=${AMP}&zoom=12`);
  assert.equal(j.total, expected, `the ${restricted} P entries are not counted`);
  const near = await clusters(`territory=${AMP}&zoom=18&bbox=5.399,43.299,5.401,43.301`);
  const priv = sql(`SELECT ${ENGINE === 'pg' ? "lpad(siret::text, 14, '0')" : "printf('%014d', siret)"} FROM etab WHERE diffusion = 'P' AND geo > 0`).split('\n');
  assert.ok(!near.points.some((p) => priv.includes(p.siret)), 'no P entry among the points where they were put');
  assert.match(j.privacy, /statut P/);
});

test('a large answer comes gzip-compressed when asked, plain otherwise, with the same entity tag', async () => {
  const path = `${ROUTE}?territory=${AMP}&zoom=12`;
  const plain = await raw(path);
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.body.length > 1024, `${plain.body.length} bytes`);
  const gz = await raw(path, { 'Accept-Encoding': 'gzip, deflate' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers.vary || '', /Accept-Encoding/i);
  assert.ok(gz.body.length < plain.body.length / 3, `${gz.body.length} bytes compressed, ${plain.body.length} plain`);
  assert.deepEqual(zlib.gunzipSync(gz.body), plain.body, 'the same bytes once decompressed');
  assert.equal(gz.headers.etag, plain.headers.etag);
  const refused = await raw(path, { 'Accept-Encoding': 'gzip;q=0, identity' });
  assert.equal(refused.headers['content-encoding'], undefined);
});

test('If-None-Match with the entity tag answers 304 with no body; another view has another tag', async () => {
  const path = `${ROUTE}?territory=${AMP}&zoom=11`;
  const first = await raw(path, { 'Accept-Encoding': 'gzip' });
  const tag = first.headers.etag;
  assert.match(tag, /^W\/"[0-9a-f]+-[0-9a-f]+"$/);
  const again = await raw(path, { 'Accept-Encoding': 'gzip', 'If-None-Match': tag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, tag);
  const listed = await raw(path, { 'If-None-Match': `"other", ${tag}` });
  assert.equal(listed.status, 304, 'a tag in a list matches');
  const other = await raw(`${ROUTE}?territory=${AMP}&zoom=12`, { 'If-None-Match': tag });
  assert.equal(other.status, 200);
  assert.notEqual(other.headers.etag, tag);
  // A browser revalidates the same way.
  const res = await fetch(`${srv.base}${path}`, { headers: { 'If-None-Match': tag } });
  assert.equal(res.status, 304);
});

test('the base map files are served compressed and cached the same way', async () => {
  const path = '/static/basemap/france.json';
  const gz = await raw(path, { 'Accept-Encoding': 'gzip' });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  const topo = JSON.parse(zlib.gunzipSync(gz.body));
  assert.equal(topo.type, 'Topology');
  assert.equal(topo.objects.departements.geometries.length, 101);
  const again = await raw(path, { 'If-None-Match': gz.headers.etag });
  assert.equal(again.status, 304);
});

test('a bad view is refused with a problem document that says why', async () => {
  const cases = [
    ['zoom=21', /zoom/], ['bbox=5.5,43.2,5.3,43.4', /west < east/], ['bbox=5.3,43.2,5.5', /west,south,east,north/],
    ['bbox=1e3,43.2,5.5,43.4', /west,south,east,north/], ['zoom=18&bbox=-5,41,10,51', /cells/],
    ['naf=%3Cb%3E', /code/],
  ];
  for (const [q, want] of cases) {
    const res = await fetch(`${srv.base}${ROUTE}?territory=${AMP}&${q}`);
    const text = await res.text();
    assertProblem({ label: q, status: res.status }, 400, res.headers, text, want);
  }
  const res = await fetch(`${srv.base}${ROUTE}?territory=99999`);
  assertProblem({ label: 'unknown territory', status: res.status }, [400, 404], res.headers, await res.text());
});
