// support.mjs — what the browser tests share: a database built with the real
// binary from the hand-built fixtures plus a small generated territory, the
// real server on a free port, and Debian's Chromium driven by playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const SHOTS = join(ROOT, 'build/test-artifacts');
const BIN = process.env.MAILLAGE_BIN || join(ROOT, 'build/maillage');
const DATA = join(ROOT, 'tests/data');

// `prepare(mk, dir)`, when given, adds to the database before the server starts.
export async function start({ prepare } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'maillage-ui-'));
  mkdirSync(SHOTS, { recursive: true });
  const mk = (...args) => execFileSync(BIN, ['--db', join(dir, 'ui.db'), ...args], { stdio: 'pipe' });
  mk('init');
  mk('import', 'unites', join(DATA, 'fixture_unites.csv'));
  mk('import', 'sirene', join(DATA, 'fixture_match.csv'));
  mk('import', 'profiles', join(DATA, 'fixture_profiles.csv'));
  mk('group', 'add', 'Lauréats', join(DATA, 'fixture_network.txt'));
  // A small generated territory far from the fixtures: the UI must say so.
  execFileSync(BIN, ['demo', '--territory', '29', '--size', '300', '--seed', '3', '--out', join(dir, 'demo')]);
  mk('import', 'sirene', join(dir, 'demo/StockEtablissement_utf8.csv'), '--rejects', join(dir, 'r.csv'));
  if (prepare) prepare(mk, dir);
  const server = spawn(BIN, ['--db', join(dir, 'ui.db'), 'serve', '--port', '0', '--quiet'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((ok, ko) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) ok(`http://127.0.0.1:${m[1]}`);
    });
    server.on('exit', (c) => ko(new Error(`server exited with ${c}`)));
    // unref: a pending timer would keep node alive 20 s after the tests end.
    setTimeout(() => ko(new Error('server did not start')), 20000).unref();
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  page.setDefaultTimeout(15000);
  async function stop() {
    await browser.close();
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((ok) => server.on('exit', ok));
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return { dir, base, page, stop };
}
