#!/usr/bin/env node
// Build the reference data files of data/ (geo, naf, io) from the raw sources.
//
// Usage: node tools/refdata/build.mjs SHARED_DATA_DIR DECOUPAGE_DATA_DIR OUT_DIR
//   SHARED_DATA_DIR     the shared/data folder (see its SOURCES.md)
//   DECOUPAGE_DATA_DIR  data/ folder of the npm package @etalab/decoupage-administratif@6.0.0
//   OUT_DIR             output folder (normally data/)
//
// Plain Node (>= 18), no dependencies. Output: UTF-8, comma-separated, one header
// line, LF line endings, RFC 4180 quoting only where needed, rows sorted by code.

import fs from 'node:fs';
import path from 'node:path';

const [SHARED, DEC, OUT] = process.argv.slice(2);
if (!SHARED || !DEC || !OUT) {
  console.error('usage: node tools/refdata/build.mjs SHARED_DATA_DIR DECOUPAGE_DATA_DIR OUT_DIR');
  process.exit(2);
}

let problems = 0;
const warn = (msg) => { problems++; console.log('WARNING: ' + msg); };

// ---------------------------------------------------------------- helpers

// Parse delimited text (RFC 4180 style: quoted fields may contain the separator,
// doubled quotes and newlines; CRLF or LF record ends). Returns array of arrays.
function parseDelimited(text, sep) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let inQuotes = false;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        inQuotes = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { inQuotes = true; i++; continue; }
    if (c === sep) { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    field += c; i++;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const readUtf8 = (p) => fs.readFileSync(p, 'utf8');
// Windows-1252 by hand: Node builds without full ICU decode 'windows-1252' as
// ISO-8859-1, which turns 0x9C (œ) and 0x92 (’) into C1 control characters.
const CP1252_80_9F = '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';
const readCp1252 = (p) => {
  const bytes = fs.readFileSync(p);
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80] : String.fromCharCode(b);
  if (out.includes('\ufffd')) warn(`${p}: bytes undefined in Windows-1252`);
  return out;
};
const readJson = (p) => JSON.parse(readUtf8(p));

// Rows of a header-line CSV as objects.
function csvObjects(text, sep) {
  const rows = parseDelimited(text, sep);
  const head = rows[0];
  return rows.slice(1).filter((r) => r.length > 1 || r[0] !== '').map((r) => {
    const o = {};
    head.forEach((h, k) => { o[h] = r[k] ?? ''; });
    return o;
  });
}

// Trim and collapse runs of white space (labels from the INSEE spreadsheets carry
// trailing blanks, double blanks and line breaks).
const clean = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

function csvField(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

const byteCmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function writeCsv(rel, header, rows) {
  const file = path.join(OUT, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const lines = [header.join(',')];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  fs.writeFileSync(file, lines.join('\n') + '\n', 'utf8');
  console.log(`wrote ${rel}: ${rows.length} rows`);
}

const fmtCoord = (x) => (x === null || x === undefined || x === '' || Number.isNaN(Number(x)))
  ? '' : Number(x).toFixed(4);

// ---------------------------------------------------------------- geo

const decCommunes = readJson(path.join(DEC, 'communes.json'));
const decEpci = readJson(path.join(DEC, 'epci.json'));
const decDeps = readJson(path.join(DEC, 'departements.json'));
const decRegs = readJson(path.join(DEC, 'regions.json'));
// ept.json (établissements publics territoriaux) is deliberately not read.

writeCsv('geo/regions.csv', ['code', 'name'],
  decRegs.map((r) => [r.code, r.nom]).sort((a, b) => byteCmp(a[0], b[0])));

writeCsv('geo/departements.csv', ['code', 'region', 'name'],
  decDeps.map((d) => [d.code, d.region, d.nom]).sort((a, b) => byteCmp(a[0], b[0])));

writeCsv('geo/epci.csv', ['code', 'name', 'type'],
  decEpci.map((e) => [e.code, e.nom, e.type]).sort((a, b) => byteCmp(a[0], b[0])));

// commune code -> EPCI SIREN
const epciOf = new Map();
for (const e of decEpci) {
  for (const m of e.membres) {
    if (epciOf.has(m.code) && epciOf.get(m.code) !== e.code) {
      warn(`commune ${m.code} is member of two EPCI (${epciOf.get(m.code)}, ${e.code})`);
    }
    epciOf.set(m.code, e.code);
  }
}

// Shared files
const geoapi = new Map();
for (const g of readJson(path.join(SHARED, 'communes_geoapi_2025', 'communes_min.json'))) geoapi.set(g.code, g);

const cogRows = csvObjects(readUtf8(path.join(SHARED, 'communes_cog2024', 'communes.csv')), ',');
const cog = new Map(); // code -> { COM: row, ARM: row, COMD: row } (first row with coordinates preferred)
for (const r of cogRows) {
  const t = r.commune_type;
  if (!cog.has(r.insee_com)) cog.set(r.insee_com, {});
  const e = cog.get(r.insee_com);
  if (!e[t] || (!e[t].lat && r.lat)) e[t] = r;
}

// old code -> current commune code (decoupage `anciensCodes`)
const ancien = new Map();
for (const c of decCommunes) for (const a of c.anciensCodes ?? []) ancien.set(a, c.code);

const RANK = { COM: 3, ARM: 2, COMD: 1 };
const DEC_TYPE = {
  'commune-actuelle': 'COM',
  'arrondissement-municipal': 'ARM',
  'commune-deleguee': 'COMD',
  'commune-associee': 'COMD',
};

const communes = new Map(); // code -> record
function offer(rec) {
  const cur = communes.get(rec.code);
  if (!cur || RANK[rec.type] > RANK[cur.type]) communes.set(rec.code, rec);
}

for (const c of decCommunes) {
  const type = DEC_TYPE[c.type];
  if (!type) { warn(`unknown decoupage type ${c.type} for ${c.code}`); continue; }
  let parent = '';
  if (type === 'ARM') parent = c.commune ?? '';
  if (type === 'COMD') parent = c.chefLieu ?? '';
  if (type !== 'COM' && !parent) warn(`${type} ${c.code} has no parent in decoupage`);
  offer({
    code: c.code, name: c.nom, type, departement: c.departement ?? '', region: c.region ?? '',
    parent, population: c.population ?? null, src: 'decoupage',
  });
}

// Codes known only to the COG 2024 file.
let addedCogComd = 0;
let addedCogOldCom = 0;
for (const [code, e] of cog) {
  if (communes.has(code)) continue;
  if (e.COMD) {
    const r = e.COMD;
    offer({ code, name: r.commune_article || r.commune, type: 'COMD', departement: r.insee_dep,
      region: r.insee_reg, parent: r.insee_parente, population: null, src: 'cog2024' });
    addedCogComd++;
  } else if (e.COM) {
    // A commune of COG 2024 that no longer exists in the decoupage vintage (merged
    // without becoming a commune déléguée): keep it as COMD, parent = the current
    // commune listing it in `anciensCodes`, so that older SIRENE codes still map.
    const r = e.COM;
    offer({ code, name: r.commune_article || r.commune, type: 'COMD', departement: r.insee_dep,
      region: r.insee_reg, parent: ancien.get(code) ?? '', population: null, src: 'cog2024-oldcom' });
    addedCogOldCom++;
    if (!ancien.has(code)) warn(`old COG 2024 commune ${code} has no successor in decoupage anciensCodes`);
  } else if (e.ARM) {
    const r = e.ARM;
    offer({ code, name: r.commune_article || r.commune, type: 'ARM', departement: r.insee_dep,
      region: r.insee_reg, parent: r.insee_parente, population: null, src: 'cog2024' });
  }
}

// Resolve parents to a current commune (COM) where the given parent is not one.
let parentsFollowed = 0;
for (const rec of communes.values()) {
  if (rec.type === 'COM' || !rec.parent) continue;
  let p = rec.parent;
  const seen = new Set();
  while (!(communes.get(p)?.type === 'COM') && !seen.has(p)) {
    seen.add(p);
    const q = communes.get(p)?.parent || ancien.get(p);
    if (!q) break;
    p = q;
  }
  if (communes.get(p)?.type === 'COM') {
    if (p !== rec.parent) { parentsFollowed++; rec.parent = p; }
  } else {
    warn(`${rec.type} ${rec.code}: parent ${rec.parent} is not a current commune`);
  }
}

// Coordinates, population, inherited fields.
const coordSource = {};
const noCoord = { COM: [], ARM: [], COMD: [] };
function coordsOf(rec) {
  const g = geoapi.get(rec.code);
  if (g && g.lat != null && g.lon != null) return [g.lat, g.lon, 'geoapi2025'];
  const e = cog.get(rec.code);
  // COG 2024 COMD rows repeat the parent's centre, so only COM/ARM rows are used.
  const r = e && ((e.COM && e.COM.lat && e.COM) || (e.ARM && e.ARM.lat && e.ARM));
  if (r) return [Number(r.lat), Number(r.lng), 'cog2024'];
  return null;
}
const order = [...communes.values()].sort((a, b) => RANK[b.type] - RANK[a.type]); // COM first
for (const rec of order) {
  const par = rec.parent ? communes.get(rec.parent) : null;
  let c = coordsOf(rec);
  if (!c && par && par.lat !== undefined && par.lat !== '') c = [par.lat, par.lon, 'parent'];
  if (c) { rec.lat = fmtCoord(c[0]); rec.lon = fmtCoord(c[1]); coordSource[c[2]] = (coordSource[c[2]] || 0) + 1; }
  else { rec.lat = ''; rec.lon = ''; noCoord[rec.type].push(rec.code); }

  rec.epci = rec.type === 'COM' ? (epciOf.get(rec.code) ?? '') : (par ? (epciOf.get(par.code) ?? '') : '');
  if (!rec.departement && par) rec.departement = par.departement;
  if (!rec.region && par) rec.region = par.region;

  if (rec.population === null || rec.population === undefined) {
    const g = geoapi.get(rec.code);
    const e = cog.get(rec.code);
    const r = e && (e.COM || e.ARM);
    if (rec.type === 'COM' && g && g.population != null) { rec.population = g.population; rec.popSrc = 'geoapi2025'; }
    else if (rec.type !== 'COMD' || rec.src === 'cog2024-oldcom') {
      if (r && r.population_2021 !== '') { rec.population = Number(r.population_2021); rec.popSrc = 'cog2024'; }
    }
  } else rec.popSrc = 'decoupage';
}

const communeRows = [...communes.values()].sort((a, b) => byteCmp(a.code, b.code)).map((r) => [
  r.code, r.name, r.type, r.departement, r.region, r.epci, r.parent,
  r.population === null || r.population === undefined ? '' : String(r.population), r.lat, r.lon,
]);
writeCsv('geo/communes.csv',
  ['code', 'name', 'type', 'departement', 'region', 'epci', 'parent', 'population', 'lat', 'lon'], communeRows);

const countBy = (f) => { const o = {}; for (const r of communes.values()) { const k = f(r); o[k] = (o[k] || 0) + 1; } return o; };
console.log('  communes by type:', JSON.stringify(countBy((r) => r.type)));
console.log('  communes by source:', JSON.stringify(countBy((r) => r.src)),
  `(COMD only in COG 2024: ${addedCogComd}; COG 2024 communes gone since: ${addedCogOldCom})`);
console.log('  coordinates from:', JSON.stringify(coordSource));
for (const t of Object.keys(noCoord)) {
  console.log(`  ${t} without coordinates: ${noCoord[t].length}` + (noCoord[t].length ? ' ' + noCoord[t].slice(0, 20).join(' ') : ''));
}
console.log('  population from:', JSON.stringify(countBy((r) => r.popSrc ?? 'none')),
  'by type without population:', JSON.stringify(countBy((r) => (r.population == null ? r.type : 'has'))));
const comNoEpci = [...communes.values()].filter((r) => r.type === 'COM' && !r.epci).map((r) => r.code);
console.log(`  COM without EPCI: ${comNoEpci.length} ${comNoEpci.join(' ')}`);
console.log(`  non-COM parents re-pointed to a current commune: ${parentsFollowed}`);

// ---------------------------------------------------------------- NAF

const NAF = path.join(SHARED, 'naf_insee');
const A38_IO = 'AZ BZ CA CB CC CD CE CF CG CH CI CJ CK CL CM DZ EZ FZ GZ HZ IZ JA JB JC KZ LZ MA MB MC NZ OZ PZ QA QB RZ SZ TZ'.split(' ');

const tableRows = parseDelimited(readCp1252(path.join(NAF, 'table_NAF2-NA.csv')), ';');
const head2 = tableRows[1].map(clean);
const expectHead = ['A 732', '', 'A 615', 'A 272', 'A 129', 'A 88', 'A 64', 'A 38', 'A 21', 'A 10'];
if (expectHead.some((h, k) => head2[k] !== h)) warn(`unexpected table_NAF2-NA header: ${head2.slice(0, 10).join('|')}`);
const naf = [];
for (const r of tableRows.slice(2)) {
  const v = r.map(clean);
  if (!v[0]) continue;
  if (!/^\d\d\.\d\d[A-Z]$/.test(v[0])) { warn(`unexpected NAF row ${v.slice(0, 3).join(';')}`); continue; }
  naf.push(v.slice(0, 10));
}
naf.sort((a, b) => byteCmp(a[0], b[0]));
if (naf.length !== 732) warn(`NAF: ${naf.length} sub-classes, expected 732`);
if (new Set(naf.map((r) => r[0])).size !== naf.length) warn('NAF: duplicate sub-class codes');
for (const r of naf) {
  if (r.slice(2).some((x) => !x)) warn(`NAF ${r[0]}: empty aggregation code`);
  if (r[2] !== r[0].slice(0, 5) || r[3] !== r[0].slice(0, 4) || r[5] !== r[0].slice(0, 2)) warn(`NAF ${r[0]}: class/group/division mismatch`);
  if (!A38_IO.includes(r[7])) warn(`NAF ${r[0]}: A38 code ${r[7]} is not one of the 37 A38 branches of the IO tables`);
}
writeCsv('naf/naf.csv', ['code', 'label', 'a615', 'a272', 'a129', 'a88', 'a64', 'a38', 'a21', 'a10'], naf);

// Aggregation levels.
const levels = []; // [level, code, fr, en]
const rowsOf = (file) => parseDelimited(readCp1252(path.join(NAF, file)), ';').slice(1).map((r) => r.map(clean));

for (const r of rowsOf('int_eng_na_2008_a10.csv')) {
  // columns: sequence, code, sections, English, French. Rows 2a (CZ) and 7a (LI)
  // are "of which" sub-totals, not part of the A10 partition.
  if (!r[1] || /a$/.test(r[0])) continue;
  levels.push(['A10', r[1], r[4], r[3]]);
}
for (const r of rowsOf('int_eng_na_2008_a21.csv')) { if (r[1]) levels.push(['A21', r[1], r[3], r[2]]); }
for (const r of rowsOf('int_eng_na_2008_a38.csv')) {
  if (!r[0] || r[0] === 'LI') continue; // LI = "of which: imputed rents" sub-total
  levels.push(['A38', r[0], r[3], r[2]]);
}
for (const r of rowsOf('int_eng_na_2008_a64.csv')) {
  if (!r[0] || r[0] === 'LI0') continue; // LI0 = "of which: imputed rents" sub-total
  levels.push(['A64', r[0], r[3], r[2]]);
}
for (const r of rowsOf('int_eng_na_2008_a88.csv')) { if (r[2]) levels.push(['A88', r[2], r[4], r[3]]); }
for (const r of rowsOf('int_eng_na_2008_a138.csv')) { if (r[1]) levels.push(['A129', r[1], r[5], r[4]]); }
// English class titles: Eurostat's NACE Rev. 2 structure (NACE classes = NAF classes).
const classEn = new Map(csvObjects(readUtf8(path.join(SHARED, 'concordance_bea_naics_isic_nace',
  'nace2_isic4_eurostat.csv')), ',').map((o) => [o.nace2_class, clean(o.nace2_title_en)]));
for (const r of rowsOf('int_courts_naf_rev_2.csv')) {
  // columns: line, code, full label, 65-char label, 40-char label
  if (/^\d\d\.\d$/.test(r[1])) levels.push(['group', r[1], r[2], '']);
  else if (/^\d\d\.\d\d$/.test(r[1])) {
    if (!classEn.has(r[1])) warn(`levels: class ${r[1]} has no English title`);
    levels.push(['class', r[1], r[2], classEn.get(r[1]) ?? '']);
  }
}
const LEVEL_ORDER = ['A10', 'A21', 'A38', 'A64', 'A88', 'A129', 'group', 'class'];
const seenLevel = new Set();
const levelRows = [];
for (const l of levels) {
  const k = l[0] + '|' + l[1];
  if (seenLevel.has(k)) { warn(`levels: duplicate ${l[0]} ${l[1]}`); continue; }
  if (!l[2]) warn(`levels: ${l[0]} ${l[1]} has no French label`);
  seenLevel.add(k);
  levelRows.push(l);
}
levelRows.sort((a, b) => (LEVEL_ORDER.indexOf(a[0]) - LEVEL_ORDER.indexOf(b[0])) || byteCmp(a[1], b[1]));
writeCsv('naf/levels.csv', ['level', 'code', 'label_fr', 'label_en'], levelRows);
const perLevel = {};
for (const l of levelRows) perLevel[l[0]] = (perLevel[l[0]] || 0) + 1;
console.log('  levels:', JSON.stringify(perLevel));

// Every code used in naf.csv must have a label row.
const COL = { class: 2, group: 3, A129: 4, A88: 5, A64: 6, A38: 7, A21: 8, A10: 9 };
for (const [lvl, k] of Object.entries(COL)) {
  const used = new Set(naf.map((r) => r[k]));
  const missing = [...used].filter((c) => !seenLevel.has(lvl + '|' + c));
  const unused = levelRows.filter((l) => l[0] === lvl && !used.has(l[1])).map((l) => l[1]);
  if (missing.length) warn(`levels: ${lvl} codes used in naf.csv without a row: ${missing.join(' ')}`);
  console.log(`  ${lvl}: ${used.size} codes used in naf.csv, missing labels ${missing.length}` +
    (unused.length ? `, listed but unused: ${unused.join(' ')}` : ''));
}

// ---------------------------------------------------------------- IO

const IO = path.join(SHARED, 'io_insee_a38');
const ioHeader = 'product,' + A38_IO.join(',');
fs.mkdirSync(path.join(OUT, 'io'), { recursive: true });
for (let y = 2015; y <= 2019; y++) {
  const name = `tei_domestic_${y}_a38.csv`;
  const buf = fs.readFileSync(path.join(IO, name));
  const lines = buf.toString('utf8').split('\n');
  if (lines[0] !== ioHeader) warn(`${name}: unexpected header`);
  if (buf.includes(13)) warn(`${name}: contains CR characters`);
  const body = lines.slice(1).filter((l) => l !== '');
  if (body.length !== 37 || body.some((l, k) => l.split(',')[0] !== A38_IO[k] || l.split(',').length !== 38)) {
    warn(`${name}: unexpected body layout`);
  }
  fs.writeFileSync(path.join(OUT, 'io', name), buf);
  console.log(`copied io/${name}: ${body.length} rows`);
}

const accounts = [];
for (const y of [2015, 2016, 2018, 2019, 2020]) {
  const rows = csvObjects(readUtf8(path.join(IO, `InseeDataCPEB_${y}.csv`)), ';');
  if (rows.length !== 37) warn(`CPEB ${y}: ${rows.length} rows`);
  for (const r of rows) {
    if (!A38_IO.includes(r.BRANCH)) warn(`CPEB ${y}: unknown branch ${r.BRANCH}`);
    for (const k of ['PRD', 'IC']) if (!/^-?\d+(\.\d+)?$/.test(r[k])) warn(`CPEB ${y} ${r.BRANCH}: bad ${k} ${r[k]}`);
    accounts.push([String(y), r.BRANCH, r.PRD, r.IC]);
  }
}
accounts.sort((a, b) => byteCmp(a[0], b[0]) || byteCmp(a[1], b[1]));
writeCsv('io/branch_accounts_a38.csv', ['year', 'branch', 'output', 'intermediate_consumption'], accounts);

// Total intermediate uses (domestic + imported), A38, 2018: lsnr's
// InseeDataTEI_2018.csv gives each branch's purchases of each product as a
// share of its intermediate consumption (rows = branches); times the branch's
// IC of InseeDataCPEB_2018.csv they are INSEE's M€ again (integers to 1e-10).
// Written like the domestic tables: rows = product, columns = using branch.
// No 2019 table of total uses exists upstream (only the domestic one).
{
  const TOTAL_YEAR = 2018;
  const shares = csvObjects(readUtf8(path.join(IO, `InseeDataTEI_${TOTAL_YEAR}.csv`)), ';');
  const icOf = {};
  for (const a of accounts) if (a[0] === String(TOTAL_YEAR)) icOf[a[1]] = Number(a[3]);
  const cell = {};
  let worst = 0;
  for (const r of shares) {
    if (!A38_IO.includes(r.BRANCH)) warn(`TEI ${TOTAL_YEAR}: unknown branch ${r.BRANCH}`);
    for (const p of A38_IO) {
      if (!/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(r[p])) warn(`TEI ${TOTAL_YEAR} ${r.BRANCH}/${p}: bad share ${r[p]}`);
      const v = Number(r[p]) * icOf[r.BRANCH];
      worst = Math.max(worst, Math.abs(v - Math.round(v)));
      cell[p + '|' + r.BRANCH] = Math.round(v);
    }
  }
  if (shares.length !== 37) warn(`TEI ${TOTAL_YEAR}: ${shares.length} branches`);
  if (worst > 1e-6) warn(`TEI ${TOTAL_YEAR}: share x IC is not a whole number of M€ (off by ${worst})`);
  const name = `io/tei_total_${TOTAL_YEAR}_a38.csv`;
  writeCsv(name, ['product', ...A38_IO], A38_IO.map((p) => [p, ...A38_IO.map((b) => String(cell[p + '|' + b]))]));
  let sum = 0, ic = 0, gap = 0;
  for (const b of A38_IO) {
    const col = A38_IO.reduce((s, p) => s + cell[p + '|' + b], 0);
    sum += col; ic += icOf[b]; gap = Math.max(gap, Math.abs(col - icOf[b]));
  }
  console.log(`  ${name}: ${sum} M€ of intermediate uses, branches' IC ${ic} M€` +
    ` (largest gap by branch ${gap} M€, rounding upstream); share x IC off a whole M€ by at most ${worst.toExponential(1)}`);
}

console.log(problems ? `${problems} warning(s)` : 'no warnings');
