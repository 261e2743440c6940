// Issue 2: connect (wrong key, unreachable, CORS, not Mojo, server error), the board's counts
// against the stand-in's own, a ticket page, sign-out; and the key never leaks into the DOM,
// the address bar or the console.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allTickets, api, assert, assertEq, freePort, launchBrowser, signIn } from './harness.mjs';

const STATUSES = [10, 20, 30, 40, 50, 60];

/** What each screen needs, as the build wrote it into index.html's preload map (paths as served at the root). */
function screenParts() {
  const html = readFileSync(join('dist', 'index.html'), 'utf8');
  const raw = JSON.parse(html.match(/\((\{"\w+":\[[^;]*?\]\})\[s\]/)?.[1] ?? 'null');
  assert(raw && raw.board && raw.ticket, 'index.html maps screens to their parts');
  return Object.fromEntries(Object.entries(raw).map(([k, files]) => [k, files.map((f) => new URL(f, 'http://x/').pathname)]));
}

/** A fake helpdesk answering every request with `handler(req, res)`. */
async function fakeServer(handler) {
  const port = await freePort();
  const server = http.createServer(handler);
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

async function connect(page, base, key) {
  await page.fill('input[name=base]', base);
  await page.fill('input[name=access_key]', key);
  await page.click('button[type=submit]');
}

async function alertText(page) {
  const alert = page.locator('.connect-card [role=alert]');
  await alert.waitFor({ timeout: 15_000 });
  return (await alert.textContent()).trim();
}

async function storedKeys(page) {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('mojo.')));
}

export async function tests({ sandbox }) {
  const base = sandbox.url;
  const key = sandbox.keys.agent;
  return [
    ['connect refuses a wrong key, saves nothing, keeps what was typed', async () => {
      const b = await launchBrowser();
      try {
        await b.page.goto(base + '/');
        assertEq(await b.page.inputValue('input[name=base]'), base, 'base URL defaults to the page origin');
        await connect(b.page, base, 'not-a-real-key');
        const text = await alertText(b.page);
        assert(/access key was refused/i.test(text), `wrong-key message: ${text}`);
        assertEq(await storedKeys(b.page), [], 'nothing saved after a refused key');
        assertEq(await b.page.inputValue('input[name=access_key]'), 'not-a-real-key', 'typed key kept for correction');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['connect tells unreachable, CORS, not-Mojo and server errors apart', async () => {
      const noCors = await fakeServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('[]'); });
      const notMojo = await fakeServer((req, res) => {
        res.writeHead(404, { 'content-type': 'text/html', 'access-control-allow-origin': '*' });
        res.end('<!doctype html><html><body>Not Found</body></html>');
      });
      const broken = await fakeServer((req, res) => {
        res.writeHead(500, { 'content-type': 'text/html', 'access-control-allow-origin': '*' });
        res.end('<html>Internal Server Error</html>');
      });
      const closedPort = await freePort();
      const b = await launchBrowser();
      try {
        await b.page.goto(base + '/');
        const cases = [
          [`http://127.0.0.1:${closedPort}`, /could not be reached/i],
          [noCors.url, /blocked the answer.*CORS/i],
          [notMojo.url, /not as a Mojo Helpdesk API/i],
          [broken.url, /internal error \(HTTP 500\)/i],
        ];
        for (const [url, expected] of cases) {
          await connect(b.page, url, key);
          await b.page.waitForFunction(() => !document.querySelector('button[type=submit]').disabled);
          const text = await alertText(b.page);
          assert(expected.test(text), `${url}: ${text}`);
          assertEq(await storedKeys(b.page), [], `nothing saved for ${url}`);
        }
        assertEq(b.problems, [], 'no page errors');
      } finally {
        await b.close();
        await Promise.all([noCors.close(), notMojo.close(), broken.close()]);
      }
    }],

    ['board counts equal the stand-in, a ticket opens, sign-out forgets the key', async () => {
      const tickets = await allTickets(base, key);
      const expected = STATUSES.map((s) => tickets.filter((t) => t.status_id === s).length);
      const b = await launchBrowser();
      try {
        await b.page.goto(base + '/');
        await connect(b.page, base, key);
        await b.page.waitForSelector('[data-status="60"] .column-count[data-exact=true]', { timeout: 30_000 });
        await b.page.waitForSelector('[data-status="50"] .column-count[data-exact=true]', { timeout: 30_000 });
        const counts = [];
        for (const s of STATUSES) {
          counts.push(Number(await b.page.textContent(`[data-status="${s}"] .column-count`)));
        }
        assertEq(counts, expected, 'column counts per status');
        for (const s of [10, 20, 30, 40]) {
          const cards = await b.page.locator(`[data-status="${s}"] .ticket-card`).count();
          assertEq(cards, expected[STATUSES.indexOf(s)], `every open ticket of ${s} has a card`);
        }
        assert((await b.page.locator('[data-status="50"] .ticket-card').count()) > 0, 'solved shows tickets');
        assertEq(await storedKeys(b.page), ['mojo.access_key', 'mojo.base_url'].sort(), 'saved after a verified call');

        // Cards carry names, not ids.
        const first = b.page.locator('[data-status="20"] .ticket-card').first();
        const id = Number(await first.getAttribute('data-ticket-id'));
        const full = await api(base, key, `/tickets/${id}`);
        const queues = await api(base, key, '/ticket_queues?per_page=100');
        const queueName = queues.find((q) => q.id === full.ticket_queue_id).name;
        const cardText = await first.textContent();
        assert(cardText.includes(`#${id}`) && cardText.includes(queueName), `card text: ${cardText}`);

        // Queue filter via the URL.
        await b.page.goto(`${base}/#/board?queue=${full.ticket_queue_id}`);
        await b.page.waitForSelector('[data-status="10"] .column-count');
        const filtered = Number(await b.page.textContent('[data-status="20"] .column-count'));
        const expectedFiltered = tickets.filter((t) => t.status_id === 20 && t.ticket_queue_id === full.ticket_queue_id).length;
        assertEq(filtered, expectedFiltered, 'in-progress count for one queue');

        // Open the ticket.
        await b.page.click(`[data-ticket-id="${id}"] a`);
        await b.page.waitForSelector('.ticket-detail h1');
        assertEq((await b.page.textContent('.ticket-detail h1')).trim(), full.title.trim(), 'ticket title');
        assert(b.page.url().endsWith(`#/tickets/${id}`), `address: ${b.page.url()}`);
        const fields = await b.page.textContent('.ticket-fields');
        assert(fields.includes(queueName), 'queue by name on the ticket page');

        // The key appears nowhere a person or a script could read it from the page.
        const html = await b.page.evaluate(() => document.documentElement.outerHTML);
        assert(!html.includes(key), 'key not in the DOM');
        assert(!b.page.url().includes(key), 'key not in the address');
        // The dashboard never prints the key. (Chrome's own network log names the address of a
        // refused request, and this API takes the key in the query, REFERENCE §1: an agent's key
        // is refused the manager-only event log once per tab session, see store/abilities.rs.)
        const own = b.consoleLines.filter((l) => !l.startsWith('error: Failed to load resource'));
        assert(!own.some((l) => l.includes(key)), `key not in the console: ${own.filter((l) => l.includes(key))}`);

        await b.page.click('text=Sign out');
        await b.page.waitForSelector('input[name=access_key]');
        assertEq(await storedKeys(b.page), [], 'sign-out clears storage');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['sign-out stops every request at once and reaches the other tabs', async () => {
      const b = await launchBrowser();
      try {
        // Log every fetch the app makes, and the moment Sign out is clicked, inside the page.
        await b.context.addInitScript(() => {
          window.__fetchLog = [];
          const original = window.fetch.bind(window);
          window.fetch = (input, init) => {
            window.__fetchLog.push({ t: performance.now(), url: String(input.url || input) });
            return original(input, init);
          };
          document.addEventListener('click', (e) => {
            if (e.target.closest && e.target.closest('.app-header button')) window.__signOutAt = performance.now();
          }, true);
        });
        const a = b.page;
        await a.goto(base + '/');
        await connect(a, base, key);
        await a.waitForSelector('[data-status="10"] .ticket-card', { timeout: 30_000 });
        const other = await b.context.newPage();
        await other.goto(base + '/#/tickets/' + (await a.getAttribute('[data-status="10"] .ticket-card', 'data-ticket-id')));
        await other.waitForSelector('.ticket-detail h1', { timeout: 30_000 });

        // Refresh starts a board load of dozens of requests; sign out while it runs.
        await a.click('text=Refresh');
        await a.click('text=Sign out');
        await a.waitForSelector('input[name=access_key]');
        await a.waitForTimeout(1500);
        const late = await a.evaluate(() => window.__fetchLog.filter((f) => f.t > window.__signOutAt && f.url.includes('access_key=')).map((f) => f.url.replace(/access_key=[^&]+/, 'access_key=…')));
        assertEq(late, [], 'requests with the key after sign-out');

        // The other tab follows: it shows the connect screen and sends nothing more.
        await other.waitForSelector('input[name=access_key]', { timeout: 5_000 });
        const before = await other.evaluate(() => window.__fetchLog.length);
        await other.waitForTimeout(500);
        assertEq(await other.evaluate(() => window.__fetchLog.length), before, 'other tab is quiet');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['the first visit fetches the main module alone; each screen’s part comes when needed, and a failed download says so and recovers', async () => {
      // Which files each screen needs, as the build wrote them into index.html's preload map.
      const parts = screenParts();
      const name = (u) => new URL(u, base).pathname;

      const first = await launchBrowser();
      try {
        const wasm = [];
        first.page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(name(r.url())); });
        await first.page.goto(base + '/');
        await first.page.waitForSelector('input[name=access_key]');
        await first.page.waitForTimeout(2500);
        assertEq(wasm.length, 1, `wasm fetched for the connect screen: ${wasm}`);
        assert(/^\/mojo-dashboard-[0-9a-f]+_bg\.wasm$/.test(wasm[0]), `the main module, not a part: ${wasm[0]}`);
      } finally { await first.close(); }

      const b = await launchBrowser();
      try {
        const wasm = [];
        b.page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(name(r.url())); });
        // The ticket screen's own files cannot be fetched at first.
        const ticketOnly = new Set(parts.ticket.filter((f) => !parts.board.includes(f)));
        assert(ticketOnly.size > 0, 'the ticket screen has files of its own');
        let blocked = true;
        await b.page.route((u) => ticketOnly.has(u.pathname), (r) => (blocked ? r.abort('connectionfailed') : r.continue()));
        await signIn(b, base, key);
        for (const f of parts.board) assert(wasm.includes(f), `the board's part ${f} was fetched`);
        assert(!wasm.some((f) => ticketOnly.has(f)), 'the board fetched none of the ticket screen\'s files');

        const id = await b.page.getAttribute('[data-status="10"] .ticket-card', 'data-ticket-id');
        await b.page.goto(`${base}/#/tickets/${id}`);
        const alert = b.page.locator('.app-main [role=alert]');
        await alert.waitFor({ timeout: 15_000 });
        assert((await alert.textContent()).includes('Could not open this ticket'), `says what failed: ${await alert.textContent()}`);

        blocked = false;
        await b.page.click('text=Try again');
        await b.page.waitForSelector('.ticket-detail h1', { timeout: 15_000 });
        const ticket = await api(base, key, `/tickets/${id}`);
        assertEq((await b.page.textContent('.ticket-detail h1')).trim(), ticket.title.trim(), 'the ticket opened');
        for (const f of ticketOnly) assert(wasm.includes(f), `the ticket's part ${f} was fetched`);
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['the main part: slow says so, failed says so with Reload, and Reload recovers (never a blank page)', async () => {
      const b = await launchBrowser();
      try {
        let mode = 'slow';
        let release;
        const held = new Promise((r) => { release = r; });
        await b.page.route(/\/mojo-dashboard-[0-9a-f]+_bg\.wasm$/, async (r) => {
          if (mode === 'fail') return r.abort('connectionfailed');
          if (mode === 'slow') await held;
          return r.continue();
        });
        await b.page.goto(base + '/');
        assertEq((await b.page.textContent('#boot')).trim(), 'Opening Mojo Dashboard…', 'something shows at once');
        await b.page.waitForSelector('#boot >> text=slow to download', { timeout: 15_000 });
        release();
        await b.page.waitForSelector('input[name=access_key]');
        assertEq(await b.page.locator('#boot').count(), 0, 'the notice is gone once the dashboard runs');

        mode = 'fail';
        await b.page.reload();
        const alert = b.page.locator('#boot[role=alert]');
        await alert.waitFor({ timeout: 15_000 });
        assert((await alert.textContent()).includes('could not start: its code did not download'), `says why: ${await alert.textContent()}`);
        mode = 'ok';
        await b.page.click('#boot button:has-text("Reload the dashboard")');
        await b.page.waitForSelector('input[name=access_key]');
        assertEq(await b.page.locator('#boot').count(), 0, 'recovered');
        // The main JS and the parts' loader are as vital: a 404 of either says the same.
        for (const vital of [/\/mojo-dashboard-[0-9a-f]+\.js$/, /\/split-loader-[0-9a-f]+\.js$/]) {
          await b.page.route(vital, (r) => r.fulfill({ status: 404, body: 'gone' }));
          await b.page.reload();
          await b.page.locator('#boot[role=alert] >> text=could not start').waitFor({ timeout: 15_000 });
          await b.page.unroute(vital);
        }
      } finally { await b.close(); }
    }],

    ['a part that hangs says so after a while; the wallboard retries a failed part by itself', async () => {
      const parts = screenParts();
      const own = (screen) => new Set(parts[screen].filter((f) => !parts.board.includes(f)));
      const b = await launchBrowser();
      try {
        // A ticket link whose screen's part never arrives.
        const ticketOnly = own('ticket');
        await b.page.route((u) => ticketOnly.has(u.pathname), () => {});
        const id = (await api(base, key, '/tickets?per_page=1'))[0].id;
        await signIn(b, base, key, { hash: `#/tickets/${id}`, ready: '.screen-loading' });
        const slow = b.page.locator('.app-main [role=status] >> text=Still opening this ticket');
        await slow.waitFor({ timeout: 30_000 });
        assert(await b.page.locator('.app-main button:has-text("Reload the dashboard")').count() === 1, 'offers a reload');
      } finally { await b.close(); }

      const k = await launchBrowser();
      try {
        const kioskOnly = own('kiosk');
        let blocked = true;
        await k.page.route((u) => kioskOnly.has(u.pathname), (r) => (blocked ? r.abort('internetdisconnected') : r.continue()));
        await signIn(k, base, key, { hash: '#/kiosk', ready: '[role=alert] >> text=Could not open the wallboard' });
        const said = await k.page.textContent('[role=alert]');
        assert(said.includes('tries again by itself') && !said.includes('drafts'), `a wallboard's words: ${said}`);
        // Nobody presses Try again: the network coming back is enough.
        blocked = false;
        await k.page.evaluate(() => dispatchEvent(new Event('online')));
        await k.page.waitForSelector('.kiosk .tile-count', { timeout: 30_000 });
        assertEq(k.problems, [], 'no page errors');
      } finally { await k.close(); }
    }],

    ['dist/ served under a sub-path of another host works, with the helpdesk on its own origin', async () => {
      // A plain static host serving dist/ at /helpdesk/ (and nothing at its root).
      const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };
      const outside = [];
      const host = await fakeServer((req, res) => {
        const path = new URL(req.url, 'http://x').pathname;
        if (!path.startsWith('/helpdesk/')) { outside.push(path); res.writeHead(404); return res.end('not here'); }
        const file = path === '/helpdesk/' ? 'index.html' : path.slice('/helpdesk/'.length);
        try {
          const body = readFileSync(join('dist', file.replace(/\.\./g, '')));
          res.writeHead(200, { 'content-type': types[file.slice(file.lastIndexOf('.'))] || 'application/octet-stream' });
          res.end(body);
        } catch { res.writeHead(404); res.end('missing'); }
      });
      const b = await launchBrowser();
      try {
        await b.page.goto(host.url + '/helpdesk/');
        await connect(b.page, base, key);
        await b.page.waitForSelector('[data-status="10"] .ticket-card', { timeout: 30_000 });
        const id = await b.page.getAttribute('[data-status="10"] .ticket-card', 'data-ticket-id');
        await b.page.click(`[data-ticket-id="${id}"] a`);
        await b.page.waitForSelector('.ticket-detail h1', { timeout: 15_000 });
        assert(new URL(b.page.url()).pathname === '/helpdesk/', `stays at the sub-path: ${b.page.url()}`);
        await b.page.reload();
        await b.page.waitForSelector('.ticket-detail h1', { timeout: 15_000 });
        assertEq(outside, [], 'nothing asked outside the sub-path');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); await host.close(); }
    }],

    ['a static host that sends .wasm as application/octet-stream still runs every screen', async () => {
      const b = await launchBrowser();
      try {
        let served = 0;
        await b.page.route(/\.wasm$/, async (r) => {
          const response = await r.fetch();
          served++;
          await r.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
        });
        await signIn(b, base, key);
        const id = await b.page.getAttribute('[data-status="10"] .ticket-card', 'data-ticket-id');
        await b.page.goto(`${base}/#/tickets/${id}`);
        await b.page.waitForSelector('.ticket-detail h1', { timeout: 15_000 });
        assert(served > 2, `the main module and the parts went through the wrong type: ${served}`);
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['hostile ticket content stays inert and inside the layout', async () => {
      const manager = sandbox.keys.manager;
      const queues = await api(base, key, '/ticket_queues?per_page=100');
      const word = 'W'.repeat(3000);
      const description = [
        '<p>Intro</p><img src=x onerror="window.__xss=1"><script>window.__xss=1</script>',
        `<pre>${'x'.repeat(3000)}</pre>`,
        `<table width="20000"><tr><td width="20000">${word}</td></tr></table>`,
        `${'<div>'.repeat(70)}DEEP CONTENT${'</div>'.repeat(70)}`,
        '<a href="javascript:window.__xss=1">link</a><svg onload="window.__xss=1"></svg>',
      ].join('');
      const r = await fetch(`${base}/api/v2/tickets?access_key=${manager}`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: `<img src=x onerror=window.__xss=1> ${'T'.repeat(200)}`, description, ticket_queue_id: queues[0].id }),
      });
      assertEq(r.status, 201, 'hostile ticket created');
      const created = await r.json();
      const b = await launchBrowser();
      try {
        await b.page.goto(base + '/');
        await connect(b.page, base, key);
        await b.page.waitForSelector(`[data-ticket-id="${created.id}"]`, { timeout: 30_000 });
        const boardWidth = await b.page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
        assert(boardWidth <= 0, `board overflows by ${boardWidth}px`);
        await b.page.click(`[data-ticket-id="${created.id}"] a`);
        await b.page.waitForSelector('.ticket-detail .safe-html');
        await b.page.waitForTimeout(300);
        const overflow = await b.page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
        assert(overflow <= 0, `ticket page overflows by ${overflow}px`);
        const text = await b.page.textContent('.ticket-main');
        assert(text.includes('DEEP CONTENT') && text.includes('Intro'), 'deep and plain text kept');
        assert(await b.page.evaluate(() => window.__xss === undefined), 'no payload ran');
        const fieldsBox = await b.page.locator('.ticket-fields').boundingBox();
        const mainBox = await b.page.locator('.ticket-main').boundingBox();
        assert(mainBox.x + mainBox.width <= fieldsBox.x + 1, 'description stays left of the fields');
        assertEq(b.problems, [], 'no page errors');
      } finally {
        await b.close();
        await fetch(`${base}/api/v2/tickets/${created.id}?access_key=${manager}`, { method: 'DELETE' });
      }
    }],
  ];
}
