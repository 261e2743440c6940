// A small test harness for the end-to-end flows: starts the stand-in, launches Debian's
// Chromium through playwright-core (never a downloaded browser), runs named tests, and prints
// one closing line `e2e: N passed, N failed`.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROME_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts the stand-in (target/release/mojo-sandbox) serving `dist`, in memory unless `db` is given.
 * Resolves to { url, keys: {manager, agent, readOnly}, stop() }.
 */
export async function startSandbox({ bin = 'target/release/mojo-sandbox', dist = 'dist', db = null, port = null } = {}) {
  port = port || (await freePort());
  const args = ['--port', String(port), '--static', dist, ...(db ? ['--db', db] : ['--memory'])];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (d) => { out += d; });
  const keys = {};
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stand-in did not start within 60 s:\n${out}`)), 60_000);
    child.on('exit', (code) => reject(new Error(`stand-in exited with ${code}:\n${out}`)));
    child.stdout.on('data', (d) => {
      out += d;
      for (const line of out.split('\n')) {
        const m = line.match(/^(manager|agent|read-only) key: (\S+)/);
        if (m) keys[m[1] === 'read-only' ? 'readOnly' : m[1]] = m[2];
        const l = line.match(/listening on (http:\/\/\S+)/);
        if (l && keys.manager && keys.agent) { clearTimeout(timer); resolve(l[1].replace(/\/$/, '')); }
      }
    });
  });
  return {
    url, keys, port, child,
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 3000); }),
  };
}

/** A fresh browser profile each time (no state carried between tests). */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'mojo-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROME_ARGS, viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()} ${m.location()?.url || ''}`));
  return {
    context, page, problems, consoleLines,
    close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

/** GET an API path of the stand-in with a key; resolves to parsed JSON. */
export async function api(base, key, path) {
  const sep = path.includes('?') ? '&' : '?';
  const r = await fetch(`${base}/api/v2${path}${sep}access_key=${encodeURIComponent(key)}`);
  const text = await r.text();
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

/** Sends a JSON body to an API path of the stand-in; resolves to { status, body }. */
export async function apiSend(base, key, method, path, body) {
  const r = await fetch(`${base}/api/v2${path}?access_key=${encodeURIComponent(key)}`, {
    method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/**
 * Opens `hash` signed in with `key` (stored as the connect screen would) and waits for `ready`
 * (by default, a card in the board's New column).
 */
export async function signIn(b, base, key, { hash = '', ready = '[data-status="10"] .ticket-card' } = {}) {
  await b.page.addInitScript(([u, k]) => {
    localStorage.setItem('mojo.base_url', u);
    localStorage.setItem('mojo.access_key', k);
  }, [base, key]);
  await b.page.goto(base + '/' + hash);
  await b.page.waitForSelector(ready, { timeout: 30_000 });
}

/** Every ticket, by paging the list endpoint until a short page. */
export async function allTickets(base, key) {
  const out = [];
  for (let page = 1; ; page++) {
    const items = await api(base, key, `/tickets?per_page=100&page=${page}`);
    out.push(...items);
    if (items.length < 100) return out;
  }
}

export function assert(cond, msg) { if (!cond) throw new Error(`assertion failed: ${msg}`); }
export function assertEq(a, b, msg) {
  const sa = JSON.stringify(a), sb = JSON.stringify(b);
  if (sa !== sb) throw new Error(`${msg}: expected ${sb}, got ${sa}`);
}

/** Runs [name, fn] pairs in order; prints a line per test and the closing count. */
export async function run(tests) {
  let passed = 0, failed = 0;
  for (const [name, fn] of tests) {
    const t0 = Date.now();
    try {
      await fn();
      passed++;
      console.log(`ok    ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL  ${name}\n      ${String(e.stack || e).split('\n').join('\n      ')}`);
    }
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0;
}
