// abuse.test.mjs — for every operation of the server's own OpenAPI document,
// every parameter and the request body get what a careless or hostile client
// sends: invalid UTF-8 (percent-encoded and raw), overlong values, values of
// the wrong type, unknown names, other methods. Every answer must be a
// problem document (RFC 9457) with a 4xx status: never a success, never a
// 5xx, never an HTML page.
// Run: node --test --test-reporter=tap tests/api/abuse.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDb, startServer, rawRequest, assertProblem, FIX } from './support.mjs';
import { join } from 'node:path';

const ASM = '91000001700012';
let env, srv, doc;
const counts = { requests: 0 };

before(async () => {
  env = makeDb([['sirene', join(FIX, 'fixture_match.csv')], ['group', 'add', 'Lauréats', join(FIX, 'fixture_network.txt')]]);
  srv = await startServer(env.db);
  doc = await (await fetch(`${srv.base}/api/v1/openapi.json`)).json();
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

/** A value the schema accepts, to hold the other parameters still. */
function validValue(p) {
  const s = p.schema || {};
  if (s.type === 'integer') return String(Math.max(s.minimum ?? 1, 1));
  if (s.type === 'boolean') return 'true';
  if (s.pattern === '^[0-9]{14}$') return ASM;
  if (s.pattern === '^[0-9]{9}$') return '910000017';
  if (p.name === 'territory' || p.name === 'code') return '200054807';
  if (p.name === 'name') return encodeURIComponent('Lauréats');
  if (s.pattern) return '13';
  return 'x';
}

/** Values the schema refuses, each with what it is. */
function badValues(p) {
  const s = p.schema || {};
  const out = [['%ff', 'invalid UTF-8'], ['%c3%28', 'a broken 2-byte character'], ['a%ed%a0%80', 'a surrogate'],
    ['%f8%88%80%80%80', 'a 5-byte sequence']];
  const max = s.maxLength ?? 200;
  out.push(['y'.repeat(p.in === 'path' ? Math.min(max + 1, 900) : Math.max(max + 1, 5000)), 'overlong']);
  if (s.type === 'integer') {
    for (const v of ['abc', '1.5', '1e3', '0x10', '%201', '-99999999999999999999', String((s.maximum ?? 0) + 1), String((s.minimum ?? 0) - 1)])
      out.push([v, 'not an integer in range']);
  } else if (s.type === 'boolean') {
    for (const v of ['maybe', '2', 'TRUE ', '%00']) out.push([v, 'not a boolean']);
  } else if (s.pattern) {
    const fixed = s.pattern.match(/^\^\[0-9\]\{(\d+)\}\$$/);
    const bad = ['%3Cscript%3E', '%20', 'a-b', '%2B1', '1'.repeat((s.maxLength ?? 16) + 1)];
    if (fixed) bad.push('a'.repeat(Number(fixed[1])), '1'.repeat(Number(fixed[1]) - 1), '1'.repeat(Number(fixed[1]) + 1));
    for (const v of bad) out.push([v, 'not of the pattern']);
  }
  return out;
}

function url(path, params, override = {}) {
  let u = path;
  const query = [];
  for (const p of params) {
    const v = p.name in override ? override[p.name] : p.required || p.in === 'path' ? validValue(p) : null;
    if (v === null) continue;
    if (p.in === 'path') u = u.replace(`{${p.name}}`, v);
    else query.push(`${p.name}=${v}`);
  }
  return query.length ? `${u}?${query.join('&')}` : u;
}

async function expect4xx(label, method, path, init = {}) {
  counts.requests++;
  const res = await fetch(srv.base + path, { method, ...init });
  const text = await res.text();
  assert.ok(res.status >= 400 && res.status < 500, `${label}: ${method} ${path.slice(0, 120)} → ${res.status} ${text.slice(0, 200)}`);
  assertProblem({ label: `${label}: ${method} ${path.slice(0, 80)}`, status: res.status }, res.status, res.headers, text);
}

const operations = () => {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) ops.push({ path, method: method.toUpperCase(), op, params: op.parameters || [] });
  return ops;
};

test('every parameter of every operation refuses invalid UTF-8, overlong and wrongly typed values with a 4xx problem', async () => {
  let n = 0;
  for (const { path, method, op, params } of operations()) {
    const init = method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {};
    for (const p of params) {
      for (const [v, what] of badValues(p)) {
        await expect4xx(`${op.operationId} ${p.name} ${what}`, method, url(path, params, { [p.name]: v }), init);
        n++;
      }
    }
  }
  assert.ok(n > 150, `${n} requests`);
});

test('every operation refuses unknown parameters, also with invalid UTF-8 names', async () => {
  for (const { path, method, op, params } of operations()) {
    const init = method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {};
    const base = url(path, params);
    const sep = base.includes('?') ? '&' : '?';
    for (const extra of ['colour=blue', '%ff=1', `${'a'.repeat(59)}%C3%A9=1`, `${'b'.repeat(5000)}=1`, '%00=1'])
      await expect4xx(`${op.operationId} unknown ${extra.slice(0, 20)}`, method, base + sep + extra, init);
  }
});

test('every path refuses the methods it does not have with 405', async () => {
  for (const [path, item] of Object.entries(doc.paths)) {
    const params = Object.values(item)[0].parameters || [];
    for (const m of ['PUT', 'DELETE', 'PATCH', 'POST', 'GET']) {
      if (item[m.toLowerCase()]) continue;
      const init = m === 'GET' ? {} : { body: '{}', headers: { 'content-type': 'application/json' } };
      await expect4xx(`${path} ${m}`, m, url(path, params), init);
    }
  }
});

test('raw bytes that are not UTF-8 in the request line answer a 4xx problem', async () => {
  for (const { path, method, params } of operations()) {
    if (method !== 'GET') continue;
    const u = url(path, params);
    const target = `${u}${u.includes('?') ? '&' : '?'}q\xff=\xfe\xc3`;
    counts.requests++;
    const { answers } = await rawRequest(srv.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.ok(answers.length === 1, `${path}: one answer`);
    const a = answers[0];
    assert.ok(a.status >= 400 && a.status < 500, `${path}: ${a.status} ${a.body.slice(0, 200)}`);
    assertProblem({ label: `raw ${path}`, status: a.status }, a.status, a.headers, a.body);
  }
});

test('every body of the wrong shape is refused with a 4xx problem', async () => {
  const posts = operations().filter((o) => o.method === 'POST');
  assert.ok(posts.length >= 1);
  const ok = { supplier: '91000002500015', buyer: ASM, verdict: 'note', note: 'x' };
  const bodies = [
    ['empty', ''], ['null', 'null'], ['a number', '42'], ['a string', '"x"'], ['an array', '[1,2]'],
    ['not JSON', '{supplier:'], ['a BOM', '\ufeff{}'], ['nested arrays', '['.repeat(5000) + ']'.repeat(5000)],
    ['invalid UTF-8 in a string', Buffer.concat([Buffer.from('{"supplier":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","buyer":"x","verdict":"note"}')])],
    ['a lone surrogate escape', '{"supplier":"\\ud800","buyer":"x","verdict":"note"}'],
    ['a NUL escape', JSON.stringify({ ...ok, supplier: '9100000250001\u0000' })],
    ['a number for a SIRET', JSON.stringify({ ...ok, supplier: 91000002500015 })],
    ['an object for a SIRET', JSON.stringify({ ...ok, buyer: { siret: ASM } })],
    ['an array for the verdict', JSON.stringify({ ...ok, verdict: ['accept'] })],
    ['true for the note', JSON.stringify({ ...ok, note: true })],
    ['an overlong note', JSON.stringify({ ...ok, note: 'n'.repeat(60000) })],
    ['an overlong author', JSON.stringify({ ...ok, author: 'a'.repeat(5000) })],
    ['an overlong body', JSON.stringify({ ...ok, note: 'n'.repeat(70000) })],
    ['a duplicate key', '{"supplier":"91000002500015","supplier":"x","buyer":"91000001700012","verdict":"note","note":"x"}'],
    ['an unknown verdict', JSON.stringify({ ...ok, verdict: 'maybe' })],
    ['a missing field', JSON.stringify({ supplier: ok.supplier, verdict: 'accept' })],
  ];
  for (const { path, op } of posts) {
    for (const [what, body] of bodies)
      await expect4xx(`${op.operationId} body ${what}`, 'POST', path, { body, headers: { 'content-type': 'application/json' } });
  }
});

test('the server answered every one of them and still answers', async () => {
  const res = await fetch(`${srv.base}/api/v1/info`);
  assert.equal(res.status, 200);
  assert.ok(counts.requests > 300, `${counts.requests} hostile requests`);
  assert.doesNotMatch(srv.stderr, /runtime error|AddressSanitizer/);
});
