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
  rows.push([f.replace(/-[0-9a-f]{16}/, ''), buf.length, gz, br]);
}
console.log('dist/ file                         raw      gzip    brotli');
for (const [f, raw, gz, br] of rows) console.log(`${f.padEnd(30)} ${String(raw).padStart(8)} ${String(gz).padStart(9)} ${String(br).padStart(9)}`);
const kib = (n) => `${n} bytes (${(n / 1024).toFixed(1)} KiB)`;
console.log(`all of dist/, gzip: ${kib(allGzip)}; of which screens loaded on demand (split_*, chunk_*): ${kib(chunkGzip)}`);
console.log(`first load (dist/ less the on-demand chunks), gzip: ${kib(allGzip - chunkGzip)}`);

const sandbox = await startSandbox();
const times = [];
const requests = [];
const exactTimes = [];
const fetched = [];
try {
  for (let run = 0; run < 5; run++) {
    const b = await launchBrowser();
    let apiCalls = 0;
    const files = [];
    b.page.on('request', (r) => {
      if (r.url().includes('/api/v2/')) apiCalls++;
      else if (r.url().startsWith(sandbox.url)) files.push(new URL(r.url()).pathname.slice(1) || 'index.html');
    });
    await b.page.addInitScript(([base, key]) => {
      localStorage.setItem('mojo.base_url', base);
      localStorage.setItem('mojo.access_key', key);
    }, [sandbox.url, sandbox.keys.agent]);
    await b.page.goto(sandbox.url + '/', { waitUntil: 'commit' });
    await b.page.waitForSelector('[data-status="10"] .ticket-card', { timeout: 60_000 });
    const painted = await b.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0))));
    const paintCalls = apiCalls;
    const paintFiles = [...files];
    fetched.push(paintFiles.reduce((sum, f) => sum + (gzipOf.get(f) ?? 0), 0));
    if (run === 0) console.log(`fetched by the painted board: ${paintFiles.map((f) => f.replace(/-[0-9a-f]{16}/, '')).join(', ')}`);
    await b.page.waitForSelector('[data-status="60"] .column-count[data-exact=true]', { timeout: 60_000 });
    const exact = await b.page.evaluate(() => performance.now());
    times.push(painted);
    exactTimes.push(exact);
    // Lookups (names: queues, agents, groups, types, tags) load beside the board.
    requests.push(`${paintCalls} by paint, ${apiCalls} with exact counts`);
    await b.close();
  }
} finally {
  await sandbox.stop();
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`navigation → painted board (ms), 5 runs: ${times.map((t) => t.toFixed(0)).join(', ')}`);
const sortedExact = [...exactTimes].sort((a, b) => a - b);
console.log(`median: ${sorted[2].toFixed(0)} ms to the painted board (open columns full), ${sortedExact[2].toFixed(0)} ms to exact solved/closed counts`);
console.log(`API requests per load: ${requests.join('; ')}`);
console.log(`dashboard files fetched by the painted board, gzip: ${fetched.map(kib).join('; ')}`);
