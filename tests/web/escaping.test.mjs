// escaping.test.mjs — a lint of the browser code (web/*.js): data reaches the
// page as text, never as markup. Strings never go through innerHTML and its
// kin, and Leaflet's tooltips, popups and icons, which render a string as
// HTML, only ever get DOM nodes made by the helpers that set textContent.
// Run: node --test --test-reporter=tap tests/web/escaping.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const WEB = resolve(new URL('../../web', import.meta.url).pathname);
const files = readdirSync(WEB).filter((f) => f.endsWith('.js')).sort();
const sources = Object.fromEntries(files.map((f) => [f, readFileSync(join(WEB, f), 'utf8')]));

/** The source without comments and string contents (kept: the quotes). */
function code(src) {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:\\])\/\/.*$/gm, (m, p) => p + ' '.repeat(m.length - p.length));
}

function lineOf(src, index) {
  return src.slice(0, index).split('\n').length;
}

/** The first argument of the call whose "(" is at `open`. */
function firstArg(src, open) {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return src.slice(open + 1, i).trim();
    } else if (c === ',' && depth === 1) return src.slice(open + 1, i).trim();
  }
  return '';
}

// The helpers that build DOM nodes with textContent (web/map.js).
const SAFE_CONTENT = /^(\(\)\s*=>\s*)?(textTip|popupHtml)\(/;

test('no web file writes markup from a string (innerHTML and its kin, eval)', () => {
  const banned = [/\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/,
    /createContextualFragment/, /new\s+DOMParser/, /\bsrcdoc\b/, /\beval\s*\(/, /new\s+Function\s*\(/,
    /setAttribute\(\s*['"](on|style)/];
  const found = [];
  for (const [f, src] of Object.entries(sources)) {
    const c = code(src);
    for (const re of banned) {
      const g = new RegExp(re.source, 'g');
      for (const m of c.matchAll(g)) found.push(`${f}:${lineOf(c, m.index)}: ${m[0]}`);
    }
  }
  assert.deepEqual(found, []);
});

test('every Leaflet tooltip and popup gets a DOM node built with textContent, never a string', () => {
  const bad = [];
  let calls = 0;
  for (const [f, src] of Object.entries(sources)) {
    const c = code(src);
    for (const m of c.matchAll(/\.(bindTooltip|bindPopup|setTooltipContent|setPopupContent|setContent)\s*\(/g)) {
      calls++;
      const arg = firstArg(c, m.index + m[0].length - 1);
      if (!SAFE_CONTENT.test(arg)) bad.push(`${f}:${lineOf(c, m.index)}: ${m[1]}(${arg.slice(0, 60)})`);
    }
    for (const m of c.matchAll(/\bL\.(tooltip|popup)\s*\(/g)) bad.push(`${f}:${lineOf(c, m.index)}: L.${m[1]}(...)`);
  }
  assert.ok(calls >= 5, `${calls} calls checked`);
  assert.deepEqual(bad, []);
});

test('no Leaflet icon is given its HTML as a string', () => {
  const bad = [];
  for (const [f, src] of Object.entries(sources)) {
    const c = code(src);
    for (const m of c.matchAll(/\bhtml\s*:\s*[`'"]/g)) bad.push(`${f}:${lineOf(c, m.index)}: ${m[0]}`);
  }
  assert.deepEqual(bad, []);
});

test('the helpers set textContent', () => {
  const map = sources['map.js'];
  for (const name of ['textTip', 'popupHtml']) {
    const at = map.indexOf(`export function ${name}(`);
    assert.ok(at >= 0, `${name} is defined in map.js`);
    const body = map.slice(at, map.indexOf('\n}\n', at));
    assert.match(body, /textContent/, `${name} uses textContent`);
  }
});
