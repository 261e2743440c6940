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
  // The ticket workspace (issue 4): the timeline with a staff note and files, the editor showing
  // a concurrent change, and the new-ticket form with the service's rules at their fields.
  {
    const w = await launchBrowser();
    await w.page.setViewportSize({ width: 1280, height: 900 });
    const key = sandbox.keys.manager;
    const tickets = await allTickets(sandbox.url, key);
    const t = tickets.find((x) => x.status_id === 20 && /<p|<br|<div/i.test(x.description || ''));
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAKAAAABaCAIAAACwpMoFAAAA1ElEQVR42u3csQ2AIBCG0RuDXmZyUmdxBAoqaitWsDHxLu/PNwGvI4QYc6lw4QgAC7AAC7AAC7AAAxZg5QDu563CAQYswAIswAIswAIMWIAFWIAFWIAFGLAAC7B+B+zVkkd3AizAAizAAizAgAVYgJUf+LHvBxgwYMCAAQMGbIANsAEGDBgwYMCAARtgA2wZga+j6U2AAQMGDBgwYMCAAQMGLMCA3WS5yQIMGDBgwIANsAE2wIABAwYMGDBgwIANsAEG7J8sAQYswAIswAIswAIswOXbYHP1NW1S/sMAAAAASUVORK5CYII=', 'base64');
    const form = new FormData();
    form.append('file', new Blob([png], { type: 'image/png' }), 'error-dialog.png');
    await fetch(`${sandbox.url}/api/v2/tickets/${t.id}/attachments?access_key=${key}`, { method: 'POST', body: form });
    await fetch(`${sandbox.url}/api/v2/tickets/${t.id}/staff_notes?access_key=${key}`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'Checked the print server: the queue is stuck on a 2 GB job. Clearing it tonight.', time_spent: 15 }),
    });
    await w.page.addInitScript(([u, k2]) => { localStorage.setItem('mojo.base_url', u); localStorage.setItem('mojo.access_key', k2); }, [sandbox.url, key]);
    await w.page.goto(`${sandbox.url}/#/tickets/${t.id}`);
    await w.page.waitForSelector('.timeline-item.note');
    await w.page.click('.file-chip button:has-text("Preview")');
    await w.page.waitForSelector('img.file-preview');
    await w.page.fill('#composer-body', 'Thanks, Eric. The print queue is cleared; could you try again?');
    await w.page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, 0); });
    await w.page.waitForTimeout(300);
    await w.page.screenshot({ path: `${out}/ticket-workspace.png`, fullPage: true });
    await w.page.click('.head-actions button:has-text("Edit")');
    await w.page.fill('input[name="title"]', `${t.title} (3rd floor)`);
    await fetch(`${sandbox.url}/api/v2/tickets/${t.id}?access_key=${key}`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: `${t.title} [escalated]`, priority_id: 10 }),
    });
    await w.page.click('button:has-text("Save (Ctrl+Enter)")');
    await w.page.waitForSelector('.conflict');
    await w.page.waitForTimeout(200);
    await w.page.screenshot({ path: `${out}/ticket-edit-conflict.png` });
    await w.page.click('button:has-text("Back to editing")');
    await w.page.click('button:has-text("Cancel (Esc)")').catch(() => {});
    w.page.once('dialog', (d) => d.accept());
    await w.page.goto(`${sandbox.url}/#/tickets/new`);
    await w.page.waitForSelector('.new-ticket select[name="ticket_queue_id"] option:nth-child(2)', { state: 'attached' });
    await w.page.fill('input[name="requester"]', 'not an address');
    await w.page.fill('textarea[name="description"]', 'The projector in room 4 flickers every few seconds.');
    await w.page.click('button:has-text("Create ticket")');
    await w.page.waitForSelector('.field.has-error');
    await w.page.evaluate(() => window.scrollTo(0, 0));
    await w.page.waitForTimeout(200);
    await w.page.screenshot({ path: `${out}/ticket-new.png`, fullPage: true });
    if (w.problems.length) console.log('workspace page problems:', w.problems);
    await w.close();
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
