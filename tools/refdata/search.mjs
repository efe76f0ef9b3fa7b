#!/usr/bin/env node
// Build the search reference files of data/ from the raw sources:
//   data/search/nacebel2008_fr.csv   French activity descriptions of NACE classes (NACE-BEL 2008),
//                                    in the format of the vocabulary (term,naf,note)
//   data/geo/postcodes.csv           La Poste postcodes of each commune
// data/search/vocabulary.csv is written by hand (see data/SOURCES.md) and only checked here.
//
// Usage: node tools/refdata/search.mjs SHARED_DATA_DIR OUT_DIR
//   SHARED_DATA_DIR  the shared/data folder (see its SOURCES.md, sections 2 and 11)
//   OUT_DIR          output folder (normally data/; reads OUT_DIR/geo/communes.csv and
//                    OUT_DIR/naf/*.csv to check codes)
//
// Plain Node (>= 18), no dependencies. Output: UTF-8, comma-separated, one header
// line, LF line endings, RFC 4180 quoting only where needed, rows sorted.

import fs from 'node:fs';
import path from 'node:path';

const [SHARED, OUT] = process.argv.slice(2);
if (!SHARED || !OUT) {
  console.error('usage: node tools/refdata/search.mjs SHARED_DATA_DIR OUT_DIR');
  process.exit(2);
}

let problems = 0;
const warn = (msg) => { problems++; console.log('WARNING: ' + msg); };

// RFC 4180 parser for comma-separated UTF-8 (quoted fields, doubled quotes).
function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [], field = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') { if (text[i + 1] === '"') { field += '"'; i++; } else q = false; } else field += c;
    } else if (c === '"' && field === '') q = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r') continue;
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const readCsv = (p) => {
  const [header, ...rows] = parseCsv(fs.readFileSync(p, 'utf8'));
  return rows.filter((r) => r.length > 1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
};
const cell = (v) => (/[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v);
const write = (file, header, rows) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n');
  console.log(`${path.relative(process.cwd(), file)}: ${rows.length} rows`);
};

// ------------------------------------------------------- NACE-BEL activities

// Abbreviations of the Belgian file that occur at least twice, written out
// so that they fold to the words a user types.
const ABBREVIATIONS = {
  'app.': 'appareils', 'art.': 'articles', 'transp.': 'transport', 'mat.': 'matières',
  'artific.': 'artificiels', 'véhic.': 'véhicules', 'simil.': 'similaires', 'tex.': 'textiles',
  'prépar.': 'préparations', 'aliment.': 'alimentaires', 'bâtim.': 'bâtiments',
  'chauff.': 'chauffage', 'consomm.': 'consommation', 'vêtem.': 'vêtements', 'voit.': 'voitures',
  'install.': 'installation',
};

const nafClasses = new Set(readCsv(path.join(OUT, 'naf/naf.csv')).map((r) => r.a615));
const nacebel = readCsv(path.join(SHARED, 'vocab_nacebel2008_fr/nacebel2008_fr.csv'));
const activities = [];
for (const r of nacebel) {
  if (!nafClasses.has(r.nace2_class)) { warn(`NACE-BEL ${r.code}: class ${r.nace2_class} is no NAF class`); continue; }
  let label = r.label_fr.trim();
  for (const [abbr, word] of Object.entries(ABBREVIATIONS)) {
    label = label.replace(new RegExp('(^|[\\s(,;:])' + abbr.replace('.', '\\.') + '(?=[\\s,;:)]|$)', 'g'), `$1${word}`);
  }
  activities.push([label, r.nace2_class, 'NACE-BEL ' + r.code]);
}
activities.sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
// In the vocabulary format: term (the description), naf (its class), note (where from).
write(path.join(OUT, 'search/nacebel2008_fr.csv'), ['term', 'naf', 'note'], activities);

// ----------------------------------------------------------------- postcodes

const communes = new Map(readCsv(path.join(OUT, 'geo/communes.csv')).map((r) => [r.code, r]));
const cog = readCsv(path.join(SHARED, 'communes_cog2024/communes.csv'));
const pairs = new Set();
let unknown = 0;
for (const r of cog) {
  const pc = r.code_postal.trim();
  if (!/^[0-9]{5}$/.test(pc)) { warn(`commune ${r.insee_com}: postcode '${pc}'`); continue; }
  let code = r.insee_com;
  // A code no longer current maps to the commune that absorbed it.
  const c = communes.get(code);
  if (!c) { unknown++; continue; }
  if (c.type === 'COMD' && c.parent) code = c.parent;
  pairs.add(pc + ',' + code);
}
if (unknown) warn(`${unknown} postcode rows name a commune code unknown to geo/communes.csv (skipped)`);
const postcodes = [...pairs].sort().map((p) => p.split(','));
write(path.join(OUT, 'geo/postcodes.csv'), ['postcode', 'commune'], postcodes);

// ------------------------------------------------------ vocabulary (checked)

const levelCodes = new Set(readCsv(path.join(OUT, 'naf/levels.csv')).map((r) => r.code));
const subclasses = new Set(readCsv(path.join(OUT, 'naf/naf.csv')).map((r) => r.code));
const vocabulary = readCsv(path.join(OUT, 'search/vocabulary.csv'));
const seen = new Set();
for (const v of vocabulary) {
  const key = v.term.toLowerCase();
  if (seen.has(key)) warn(`vocabulary: '${v.term}' twice`);
  seen.add(key);
  for (const code of v.naf.split(' ')) {
    if (!subclasses.has(code) && !levelCodes.has(code)) warn(`vocabulary: '${v.term}': unknown NAF code ${code}`);
  }
  if (!v.note) warn(`vocabulary: '${v.term}' has no note`);
}
console.log(`data/search/vocabulary.csv: ${vocabulary.length} entries checked`);
console.log(problems ? `${problems} warning(s)` : 'no warnings');
