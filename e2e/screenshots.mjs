// Screenshots of the main screens against the stand-in, for people to look at (docs/ and the
// closing notes): node e2e/screenshots.mjs OUTDIR
import { mkdirSync } from 'node:fs';
import { allTickets, launchBrowser, startSandbox } from './harness.mjs';

const out = process.argv[2] || 'target/screenshots';
mkdirSync(out, { recursive: true });
const sandbox = await startSandbox();
try {
  for (const [w, h] of [[1280, 800], [1920, 1080]]) {
    const b = await launchBrowser();
    await b.page.setViewportSize({ width: w, height: h });
    await b.page.goto(sandbox.url + '/');
    await b.page.screenshot({ path: `${out}/connect-${w}.png` });
    await b.page.fill('input[name=access_key]', sandbox.keys.agent);
    await b.page.click('button[type=submit]');
    await b.page.waitForSelector('[data-status="60"] .column-count[data-exact=true]');
    await b.page.waitForTimeout(300);
    await b.page.screenshot({ path: `${out}/board-${w}.png` });
    const tickets = await allTickets(sandbox.url, sandbox.keys.agent);
    const html = tickets.find((t) => t.status_id === 20 && /<p|<br|<div/i.test(t.description || ''));
    await b.page.goto(`${sandbox.url}/#/tickets/${html.id}`);
    await b.page.waitForSelector('.ticket-detail h1');
    await b.page.waitForTimeout(200);
    await b.page.screenshot({ path: `${out}/ticket-${w}.png`, fullPage: w === 1280 });
    const q = encodeURIComponent('status.id:(<50) AND priority.id:(<=20)');
    await b.page.goto(`${sandbox.url}/#/search?q=${q}&sf=updated_on&r=1`);
    await b.page.waitForSelector('ol.search-results[aria-busy="false"] .search-result');
    await b.page.waitForTimeout(200);
    await b.page.screenshot({ path: `${out}/search-${w}.png` });
    if (b.problems.length) console.log('page problems:', b.problems);
    await b.close();
  }
  // The kiosk wallboard, each view alone, at 1920×1080 (the key comes from the device's storage).
  const k = await launchBrowser();
  await k.page.setViewportSize({ width: 1920, height: 1080 });
  await k.page.addInitScript(([u, key]) => {
    localStorage.setItem('mojo.base_url', u);
    localStorage.setItem('mojo.access_key', key);
  }, [sandbox.url, sandbox.keys.agent]);
  for (const view of ['tiles', 'board', 'due', 'oldest', 'new', 'chart']) {
    await k.page.goto(`${sandbox.url}/#/kiosk?views=${view}&alert_emergency=1`);
    await k.page.waitForSelector(`.kiosk[data-view=${view}] .kiosk-main > :not(.kiosk-waiting)`);
    await k.page.waitForTimeout(300);
    await k.page.screenshot({ path: `${out}/kiosk-${view}.png` });
  }
  if (k.problems.length) console.log('kiosk page problems:', k.problems);
  await k.close();
  console.log(`screenshots in ${out}`);
} finally {
  await sandbox.stop();
}
