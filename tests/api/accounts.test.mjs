// accounts.test.mjs — signing in on the real server: cookies and their
// flags, a session fixed before the login is not kept, CSRF refused
// (missing or wrong token, foreign Origin), throttling of failed logins
// (429 with Retry-After), logout and logout everywhere, API tokens (scoped,
// revocable, shown once), invitations by one-time link, the audit log (who,
// when, from where; administrators only; CSV), security headers.
// Run: node --test --test-reporter=tap tests/api/accounts.test.mjs
// Env: MAILLAGE_BIN (default build/maillage), MAILLAGE_DATA (reference data dir).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, assertProblem, FIX, ROOT } from './support.mjs';
import { accountsDb, cli, Client, signedIn, PEOPLE, PASSWORD } from './account_support.mjs';

const ASM = '91000001700012';
const NEAR = '91000002500015';
let env, srv;

before(async () => {
  env = accountsDb([['sirene', join(FIX, 'fixture_match.csv')]]);
  srv = await startServer(env.db);
});

after(async () => {
  await srv?.stop();
  env?.cleanup();
});

const verdict = { supplier: NEAR, buyer: ASM, verdict: 'note', note: 'accounts test' };

test('signed out: who asks, and a CSRF cookie (HttpOnly, SameSite) for the login', async () => {
  const c = new Client(srv.base);
  const s = await c.session();
  assert.equal(s.signed_in, false);
  assert.equal(s.accounts, true);
  assert.equal(s.public_read, true, 'the directory is readable without signing in by default');
  assert.match(s.csrf, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(c.cookies.maillage_csrf, s.csrf, 'the cookie holds the same token');
});

test('a login sets an HttpOnly, SameSite=Lax session cookie; a wrong password is a 401', async () => {
  const c = new Client(srv.base);
  const bad = await c.login(PEOPLE.viewer.email, 'not the password');
  assertProblem({ label: 'wrong password', status: bad.status }, 401, bad.headers, bad.text, /wrong email or password/);
  const unknown = await c.login('nobody@nowhere.example', PASSWORD);
  assert.equal(unknown.status, 401, 'an unknown email says the same');
  assert.equal(unknown.json.detail, bad.json.detail, 'which of the two was wrong is not said');
  const r = await c.login(PEOPLE.viewer.email);
  assert.equal(r.status, 200, r.text);
  const cookie = r.headers.getSetCookie().find((h) => h.startsWith('maillage_session='));
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Lax/);
  assert.match(cookie, /; Path=\//);
  assert.doesNotMatch(cookie, /Secure/, 'not Secure over plain HTTP');
  assert.equal(r.json.user.email, PEOPLE.viewer.email);
  assert.equal(r.json.user.role, 'viewer');
  assert.equal(r.json.user.organisation.name, 'Sous-préfecture');
  assert.equal(r.json.user.readable_organisations.length, 2, 'its own and the one sharing its workspace');
  assert.equal(r.headers.get('cache-control'), 'private, no-store');
});

test('a session fixed before the login is not kept after it', async () => {
  // An attacker's value planted in the victim's browser:
  const c = new Client(srv.base);
  await c.session();
  const planted = 'A'.repeat(43);
  c.cookies.maillage_session = planted;
  const r = await c.login(PEOPLE.officer.email);
  assert.equal(r.status, 200, r.text);
  assert.notEqual(c.cookies.maillage_session, planted, 'the server never adopts a value the client names');
  // A real session used for a second login is replaced, and ended.
  const first = c.cookies.maillage_session;
  const again = await c.login(PEOPLE.officer.email);
  assert.equal(again.status, 200);
  assert.notEqual(c.cookies.maillage_session, first, 'a new id at each login');
  const old = new Client(srv.base);
  old.cookies.maillage_session = first;
  assert.equal((await old.session()).signed_in, false, 'the session before the login no longer works');
  assert.equal((await c.session()).signed_in, true);
});

test('a change without the CSRF token, with a wrong one, or from a foreign origin is refused', async () => {
  const c = await signedIn(srv.base, 'officer');
  const none = await c.req('POST', '/api/v1/verdicts', verdict, { 'x-csrf-token': '' });
  assertProblem({ label: 'no token', status: none.status }, 403, none.headers, none.text, /X-CSRF-Token/);
  assert.equal(none.json.code, 'csrf_token_refused');
  const wrong = await c.req('POST', '/api/v1/verdicts', verdict, { 'x-csrf-token': 'B'.repeat(43) });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.json.code, 'csrf_token_refused');
  const foreign = await c.req('POST', '/api/v1/verdicts', verdict, { origin: 'https://evil.example' });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.json.code, 'cross_origin_request_refused');
  const ok = await c.req('POST', '/api/v1/verdicts', verdict);
  assert.equal(ok.status, 201, ok.text);
  // Signed out, the login itself needs the double-submitted token.
  const out = new Client(srv.base);
  await out.session();
  const login = await out.req('POST', '/api/v1/session', { email: PEOPLE.viewer.email, password: PASSWORD }, { 'x-csrf-token': 'C'.repeat(43) });
  assert.equal(login.status, 403);
  assert.equal(login.json.code, 'csrf_token_refused');
});

test('a viewer may read but not record a verdict; nobody gets a 401', async () => {
  const v = await signedIn(srv.base, 'viewer');
  const r = await v.req('POST', '/api/v1/verdicts', verdict);
  assertProblem({ label: 'viewer writes', status: r.status }, 403, r.headers, r.text, /officer/);
  const anon = new Client(srv.base);
  await anon.session();
  const a = await anon.req('POST', '/api/v1/verdicts', verdict);
  assert.equal(a.status, 401);
  assert.match(a.headers.get('www-authenticate') || '', /Bearer/);
  assert.equal((await anon.req('GET', `/api/v1/establishments/${ASM}`)).status, 200, 'reading is public');
});

test('failed logins are throttled per account: the sixth try is a 429 with Retry-After', async () => {
  const c = new Client(srv.base);
  for (let i = 0; i < 5; i++) assert.equal((await c.login(PEOPLE.guest.email, `wrong ${i}`)).status, 401);
  const r = await c.login(PEOPLE.guest.email); // even the right password
  const p = assertProblem({ label: 'throttled', status: r.status }, 429, r.headers, r.text, /too many failed logins/);
  assert.equal(p.code, 'too_many_requests');
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait > 0 && wait <= 15 * 60, `Retry-After ${wait}`);
  assert.equal((await c.login(PEOPLE.viewer.email)).status, 200, 'another account of the same address still signs in');
});

test('logout ends the session; logout everywhere ends every session of the account', async () => {
  const a = await signedIn(srv.base, 'viewer');
  const r = await a.req('DELETE', '/api/v1/session');
  assert.equal(r.status, 200, r.text);
  assert.equal(a.cookies.maillage_session, undefined, 'the cookie is cleared');
  const b = await signedIn(srv.base, 'viewer'), d = await signedIn(srv.base, 'viewer');
  const acct = await b.req('GET', '/api/v1/account');
  assert.ok(acct.json.sessions.length >= 2, 'the account lists its sessions');
  assert.equal(acct.json.sessions.filter((s) => s.current).length, 1, 'the current one is marked');
  assert.equal((await b.req('DELETE', '/api/v1/sessions')).status, 200);
  assert.equal((await d.session()).signed_in, false, 'the other session ended too');
  assert.equal((await b.session()).signed_in, false);
});

test('API tokens: shown once, read-only or write, revocable, no CSRF needed', async () => {
  const o = await signedIn(srv.base, 'officer');
  const read = await o.req('POST', '/api/v1/tokens', { name: 'script de lecture', scope: 'read' });
  assert.equal(read.status, 201, read.text);
  assert.match(read.json.token, /^[A-Za-z0-9_-]{43}$/);
  const write = await o.req('POST', '/api/v1/tokens', { name: 'script', scope: 'write' });
  const list = await o.req('GET', '/api/v1/account');
  assert.equal(list.json.tokens.length, 2);
  assert.ok(!list.text.includes(read.json.token), 'the secret is never shown again');
  const script = new Client(srv.base);
  script.token = read.json.token;
  assert.equal((await script.req('GET', '/api/v1/account')).json.email, PEOPLE.officer.email);
  assert.equal((await script.req('POST', '/api/v1/verdicts', verdict)).status, 403, 'a read token does not write');
  script.token = write.json.token;
  assert.equal((await script.req('POST', '/api/v1/verdicts', verdict)).status, 201, 'a write token writes, without CSRF token');
  assert.equal((await o.req('DELETE', `/api/v1/tokens/${write.json.id}`)).status, 200);
  const revoked = await script.req('GET', '/api/v1/account');
  assert.equal(revoked.status, 401, 'a revoked token is refused');
  assert.equal(revoked.json.code, 'invalid_token');
});

test('an administrator invites by a one-time link; the invited account joins with its role', async () => {
  const a = await signedIn(srv.base, 'admin');
  const inv = await a.req('POST', '/api/v1/org/invites', { role: 'officer', email: 'new@agence.example' });
  assert.equal(inv.status, 201, inv.text);
  assert.match(inv.json.link, /^http:\/\/127\.0\.0\.1:\d+\/#\/invite\/[A-Za-z0-9_-]{43}$/);
  assert.equal(inv.json.mailed, false, 'no mail command configured: the link is copied');
  const n = new Client(srv.base);
  await n.session();
  const wrongMail = await n.req('POST', '/api/v1/invites/accept', { token: inv.json.token, email: 'other@x.example', password: 'un mot de passe' });
  assert.equal(wrongMail.status, 400);
  const ok = await n.req('POST', '/api/v1/invites/accept', { token: inv.json.token, email: 'new@agence.example', name: 'Nouvelle', password: 'un mot de passe' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.user.role, 'officer');
  assert.equal(ok.json.user.organisation.name, 'Agence Sud');
  const again = new Client(srv.base);
  await again.session();
  const used = await again.req('POST', '/api/v1/invites/accept', { token: inv.json.token, email: 'new@agence.example', password: 'un mot de passe' });
  assert.equal(used.status, 404, 'an invitation works once');
  const org = await a.req('GET', '/api/v1/org');
  assert.ok(org.json.members.some((m) => m.email === 'new@agence.example' && m.role === 'officer'));
  assert.equal(org.json.invitations[0].account, 'new@agence.example', 'the invitation says who used it');
  const member = org.json.members.find((m) => m.email === 'new@agence.example');
  assert.equal((await a.req('POST', `/api/v1/org/members/${member.id}`, { role: 'viewer' })).status, 200);
  const o = await signedIn(srv.base, 'officer');
  assert.equal((await o.req('POST', '/api/v1/org/invites', { role: 'admin' })).status, 403, 'an officer does not invite');
  // An administrator cannot pull another organisation's account into its own.
  const viewer = await signedIn(srv.base, 'viewer');
  const pulled = await a.req('POST', `/api/v1/org/members/${viewer.id ?? (await viewer.session()).user.id}`, { role: 'admin' });
  assert.equal(pulled.status, 404, pulled.text);
  assert.equal((await viewer.session()).user.organisation.name, 'Sous-préfecture');
});

test('every write is in the audit log: who, when, what, from where; administrators only', async () => {
  const a = await signedIn(srv.base, 'admin');
  const log = await a.req('GET', '/api/v1/audit');
  assert.equal(log.status, 200, log.text);
  const posts = log.json.filter((e) => e.action === 'POST /api/v1/verdicts');
  assert.ok(posts.length >= 2, `${posts.length} verdicts audited`);
  assert.ok(posts.some((e) => e.actor === PEOPLE.officer.email && e.address === '127.0.0.1' && e.organisation === 'Agence Sud'));
  assert.ok(log.json.some((e) => e.action === 'login' && e.target === PEOPLE.admin.email));
  assert.ok(!log.json.some((e) => e.organisation === 'Sous-préfecture'), 'an organisation\'s administrator reads its own entries');
  const csv = await a.req('GET', '/api/v1/audit/export.csv?plain=true');
  assert.equal(csv.status, 200);
  assert.match(csv.text.split('\n')[0], /^id,at,actor,account,organisation,address,action,target,detail/);
  const o = await signedIn(srv.base, 'officer');
  assert.equal((await o.req('GET', '/api/v1/audit')).status, 403);
  // The CLI reads the whole log as the local administrator, and as CSV.
  const all = cli(env.db, ['audit', '--csv', '-', '--plain']);
  assert.match(all, /"org\.add","Agence Sud"/);
  assert.match(all, /login\.failed/);
});

test('security headers on every answer; the page has no inline script', async () => {
  for (const path of ['/', '/api/v1/session', '/api/v1/nosuch', '/static/app.js']) {
    const r = await fetch(srv.base + path);
    const csp = r.headers.get('content-security-policy');
    assert.ok(csp, `${path}: CSP`);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.doesNotMatch(csp, /unsafe-inline/, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.ok(r.headers.get('referrer-policy'), path);
    await r.text();
  }
  const html = readFileSync(join(ROOT, 'web/index.html'), 'utf8');
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g))
    assert.ok(/\bsrc=/.test(m[1]) && m[2].trim() === '', `an inline script in index.html: ${m[0].slice(0, 80)}`);
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handler');
});

test('--public-read no: the directory needs an account, signing in stays open', async () => {
  const s = await startServer(env.db, ['--quiet', '--public-read', 'no']);
  try {
    const anon = new Client(s.base);
    const sess = await anon.session();
    assert.equal(sess.public_read, false);
    const r = await anon.req('GET', `/api/v1/search?q=auto`);
    assertProblem({ label: 'search signed out', status: r.status }, 401, r.headers, r.text);
    const g = await signedIn(s.base, 'officer'); // (the guest is throttled above)
    assert.equal((await g.req('GET', `/api/v1/search?q=auto`)).status, 200);
  } finally {
    await s.stop();
  }
});

test('a disabled account cannot sign in and its sessions end', async () => {
  const c = await signedIn(srv.base, 'viewer');
  cli(env.db, ['user', 'disable', PEOPLE.viewer.email]);
  assert.equal((await c.session()).signed_in, false);
  const r = await new Client(srv.base).login(PEOPLE.viewer.email);
  assert.equal(r.status, 403);
  cli(env.db, ['user', 'enable', PEOPLE.viewer.email]);
  assert.equal((await new Client(srv.base).login(PEOPLE.viewer.email)).status, 200);
});

test('a password change keeps this session and ends the others', async () => {
  const a = await signedIn(srv.base, 'officer'), b = await signedIn(srv.base, 'officer');
  const wrong = await a.req('POST', '/api/v1/account/password', { current: 'not it at all', password: 'a new password' });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.json.parameter, 'current');
  const ok = await a.req('POST', '/api/v1/account/password', { current: PASSWORD, password: 'a new password' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await a.session()).signed_in, true, 'this session goes on');
  assert.equal((await b.session()).signed_in, false, 'the other one ended');
  assert.equal((await new Client(srv.base).login(PEOPLE.officer.email)).status, 401, 'the old password no longer works');
  assert.equal((await new Client(srv.base).login(PEOPLE.officer.email, 'a new password')).status, 200);
  assert.equal((await a.req('POST', '/api/v1/account/password', { current: 'a new password', password: PASSWORD })).status, 200);
});

test('behind HTTPS the session cookie is Secure: --https, or X-Forwarded-Proto from the trusted proxy only', async () => {
  const s = await startServer(env.db, ['--quiet', '--trusted-proxy', '127.0.0.1']);
  try {
    const c = new Client(s.base);
    await c.session();
    const viaProxy = await c.req('POST', '/api/v1/session', { email: PEOPLE.admin.email, password: PASSWORD }, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7', origin: `https://127.0.0.1:${s.port}` });
    assert.equal(viaProxy.status, 200, viaProxy.text);
    assert.match(viaProxy.headers.getSetCookie().find((h) => h.startsWith('maillage_session=')), /; Secure/);
    const acct = await c.req('GET', '/api/v1/account');
    assert.ok(acct.json.sessions.some((x) => x.address === '203.0.113.7'), 'the client\'s address the proxy gave is kept');
  } finally {
    await s.stop();
  }
  const direct = new Client(srv.base); // no trusted proxy: the header is not believed
  await direct.session();
  const r = await direct.req('POST', '/api/v1/session', { email: PEOPLE.admin.email, password: PASSWORD }, { 'x-forwarded-proto': 'https' });
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.headers.getSetCookie().find((h) => h.startsWith('maillage_session=')), /Secure/);
  const https = await startServer(env.db, ['--quiet', '--https']);
  try {
    const c = new Client(https.base);
    await c.session();
    const r2 = await c.req('POST', '/api/v1/session', { email: PEOPLE.admin.email, password: PASSWORD });
    assert.match(r2.headers.getSetCookie().find((h) => h.startsWith('maillage_session=')), /; Secure/);
  } finally {
    await https.stop();
  }
});

test('with --mail-command the invitation is mailed: the command gets the email and the link', async () => {
  const out = join(env.dir, 'mail.txt'), cmd = join(env.dir, 'mailer.sh');
  writeFileSync(cmd, `#!/bin/sh\n{ echo "to: $1"; cat; } > '${out}'\n`);
  chmodSync(cmd, 0o755);
  const s = await startServer(env.db, ['--quiet', '--mail-command', cmd]);
  try {
    const a = await signedIn(s.base, 'admin');
    const inv = await a.req('POST', '/api/v1/org/invites', { role: 'viewer', email: 'mailed@agence.example' });
    assert.equal(inv.status, 201, inv.text);
    assert.equal(inv.json.mailed, true);
    assert.ok(existsSync(out));
    const mail = readFileSync(out, 'utf8');
    assert.match(mail, /^to: mailed@agence\.example$/m);
    assert.ok(mail.includes(inv.json.link), 'the message holds the link');
    assert.match(mail, /Agence Sud/);
  } finally {
    await s.stop();
  }
});

