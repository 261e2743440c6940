// Benchmark (reported, never asserted): the board with 10,000 open tickets. A stand-in database
// is built once (the demo helpdesk plus open tickets posted through the API until 10,000 are
// open) and kept in target/bench/. Then, in headless Chromium, median of 5 fresh loads:
//  - data → painted board: from the moment the board has its data (performance mark
//    "mojo:board-data") to the first frame after the open columns are in the page;
//  - navigation → painted board;
//  - scrolling the longest open column top to bottom: frame times (median and p95).
// Run from the repo root after a release build: node e2e/board-bench-10k.mjs
import { existsSync, mkdirSync } from 'node:fs';
import { api, apiSend, launchBrowser, startSandbox } from './harness.mjs';

const OPEN = 10_000;
const db = 'target/bench/open-10k.sqlite3';
mkdirSync('target/bench', { recursive: true });

async function openCount(base, key) {
  let n = 0;
  for (let page = 1; ; page++) {
    const list = await api(base, key, `/tickets/search?query=${encodeURIComponent('status.id:(<50)')}&per_page=100&page=${page}`);
    n += list.length;
    if (list.length < 100) return n;
  }
}

if (!existsSync(db)) {
  const s = await startSandbox({ db });
  try {
    const key = s.keys.manager;
    const queues = await api(s.url, key, '/ticket_queues');
    const techs = await api(s.url, key, '/users/techs?per_page=100');
    const have = await openCount(s.url, key);
    const words = ['Printer', 'VPN', 'Laptop', 'Password', 'E-mail', 'Monitor', 'Badge', 'Payroll', 'Wi-Fi', 'Phone'];
    const troubles = ['not working', 'keeps disconnecting', 'access request', 'slow since Monday', 'error on start', 'needs replacing'];
    let next = 0;
    const total = OPEN - have;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const r = await apiSend(s.url, key, 'POST', '/tickets', {
          title: `${words[i % words.length]} ${troubles[(i * 7) % troubles.length]} (#${i})`,
          description: 'Generated for the 10,000-open-tickets benchmark.',
          ticket_queue_id: queues[i % queues.length].id,
          priority_id: [10, 20, 30, 30, 40][i % 5],
          status_id: [10, 20, 30, 40][(i * 3) % 4],
          ...(i % 3 ? { assigned_to_id: techs[i % techs.length].id } : {}),
        });
        if (r.status !== 201) {
          // An agent without access to the queue: leave the ticket unassigned.
          const again = await apiSend(s.url, key, 'POST', '/tickets', { title: `Generated ticket ${i}`, ticket_queue_id: queues[i % queues.length].id, status_id: 10 });
          if (again.status !== 201) throw new Error(`seeding failed: ${JSON.stringify(again.body)}`);
        }
      }
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 8 }, worker));
    console.log(`seeded ${total} open tickets in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await s.stop();
  }
}

const sandbox = await startSandbox({ db });
const rows = [];
try {
  const open = await openCount(sandbox.url, sandbox.keys.agent);
  console.log(`stand-in: ${open} open tickets`);
  for (let run = 0; run < 5; run++) {
    const b = await launchBrowser();
    await b.page.setViewportSize({ width: 1920, height: 1080 });
    await b.page.addInitScript(([base, key]) => {
      localStorage.setItem('mojo.base_url', base);
      localStorage.setItem('mojo.access_key', key);
    }, [sandbox.url, sandbox.keys.agent]);
    await b.page.goto(sandbox.url + '/', { waitUntil: 'commit' });
    await b.page.waitForSelector('[data-status="10"] .ticket-card', { timeout: 120_000 });
    const times = await b.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(() => {
      const mark = performance.getEntriesByName('mojo:board-data')[0];
      const now = performance.now();
      r({ painted: now, fromData: mark ? now - mark.startTime : NaN });
    }, 0))));
    const cards = await b.page.locator('.ticket-card').count();
    // Scroll the longest open column from top to bottom, 400 px a frame, and time the frames.
    const frames = await b.page.evaluate(() => new Promise((resolve) => {
      const lists = [...document.querySelectorAll('.status-column[data-status] .card-list')];
      const list = lists.sort((a, b) => b.scrollHeight - a.scrollHeight)[0];
      const out = [];
      let last = performance.now();
      const step = (t) => {
        out.push(t - last);
        last = t;
        if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1 || out.length > 2000) return resolve({ frames: out.slice(1), height: list.scrollHeight, virtual: list.dataset.virtual || null });
        list.scrollTop += 400;
        requestAnimationFrame(step);
      };
      requestAnimationFrame((t) => { last = t; requestAnimationFrame(step); });
    }));
    const sorted = [...frames.frames].sort((x, y) => x - y);
    const med = sorted[Math.floor(sorted.length / 2)];
    const p95 = sorted[Math.floor(sorted.length * 0.95)];
    rows.push({ ...times, cards, med, p95, n: sorted.length, column: frames.virtual });
    console.log(`run ${run + 1}: data→paint ${times.fromData.toFixed(0)} ms, navigation→paint ${times.painted.toFixed(0)} ms, ${cards} cards in the page; scrolled a column of ${frames.virtual} in ${sorted.length} frames: median ${med.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`);
    if (b.problems.length) console.log('page problems:', b.problems);
    await b.close();
  }
} finally {
  await sandbox.stop();
}
const median = (k) => [...rows.map((r) => r[k])].sort((x, y) => x - y)[2];
console.log(`median of 5: data→painted board ${median('fromData').toFixed(0)} ms; navigation→painted board ${median('painted').toFixed(0)} ms; scroll frame time median ${median('med').toFixed(1)} ms, p95 ${median('p95').toFixed(1)} ms`);
