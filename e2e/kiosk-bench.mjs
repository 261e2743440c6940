// Kiosk soak benchmark (reported, never asserted): the wallboard refreshing as fast as it may
// (refresh=0.2 s) against the stand-in; the JS heap after a garbage collection, measured through
// the Chrome DevTools Protocol after 50 refreshes and after N (default 1,000). Run from the repo
// root after a release build: node e2e/kiosk-bench.mjs [N]
import { launchBrowser, startSandbox } from './harness.mjs';

const target = Number(process.argv[2] || 1000);
const sandbox = await startSandbox();
const b = await launchBrowser();
try {
  await b.page.setViewportSize({ width: 1920, height: 1080 });
  await b.page.addInitScript(([u, k]) => {
    localStorage.setItem('mojo.base_url', u);
    localStorage.setItem('mojo.access_key', k);
  }, [sandbox.url, sandbox.keys.agent]);
  const cdp = await b.context.newCDPSession(b.page);
  await b.page.goto(`${sandbox.url}/#/kiosk?refresh=0.2&rotate=3`);
  const heapAt = async (n) => {
    const started = Date.now();
    await b.page.waitForFunction((n) => Number(document.querySelector('.kiosk')?.dataset.refreshes || 0) >= n, n, { timeout: 0, polling: 200 });
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const done = Number(await b.page.evaluate(() => document.querySelector('.kiosk').dataset.refreshes));
    return { refreshes: done, heapKiB: Math.round(usedSize / 1024), seconds: (Date.now() - started) / 1000 };
  };
  const first = await heapAt(50);
  console.log(`after ${first.refreshes} refreshes: JS heap ${first.heapKiB} KiB`);
  const mid = await heapAt(Math.round(target / 2));
  console.log(`after ${mid.refreshes} refreshes: JS heap ${mid.heapKiB} KiB`);
  const last = await heapAt(target);
  console.log(`after ${last.refreshes} refreshes: JS heap ${last.heapKiB} KiB (${(last.heapKiB - first.heapKiB)} KiB since 50)`);
  if (b.problems.length) console.log('page problems:', b.problems);
} finally {
  await b.close();
  await sandbox.stop();
}
