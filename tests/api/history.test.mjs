// history.test.mjs — a firm's shared history through the API, as the local
// officer the server acts for until accounts exist: contacts, interactions,
// follow-ups and the overdue ones, documents (uploaded as bytes, refused when
// too big or of the wrong type, answered only as attachments), the timeline,
// and the admins' personal data routes (refused to an officer). Every answer
// is checked against the route's schema in the OpenAPI document. Records of
// other organisations: the visibility rule is unit-tested with actors of two
// organisations and a guest (tests/unit/test_history.c).
// Run: node --test --test-reporter=tap tests/api/history.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { makeDb, startServer, assertProblem, FIX, ENGINE } from './support.mjs';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020.js').default;

const ASM = '91000001700012'; // the car assembler
const NEAR = '91000002500015'; // a car-parts maker
const PRIV = '91000006600019'; // restricted diffusion (statut P)
const E = `/api/v1/establishments/${ASM}`;

let env, srv, doc, ajv;

before(async () => {
  env = makeDb([['sirene', join(FIX, 'fixture_match.csv')]]);
  env.mk('doc', 'settings', '--max-mb', '1');
  // On PostgreSQL there is no file beside which documents would go by default.
  if (ENGINE === 'pg') env.mk('doc', 'settings', '--folder', join(env.dir, 'documents'));
  srv = await startServer(env.db);
  doc = await (await fetch(`${srv.base}/api/v1/openapi.json`)).json();
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ ...doc, $id: 'openapi' });
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

const ptr = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Calls the API; a 2xx JSON answer is checked against the route's schema. */
async function call(method, pattern, path, body, { status, type = 'application/json' } = {}) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.body = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    init.headers['content-type'] = type;
  }
  const res = await fetch(srv.base + path, init);
  const text = await res.text();
  if (status) assert.equal(res.status, status, `${method} ${path}: ${text.slice(0, 300)}`);
  if (res.ok && (res.headers.get('content-type') || '').startsWith('application/json')) {
    const code = String(res.status);
    const ref = `openapi#/paths/${encodeURIComponent(ptr(pattern))}/${method.toLowerCase()}/responses/${code}/content/${encodeURIComponent(ptr('application/json'))}/schema`;
    const v = ajv.getSchema(ref) || ajv.compile({ $ref: ref });
    const j = JSON.parse(text);
    assert.ok(v(j), `${method} ${pattern} matches its schema: ${ajv.errorsText(v.errors)}`);
    return { res, json: j };
  }
  return { res, text };
}

const P = (s) => `/api/v1/establishments/{siret}/${s}`;

test('the history routes are in the document: reads for viewers, writes for officers, personal data for admins, none kept', () => {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const [m, op] of Object.entries(item)) if (op.tags.includes('history')) ops.push([m, path, op]);
  assert.ok(ops.length >= 16, `${ops.length} history operations`);
  for (const [m, path, op] of ops) {
    const want = path.startsWith('/api/v1/gdpr') ? 'admin' : m === 'get' ? 'viewer' : 'officer';
    assert.equal(op['x-maillage-role'], want, `${m} ${path}`);
    assert.equal(op['x-maillage-cache-seconds'], 0, `${m} ${path}: private data is never kept`);
  }
  const upload = doc.paths[P('documents')].post;
  assert.ok(upload.requestBody.content['application/octet-stream'], 'a document is sent as bytes');
});

test('contacts: added, listed, changed; user text comes back as text', async () => {
  const { json: c } = await call('POST', P('contacts'), `${E}/contacts`,
    { name: 'Léa <img src=x onerror=alert(1)>', email: 'Lea.Martin@Example.fr', basis: 'intérêt légitime : suivi', position: 'DAF' },
    { status: 201 });
  assert.equal(c.name, 'Léa <img src=x onerror=alert(1)>');
  assert.equal(c.email, 'lea.martin@example.fr');
  assert.equal(c.author, 'local');
  assert.equal(c.org, 0);
  await call('POST', P('contacts'), `${E}/contacts`, { name: 'Paul Martin', basis: 'intérêt légitime', company: 'yes' }, { status: 201 });
  const { json: list } = await call('GET', P('contacts'), `${E}/contacts`, undefined, { status: 200 });
  assert.deepEqual(list.contacts.map((x) => [x.name, x.siret]), [['Léa <img src=x onerror=alert(1)>', ASM], ['Paul Martin', null]]);
  const { json: u } = await call('POST', '/api/v1/contacts/{contact}', `/api/v1/contacts/${c.id}`, { phone: '04 42 00 00 00' }, { status: 201 });
  assert.equal(u.phone, '04 42 00 00 00');
  assert.equal(u.position, 'DAF', 'the fields not given are kept');
});

test('a contact needs its lawful basis, and a well-formed email', async () => {
  let { res, text } = await call('POST', P('contacts'), `${E}/contacts`, { name: 'X' });
  assertProblem({ label: 'no basis', status: res.status }, 400, res.headers, text, /basis/);
  ({ res, text } = await call('POST', P('contacts'), `${E}/contacts`, { name: 'X', basis: 'y', email: 'nope' }));
  assertProblem({ label: 'bad email', status: res.status }, 400, res.headers, text, /email/);
});

test('nothing is written about an establishment with restricted diffusion, and it has no timeline', async () => {
  const base = `/api/v1/establishments/${PRIV}`;
  for (const [what, body] of [['contacts', { name: 'X', basis: 'y' }], ['interactions', { kind: 'call' }],
    ['follow-ups', { what: 'x', due: '2030-01-01' }]]) {
    const { res, text } = await call('POST', P(what), `${base}/${what}`, body);
    assertProblem({ label: what, status: res.status }, 403, res.headers, text, /restricted diffusion.*keeps no contact/);
  }
  const { res, text } = await call('GET', P('timeline'), `${base}/timeline`);
  assertProblem({ label: 'timeline', status: res.status }, 403, res.headers, text);
  assert.ok(!text.includes('FIXTURE'), 'the problem does not name it');
});

test('interactions: recorded with their contacts, listed newest first', async () => {
  await call('POST', P('interactions'), `${E}/interactions`, { kind: 'visit', date: '2026-03-02', notes: 'Visite <b>usine</b>', contacts: '1' }, { status: 201 });
  await call('POST', P('interactions'), `${E}/interactions`, { kind: 'call', date: '2026-04-10' }, { status: 201 });
  const { json } = await call('GET', P('interactions'), `${E}/interactions`, undefined, { status: 200 });
  assert.deepEqual(json.interactions.map((i) => [i.kind, i.date, i.contacts]), [['call', '2026-04-10', []], ['visit', '2026-03-02', [1]]]);
  let { res, text } = await call('POST', P('interactions'), `${E}/interactions`, { kind: 'call', date: '2026-02-30' });
  assertProblem({ label: 'impossible date', status: res.status }, 400, res.headers, text, /date/);
  ({ res, text } = await call('POST', P('interactions'), `${E}/interactions`, { kind: 'call', contacts: '99' }));
  assertProblem({ label: 'another firm\'s contact', status: res.status }, 400, res.headers, text, /contact 99/);
});

test('follow-ups: the overdue ones across firms, done and to do again', async () => {
  const { json: late } = await call('POST', P('follow-ups'), `${E}/follow-ups`, { what: 'Envoyer la liste', due: '2020-01-15' }, { status: 201 });
  assert.equal(late.overdue, true);
  await call('POST', P('follow-ups'), `/api/v1/establishments/${NEAR}/follow-ups`, { what: 'Rappeler', due: '2099-01-01', owner: 'Marie' }, { status: 201 });
  let { json } = await call('GET', '/api/v1/follow-ups', '/api/v1/follow-ups?overdue=1', undefined, { status: 200 });
  assert.deepEqual(json.followups.map((f) => f.what), ['Envoyer la liste']);
  ({ json } = await call('GET', '/api/v1/follow-ups', '/api/v1/follow-ups', undefined, { status: 200 }));
  assert.equal(json.followups.length, 2, 'every firm\'s');
  ({ json } = await call('GET', '/api/v1/follow-ups', '/api/v1/follow-ups?mine=1', undefined, { status: 200 }));
  assert.deepEqual(json.followups.map((f) => f.what), ['Envoyer la liste'], 'mine: not the one Marie owns');
  await call('POST', '/api/v1/follow-ups/{followup}/done', `/api/v1/follow-ups/${late.id}/done`, { done: 'yes' }, { status: 201 });
  ({ json } = await call('GET', '/api/v1/follow-ups', '/api/v1/follow-ups?overdue=1', undefined, { status: 200 }));
  assert.equal(json.followups.length, 0, 'done: no longer overdue');
  ({ json } = await call('GET', P('follow-ups'), `${E}/follow-ups`, undefined, { status: 200 }));
  assert.ok(json.followups[0].done, 'its date done is kept');
  const { res, text } = await call('POST', '/api/v1/follow-ups/{followup}/done', '/api/v1/follow-ups/999/done', { done: 'yes' });
  assertProblem({ label: 'unknown follow-up', status: res.status }, 404, res.headers, text);
});

const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');
const upload = (name, bytes, type = 'application/octet-stream') =>
  call('POST', P('documents'), `${E}/documents?filename=${encodeURIComponent(name)}`, bytes, { type });

test('documents: uploaded as bytes, answered only as an attachment with their own type', async () => {
  const { json: d } = await upload('Compte rendu été.pdf', pdf);
  assert.equal(d.name, 'Compte rendu été.pdf');
  assert.equal(d.type, 'application/pdf');
  assert.match(d.id, /^[0-9a-f]{32}$/);
  const res = await fetch(`${srv.base}/api/v1/documents/${d.id}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.match(res.headers.get('content-disposition'), /^attachment; filename="Compte rendu _t_\.pdf"; filename\*=UTF-8''Compte%20rendu%20%C3%A9t%C3%A9\.pdf$/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('cache-control'), 'private, no-store', 'private data is not stored');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), pdf);
  const { json } = await call('GET', P('documents'), `${E}/documents`, undefined, { status: 200 });
  assert.deepEqual(json.documents.map((x) => x.id), [d.id]);
  const { json: t } = await upload('notes.txt', Buffer.from('Réunion du 2 mars\n'));
  const txt = await fetch(`${srv.base}/api/v1/documents/${t.id}`);
  assert.equal(txt.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.match(txt.headers.get('content-disposition'), /^attachment;/);
});

test('documents: refused when too big, of the wrong type, or HTML in disguise', async () => {
  const cases = [
    ['HTML disguised as PDF', 'rapport.pdf', Buffer.from('<!doctype html><script>alert(document.cookie)</script>'), 422, /markup/],
    ['HTML disguised as text', 'notes.txt', Buffer.from('  <html><body onload=alert(1)>'), 422, /markup/],
    ['an HTML page', 'page.html', Buffer.from('<html></html>'), 422, /extension/],
    ['a PNG named .pdf', 'image.pdf', Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1'), 422, /PNG/],
    ['an executable', 'outil.pdf', Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), 422, /unknown kind/],
    ['an empty file', 'vide.pdf', Buffer.alloc(0), 422, /empty/],
    ['over the 1 MB set', 'gros.pdf', Buffer.concat([pdf, Buffer.alloc(1000001 - pdf.length, 32)]), 413, /more than the 1000000 allowed/],
  ];
  for (const [label, name, bytes, status, want] of cases) {
    const { res, text } = await upload(name, bytes);
    assertProblem({ label, status: res.status }, status, res.headers, text, want);
  }
  const { res, text } = await upload('a.pdf', pdf, 'application/json');
  assertProblem({ label: 'sent as JSON', status: res.status }, 415, res.headers, text, /octet-stream/);
  const form = await fetch(`${srv.base}${E}/documents?filename=a.pdf`, { method: 'POST', body: new URLSearchParams({ a: 'b' }) });
  assertProblem({ label: 'a cross-site form', status: form.status }, 415, form.headers, await form.text());
  const { json } = await call('GET', P('documents'), `${E}/documents`, undefined, { status: 200 });
  assert.equal(json.documents.length, 2, 'none of the refused ones was kept');
  for (const [id, status] of [['0123456789abcdef0123456789abcdef', 404], ['..%2F..%2Fetc%2Fpasswd', 404], ['ABCDEF', 400]]) {
    const r = await fetch(`${srv.base}/api/v1/documents/${id}`);
    assertProblem({ label: `document ${id}`, status: r.status }, status, r.headers, await r.text());
  }
});

test('the timeline holds everything about the firm, newest first', async () => {
  await call('POST', '/api/v1/verdicts', '/api/v1/verdicts', { supplier: NEAR, buyer: ASM, verdict: 'note', note: 'bon fournisseur' }, { status: 201 });
  const { json } = await call('GET', P('timeline'), `${E}/timeline`, undefined, { status: 200 });
  assert.equal(json.name, 'ASSEMBLAGE AUTOMOBILE FIXTURE');
  const kinds = new Set(json.items.map((i) => i.kind));
  for (const k of ['interaction', 'contact', 'followup', 'document', 'note', 'sirene']) assert.ok(kinds.has(k), `a ${k} item`);
  const at = json.items.map((i) => i.at);
  assert.deepEqual(at, [...at].sort().reverse(), 'newest first');
  const visit = json.items.find((i) => i.kind === 'interaction' && i.type === 'visit');
  assert.deepEqual(visit.contacts.map((c) => c.name), ['Léa <img src=x onerror=alert(1)>']);
  const note = json.items.find((i) => i.kind === 'note');
  assert.equal(note.author, 'local');
  assert.equal(note.partner.siret, NEAR);
});

test('personal data routes are for admins: the local officer is refused', async () => {
  for (const [m, path, body] of [['POST', '/api/v1/gdpr/export', { person: 'lea.martin@example.fr' }],
    ['POST', '/api/v1/gdpr/erase', { person: 'lea.martin@example.fr' }], ['GET', '/api/v1/gdpr/review'],
    ['GET', '/api/v1/gdpr/erasures']]) {
    const { res, text } = await call(m, path, path, body);
    // Without accounts the local caller is an officer: an admin must sign in.
    assertProblem({ label: path, status: res.status }, 401, res.headers, text, /admin/);
  }
  const { json } = await call('GET', P('contacts'), `${E}/contacts`, undefined, { status: 200 });
  assert.equal(json.contacts.length, 2, 'nothing was erased');
});

test('a write is seen by the next read: private answers are never kept', async () => {
  const before = (await call('GET', P('contacts'), `${E}/contacts`)).json.contacts.length;
  await call('POST', P('contacts'), `${E}/contacts`, { name: 'Nouveau', basis: 'intérêt légitime' }, { status: 201 });
  const { res, json } = await call('GET', P('contacts'), `${E}/contacts`);
  assert.equal(json.contacts.length, before + 1);
  assert.equal(res.headers.get('cache-control'), 'private, no-store', 'nor by the browser');
});

test('the server said nothing wrong meanwhile (sanitizers)', () => {
  assert.doesNotMatch(srv.stderr, /runtime error|AddressSanitizer|LeakSanitizer/);
});
