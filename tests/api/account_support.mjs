// account_support.mjs — what the account test files share: a database with
// two organisations sharing a workspace and one account per role (made by
// the real CLI, passwords on standard input), and a client that keeps its
// cookies and sends the CSRF token as the web page does.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BIN, ENV, makeDb } from './support.mjs';

export const PASSWORD = 'correct horse battery';
/** The accounts of accountsDb, by role (org: the organisation's name). */
export const PEOPLE = {
  admin: { email: 'admin@agence.example', org: 'Agence Sud', role: 'admin' },
  officer: { email: 'officer@agence.example', org: 'Agence Sud', role: 'officer' },
  viewer: { email: 'viewer@prefecture.example', org: 'Sous-préfecture', role: 'viewer' },
  guest: { email: 'guest@entreprise.example', org: 'Agence Sud', role: 'guest' },
};

/** Runs the CLI on db, `input` on its standard input. */
export function cli(db, args, input = '') {
  return execFileSync(BIN, ['--db', db, ...args], { input, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

/** makeDb's database with two organisations in one workspace and PEOPLE. */
export function accountsDb(imports) {
  const env = makeDb(imports);
  cli(env.db, ['org', 'add', 'Agence Sud', '--type', 'agency']);
  cli(env.db, ['org', 'add', 'Sous-préfecture', '--type', 'prefecture']);
  cli(env.db, ['workspace', 'share', 'Réseau Sud', 'Agence Sud']);
  cli(env.db, ['workspace', 'share', 'Réseau Sud', 'Sous-préfecture']);
  for (const p of Object.values(PEOPLE))
    cli(env.db, ['user', 'add', '--org', p.org, '--role', p.role, p.email], `${PASSWORD}\n`);
  return env;
}

/** A browser-like client: cookies kept, the CSRF token sent on changes. */
export class Client {
  constructor(base) { this.base = base; this.cookies = {}; this.csrf = ''; this.token = ''; }

  cookieHeader() {
    return Object.entries(this.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keep(res) {
    for (const c of res.headers.getSetCookie?.() || []) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i), value = pair.slice(i + 1);
      if (value === '' || /Max-Age=0\b/.test(c)) delete this.cookies[name];
      else this.cookies[name] = value;
    }
  }

  async req(method, path, body, headers = {}) {
    const h = { ...headers };
    if (Object.keys(this.cookies).length) h.cookie = this.cookieHeader();
    if (this.token) h.authorization = `Bearer ${this.token}`;
    const changes = !['GET', 'HEAD'].includes(method);
    if (changes) {
      h['content-type'] = 'application/json';
      if (this.csrf && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    }
    const res = await fetch(this.base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    this.keep(res);
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* a file */ }
    return { status: res.status, headers: res.headers, text, json };
  }

  /** GET /api/v1/session: who, and the CSRF token (a cookie too when signed out). */
  async session() {
    const r = await this.req('GET', '/api/v1/session');
    assert.equal(r.status, 200, r.text);
    this.csrf = r.json.csrf;
    return r.json;
  }

  async login(email, password = PASSWORD) {
    if (!this.csrf) await this.session();
    const r = await this.req('POST', '/api/v1/session', { email, password });
    if (r.status === 200) this.csrf = r.json.csrf;
    return r;
  }
}

/** A client signed in as PEOPLE[role]. */
export async function signedIn(base, role) {
  const c = new Client(base);
  const r = await c.login(PEOPLE[role].email);
  assert.equal(r.status, 200, `${role} signs in: ${r.text}`);
  return c;
}
