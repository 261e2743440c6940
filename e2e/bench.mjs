// Benchmark (reported, never asserted): release bundle sizes, and in headless Chromium the time
// from navigation to a painted board of the seeded open tickets, median of 5 fresh loads, with the
// number of API requests each load took and the dashboard files it fetched by then (the first
// load; the other screens' chunks come later, src/lazy.rs). Run through scripts/bench.sh.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { join } from 'node:path';
import { launchBrowser, startSandbox } from './harness.mjs';

const dist = 'dist';
const rows = [];
const gzipOf = new Map();
let allGzip = 0;
let chunkGzip = 0;
const onDemand = (f) => /^(split|chunk)_.*\.wasm$/.test(f);
for (const f of readdirSync(dist).sort()) {
  const buf = readFileSync(join(dist, f));
  if (!statSync(join(dist, f)).isFile()) continue;
  const gz = gzipSync(buf, { level: 9 }).length;
  const br = brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  allGzip += gz;
  if (onDemand(f)) chunkGzip += gz;
  gzipOf.set(f, gz);
  rows.push([f.replace(/-[0-9a-f]{8,}(?=[._])/, ''), buf.length, gz, br]);
}
console.log('dist/ file                         raw      gzip    brotli');
for (const [f, raw, gz, br] of rows) console.log(`${f.padEnd(30)} ${String(raw).padStart(8)} ${String(gz).padStart(9)} ${String(br).padStart(9)}`);
const kib = (n) => `${n} bytes (${(n / 1024).toFixed(1)} KiB)`;
console.log(`all of dist/, gzip: ${kib(allGzip)}; of which screens loaded on demand (split_*, chunk_*): ${kib(chunkGzip)}`);
console.log(`first load (dist/ less the on-demand chunks), gzip: ${kib(allGzip - chunkGzip)}`);

const sandbox = await startSandbox();
const short = (f) => f.replace(/-[0-9a-f]{8,}(?=[._])/, '');

/** Opens `hash` in a fresh profile (signed in when `key`), waits for `ready`; what it took. */
async function load(hash, ready, key) {
  const b = await launchBrowser();
  try {
    let apiCalls = 0;
    const files = [];
    b.page.on('request', (r) => {
      if (r.url().includes('/api/v2/')) apiCalls++;
      else if (r.url().startsWith(sandbox.url)) files.push(new URL(r.url()).pathname.slice(1) || 'index.html');
    });
    if (key) {
      await b.page.addInitScript(([base, k]) => {
        localStorage.setItem('mojo.base_url', base);
        localStorage.setItem('mojo.access_key', k);
      }, [sandbox.url, key]);
    }
    await b.page.goto(sandbox.url + '/' + hash, { waitUntil: 'commit' });
    await b.page.waitForSelector(ready, { timeout: 60_000 });
    const ms = await b.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0))));
    const got = { ms, apiCalls, files: [...files], gzip: files.reduce((sum, f) => sum + (gzipOf.get(f) ?? 0), 0) };
    if (ready.includes('data-status="10"')) {
      await b.page.waitForSelector('[data-status="60"] .column-count[data-exact=true]', { timeout: 60_000 });
      got.exactMs = await b.page.evaluate(() => performance.now());
      got.exactCalls = apiCalls;
    }
    return got;
  } finally {
    await b.close();
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const agent = sandbox.keys.agent;
  const board = [];
  for (let run = 0; run < 5; run++) board.push(await load('', '[data-status="10"] .ticket-card', agent));
  console.log(`signed-in board: fetched ${board[0].files.map(short).join(', ')}`);
  console.log(`navigation → painted board (ms), 5 runs: ${board.map((r) => r.ms.toFixed(0)).join(', ')}`);
  console.log(`median: ${median(board.map((r) => r.ms)).toFixed(0)} ms to the painted board (open columns full), ${median(board.map((r) => r.exactMs)).toFixed(0)} ms to exact solved/closed counts`);
  console.log(`API requests per load: ${board.map((r) => `${r.apiCalls} by paint, ${r.exactCalls} with exact counts`).join('; ')}`);

  // What each way into the dashboard fetches from dist/ (gzip), median time of 3 fresh loads.
  const id = (await (await fetch(`${sandbox.url}/api/v2/tickets?per_page=1&access_key=${agent}`)).json())[0].id;
  const ways = [
    ['first visit: the connect screen (no key yet)', '', 'input[name=access_key]', null],
    ['signed in: the board, painted', '', '[data-status="10"] .ticket-card', agent],
    [`signed in: a link to a ticket (#/tickets/${id})`, `#/tickets/${id}`, '.ticket-detail h1', agent],
    ['signed in: the search', '#/search', '#search-text', agent],
    ['signed in: the wallboard', '#/kiosk', '.kiosk .tile-count', agent],
  ];
  console.log('way in                                              files   gzip        time (median of 3)');
  for (const [what, hash, ready, key] of ways) {
    const runs = [];
    for (let run = 0; run < 3; run++) runs.push(await load(hash, ready, key));
    console.log(`${what.padEnd(50)} ${String(runs[0].files.length).padStart(5)}   ${(runs[0].gzip / 1024).toFixed(1).padStart(6)} KiB  ${median(runs.map((r) => r.ms)).toFixed(0).padStart(5)} ms`);
  }
} finally {
  await sandbox.stop();
}
