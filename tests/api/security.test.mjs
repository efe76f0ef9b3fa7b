// security.test.mjs — the server against a careless or hostile client: every
// answer that is not a success is a problem document (also those
// libmicrohttpd makes before maillage's code runs, and those echoing invalid
// UTF-8), state-changing requests only from the server's own origin with a
// JSON body, only the hosts it serves (DNS rebinding), security headers on
// every answer, an access log that input cannot forge, malformed territory
// codes refused, and a warning when listening beyond this machine.
// Run: node --test --test-reporter=tap tests/api/security.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDb, startServer, rawRequest, parseAnswers, assertProblem } from './support.mjs';

const ASM = '91000001700012'; // car assembler (fixture_match.csv)
const NEAR = '91000002500015'; // machining firm 2.5 km away
const SOLO = '91000004100012'; // one-person machining shop

let env, srv, base, port;

before(async () => {
  env = makeDb();
  srv = await startServer(env.db);
  ({ base, port } = srv);
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

async function get(path, init = {}) {
  const res = await fetch(base + path, init);
  return { res, text: await res.text() };
}

async function expectProblem(label, path, status, init = {}, want) {
  const { res, text } = await get(path, init);
  return assertProblem({ label, status: res.status }, status, res.headers, text, want);
}

async function links() {
  return (await (await fetch(`${base}/api/v1/establishments/${ASM}/links`)).json());
}

// ------------------------------------------------------------ invalid UTF-8

test('an invalid UTF-8 byte in any path parameter answers 400, never 500', async () => {
  const doc = await (await fetch(`${base}/api/v1/openapi.json`)).json();
  let n = 0;
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.includes('{')) continue;
    for (const method of Object.keys(item)) {
      for (const bad of ['%ff', '%c3', 'a%c3', '%ed%a0%80', '%f4%90%80%80']) {
        const url = path.replace(/\{[^}]+\}/g, bad);
        await expectProblem(`${method} ${url}`, url, 400, { method: method.toUpperCase() });
        n++;
      }
    }
  }
  assert.ok(n >= 40, `${n} requests`);
});

test('invalid UTF-8 in a parameter name, a value or an unknown route answers 4xx', async () => {
  await expectProblem('name %ff', '/api/v1/search?%ff=1', 400);
  await expectProblem('value %ff', '/api/v1/search?q=%ff', 400);
  await expectProblem('unknown route', '/api/v1/nosuch%ff', 404);
  await expectProblem('static', '/static/%ff.js', 404);
  // The name is cut for the message in the middle of a character.
  const p = await expectProblem('59 a + é', `/api/v1/search?${'a'.repeat(59)}%C3%A9=1`, 400);
  assert.ok(!p.detail.includes('\ufffd') || p.detail.includes('…'), p.detail);
});

test('a verdict with a 600 × "é" field name or value answers 400 with a bounded message', async () => {
  const e600 = 'é'.repeat(600);
  for (const body of [
    { supplier: SOLO, buyer: ASM, verdict: 'note', [e600]: 'x' },
    { supplier: SOLO, buyer: ASM, verdict: 'note', ['a' + e600]: 'x' },
    { supplier: e600, buyer: ASM, verdict: 'note' },
    { supplier: 'a' + e600, buyer: ASM, verdict: 'note' },
    { supplier: SOLO, buyer: ASM, verdict: e600 },
  ]) {
    const p = await expectProblem(Object.keys(body).join(',').slice(0, 40), '/api/v1/verdicts', 400,
      { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    assert.ok(p.detail.length < 400, p.detail);
  }
});

test('a problem document names the path as a URI (percent-encoded), whatever bytes it had', async () => {
  const p = await expectProblem('instance', '/api/v1/nosuch%ff%0a', 404);
  assert.equal(p.instance, '/api/v1/nosuch%FF%0A');
});

// ---------------------------------------------- libmicrohttpd's own refusals

const raw = (bytes) => rawRequest(port, bytes);
const head = (extra = '') => `Host: 127.0.0.1:${port}\r\n${extra}Connection: close\r\n\r\n`;

async function rawProblem(label, bytes, status) {
  const { answers, raw: all } = await raw(bytes);
  assert.ok(answers.length >= 1, `${label}: an answer (got ${JSON.stringify(all.toString('latin1').slice(0, 200))})`);
  const a = answers[0];
  assertProblem({ label, status: a.status }, status, a.headers, a.body);
  assert.match(a.headers['content-security-policy'] || '', /frame-ancestors 'none'/, `${label}: CSP`);
  assert.equal(a.headers['x-content-type-options'], 'nosniff', label);
  return a;
}

test('a 70 kB URL answers 414 with a problem document, not an HTML page', async () => {
  await rawProblem('70 kB URL', `GET /api/v1/search?q=${'a'.repeat(70 * 1024)} HTTP/1.1\r\n${head()}`, 414);
});

test('a 100 kB header answers 431 with a problem document', async () => {
  await rawProblem('100 kB header', `GET /api/v1/info HTTP/1.1\r\n${head(`X-Big: ${'b'.repeat(100 * 1024)}\r\n`)}`, 431);
});

test('Content-Length: -1 is refused without an HTML page: the connection is closed unanswered', async () => {
  // libmicrohttpd 0.9.75 writes its reply's headers twice in this case (see
  // src/http/mhd_refusal.c): no answer is better than a corrupt one.
  for (const cl of ['-1', 'abc', '99999999999999999999999']) {
    const { raw: all } = await raw(`POST /api/v1/verdicts HTTP/1.1\r\n${head(`Content-Type: application/json\r\nContent-Length: ${cl}\r\n`)}`);
    const text = all.toString('latin1');
    assert.ok(!/<html/i.test(text), `${cl}: no HTML page: ${text.slice(0, 200)}`);
    if (text.length) {
      const answers = parseAnswers(all);
      assert.equal(answers.length, 1, `${cl}: one well-formed answer: ${text.slice(0, 300)}`);
      assertProblem({ label: cl, status: answers[0].status }, [400, 413], answers[0].headers, answers[0].body);
    }
  }
  const { res } = await get('/api/v1/info');
  assert.equal(res.status, 200, 'the server still answers');
});

test('an HTTP/0.9 request line answers 400 with a problem document', async () => {
  await rawProblem('HTTP/0.9', 'GET /api/v1/info\r\n\r\n', 400);
});

test('HTTP/9.9 answers 505 (version not supported) with a problem document', async () => {
  await rawProblem('HTTP/9.9', `GET /api/v1/info HTTP/9.9\r\n${head()}`, 505);
});

test('an HTTP/1.1 request without Host answers 400 with a problem document', async () => {
  await rawProblem('no Host', 'GET /api/v1/info HTTP/1.1\r\nConnection: close\r\n\r\n', 400);
});

test('after all these the server still answers', async () => {
  const { res } = await get('/api/v1/info');
  assert.equal(res.status, 200);
});

// ------------------------------------------------------ security headers

test('every answer carries the security headers; the page has a CSP without inline script', async () => {
  for (const path of ['/', '/static/app.js', '/static/config.js', '/api/v1/info', '/api/v1/nope', '/api/v1/search?limit=x', '/vendor/leaflet/leaflet.js']) {
    const { res } = await get(path);
    const csp = res.headers.get('content-security-policy') || '';
    assert.match(csp, /frame-ancestors 'none'/, `${path}: CSP ${csp}`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
    assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
  }
  const { res } = await get('/');
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self'(;|$)/, csp);
  assert.match(csp, /default-src 'self'/, csp);
});

// --------------------------------------------------- hosts (DNS rebinding)

test('a request for a host the server does not serve answers 421 (DNS rebinding)', async () => {
  const { answers } = await raw(`GET /api/v1/info HTTP/1.1\r\nHost: evil.example:${port}\r\nConnection: close\r\n\r\n`);
  assertProblem({ label: 'evil host', status: answers[0].status }, 421, answers[0].headers, answers[0].body, /evil\.example/);
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, '127.0.0.1']) {
    const r = await raw(`GET /api/v1/info HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    assert.equal(r.answers[0].status, 200, host);
  }
});

// ------------------------------------------------------------ CSRF

const verdict = (v) => JSON.stringify({ supplier: NEAR, buyer: ASM, verdict: v, author: 'csrf test' });

test('a verdict from another origin is refused with 403 and not recorded', async () => {
  const before = await links();
  await expectProblem('evil origin', '/api/v1/verdicts', 403,
    { method: 'POST', body: verdict('reject'), headers: { 'content-type': 'application/json', origin: 'http://evil.example' } }, /origin/i);
  await expectProblem('null origin', '/api/v1/verdicts', 403,
    { method: 'POST', body: verdict('reject'), headers: { 'content-type': 'application/json', origin: 'null' } });
  assert.deepEqual(await links(), before);
});

test('a cross-site form (text/plain) or a no-cors fetch body is refused with 415 and not recorded', async () => {
  const before = await links();
  for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
    await expectProblem(type, '/api/v1/verdicts', 415, { method: 'POST', body: verdict('reject'), headers: { 'content-type': type } }, /application\/json/);
  }
  // No Content-Type at all.
  const { answers } = await raw(`POST /api/v1/verdicts HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${verdict('reject').length}\r\nConnection: close\r\n\r\n${verdict('reject')}`);
  assertProblem({ label: 'no type', status: answers[0].status }, 415, answers[0].headers, answers[0].body);
  assert.deepEqual(await links(), before);
});

test('the server\'s own origin, or no origin at all (scripts), may record a verdict', async () => {
  let { res, text } = await get('/api/v1/verdicts', { method: 'POST', body: verdict('accept'), headers: { 'content-type': 'application/json; charset=utf-8', origin: base } });
  assert.equal(res.status, 201, text);
  ({ res, text } = await get('/api/v1/verdicts', { method: 'POST', body: verdict('accept'), headers: { 'content-type': 'application/json' } }));
  assert.equal(res.status, 201, text);
  assert.equal((await links()).links.length, 1);
});

test('--allow-origin and --allow-host let a reverse proxy\'s origin and name through, nothing else', async () => {
  const s2 = await startServer(env.db, ['--quiet', '--allow-origin', 'https://carto.example.org', '--allow-host', 'maillage.lan']);
  try {
    const post = (origin, host) => rawRequest(s2.port, `POST /api/v1/verdicts HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${origin}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(verdict('accept'))}\r\nConnection: close\r\n\r\n${verdict('accept')}`);
    let r = await post('https://carto.example.org', 'carto.example.org');
    assert.equal(r.answers[0].status, 201, r.answers[0].body);
    r = await post('https://evil.example', 'carto.example.org');
    assert.equal(r.answers[0].status, 403, r.answers[0].body);
    r = await rawRequest(s2.port, `GET /api/v1/info HTTP/1.1\r\nHost: maillage.lan:${s2.port}\r\nConnection: close\r\n\r\n`);
    assert.equal(r.answers[0].status, 200);
    r = await rawRequest(s2.port, `GET /api/v1/info HTTP/1.1\r\nHost: other.lan:${s2.port}\r\nConnection: close\r\n\r\n`);
    assert.equal(r.answers[0].status, 421);
  } finally {
    await s2.stop();
  }
});

// -------------------------------------------------- malformed territory codes

test('search with a malformed commune, EPCI, département or région code answers 400', async () => {
  for (const q of ['commune=.', 'commune=..', 'commune=1300', 'epci=..', 'epci=12345', 'dep=..', 'dep=1', 'region=..', 'region=.', 'region=9']) {
    await expectProblem(q, `/api/v1/search?q=fixture&${q}`, 400, {}, /code/);
  }
  for (const q of ['commune=13001', 'commune=2A004', 'dep=13', 'dep=2A', 'dep=971', 'region=93', 'epci=200054807']) {
    const { res, text } = await get(`/api/v1/search?q=fixture&${q}`);
    assert.equal(res.status, 200, `${q}: ${text.slice(0, 200)}`);
  }
});

test('a territory, a map or the communes of a malformed code answer 400', async () => {
  for (const path of ['/api/v1/territories?parent=..', '/api/v1/map?territory=..', '/api/v1/map/communes?territory=...', '/api/v1/territories/reg:.']) {
    await expectProblem(path, path, 400);
  }
  // Sent raw: a URL parser would take %2e%2e for "..".
  const { answers } = await raw(`GET /api/v1/territories/%2e%2e HTTP/1.1\r\n${head()}`);
  assertProblem({ label: '%2e%2e', status: answers[0].status }, 400, answers[0].headers, answers[0].body, /territory code/);
});

// ----------------------------------------------------------- access log

test('the access log escapes what the request holds: no forged line, no raw control byte', async () => {
  const s2 = await startServer(env.db, []);
  try {
    await fetch(`${s2.base}/api/v1/x%0a2026-01-01T00:00:00Z%20127.0.0.1%20%22GET%20/forged%22%20200`);
    await rawRequest(s2.port, `GET /static/\x1b[31mred\x1b[0m HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    await rawRequest(s2.port, 'GET /x\r\n\r\n');
    await fetch(`${s2.base}/api/v1/info`);
    await s2.stop();
    const log = s2.stderr;
    assert.ok(!log.includes('\x1b'), 'no raw ESC byte in the log');
    assert.ok(!/^[^\n]*"GET \/forged"/m.test(log.split('\n').filter((l) => !l.includes('/api/v1/x')).join('\n')), log);
    const lines = log.split('\n').filter((l) => /^\d{4}-/.test(l));
    assert.ok(lines.some((l) => l.includes('%0a2026')), log);
    assert.ok(lines.some((l) => l.includes('\\e[31mred')), log);
    assert.ok(lines.every((l) => !/[\x00-\x08\x0b-\x1f\x7f]/.test(l)), log);
  } finally {
    await s2.stop();
  }
});

// -------------------------------------------------------------- bind

test('listening beyond this machine prints a clear warning (no accounts yet)', async () => {
  const s2 = await startServer(env.db, ['--quiet', '--bind', '0.0.0.0']);
  try {
    assert.match(s2.stderr, /warning: .*0\.0\.0\.0/i);
    assert.match(s2.stderr, /no accounts/i);
  } finally {
    await s2.stop();
  }
  const s3 = await startServer(env.db, ['--quiet']);
  try {
    assert.doesNotMatch(s3.stderr, /warning/i);
  } finally {
    await s3.stop();
  }
});

test('the public info route tells no one where the server keeps its files', async () => {
  const info = await (await fetch(`${base}/api/v1/info`)).json();
  assert.ok(info.counts && 'contains_generated_data' in info, 'the counts are there');
  assert.equal(info.path, undefined, 'no database path');
  assert.equal(info.meta.reference_data, undefined, 'no reference data folder');
  assert.ok(!JSON.stringify(info).includes(env.dir), 'no path of the test folder anywhere');
});
