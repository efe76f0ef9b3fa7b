// accounts.test.mjs — signing in and out in Debian's Chromium: the login
// page in French (a wrong password said so, the right one signs in and the
// header names the account), the account page (sessions, an API token shown
// once), the organisation page of an administrator (members, an invitation
// link), the invitation accepted in a fresh browser context, the English
// switch, logout. Screenshots go to build/test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, SHOTS, ROOT } from './support.mjs';

const BIN = process.env.MAILLAGE_BIN || 'build/maillage';
const PW = 'correct horse battery';
let env, base, page;

before(async () => {
  env = await start({
    prepare: (mk, dir) => {
      const db = join(dir, 'ui.db');
      mk('org', 'add', 'Agence Sud', '--type', 'agency');
      execFileSync(BIN, ['--db', db, 'user', 'add', '--org', 'Agence Sud', '--role', 'admin', '--name', 'Alice Martin', 'alice@agence.example'],
        { input: `${PW}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
    },
  });
  ({ base, page } = env);
});

after(async () => {
  await env?.stop();
});

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
/** WCAG 2 A/AA violations of the page as it is (axe-core, as a11y.test.mjs). */
async function violations() {
  await page.waitForLoadState('networkidle');
  await page.evaluate(AXE);
  return page.evaluate(async () =>
    (await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] })).violations.map(
      (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(' ')})`));
}

const shot = (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

test('signed out, the conventions page says to sign in and offers no form that could only fail', async () => {
  await page.goto(`${base}/#/events`);
  await page.locator('main .error, main [role=alert]').first().waitFor();
  assert.equal(await page.locator('main form').count(), 0, 'no creation form');
});

test('the header offers to sign in; a wrong password is said in French', async () => {
  await page.goto(`${base}/#/search`);
  await page.locator('#nav-login').waitFor();
  assert.equal(await page.locator('#nav-login').innerText(), 'Se connecter');
  await page.locator('#nav-login').click();
  await page.locator('#login-form').waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), /\bnull\b|undefined/, 'no stray "null" on the page');
  await page.fill('#login-email', 'alice@agence.example');
  await page.fill('#login-password', 'pas le bon');
  await page.click('#login-submit');
  await page.locator('#login-form .form-status.error').waitFor();
  assert.equal(await page.locator('#login-form .form-status').innerText(), 'Adresse ou mot de passe incorrect.');
  assert.equal(await page.inputValue('#login-password'), '', 'the password field is emptied');
  assert.deepEqual(await violations(), [], 'the login page has no WCAG 2 A/AA violation');
});

test('the right password signs in: the header names the account and its organisation', async () => {
  await page.fill('#login-password', PW);
  await page.click('#login-submit');
  await page.locator('#nav-account').waitFor();
  assert.equal(await page.locator('#nav-account').innerText(), 'Alice Martin');
  assert.equal(await page.locator('#nav-org').innerText(), 'Agence Sud');
  assert.match(page.url(), /#\/search$/);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'maillage_session');
  assert.ok(session && session.httpOnly && session.sameSite === 'Lax', JSON.stringify(session));
  assert.equal(await page.evaluate(() => document.cookie.includes('maillage_session')), false, 'no script reads the session cookie');
  await shot('accounts-signed-in');
});

test('the account page lists this session and shows a new API token once', async () => {
  await page.click('#nav-account');
  await page.locator('#acc-sessions').waitFor();
  assert.equal(await page.locator('#acc-email').innerText(), 'alice@agence.example');
  assert.match(await page.locator('#acc-sessions').innerText(), /cette session/);
  await page.fill('#token-name', 'export nocturne');
  await page.click('#token-form button[type=submit]');
  await page.locator('#token-value').waitFor();
  const token = await page.locator('#token-value').innerText();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.match(await page.locator('#acc-tokens').innerText(), /export nocturne/);
  const r = await fetch(`${base}/api/v1/account`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal((await r.json()).email, 'alice@agence.example', 'the token works for a script');
  await shot('accounts-account');
});

let link;
test('an administrator sees the members and makes an invitation link', async () => {
  await page.click('#nav-org');
  await page.locator('#members').waitFor();
  assert.match(await page.locator('#members').innerText(), /alice@agence\.example/);
  await page.selectOption('#invite-role', 'officer');
  await page.click('#invite-create button[type=submit]');
  await page.locator('#invite-link').waitFor();
  link = await page.inputValue('#invite-link');
  assert.match(link, /\/#\/invite\/[A-Za-z0-9_-]{43}$/);
  await shot('accounts-org');
  assert.deepEqual(await violations(), [], 'the organisation page has no WCAG 2 A/AA violation');
  await page.goto(`${base}/#/account`);
  await page.locator('#acc-sessions').waitFor();
  assert.deepEqual(await violations(), [], 'the account page has none either');
  await page.goto(`${base}/#/org`);
  await page.locator('#members').waitFor();
});

test('the invitation, opened in another browser, creates a signed-in officer', async () => {
  const other = await page.context().browser().newContext();
  const p2 = await other.newPage();
  try {
    await p2.goto(link);
    await p2.locator('#invite-form').waitFor();
    await p2.fill('#invite-email', 'bruno@agence.example');
    await p2.fill('#invite-name', 'Bruno');
    await p2.fill('#invite-password', 'un autre mot de passe');
    await p2.click('#invite-form button[type=submit]');
    await p2.locator('#nav-account').waitFor();
    assert.equal(await p2.locator('#nav-account').innerText(), 'Bruno');
    const s = await p2.evaluate(async () => (await fetch('/api/v1/session')).json());
    assert.equal(s.user.role, 'officer');
  } finally {
    await other.close();
  }
  await page.reload();
  await page.locator('#members').waitFor();
  assert.match(await page.locator('#members').innerText(), /bruno@agence\.example/);
});

test('in English, then signing out: the header offers to sign in again', async () => {
  await page.click('#lang');
  await page.locator('#nav-logout').waitFor();
  assert.equal(await page.locator('#nav-logout').innerText(), 'Sign out');
  await page.click('#nav-logout');
  await page.locator('#login-form').waitFor();
  assert.equal(await page.locator('#nav-login').innerText(), 'Sign in');
  const s = await page.evaluate(async () => (await fetch('/api/v1/session')).json());
  assert.equal(s.signed_in, false);
  await page.goto(`${base}/#/account`);
  await page.locator('main >> text=This page needs you to sign in.').waitFor();
  await page.click('#lang'); // back to French for the other files
});
