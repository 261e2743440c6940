// Upload benchmark (reported, never asserted): a 20 MB file picked on a ticket page and sent by
// the dashboard's uploader (XMLHttpRequest + FormData, progress shown) to the local stand-in, from
// the pick to the "done" line; median of 5 runs, with the throughput. Also checks the stored size.
// Run from the repo root after a release build: node e2e/upload-bench.mjs
import { api, apiSend, launchBrowser, startSandbox } from './harness.mjs';

const SIZE = 20_000_000;
const sandbox = await startSandbox();
const b = await launchBrowser();
try {
  const { url, keys } = sandbox;
  const queues = await api(url, keys.agent, '/ticket_queues');
  const ticket = (await apiSend(url, keys.agent, 'POST', '/tickets', { title: 'Upload benchmark', ticket_queue_id: queues[0].id })).body;
  await b.page.addInitScript(([u, k]) => {
    localStorage.setItem('mojo.base_url', u);
    localStorage.setItem('mojo.access_key', k);
  }, [url, keys.agent]);
  await b.page.goto(`${url}/#/tickets/${ticket.id}`);
  await b.page.waitForSelector('#file-picker', { state: 'attached' });
  const buffer = Buffer.alloc(SIZE);
  for (let i = 0; i < SIZE; i += 4096) buffer[i] = i % 251;
  const times = [];
  const wire = [];
  for (let run = 1; run <= 5; run++) {
    const name = `bench-${run}.bin`;
    const t0 = Date.now();
    await b.page.setInputFiles('#file-picker', [{ name, mimeType: 'application/octet-stream', buffer }]);
    await b.page.waitForSelector(`.upload.done >> text=${name}`, { timeout: 120_000 });
    times.push((Date.now() - t0) / 1000);
    // The request alone, as the browser timed it (without handing the file to the browser).
    wire.push(await b.page.evaluate(() => {
      const e = performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'xmlhttprequest' && /\/attachments\?/.test(r.name)).pop();
      performance.clearResourceTimings();
      return e ? e.duration / 1000 : NaN;
    }));
  }
  const files = (await api(url, keys.agent, `/tickets/${ticket.id}/attachments`)).filter((a) => a.filename.startsWith('bench-'));
  const sorted = [...times].sort((x, y) => x - y);
  const median = sorted[2];
  console.log(`20 MB upload (${SIZE} bytes), 5 runs: ${times.map((t) => t.toFixed(2)).join(' s, ')} s`);
  console.log(`median ${median.toFixed(2)} s from pick to done = ${(SIZE / 1e6 / median).toFixed(1)} MB/s (includes the test handing 20 MB to the browser over CDP)`);
  const w = [...wire].sort((x, y) => x - y)[2];
  console.log(`the upload request alone (resource timing): ${wire.map((t) => t.toFixed(2)).join(' s, ')} s; median ${w.toFixed(2)} s = ${(SIZE / 1e6 / w).toFixed(1)} MB/s`);
  console.log(`stored sizes ${[...new Set(files.map((f) => f.content_size))].join(', ')} (${files.length} files)`);
} finally {
  await b.close();
  await sandbox.stop();
}
