// Issue 5: the search page — builder → query → results equal to the stand-in's own filter, a raw
// query with an error pointing at its position, free text with reserved characters, the search
// in the URL (reload, Back/Forward), and saved searches that survive a reload and narrow the board.
import { readFileSync } from 'node:fs';
import { allTickets, api, apiSend, assert, assertEq, launchBrowser, signIn } from './harness.mjs';

const READY = '.search-page .result-count:not(:empty)';

/** Every result of a query, through the API (pages of 100 until a short one). */
async function searchAll(base, key, query, sf = 'updated_on', r = 1) {
  const out = [];
  for (let page = 1; ; page++) {
    const q = new URLSearchParams({ query, sf, r: String(r), page: String(page), per_page: '100' });
    const items = await api(base, key, `/tickets/search?${q}`);
    out.push(...items);
    if (items.length < 100) return out;
  }
}

/** Waits for the page's search to settle, then loads every page; resolves to the result ids. */
async function allResultIds(page) {
  for (;;) {
    await page.waitForSelector('ol.search-results[aria-busy="false"]');
    const more = page.locator('button.more');
    if ((await more.count()) === 0) break;
    await more.click();
    await page.waitForTimeout(50);
  }
  return (await page.locator('.search-result').evaluateAll((els) => els.map((e) => Number(e.dataset.ticketId))));
}

/** Waits until the raw editor shows a query satisfying `pred`; returns it. */
async function rawQuery(page, pred) {
  for (let i = 0; i < 100; i++) {
    const v = await page.inputValue('#raw-query');
    if (pred(v)) return v;
    await page.waitForTimeout(50);
  }
  throw new Error(`raw query never matched: ${await page.inputValue('#raw-query')}`);
}

const sorted = (a) => [...a].sort((x, y) => x - y);

export async function tests({ sandbox }) {
  const base = sandbox.url;
  const key = sandbox.keys.agent;
  return [
    ['builder chips make the query, and the results equal the stand-in’s own filter', async () => {
      const b = await launchBrowser();
      try {
        // The demo is generated relative to now: the new tickets' most common priority is read from the data.
        const fresh = (await allTickets(base, key)).filter((t) => t.status_id === 10);
        const names = { 10: 'Emergency', 20: 'Urgent', 30: 'Normal', 40: 'Low' };
        const count = (p) => fresh.filter((t) => t.priority_id === p).length;
        const p = [10, 20, 30, 40].sort((x, y) => count(y) - count(x))[0];
        await signIn(b, base, key, { hash: '#/search', ready: READY });
        await b.page.click('.list-filter[aria-label="Status"] button:text-is("New")');
        await b.page.click(`.list-filter[aria-label="Priority"] button:text-is("${names[p]}")`);
        const q = await rawQuery(b.page, (v) => v.includes('status.id') && v.includes('priority.id'));
        const ids = await allResultIds(b.page);
        const expected = fresh.filter((t) => t.priority_id === p);
        assert(expected.length > 0, `the seed has new tickets of priority ${names[p]}`);
        assertEq(sorted(ids), sorted(expected.map((t) => t.id)), `results of ${q}`);
        const updated = new Map(expected.map((t) => [t.id, t.updated_on]));
        for (let i = 1; i < ids.length; i++) {
          assert(updated.get(ids[i - 1]) >= updated.get(ids[i]), `newest updated first at ${i}`);
        }
        const hash = decodeURIComponent(new URL(b.page.url()).hash);
        assert(hash.includes(q), `the URL holds the query: ${hash}`);
        assertEq((await b.page.textContent('.result-count')).trim(), `${expected.length} ticket${expected.length === 1 ? '' : 's'}`, 'count');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['a raw query that does not read points at the error; fixing it searches', async () => {
      const b = await launchBrowser();
      try {
        await signIn(b, base, key, { hash: '#/search', ready: READY });
        await b.page.fill('#raw-query', 'status.id:(<50 AND title:x');
        const err = await b.page.waitForSelector('.query-error');
        const text = await err.textContent();
        assert(/does not read at character \d+/.test(text), `message: ${text}`);
        assertEq(await b.page.getAttribute('#raw-query', 'aria-invalid'), 'true', 'editor marked invalid');
        assert(text.includes('character 11: This parenthesis is never closed.') && !text.includes('..'), `message names the unclosed parenthesis, one full stop: ${text}`);
        assertEq(await b.page.textContent('.query-pointer'), 'status.id:(<50 AND title:x', 'the query is shown with a pointer');
        assertEq(await b.page.textContent('.query-pointer mark'), '(', 'the pointer marks the parenthesis that is never closed');
        assert(!new URL(b.page.url()).hash.includes('title'), 'an unreadable query never reaches the URL');
        await b.page.fill('#raw-query', 'status.id:(<20)');
        await b.page.keyboard.press('End');
        await b.page.keyboard.press('Enter');
        await b.page.waitForSelector('.query-error', { state: 'detached' });
        const ids = await allResultIds(b.page);
        const expected = (await allTickets(base, key)).filter((t) => t.status_id < 20).map((t) => t.id);
        assertEq(sorted(ids), sorted(expected), 'results of status.id:(<20)');
      } finally { await b.close(); }
    }],

    ['free text with reserved characters means that text', async () => {
      const queues = await api(base, key, '/ticket_queues');
      const title = 'Printer: "HP (4th floor)" && paper jam [tray 2] \\ 50%';
      const made = await apiSend(base, key, 'POST', '/tickets', { title, description: 'e2e', ticket_queue_id: queues[0].id });
      assertEq(made.status, 201, 'ticket created');
      const b = await launchBrowser();
      try {
        await signIn(b, base, key, { hash: '#/search', ready: READY });
        await b.page.fill('#search-text', '"HP (4th floor)" && paper jam [tray');
        await b.page.press('#search-text', 'Enter');
        await rawQuery(b.page, (v) => v.includes('HP'));
        const ids = await allResultIds(b.page);
        assertEq(ids, [made.body.id], 'exactly the ticket with that text');
        assertEq(await b.page.locator('.query-error').count(), 0, 'no syntax error');
      } finally { await b.close(); }
    }],

    ['the search lives in the URL: reload, Back and Forward', async () => {
      const queues = await api(base, key, '/ticket_queues');
      const query = `status.id:(<50) AND ticket_queue.id:${queues[1].id}`;
      const hash = `#/search?q=${encodeURIComponent(query)}&sf=created_on&r=0`;
      const b = await launchBrowser();
      try {
        await signIn(b, base, key, { hash, ready: READY });
        assertEq(await b.page.inputValue('#raw-query'), query, 'editor shows the URL query');
        assertEq(await b.page.inputValue('.search-bar select'), 'created_on', 'sort field');
        assert((await b.page.textContent('.sort-direction')).includes('Oldest first'), 'direction');
        await b.page.waitForSelector('ol.search-results[aria-busy="false"]');
        const shown = await b.page.locator('.search-result').evaluateAll((els) => els.map((e) => Number(e.dataset.ticketId)));
        const api25 = (await searchAll(base, key, query, 'created_on', 0)).slice(0, 25).map((t) => t.id);
        assertEq(shown, api25, 'first page in the stand-in’s order');
        await b.page.reload();
        await b.page.waitForSelector(READY);
        assertEq(await b.page.inputValue('#raw-query'), query, 'after reload');
        await b.page.click('.list-filter[aria-label="Priority"] button:text-is("Urgent")');
        const narrowed = await rawQuery(b.page, (v) => v.includes('priority.id'));
        await b.page.goBack();
        await rawQuery(b.page, (v) => v === query);
        await b.page.goForward();
        await rawQuery(b.page, (v) => v === narrowed);
      } finally { await b.close(); }
    }],

    ['a saved search survives a reload and narrows the board', async () => {
      const b = await launchBrowser();
      try {
        await signIn(b, base, key, { hash: '#/search', ready: READY });
        await b.page.click('.list-filter[aria-label="Priority"] button:text-is("Emergency")');
        const q = await rawQuery(b.page, (v) => v.includes('priority.id'));
        await b.page.fill('input[aria-label="Name for this search"]', 'Emergencies <b>now</b>');
        await b.page.click('.save-form button[type=submit]');
        await b.page.waitForSelector('.saved-message >> text=Saved');
        await b.page.reload();
        await b.page.waitForSelector(READY);
        const link = b.page.locator('.saved-link', { hasText: 'Emergencies <b>now</b>' });
        assertEq(await link.count(), 1, 'saved search listed after reload (its name as text)');
        await b.page.click('.saved-item a:text-is("Board")');
        await b.page.waitForSelector('.board-narrowed >> text=Narrowed to');
        // The search's ids can arrive before the board's tickets: wait for the columns to fill.
        await b.page.waitForSelector('.ticket-card');
        const cards = await b.page.locator('.ticket-card').evaluateAll((els) => els.map((e) => Number(e.dataset.ticketId)));
        const emergencies = new Set((await searchAll(base, key, q)).map((t) => t.id));
        assert(cards.length > 0, 'the board shows cards');
        for (const id of cards) assert(emergencies.has(id), `#${id} is found by the search`);
        const openEmergencies = (await allTickets(base, key)).filter((t) => t.priority_id === 10 && t.status_id < 50);
        const openCards = await b.page.locator('[data-status="10"] .ticket-card, [data-status="20"] .ticket-card, [data-status="30"] .ticket-card, [data-status="40"] .ticket-card').count();
        assertEq(openCards, openEmergencies.length, 'every open emergency is on the board');
        assertEq(await b.page.locator('#board-search option:checked').textContent(), 'Emergencies <b>now</b>', 'the board names the saved search');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['saved searches: rename, delete with confirmation, export and import back', async () => {
      const b = await launchBrowser();
      try {
        await signIn(b, base, key, { hash: '#/search', ready: READY });
        const save = async (name) => {
          await b.page.fill('input[aria-label="Name for this search"]', name);
          await b.page.click('.save-form button[type=submit]');
          await b.page.waitForSelector(`.saved-message >> text=Saved “${name}”`);
        };
        await b.page.click('.list-filter[aria-label="Status"] button:text-is("New")');
        await rawQuery(b.page, (v) => v === 'status.id:10');
        await save('New ones');
        await b.page.click('.list-filter[aria-label="Priority"] button:text-is("Low")');
        await rawQuery(b.page, (v) => v.includes('priority.id:40'));
        await save('New and low');
        const names = async () => b.page.locator('.saved-link').allTextContents();
        assertEq(await names(), ['New ones', 'New and low'], 'both listed');
        // Rename: a taken name is refused, a free one is kept.
        await b.page.click('.saved-item:has(.saved-link:text-is("New ones")) button:text-is("Rename")');
        await b.page.fill('input[aria-label="New name"]', 'New and low');
        await b.page.click('.rename-form button[type=submit]');
        await b.page.waitForSelector('.saved-message.error >> text=already exists');
        await b.page.fill('input[aria-label="New name"]', 'Fresh tickets');
        await b.page.click('.rename-form button[type=submit]');
        await b.page.waitForSelector('.saved-message >> text=Renamed to “Fresh tickets”');
        assertEq(await names(), ['Fresh tickets', 'New and low'], 'renamed in place');
        // Export: the file holds both, with their queries.
        const [download] = await Promise.all([b.page.waitForEvent('download'), b.page.click('.saved-io button:text-is("Export")')]);
        assertEq(download.suggestedFilename(), 'mojo-saved-searches.json', 'file name');
        const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
        assertEq(exported.map((s) => [s.name, s.query]), [['Fresh tickets', 'status.id:10'], ['New and low', 'status.id:10 AND priority.id:40']], 'exported');
        // Delete asks first, names the search, then removes it.
        await b.page.click('.saved-item:has(.saved-link:text-is("Fresh tickets")) button:text-is("Delete")');
        assertEq(await names(), ['Fresh tickets', 'New and low'], 'nothing deleted before the confirmation');
        await b.page.click('button:text-is("Delete “Fresh tickets”?")');
        await b.page.waitForSelector('.saved-message >> text=Deleted “Fresh tickets”');
        assertEq(await names(), ['New and low'], 'deleted');
        // Import: a broken file is refused and changes nothing; the exported file brings it back.
        await b.page.setInputFiles('.saved-io input[type=file]', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('[{"name":"x","query":"status.id:(<"}]') });
        await b.page.waitForSelector('.saved-message.error');
        assertEq(await names(), ['New and low'], 'a refused import changes nothing');
        await b.page.setInputFiles('.saved-io input[type=file]', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
        await b.page.waitForSelector('.saved-message >> text=Imported 2 saved searches');
        assertEq((await names()).sort(), ['Fresh tickets', 'New and low'], 'imported back without duplicates');
        await b.page.reload();
        await b.page.waitForSelector(READY);
        assertEq((await names()).sort(), ['Fresh tickets', 'New and low'], 'kept after a reload');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['arrow keys move through the results and Enter opens one', async () => {
      const b = await launchBrowser();
      try {
        await signIn(b, base, key, { hash: `#/search?q=${encodeURIComponent('status.id:(<50)')}`, ready: READY });
        await b.page.waitForSelector('ol.search-results[aria-busy="false"] .search-result');
        const ids = await b.page.locator('.search-result').evaluateAll((els) => els.map((e) => Number(e.dataset.ticketId)));
        await b.page.focus('#search-text');
        await b.page.keyboard.press('ArrowDown');
        await b.page.keyboard.press('ArrowDown');
        await b.page.keyboard.press('ArrowDown');
        await b.page.keyboard.press('ArrowUp');
        const focused = await b.page.evaluate(() => Number(document.activeElement?.closest('.search-result')?.dataset.ticketId));
        assertEq(focused, ids[1], 'down, down, down, up: the second result has focus');
        await b.page.keyboard.press('Enter');
        await b.page.waitForSelector('.ticket-detail h1');
        assertEq(new URL(b.page.url()).hash, `#/tickets/${ids[1]}`, 'Enter opened that ticket');
      } finally { await b.close(); }
    }],

    ['typing then Enter at once raises no page error; an unfinished edit survives a chip click', async () => {
      const b = await launchBrowser();
      try {
        await signIn(b, base, key, { hash: '#/search', ready: READY });
        await b.page.click('#raw-query');
        await b.page.keyboard.type('status.id:20', { delay: 20 });
        await b.page.keyboard.press('Enter');
        await rawQuery(b.page, (v) => v === 'status.id:20');
        await b.page.waitForTimeout(700);
        assertEq(b.problems, [], 'no page errors from the typing timers');
        const unfinished = 'status.id:20 AND (title:printer OR';
        await b.page.fill('#raw-query', unfinished);
        await b.page.waitForSelector('.query-error');
        await b.page.click('.list-filter[aria-label="Priority"] button:text-is("Emergency")');
        await b.page.waitForFunction(() => location.hash.includes('priority.id'));
        assertEq(await b.page.inputValue('#raw-query'), unfinished, 'the unfinished edit is still there');
        await b.page.fill('#raw-query', 'status.id:30');
        await b.page.click('.list-filter[aria-label="Priority"] button:text-is("Low")');
        await b.page.waitForFunction(() => decodeURIComponent(location.hash).includes('status.id:30'));
        assert(decodeURIComponent(new URL(b.page.url()).hash).includes('priority.id:40'), 'a valid edit not yet searched is kept and the chip added to it');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['"/" goes to the search box from the board', async () => {
      const b = await launchBrowser();
      try {
        await signIn(b, base, key);
        await b.page.keyboard.press('/');
        await b.page.waitForSelector('#search-text');
        await b.page.waitForFunction(() => document.activeElement?.id === 'search-text');
        assert(new URL(b.page.url()).hash.startsWith('#/search'), 'on the search page');
      } finally { await b.close(); }
    }],
    ['leaving a screen while its answer is on the way raises no page error (search, board, new ticket)', async () => {
      const b = await launchBrowser();
      try {
        await signIn(b, base, key);
        // Every screen's code is in by now (prefetched 2 s after the shell is up).
        await b.page.waitForTimeout(3_000);
        // Slow answers keep each screen's request in flight while it is left.
        await b.page.route((u) => u.pathname.startsWith('/api/v2/'), async (route) => {
          await new Promise((r) => setTimeout(r, 150));
          await route.continue().catch(() => {});
        });
        for (const [there, back] of [['#/search', '#/'], ['#/search?q=printer', '#/tickets/new'], ['#/tickets/new', '#/search'], ['#/', '#/search']]) {
          for (const ms of [20, 60, 100]) {
            await b.page.evaluate(([t, k, wait]) => new Promise((r) => {
              location.hash = t;
              setTimeout(() => { location.hash = k; setTimeout(r, 400); }, wait);
            }), [there, back, ms]);
          }
        }
        await b.page.unroute('**');
        await b.page.evaluate(() => { location.hash = '#/search?q=printer'; });
        await b.page.waitForSelector(READY);
        assertEq(b.problems, [], 'no page errors (a panic shows as RuntimeError: unreachable)');
      } finally { await b.close(); }
    }],
  ];
}
