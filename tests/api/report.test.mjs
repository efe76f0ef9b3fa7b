// report.test.mjs — a territory's report and exports over HTTP (tag
// "report"), on a generated Bouches-du-Rhône against the real server: the
// PDF report's text (pdftotext) carries the indicators' figures, its accents
// and the generated-data mention; English on request; the indicators' CSV
// (French spreadsheet) and workbook carry the same figures; the communes'
// figures of the map keep no count of 1 or 2; bad parameters answer problem
// documents.
// Run: node --test --test-reporter=tap tests/api/report.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDb, startServer, unzip, sheetRows, BIN, ENV } from './support.mjs';

const AIX = '13001';
const AMP = '200054807';
let env, srv;

before(async () => {
  env = makeDb([]);
  execFileSync(BIN, ['--db', env.db, 'demo', '--territory', '13', '--size', '6000', '--seed', '3', '--out', join(env.dir, 'd13')], { env: ENV, stdio: 'pipe' });
  env.mk('import', 'sirene', join(env.dir, 'd13/StockEtablissement_utf8.csv'), '--rejects', join(env.dir, 'r.csv'));
  srv = await startServer(env.db);
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

const ISO_TODAY = new Date().toISOString().slice(0, 10);

async function get(path) {
  const res = await fetch(`${srv.base}${path}`);
  const buf = Buffer.from(await res.arrayBuffer());
  return { res, buf };
}

function pdfText(buf, name = 'r.pdf') {
  const file = join(env.dir, name);
  writeFileSync(file, buf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

const frInt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

test('the PDF report of a commune: its figures, accents and the generated-data mention on every page', async () => {
  const ind = await (await fetch(`${srv.base}/api/v1/territories/${AIX}/indicators`)).json();
  const { res, buf } = await get(`/api/v1/territories/${AIX}/report.pdf`);
  assert.equal(res.status, 200, buf.toString().slice(0, 300));
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="rapport-${AIX}-${ISO_TODAY}.pdf"`);
  assert.equal(buf.subarray(0, 5).toString(), '%PDF-');
  const text = pdfText(buf);
  assert.match(text, /Diagnostic territorial : Aix-en-Provence/);
  assert.match(text, new RegExp(`Établissements ouverts +${frInt(ind.figures.establishments)}\\b`));
  assert.match(text, new RegExp(`Emplois estimés \\(milieux des tranches d'effectif\\) +${frInt(ind.figures.jobs_estimated)}\\b`));
  assert.match(text, /Spécialisations \(quotients de localisation\)/);
  const pages = text.split('\f').filter((p) => p.trim()).length;
  assert.ok(pages >= 2, `${pages} pages`);
  assert.equal((text.match(/DONNÉES DE DÉMONSTRATION GÉNÉRÉES \(GENERATED demo data\) : aucune entreprise réelle/g) || []).length, pages);
  assert.match(text, /Ce que le territoire pourrait développer/);
});

test('the PDF report in English, at another level and base', async () => {
  const { res, buf } = await get(`/api/v1/territories/${AMP}/report.pdf?lang=en&level=A10&base=13`);
  assert.equal(res.status, 200, buf.toString().slice(0, 300));
  const text = pdfText(buf, 'en.pdf').replace(/\s+/g, ' ');
  assert.match(text, /Territorial diagnosis: Métropole d'Aix-Marseille-Provence/);
  assert.match(text, /Sectors \(NAF, level A10\)/);
  assert.match(text, /Compared with \(location quotients\): Département 13 \(Bouches-du-Rhône\)/);
  assert.match(text, /GENERATED demo data: no real firm/);
  assert.match(text, /GENERATED demo data: no firm in this report exists/);
});

test('a report in an unknown language, or of an unknown territory, answers a problem', async () => {
  let { res, buf } = await get(`/api/v1/territories/${AIX}/report.pdf?lang=de`);
  assert.equal(res.status, 400);
  assert.match(res.headers.get('content-type'), /application\/problem\+json/);
  assert.match(JSON.parse(buf.toString()).detail, /language 'de'/);
  ({ res, buf } = await get('/api/v1/territories/99999/report.pdf'));
  assert.equal(res.status, 404);
  assert.match(res.headers.get('content-type'), /application\/problem\+json/);
});

test('the indicators as CSV for a French spreadsheet: the same figures, every table, method and sources', async () => {
  const ind = await (await fetch(`${srv.base}/api/v1/territories/${AIX}/indicators?level=A10`)).json();
  const { res, buf } = await get(`/api/v1/territories/${AIX}/indicators.csv?level=A10`);
  assert.equal(res.status, 200, buf.toString().slice(0, 300));
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="indicateurs-${AIX}-${ISO_TODAY}.csv"`);
  assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = buf.toString('utf8').slice(1);
  const lines = text.split(/\r?\n/);
  assert.ok(lines.includes(`"Établissements ouverts";${ind.figures.establishments};"";""`), lines.slice(0, 8).join('\n'));
  for (const t of ['Chiffres clés', 'Activités', 'Spécialisations', "Catégories d'entreprises", 'Créations et fermetures', 'Méthode et sources'])
    assert.ok(lines.includes(`"${t}"`), t);
  // Each activity with its quotient, with a decimal comma.
  for (const a of ind.activities) {
    const row = lines.find((l) => l.startsWith(`"${a.code}";`));
    assert.ok(row, a.code);
    assert.ok(row.endsWith(';' + a.lq.toFixed(3).replace('.', ',')), `${row} vs ${a.lq}`);
  }
  assert.match(text, /GENERATED demo data/);
  const plain = (await get(`/api/v1/territories/${AIX}/indicators.csv?plain=true`)).buf.toString();
  assert.ok(plain.startsWith('"Indicateurs'), 'no BOM for programs');
  assert.ok(plain.includes(`"Établissements ouverts",${ind.figures.establishments},`));
});

test('the indicators as a workbook: a sheet per table and one of method and sources', async () => {
  const ind = await (await fetch(`${srv.base}/api/v1/territories/${AMP}/indicators`)).json();
  const { res, buf } = await get(`/api/v1/territories/${AMP}/indicators.xlsx`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="indicateurs-${AMP}-${ISO_TODAY}.xlsx"`);
  const files = await unzip(buf);
  const wb = files['xl/workbook.xml'].toString();
  const names = [...wb.matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1].replace(/&apos;/g, "'"));
  assert.deepEqual(names, ['Chiffres clés', 'Activités', 'Spécialisations', "Catégories d'entreprises", 'Créations et fermetures', 'Méthode et sources']);
  const shared = files['xl/sharedStrings.xml']
    ? [...files['xl/sharedStrings.xml'].toString().matchAll(/<si>[\s\S]*?<t[^>]*>([\s\S]*?)<\/t>[\s\S]*?<\/si>/g)].map((m) => m[1])
    : [];
  const keys = sheetRows(files['xl/worksheets/sheet1.xml'].toString(), shared);
  const open = keys.find((r) => r[0] === 'Établissements ouverts');
  assert.equal(Number(open[1]), ind.figures.establishments);
  const acts = sheetRows(files['xl/worksheets/sheet2.xml'].toString(), shared);
  assert.equal(acts.length - 1, ind.activities.length);
});

test('an indicators export with a bad parameter answers a problem', async () => {
  const { res, buf } = await get(`/api/v1/territories/${AIX}/indicators.xlsx?by=people`);
  assert.equal(res.status, 400);
  assert.match(JSON.parse(buf.toString()).detail, /by/);
});

test('the communes of a territory for its map: figures per commune, none of 1 or 2 establishments', async () => {
  const res = await fetch(`${srv.base}/api/v1/territories/${AMP}/choropleth`);
  assert.equal(res.status, 200);
  const j = await res.json();
  assert.equal(j.territory.code, AMP);
  assert.equal(j.communes.length, 92);
  assert.deepEqual(j.indicators, ['per_1000', 'industry_jobs_share']);
  assert.equal(j.privacy.min_cell, 3);
  for (const c of j.communes) {
    assert.ok(c.establishments === null || c.establishments === 0 || c.establishments >= 3, `${c.code}: ${c.establishments}`);
    if (c.secret) assert.deepEqual([c.establishments, c.per_1000, c.industry_jobs_share], [null, null, null], c.code);
    if (c.industry_secret) assert.equal(c.industry_jobs_share, null, c.code);
    if (c.per_1000 !== null) assert.ok(Math.abs(c.per_1000 - (1000 * c.establishments) / c.population) < 1e-9, c.code);
  }
  const r = await fetch(`${srv.base}/api/v1/territories/FR/choropleth`);
  assert.equal(r.status, 400);
  assert.match((await r.json()).detail, /more than 5000 communes/);
});
