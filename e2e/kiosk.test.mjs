// Issue 6 (kiosk): the wallboard runs unattended. It shows the stand-in's own numbers, rotates by
// itself, and when the service goes away it keeps the last figures with a stale warning, then
// recovers with fresh numbers when the service is back, without a single click.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allTickets, apiSend, assert, assertEq, launchBrowser, startSandbox } from './harness.mjs';

async function openKiosk(b, base, key, query) {
  await b.page.setViewportSize({ width: 1920, height: 1080 });
  await b.page.addInitScript(([u, k]) => {
    localStorage.setItem('mojo.base_url', u);
    localStorage.setItem('mojo.access_key', k);
  }, [base, key]);
  await b.page.goto(`${base}/#/kiosk?${query}`);
}

const tileCount = (page, label) =>
  page.locator('.tile', { has: page.locator(`.tile-label:text-is("${label}")`) }).locator('.tile-count').textContent();

async function waitFor(what, fn, ms = 20_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function tests({ sandbox }) {
  return [
    ['tiles equal the stand-in’s open counts; views rotate by themselves; no cursor, no key in the URL', async () => {
      const base = sandbox.url;
      const key = sandbox.keys.agent;
      const b = await launchBrowser();
      try {
        await openKiosk(b, base, key, 'views=tiles,chart&rotate=3&refresh=30&alert_emergency=1');
        await b.page.waitForSelector('.kiosk[data-view=tiles] .tile-count');
        const open = (await allTickets(base, key)).filter((t) => t.status_id < 50);
        assertEq(Number(await tileCount(b.page, 'Open')), open.length, 'open tickets');
        for (const [label, code] of [['New', 10], ['In progress', 20], ['On hold', 30], ['Information requested', 40]]) {
          assertEq(Number(await tileCount(b.page, label)), open.filter((t) => t.status_id === code).length, label);
        }
        const emergencies = open.filter((t) => t.priority_id === 10).length;
        assertEq(Number(await tileCount(b.page, 'Emergency')), emergencies, 'open emergencies');
        assertEq(await b.page.locator('.tile.alert .tile-alert').count(), emergencies >= 1 ? 1 : 0, 'the emergency tile pulses over its threshold');
        await b.page.waitForSelector('.kiosk[data-view=chart] svg rect.bar-created', { timeout: 10_000 });
        assertEq(await b.page.locator('.kiosk').evaluate((e) => getComputedStyle(e).cursor), 'none', 'cursor hidden');
        assert(!b.page.url().includes(key), 'the key is not in the address');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['the service goes away: last figures stay with a stale warning, then fresh numbers return by themselves', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mojo-kiosk-'));
      const db = join(dir, 'kiosk.sqlite3');
      let sb = await startSandbox({ db });
      const { port } = sb;
      const key = sb.keys.agent;
      const b = await launchBrowser();
      let dialogs = 0;
      b.page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
      try {
        await openKiosk(b, sb.url, key, 'views=tiles&refresh=1');
        await b.page.waitForSelector('.kiosk .tile-count');
        const before = Number(await tileCount(b.page, 'Open'));
        assert(before > 0, 'open tickets shown');
        await sb.stop();
        await b.page.waitForSelector('.kiosk-status.stale', { timeout: 15_000 });
        const warning = await b.page.textContent('.kiosk-status');
        assert(/Stale: last updated/.test(warning) && /Retrying by itself/.test(warning), `stale warning: ${warning}`);
        assertEq(Number(await tileCount(b.page, 'Open')), before, 'the last figures stay on the wall');
        await new Promise((r) => setTimeout(r, 3000));
        assertEq(await b.page.locator('.kiosk-status.stale').count(), 1, 'still stale while the service is away');
        sb = await startSandbox({ db, port });
        const queues = await (await fetch(`${sb.url}/api/v2/ticket_queues?access_key=${key}`)).json();
        const made = await apiSend(sb.url, key, 'POST', '/tickets', { title: 'Kiosk: back online', description: 'e2e', ticket_queue_id: queues[0].id });
        assertEq(made.status, 201, 'a new ticket while the wall is stale');
        await waitFor('the warning to clear', async () => (await b.page.locator('.kiosk-status.stale').count()) === 0);
        await waitFor('fresh numbers', async () => Number(await tileCount(b.page, 'Open')) === before + 1);
        assert((await b.page.textContent('.kiosk-status')).startsWith('Updated'), 'updated again');
        assertEq(dialogs, 0, 'no dialog ever waited for a click');
      } finally {
        await b.close();
        if (sb.child.exitCode === null && sb.child.signalCode === null) await sb.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }],
  ];
}
