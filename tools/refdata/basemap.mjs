#!/usr/bin/env node
// Builds the offline base map of the web UI (web/basemap/) from IGN's outlines
// (shared/data/contours_france, SOURCES.md section 12) and Natural Earth's
// countries (the npm package world-atlas), with names from data/geo.
//
// Usage: node tools/refdata/basemap.mjs CONTOURS_DIR DATA_DIR OUT_DIR
//   CONTOURS_DIR  shared/data/contours_france
//   DATA_DIR      the project's data/ (geo/communes.csv, geo/departements.csv)
//   OUT_DIR       web/basemap
// (npm run basemap runs it with the usual folders.)
//
// How: each set of polygons becomes a TopoJSON topology (topojson-server), so
// that a border shared by two départements or two communes is one arc; the
// arcs are simplified once (topojson-simplify, Visvalingam's effective area),
// so neighbours keep the same border, with no gap or overlap; the result is
// quantized (integer coordinates, delta-encoded) and written as TopoJSON,
// which the browser turns into GeoJSON and border lines with topojson-client
// (served from node_modules). Output is deterministic: the same inputs give
// the same bytes.
//
// Files written (TopoJSON):
//   france.json      object "departements" (code, name, region): polygons for
//                    the départements, borders and coast, zooms up to ~11
//   world.json       object "countries" (name): the countries around France
//                    and its overseas départements, France excepted (Natural
//                    Earth 1:50m from world-atlas)
//   communes-DD.json object "communes" (code, name) of département DD, for
//                    zooms from ~9; two départements have them (13, 30)
//   index.json       what the files are, their extent and the attribution

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { topology } = require('topojson-server');
const { presimplify, simplify, filter, filterAttachedWeight } = require('topojson-simplify');
const { feature, merge, quantize, bbox } = require('topojson-client');

const [CONTOURS, DATA, OUT] = process.argv.slice(2);
if (!CONTOURS || !DATA || !OUT) {
  console.error('usage: node tools/refdata/basemap.mjs CONTOURS_DIR DATA_DIR OUT_DIR');
  process.exit(2);
}

// Minimum effective area of a kept vertex, in square degrees (Visvalingam's
// triangle area): about a 900 m triangle for départements (2 pixels at zoom
// 9), 120 m for communes (2 pixels at zoom 12), 3 km for other countries;
// the coast of France keeps COAST_BOOST times more detail than its inner
// borders (≈ the communes'). Islands smaller than ISLET (about 1 km²) are
// dropped from the départements (they stay in the commune files). QUANT:
// integer grid of each file.
const DEP_AREA = 3e-5, COMMUNE_AREA = 1.5e-6, WORLD_AREA = 2e-4, ISLET = 1e-4, COAST_BOOST = 30;
const QUANT = { france: 1e6, communes: 1e5, world: 1e5 };
const COMMUNE_DEPS = [['13', 'communes-13-bouches-du-rhone.geojson'], ['30', 'communes-30-gard.geojson']];
// Communes of 2018 merged since (SOURCES.md section 12): drawn within the new commune.
const MERGED = { 30094: '30329', 30157: '30052', 30190: '30339' };

const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));

function readCsv(p) {
  const [head, ...rows] = fs.readFileSync(p, 'utf8').trim().split('\n').map(splitCsv);
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

function splitCsv(line) {
  const out = [];
  let f = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') { f += '"'; i++; } else if (c === '"') q = false; else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') { out.push(f); f = ''; } else f += c;
  }
  out.push(f);
  return out;
}

const communes = new Map(readCsv(path.join(DATA, 'geo/communes.csv')).map((c) => [c.code, c]));
const departements = new Map(readCsv(path.join(DATA, 'geo/departements.csv')).map((d) => [d.code, d]));

// [west, south, east, north] of a GeoJSON feature.
function featureBbox(f) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] !== 'number') return c.forEach(walk);
    b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
    b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
  };
  if (f.geometry) walk(f.geometry.coordinates);
  return b;
}

const round4 = (b) => b.map((v) => Math.round(v * 1e4) / 1e4);

// Simplified and quantized, with arcs no object uses any more removed. An
// arc that only one polygon uses is a coast (or a border with a foreign
// country): its vertices weigh `exterior` times more, so that it keeps the
// detail of a finer simplification (the sea must not cover the land, nor the
// land the sea, when zoomed in).
function finish(topo, area, quant, { rings = () => null, exterior = 1 } = {}) {
  const pre = presimplify(topo);
  if (exterior !== 1) {
    const uses = new Map();
    const walk = (a) => {
      if (typeof a !== 'number') return a.forEach(walk);
      const i = a < 0 ? ~a : a;
      uses.set(i, (uses.get(i) || 0) + 1);
    };
    for (const o of Object.values(pre.objects)) for (const g of o.geometries) walk(g.arcs);
    pre.arcs.forEach((arc, i) => {
      if (uses.get(i) === 1) for (const p of arc) if (Number.isFinite(p[2])) p[2] *= exterior;
    });
  }
  let t = simplify(pre, area);
  t = filter(t, rings(t));
  t = quantize(t, quant);
  t.bbox = round4(bbox(t));
  return t;
}

function write(name, topo) {
  const text = JSON.stringify(topo);
  fs.writeFileSync(path.join(OUT, name), text + '\n');
  const vertices = topo.arcs.reduce((n, a) => n + a.length, 0);
  const objects = Object.entries(topo.objects).map(([k, o]) => `${o.geometries.length} ${k}`).join(', ');
  console.log(`${name}: ${objects}, ${topo.arcs.length} arcs, ${vertices} vertices, ${text.length + 1} bytes`);
}

fs.mkdirSync(OUT, { recursive: true });
const index = {
  attribution: 'IGN Admin Express COG 2018, INSEE COG 2018 (via gregoiredavid/france-geojson), Licence Ouverte; Natural Earth (world-atlas)',
  built_by: 'tools/refdata/basemap.mjs',
  france: null,
  world: null,
  communes: [],
};

// ---------------------------------------------------------- départements
{
  const src = readJson(path.join(CONTOURS, 'departements-avec-outre-mer.geojson'));
  for (const f of src.features) {
    const d = departements.get(f.properties.code);
    if (!d) throw new Error(`département ${f.properties.code} is not in data/geo/departements.csv`);
    f.properties = { code: d.code, name: d.name, region: d.region };
  }
  src.features.sort((a, b) => a.properties.code.localeCompare(b.properties.code));
  const topo = finish(topology({ departements: src }, 1e7), DEP_AREA, QUANT.france,
    { rings: (t) => filterAttachedWeight(t, ISLET), exterior: COAST_BOOST });
  write('france.json', topo);
  index.france = { file: 'france.json', object: 'departements', bbox: topo.bbox, count: topo.objects.departements.geometries.length };
}

// --------------------------------------------------------------- communes
for (const [dep, file] of COMMUNE_DEPS) {
  const src = readJson(path.join(CONTOURS, file));
  // 2018 communes merged since become part of their new commune, merged on
  // the unsimplified topology (their common border disappears).
  const raw = topology({ c: src }, 1e7);
  const groups = new Map();
  for (const g of raw.objects.c.geometries) {
    const code = MERGED[g.properties.code] || g.properties.code;
    if (!communes.has(code)) throw new Error(`commune ${g.properties.code} of ${file} is not in data/geo/communes.csv`);
    if (!groups.has(code)) groups.set(code, []);
    groups.get(code).push(g);
  }
  const features = [...groups].sort((a, b) => a[0].localeCompare(b[0])).map(([code, geoms]) => ({
    type: 'Feature',
    properties: { code, name: communes.get(code).name },
    geometry: geoms.length === 1 ? feature(raw, geoms[0]).geometry : merge(raw, geoms),
  }));
  const topo = finish(topology({ communes: { type: 'FeatureCollection', features } }, 1e7), COMMUNE_AREA, QUANT.communes);
  const name = `communes-${dep}.json`;
  write(name, topo);
  index.communes.push({ departement: dep, file: name, object: 'communes', bbox: topo.bbox, count: features.length });
}

// ------------------------------------------------------------------ world
{
  const world = require('world-atlas/countries-50m.json');
  // Around metropolitan France and around each overseas département.
  const france = readJson(path.join(OUT, 'france.json'));
  const boxes = [[-12, 35, 20, 56]];
  for (const g of france.objects.departements.geometries.filter((x) => x.properties.code.startsWith('97'))) {
    const b = featureBbox(feature(france, g));
    boxes.push([b[0] - 6, b[1] - 6, b[2] + 6, b[3] + 6]);
  }
  const near = (g) => {
    const b = featureBbox(feature(world, g));
    if (b[2] - b[0] > 180) return false; // across the antimeridian (Russia, the USA, Fiji...)
    return boxes.some((x) => b[0] <= x[2] && b[2] >= x[0] && b[1] <= x[3] && b[3] >= x[1]);
  };
  const countries = world.objects.countries.geometries
    .filter((g) => g.id !== '250' && near(g)) // France: drawn from IGN's outlines
    .map((g) => ({ type: g.type, arcs: g.arcs, properties: { name: g.properties.name } }))
    .sort((a, b) => a.properties.name.localeCompare(b.properties.name));
  const topo = finish({ ...world, objects: { countries: { type: 'GeometryCollection', geometries: countries } } },
    WORLD_AREA, QUANT.world);
  write('world.json', topo);
  index.world = { file: 'world.json', object: 'countries', bbox: topo.bbox, count: countries.length };
}

fs.writeFileSync(path.join(OUT, 'index.json'), JSON.stringify(index, null, 1) + '\n');
console.log('index.json written');
