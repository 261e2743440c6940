// Issue 4: the ticket workspace against the stand-in — create (fields, custom field, requester by
// e-mail, files in the same request), edit with the conflict check, comments and staff notes,
// tags, tasks, files (picker, drop, paste, size check, download bytes, delete), delete, drafts
// across reload and sign-out, and fault injection on saves. The stand-in's state is read through
// the API after each action.
import { api, apiSend, assert, assertEq, launchBrowser, signIn } from './harness.mjs';

const until = async (what, fn, tries = 60) => {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

async function bytesOf(base, key, attachmentId) {
  const r = await fetch(`${base}/api/v2/attachments/${attachmentId}?access_key=${encodeURIComponent(key)}`);
  assertEq(r.status, 200, 'download follows the redirect');
  return Buffer.from(await r.arrayBuffer());
}

async function newTicket(base, key, title, extra = {}) {
  const queues = await api(base, key, '/ticket_queues');
  const r = await apiSend(base, key, 'POST', '/tickets', { title, description: 'Made by a test', ticket_queue_id: queues[0].id, ...extra });
  assertEq(r.status, 201, `ticket ${title} created`);
  return r.body;
}

/** The local-storage items that hold the draft `name` (drafts are kept per connection: mojo.draft.<who>.<name>). */
const draftItems = (page, name) => page.evaluate((n) => Object.keys(localStorage).filter((k) => k.startsWith('mojo.draft.') && k.endsWith(`.${n}`)), name);

async function openTicket(b, base, key, id) {
  await signIn(b, base, key, { hash: `#/tickets/${id}`, ready: '.ticket-detail h1' });
}

export async function tests({ sandbox }) {
  const base = sandbox.url;
  const agent = sandbox.keys.agent;
  const manager = sandbox.keys.manager;
  return [
    ['create a ticket with a custom field, a requester by e-mail and two files in one request', async () => {
      const b = await launchBrowser();
      try {
        await signIn(b, base, manager, { hash: '#/tickets/new', ready: '.new-ticket' });
        await b.page.waitForSelector('.new-ticket select[name="ticket_queue_id"] option:nth-child(2)', { state: 'attached' });
        const queues = await api(base, manager, '/ticket_queues');
        // The service's rules apply before sending: nothing posted, the fields say why.
        await b.page.click('button:has-text("Create ticket")');
        await b.page.waitForSelector('.field.has-error >> text=Title can\'t be blank');
        await b.page.waitForSelector('.field.has-error >> text=Ticket queue can\'t be blank');
        await b.page.fill('input[name="title"]', 'E2E: projector in room 4 flickers');
        await b.page.fill('textarea[name="description"]', 'It flickers every few seconds.\nSince Monday.');
        await b.page.selectOption('select[name="ticket_queue_id"]', String(queues[1].id));
        await b.page.selectOption('select[name="priority_id"]', '20');
        await b.page.fill('input[name="requester"]', 'new.requester@e2e.example');
        await b.page.fill('input[name="cc"]', 'boss@e2e.example');
        await b.page.waitForSelector('[name="custom_field_location"]');
        await b.page.fill('[name="custom_field_location"]', 'Room 4');
        const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
        const text = Buffer.from('line one\nline two\n'.repeat(1000));
        await b.page.setInputFiles('input[name="files"]', [
          { name: 'photo.png', mimeType: 'image/png', buffer: png },
          { name: 'notes.txt', mimeType: 'text/plain', buffer: text },
        ]);
        await b.page.waitForSelector('.picked-files >> text=notes.txt');
        await b.page.click('button:has-text("Create ticket")');
        await b.page.waitForSelector('.ticket-detail h1:has-text("projector in room 4")', { timeout: 20_000 });
        const id = Number((await b.page.evaluate(() => location.hash)).match(/tickets\/(\d+)/)[1]);
        const t = await api(base, manager, `/tickets/${id}`);
        assertEq([t.title, t.ticket_queue_id, t.priority_id, t.cc], ['E2E: projector in room 4 flickers', queues[1].id, 20, 'boss@e2e.example'], 'fields');
        assertEq(t.custom_field_location, 'Room 4', 'custom field');
        assertEq(t.related_data.user.email, 'new.requester@e2e.example', 'requester by e-mail');
        const files = [...t.attachments].sort((a, c) => a.filename.localeCompare(c.filename));
        assertEq(files.map((f) => f.filename), ['notes.txt', 'photo.png'], 'both files attached');
        assert((await bytesOf(base, manager, files[0].id)).equals(text), 'text bytes match');
        assert((await bytesOf(base, manager, files[1].id)).equals(png), 'image bytes match');
        assertEq(await draftItems(b.page, 'new'), [], 'draft cleared after the service confirmed');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['a create whose answer was lost asks before creating again; a colleague\'s ticket of the same title is not taken for it', async () => {
      const b = await launchBrowser();
      const titled = async (title) => (await api(base, agent, '/tickets?per_page=50&sort_by=created_on&sort_order=desc')).filter((t) => t.title === title);
      try {
        await signIn(b, base, agent, { hash: '#/tickets/new', ready: '.new-ticket' });
        await b.page.waitForSelector('.new-ticket select[name="ticket_queue_id"] option:nth-child(2)', { state: 'attached' });
        const queues = await api(base, agent, '/ticket_queues');
        await b.page.fill('input[name="title"]', 'E2E: lost create');
        await b.page.fill('textarea[name="description"]', 'Typed once, kept always.');
        await b.page.selectOption('select[name="ticket_queue_id"]', String(queues[0].id));
        await b.page.route((u) => u.pathname.endsWith('/api/v2/tickets'), async (route) => {
          if (route.request().method() !== 'POST') return route.continue();
          await route.fetch();
          await route.abort('connectionreset');
        });
        await b.page.click('button:has-text("Create ticket")');
        await b.page.waitForSelector('.error-notice >> text=Everything you typed is kept');
        await b.page.unrouteAll();
        assertEq((await titled('E2E: lost create')).length, 1, 'it arrived');
        await b.page.click('button:has-text("Create ticket")');
        await b.page.waitForSelector('.doubt >> text=Is it the one you sent?');
        const id = (await titled('E2E: lost create'))[0].id;
        await b.page.click(`button:has-text("Yes: open #${id}")`);
        await b.page.waitForSelector(`.ticket-id:text("#${id}")`);
        assertEq((await titled('E2E: lost create')).length, 1, 'not created twice');
        assertEq(await draftItems(b.page, 'new'), [], 'draft done');
        // The request never arrives, and a colleague files the same title: the agent says no.
        await b.page.evaluate(() => { location.hash = '#/tickets/new'; });
        await b.page.waitForSelector('.new-ticket select[name="ticket_queue_id"] option:nth-child(2)', { state: 'attached' });
        await b.page.fill('input[name="title"]', 'E2E: same words');
        await b.page.selectOption('select[name="ticket_queue_id"]', String(queues[0].id));
        await b.page.route((u) => u.pathname.endsWith('/api/v2/tickets'), (route) => route.request().method() === 'POST' ? route.abort('connectionreset') : route.continue());
        await b.page.click('button:has-text("Create ticket")');
        await b.page.waitForSelector('.error-notice >> text=Everything you typed is kept');
        await b.page.unrouteAll();
        await apiSend(base, manager, 'POST', '/tickets', { title: 'E2E: same words', ticket_queue_id: queues[0].id });
        await b.page.click('button:has-text("Create ticket")');
        await b.page.waitForSelector('.doubt >> text=Is it the one you sent?');
        await b.page.click('button:has-text("No, create mine")');
        await b.page.waitForSelector('.ticket-detail h1:has-text("E2E: same words")');
        assertEq((await titled('E2E: same words')).length, 2, 'the colleague\'s and mine');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['edit fields in place; a concurrent change is shown and the agent chooses', async () => {
      const t = await newTicket(base, agent, 'E2E: edit me');
      const b = await launchBrowser();
      try {
        await openTicket(b, base, agent, t.id);
        // A click on a value opens the editor on that field.
        await b.page.click('.ticket-fields button[title="Edit Priority"]');
        await b.page.waitForSelector('.ticket-editor select[name="priority_id"]:focus');
        await b.page.selectOption('select[name="priority_id"]', '10');
        await b.page.fill('input[name="title"]', 'E2E: edited title');
        // Someone else changes the status and the title meanwhile.
        const other = await apiSend(base, manager, 'PUT', `/tickets/${t.id}`, { status_id: 40, title: 'E2E: their title' });
        assertEq(other.status, 200, 'concurrent update');
        await b.page.keyboard.press('Control+Enter');
        await b.page.waitForSelector('.conflict');
        const table = await b.page.textContent('.conflict-table');
        assert(table.includes('Status') && table.includes('Information requested') && table.includes('E2E: their title') && table.includes('E2E: edited title'), `conflict lists their changes: ${table}`);
        assertEq((await api(base, agent, `/tickets/${t.id}`)).priority_id, 30, 'nothing saved before the agent chose');
        await b.page.click('button:has-text("Save mine over theirs")');
        await b.page.waitForSelector('.ticket-editor', { state: 'detached' });
        const after = await api(base, agent, `/tickets/${t.id}`);
        assertEq([after.title, after.priority_id, after.status_id], ['E2E: edited title', 10, 40], 'mine over theirs, their other change kept');
        // Take theirs: their value wins where both changed, my other change stays.
        await b.page.click('.head-actions button:has-text("Edit")');
        await b.page.fill('input[name="title"]', 'E2E: mine again');
        await b.page.fill('input[name="cc"]', 'cc@e2e.example');
        await apiSend(base, manager, 'PUT', `/tickets/${t.id}`, { title: 'E2E: theirs again' });
        await b.page.click('button:has-text("Save (Ctrl+Enter)")');
        await b.page.click('button:has-text("Take theirs, keep my other changes")');
        assertEq(await b.page.inputValue('input[name="title"]'), 'E2E: theirs again', 'their title in the form');
        assertEq(await b.page.inputValue('input[name="cc"]'), 'cc@e2e.example', 'my cc kept');
        await b.page.click('button:has-text("Save (Ctrl+Enter)")');
        await b.page.waitForSelector('.ticket-editor', { state: 'detached' });
        const last = await api(base, agent, `/tickets/${t.id}`);
        assertEq([last.title, last.cc], ['E2E: theirs again', 'cc@e2e.example'], 'merged save');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['a refused or failed save keeps the edit and says why at the field', async () => {
      const t = await newTicket(base, agent, 'E2E: refuse me');
      const b = await launchBrowser();
      try {
        await openTicket(b, base, agent, t.id);
        await b.page.keyboard.press('e');
        await b.page.waitForSelector('.ticket-editor');
        await b.page.fill('input[name="title"]', '   ');
        await b.page.click('button:has-text("Save (Ctrl+Enter)")');
        await b.page.waitForSelector('.field.has-error >> text=Title can\'t be blank');
        await b.page.fill('input[name="title"]', 'E2E: after a 500');
        await b.page.route((u) => /\/api\/v2\/tickets\/\d+$/.test(u.pathname), (route) => route.request().method() === 'PUT'
          ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"boom"}' }) : route.continue());
        await b.page.click('button:has-text("Save (Ctrl+Enter)")');
        await b.page.waitForSelector('.ticket-editor .error-notice >> text=Your changes are kept');
        assertEq(await b.page.inputValue('input[name="title"]'), 'E2E: after a 500', 'form as it was');
        assertEq((await api(base, agent, `/tickets/${t.id}`)).title, 'E2E: refuse me', 'nothing saved');
        // The service's own 422 lands at its field.
        await b.page.unrouteAll();
        await b.page.fill('input[name="title"]', 'T'.repeat(300));
        await b.page.click('button:has-text("Save (Ctrl+Enter)")');
        await b.page.waitForSelector('.field.has-error >> text=Title is too long');
        assertEq(await b.page.evaluate(() => document.activeElement?.name), 'title', 'focus on the field the service refused');
        await b.page.fill('input[name="title"]', 'E2E: after a 500');
        await b.page.click('button:has-text("Save (Ctrl+Enter)")');
        await b.page.waitForSelector('.ticket-editor', { state: 'detached' });
        assertEq((await api(base, agent, `/tickets/${t.id}`)).title, 'E2E: after a 500', 'saved on retry');
      } finally { await b.close(); }
    }],

    ['comments and staff notes join one timeline; the note is private and time is logged', async () => {
      const t = await newTicket(base, agent, 'E2E: talk to me');
      const b = await launchBrowser();
      try {
        await openTicket(b, base, agent, t.id);
        await b.page.keyboard.press('c');
        assertEq(await b.page.evaluate(() => document.activeElement.id), 'composer-body', 'c focuses the comment box');
        await b.page.keyboard.type('Please restart the projector.');
        await b.page.fill('.composer .minutes', '5');
        await b.page.keyboard.press('Control+Enter');
        await b.page.waitForSelector('.timeline-item.comment >> text=Please restart the projector.');
        await b.page.check('.composer-kind input[type="radio"] >> nth=1');
        await b.page.fill('#composer-body', 'Projector bulb is at 98% of its life.');
        await b.page.fill('.composer .minutes', '12');
        await b.page.click('button:has-text("Add staff note")');
        await b.page.waitForSelector('.timeline-item.note >> text=Projector bulb');
        assert((await b.page.textContent('.timeline-item.note')).includes('Staff note · private'), 'note marked private');
        const comments = await api(base, agent, `/tickets/${t.id}/comments`);
        const notes = await api(base, agent, `/tickets/${t.id}/staff_notes`);
        assertEq(comments.map((c) => [c.body, c.time_spent]), [['Please restart the projector.', 5]], 'comment stored');
        assertEq(notes.map((n) => [n.body, n.time_spent]), [['Projector bulb is at 98% of its life.', 12]], 'note stored');
        // Newest first puts the note above the comment.
        await b.page.click('.timeline-head button');
        const kinds = await b.page.$$eval('.timeline-item', (els) => els.map((e) => e.className.replace('timeline-item ', '')));
        assertEq(kinds.filter((k) => k !== 'event'), ['note', 'comment'], 'newest first');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['a 200,000-character comment is folded on the ticket, and the composer says how long a text is', async () => {
      const t = await newTicket(base, agent, 'E2E: a pasted log');
      const log = Array.from({ length: 4000 }, (_, i) => `line ${i}: ${'x'.repeat(40)}`).join('\n');
      assert(log.length > 190_000, 'a long text');
      assertEq((await apiSend(base, agent, 'POST', `/tickets/${t.id}/comments`, { body: log })).status, 201, 'posted');
      assertEq((await apiSend(base, agent, 'POST', `/tickets/${t.id}/comments`, { body: 'Short answer.' })).status, 201, 'posted');
      const b = await launchBrowser();
      try {
        await openTicket(b, base, agent, t.id);
        const long = b.page.locator('.timeline-item.comment', { hasText: 'line 0:' });
        await long.locator('.entry-body.folded').waitFor();
        const folded = await long.evaluate((el) => el.getBoundingClientRect().height);
        assert(folded < 600, `the long comment is folded: ${folded} px`);
        assert(await b.page.evaluate(() => document.documentElement.scrollHeight) < 4000, 'the page stays short');
        const short = b.page.locator('.timeline-item.comment', { hasText: 'Short answer.' });
        assertEq(await short.locator('.fold-toggle').count(), 0, 'a short comment is not folded');
        await long.locator('.fold-toggle').click();
        assertEq(await long.locator('.entry-body.folded').count(), 0, 'shown in full');
        assert((await long.evaluate((el) => el.getBoundingClientRect().height)) > 10_000, 'all of it');
        assertEq(await long.locator('.fold-toggle').getAttribute('aria-expanded'), 'true', 'the button says it is open');
        await long.locator('.fold-toggle').click();
        await long.locator('.entry-body.folded').waitFor();

        await b.page.fill('#composer-body', 'y'.repeat(12_345));
        await b.page.waitForSelector('.composer .length-note >> text=12,345 characters');
        await b.page.fill('#composer-body', 'short again');
        assertEq(await b.page.locator('.composer .length-note').count(), 0, 'no note for a short text');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['a manager sees the event log in the timeline; an agent key is refused it once per session, not per ticket', async () => {
      const t = await newTicket(base, manager, 'E2E: events');
      assertEq((await apiSend(base, manager, 'PUT', `/tickets/${t.id}`, { status_id: 20 })).status, 200, 'status change');
      const events = await api(base, manager, `/tickets/${t.id}/events`);
      assert(events.length > 0, 'the stand-in logged events');
      const b = await launchBrowser();
      try {
        await openTicket(b, base, manager, t.id);
        await b.page.waitForSelector('.timeline-item.event');
        assertEq(await b.page.locator('.timeline-item.event').count(), events.length, 'every event in the timeline');
      } finally { await b.close(); }
      const other = await newTicket(base, agent, 'E2E: events 2');
      const a = await launchBrowser();
      try {
        const asked = [];
        a.page.on('request', (r) => { if (/\/events(\?|$)/.test(new URL(r.url()).pathname + '?')) asked.push(r.url()); });
        await openTicket(a, base, agent, t.id);
        await a.page.evaluate((id) => { location.hash = `#/tickets/${id}`; }, other.id);
        await a.page.waitForSelector(`.ticket-id:text("#${other.id}")`);
        await a.page.waitForTimeout(300);
        assertEq(asked.length, 1, 'the event log was asked for once');
        assertEq(await a.page.locator('.timeline-item.event').count(), 0, 'no events for an agent');
        assertEq(a.problems, [], 'no page errors');
      } finally { await a.close(); }
    }],

    ['tags: add an existing one from suggestions, create a new one, remove one', async () => {
      const t = await newTicket(base, agent, 'E2E: tag me');
      const tags = await api(base, agent, '/tags?per_page=100');
      const existing = tags[0];
      const b = await launchBrowser();
      try {
        await openTicket(b, base, agent, t.id);
        await b.page.fill('input[aria-label="Add a tag"]', existing.label.slice(0, 3));
        await b.page.waitForSelector(`#tag-suggestions >> text=${existing.label}`);
        await b.page.keyboard.press('ArrowDown');
        await b.page.keyboard.press('Enter');
        await b.page.waitForSelector(`.tags-panel .tag >> text=${existing.label}`);
        const fresh = `e2e-new-${Date.now()}`;
        await b.page.fill('input[aria-label="Add a tag"]', fresh);
        await b.page.keyboard.press('Enter');
        await b.page.waitForSelector(`.tags-panel .tag >> text=${fresh}`);
        let now = await api(base, agent, `/tickets/${t.id}`);
        assertEq(now.tags.map((x) => x.label).sort(), [existing.label, fresh].sort(), 'both tags on the ticket');
        assert((await api(base, agent, '/tags?per_page=100&page=1')).concat(await api(base, agent, '/tags?per_page=100&page=2')).some((x) => x.label === fresh), 'new tag exists');
        await b.page.click(`button[aria-label="Remove tag ${existing.label}"]`);
        await b.page.waitForSelector(`.tags-panel .tag >> text=${existing.label}`, { state: 'detached' });
        now = await api(base, agent, `/tickets/${t.id}`);
        assertEq(now.tags.map((x) => x.label), [fresh], 'removed');
      } finally { await b.close(); }
    }],

    ['tasks: add, complete, reopen, edit notes, delete', async () => {
      const t = await newTicket(base, agent, 'E2E: tasks');
      const b = await launchBrowser();
      try {
        await openTicket(b, base, agent, t.id);
        await b.page.fill('input[aria-label="New task"]', 'Order a new bulb');
        await b.page.keyboard.press('Enter');
        await b.page.waitForSelector('.task >> text=Order a new bulb');
        let tasks = await api(base, agent, `/tickets/${t.id}/tasks`);
        assertEq(tasks.map((x) => [x.title, x.is_completed]), [['Order a new bulb', false]], 'added');
        await b.page.check('.task input[type="checkbox"]');
        await until('completed', async () => (await api(base, agent, `/tickets/${t.id}/tasks`))[0].is_completed === true);
        await b.page.waitForSelector('.task.done');
        await b.page.uncheck('.task input[type="checkbox"]');
        await until('reopened', async () => (await api(base, agent, `/tickets/${t.id}/tasks`))[0].is_completed === false);
        await b.page.click('.task button:has-text("Notes")');
        await b.page.fill('.task textarea', 'Model XJ-200');
        await b.page.click('.task button:has-text("Save notes")');
        await until('notes', async () => (await api(base, agent, `/tickets/${t.id}/tasks`))[0].notes === 'Model XJ-200');
        await b.page.waitForSelector('.task-notes >> text=Model XJ-200');
        await b.page.click('.task button:has-text("Delete")');
        await b.page.click('.task button:has-text("Really delete?")');
        await b.page.waitForSelector('.task', { state: 'detached' });
        tasks = await api(base, agent, `/tickets/${t.id}/tasks`);
        assertEq(tasks, [], 'deleted');
      } finally { await b.close(); }
    }],

    ['files: picker with progress, staff only, drop, paste, size check, download, delete', async () => {
      // A manager: deleting files is a manager's right (REFERENCE §2).
      const agent = manager;
      const t = await newTicket(base, agent, 'E2E: files');
      const b = await launchBrowser();
      try {
        await openTicket(b, base, agent, t.id);
        const big = Buffer.alloc(3 * 1024 * 1024, 7);
        await b.page.setInputFiles('#file-picker', [{ name: 'dump.bin', mimeType: 'application/octet-stream', buffer: big }]);
        await b.page.waitForSelector('.upload.done >> text=dump.bin');
        // A failed upload says why and retries on request.
        await b.page.route((u) => u.pathname.endsWith('/attachments'), (route) => route.request().method() === 'POST'
          ? route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>busy</h1>' }) : route.continue());
        await b.page.setInputFiles('#file-picker', [{ name: 'retry-me.txt', mimeType: 'text/plain', buffer: Buffer.from('second time lucky') }]);
        await b.page.waitForSelector('.upload.failed >> text=retry-me.txt');
        await b.page.unrouteAll();
        await b.page.click('.upload.failed button:has-text("Retry")');
        await b.page.waitForSelector('.upload.done >> text=retry-me.txt');
        await b.page.check('.upload-box input[type="checkbox"]');
        await b.page.setInputFiles('#file-picker', [{ name: 'secret.txt', mimeType: 'text/plain', buffer: Buffer.from('staff eyes only') }]);
        await b.page.waitForSelector('.upload.done >> text=secret.txt');
        await b.page.uncheck('.upload-box input[type="checkbox"]');
        // A drop anywhere on the page.
        await b.page.evaluate(() => {
          const dt = new DataTransfer();
          dt.items.add(new File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' }));
          document.querySelector('.ticket-main').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
        });
        await b.page.waitForSelector('.upload.done >> text=dropped.txt');
        // A pasted screenshot gets a name.
        await b.page.evaluate(() => {
          const dt = new DataTransfer();
          const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));
          dt.items.add(new File([png], 'image.png', { type: 'image/png' }));
          document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
        });
        await b.page.waitForSelector('.upload.done >> text=/screenshot-\\d{8}-\\d{6}\\.png/');
        // Too big: refused before any byte is sent.
        await b.page.setInputFiles('#file-picker', [{ name: 'huge.iso', mimeType: 'application/octet-stream', buffer: Buffer.alloc(20 * 1024 * 1024 + 1) }]);
        await b.page.waitForSelector('.upload.failed >> text=huge.iso is 20971521 bytes; the largest file the helpdesk takes is 20971520 bytes');
        const full = await api(base, agent, `/tickets/${t.id}`);
        const all = [...full.attachments, ...full.staff_only_attachments];
        const byName = (n) => all.find((a) => a.filename === n);
        assert(byName('dump.bin') && byName('dropped.txt') && all.some((a) => /^screenshot-.*\.png$/.test(a.filename)), `uploaded: ${all.map((a) => a.filename)}`);
        assert(!all.some((a) => a.filename === 'huge.iso'), 'huge file never sent');
        assert(full.staff_only_attachments.some((a) => a.filename === 'secret.txt'), 'staff-only file is staff only');
        assert(!full.attachments.some((a) => a.filename === 'secret.txt' && !a.staff_note_id), 'not public');
        assert((await bytesOf(base, agent, byName('dump.bin').id)).equals(big), '3 MB bytes match');
        // Download in the browser gives the same bytes.
        await b.page.waitForSelector('.files-panel .file-name >> text=dropped.txt');
        const [dl] = await Promise.all([b.page.waitForEvent('download'), b.page.click('.files-panel .file-name >> text=dropped.txt')]);
        assertEq(dl.suggestedFilename(), 'dropped.txt', 'download name');
        const { readFileSync } = await import('node:fs');
        assertEq(readFileSync(await dl.path()).toString(), 'dropped bytes', 'download bytes');
        // Images preview on request; the key never appears in the page.
        const shot = all.find((a) => /^screenshot-/.test(a.filename));
        await b.page.click(`[data-attachment-id="${shot.id}"] button:has-text("Preview")`);
        await b.page.waitForSelector(`[data-attachment-id="${shot.id}"] img.file-preview[src^="blob:"]`);
        assert(!(await b.page.content()).includes(agent), 'key not in the DOM');
        // Delete with a confirmation naming the file.
        b.page.once('dialog', (d) => { assert(d.message().includes('dropped.txt'), d.message()); d.accept(); });
        await b.page.click('button[aria-label="Delete file dropped.txt"]');
        await b.page.waitForSelector('.files-panel .file-name >> text=dropped.txt', { state: 'detached' });
        const after = await api(base, agent, `/tickets/${t.id}`);
        assert(![...after.attachments, ...after.staff_only_attachments].some((a) => a.filename === 'dropped.txt'), 'deleted on the service');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['delete a ticket after a confirmation that names it', async () => {
      const t = await newTicket(base, agent, 'E2E: delete me please');
      const b = await launchBrowser();
      try {
        await openTicket(b, base, agent, t.id);
        await b.page.click('button:has-text("Delete…")');
        const text = await b.page.textContent('.modal');
        assert(text.includes(`#${t.id}`) && text.includes('E2E: delete me please'), `dialog names the ticket: ${text}`);
        await b.page.click('.modal button:has-text("Cancel")');
        assertEq((await apiSend(base, agent, 'GET', `/tickets/${t.id}`)).status, 200, 'cancel keeps it');
        await b.page.click('button:has-text("Delete…")');
        await b.page.click(`.modal button:has-text("Delete ticket #${t.id}")`);
        await b.page.waitForSelector('[data-status="10"] .ticket-card');
        const r = await fetch(`${base}/api/v2/tickets/${t.id}?access_key=${agent}`);
        assertEq(r.status, 404, 'gone');
      } finally { await b.close(); }
    }],

    ['drafts survive a reload and a sign-out; an edit draft reopens the editor', async () => {
      const t = await newTicket(base, agent, 'E2E: drafts');
      const b = await launchBrowser();
      try {
        await openTicket(b, base, agent, t.id);
        await b.page.fill('#composer-body', 'Half-written answer');
        await b.page.click('.ticket-head h1');
        await b.page.keyboard.press('e');
        await b.page.fill('input[name="title"]', 'E2E: drafts (edited)');
        await b.page.reload();
        await b.page.waitForSelector('.ticket-editor');
        assertEq(await b.page.inputValue('input[name="title"]'), 'E2E: drafts (edited)', 'edit restored');
        assertEq(await b.page.inputValue('#composer-body'), 'Half-written answer', 'comment restored');
        // Posting the comment reloads the ticket; the open editor keeps what was typed.
        await b.page.click('button:has-text("Add comment")');
        await b.page.waitForSelector('.timeline-item.comment >> text=Half-written answer');
        assertEq(await b.page.inputValue('input[name="title"]'), 'E2E: drafts (edited)', 'refresh left the editor alone');
        await b.page.fill('#composer-body', 'Half-written answer');
        await b.page.click('button:has-text("Sign out")');
        await b.page.waitForSelector('.connect-page');
        assertEq(await b.page.evaluate(() => localStorage.getItem('mojo.access_key')), null, 'signed out');
        assertEq((await draftItems(b.page, `comment.${t.id}`)).length, 1, 'the draft is still on the device');
        // Another agent signing in on this machine neither sees nor could post it.
        await b.page.fill('input[name=base]', base);
        await b.page.fill('input[name=access_key]', sandbox.keys.manager);
        await b.page.click('button[type=submit]');
        await b.page.waitForSelector('[data-status="10"] .ticket-card');
        await b.page.evaluate((id) => { location.hash = `#/tickets/${id}`; }, t.id);
        await b.page.waitForSelector('#composer-body');
        assertEq(await b.page.inputValue('#composer-body'), '', 'no other agent\'s comment in the box');
        assertEq(await b.page.locator('.ticket-editor').count(), 0, 'no other agent\'s edit reopened');
        await b.page.click('button:has-text("Sign out")');
        await b.page.waitForSelector('.connect-page');
        await b.page.fill('input[name=base]', base);
        await b.page.fill('input[name=access_key]', agent);
        await b.page.click('button[type=submit]');
        await b.page.waitForSelector('[data-status="10"] .ticket-card');
        await b.page.evaluate((id) => { location.hash = `#/tickets/${id}`; }, t.id);
        await b.page.waitForSelector('.ticket-editor');
        assertEq(await b.page.inputValue('#composer-body'), 'Half-written answer', 'comment kept across sign-out');
        await b.page.click('button:has-text("Save (Ctrl+Enter)")');
        await b.page.waitForSelector('.ticket-editor', { state: 'detached' });
        assertEq((await api(base, agent, `/tickets/${t.id}`)).title, 'E2E: drafts (edited)', 'restored edit saved');
        assertEq(await draftItems(b.page, `edit.${t.id}`), [], 'edit draft cleared');
        // New-ticket draft too.
        await b.page.goto(`${base}/#/tickets/new`);
        await b.page.fill('input[name="title"]', 'Unfinished new ticket');
        await b.page.reload();
        await b.page.waitForSelector('.new-ticket');
        assertEq(await b.page.inputValue('input[name="title"]'), 'Unfinished new ticket', 'new ticket restored');
      } finally { await b.close(); }
    }],

    ['fault injection: a dropped and a lost save keep the draft; the retry posts exactly one comment', async () => {
      const t = await newTicket(base, agent, 'E2E: faults');
      const b = await launchBrowser();
      const lose = async () => b.page.route((u) => u.pathname.endsWith('/comments'), async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        await route.fetch();
        await route.abort('connectionreset');
      });
      try {
        await openTicket(b, base, agent, t.id);
        // 0. Who is this agent? Not known yet: a lost answer can only be asked about.
        const body = 'Exactly once, please.';
        await b.page.fill('#composer-body', body);
        await lose();
        await b.page.click('button:has-text("Add comment")');
        await b.page.waitForSelector('.composer .error-notice >> text=Not sent');
        assertEq((await api(base, agent, `/tickets/${t.id}/comments`)).length, 1, 'the lost one arrived');
        await b.page.unrouteAll();
        await b.page.click('button:has-text("Add comment")');
        await b.page.waitForSelector('.doubt >> text=Is it the one you sent?');
        await b.page.click('button:has-text("Yes, that one is mine")');
        await b.page.waitForSelector('.draft-note >> text=nothing was sent again');
        assertEq((await api(base, agent, `/tickets/${t.id}/comments`)).map((c) => c.body), [body], 'exactly once');
        // 1. The request never reaches the service: nothing arrives, the text stays.
        await b.page.fill('#composer-body', 'Second, once.');
        await b.page.route((u) => u.pathname.endsWith('/comments'), (route) => route.request().method() === 'POST' ? route.abort('connectionreset') : route.continue());
        await b.page.click('button:has-text("Add comment")');
        await b.page.waitForSelector('.composer .error-notice >> text=Not sent');
        assertEq(await b.page.inputValue('#composer-body'), 'Second, once.', 'text kept');
        assertEq((await api(base, agent, `/tickets/${t.id}/comments`)).length, 1, 'nothing arrived');
        // A colleague writes the same words meanwhile: that is not this agent's save.
        assertEq((await apiSend(base, manager, 'POST', `/tickets/${t.id}/comments`, { body: 'Second, once.' })).status, 201, 'colleague');
        await b.page.unrouteAll();
        await b.page.click('button:has-text("Add comment")');
        await until('both second comments', async () => (await api(base, agent, `/tickets/${t.id}/comments`)).length === 3);
        const authors = (await api(base, agent, `/tickets/${t.id}/comments`)).filter((c) => c.body === 'Second, once.').map((c) => c.user_id);
        assertEq(new Set(authors).size, 2, 'the colleague\'s and the agent\'s, one each');
        // 2. The request arrives but its answer is lost; the page reloads in doubt and, knowing the
        //    agent now, says it arrived.
        await b.page.fill('#composer-body', 'Third, once.');
        await lose();
        await b.page.click('button:has-text("Add comment")');
        await b.page.waitForSelector('.composer .error-notice >> text=Not sent');
        await b.page.unrouteAll();
        await b.page.reload();
        await b.page.waitForSelector('.draft-note >> text=had reached the helpdesk');
        // 3. A retry straight after a lost answer does not post twice either.
        await b.page.fill('#composer-body', 'Fourth, once.');
        await lose();
        await b.page.click('button:has-text("Add comment")');
        await b.page.waitForSelector('.composer .error-notice >> text=Not sent');
        await b.page.unrouteAll();
        await b.page.click('button:has-text("Add comment")');
        await b.page.waitForSelector('.draft-note >> text=not sent twice');
        // 4. A yes whose answer cannot be read is a yes: the box empties, nothing is sent again.
        await b.page.fill('#composer-body', 'Fifth, once.');
        await b.page.route((u) => u.pathname.endsWith('/comments'), async (route) => {
          if (route.request().method() !== 'POST') return route.continue();
          await route.fetch();
          await route.fulfill({ status: 201, contentType: 'text/html', body: '<html>proxy says ok</html>' });
        });
        await b.page.click('button:has-text("Add comment")');
        await b.page.waitForSelector('.draft-note >> text=Saved.');
        assertEq(await b.page.inputValue('#composer-body'), '', 'box emptied');
        await b.page.unrouteAll();
        const bodies = (await api(base, agent, `/tickets/${t.id}/comments`)).map((c) => c.body);
        for (const text of [body, 'Third, once.', 'Fourth, once.', 'Fifth, once.']) {
          assertEq(bodies.filter((x) => x === text).length, 1, `"${text}" exactly once`);
        }
        assertEq(await draftItems(b.page, `comment.${t.id}`), [], 'draft cleared');
        // 5. A 5xx keeps the form as it was; while a send is in flight nothing can be typed.
        await b.page.fill('#composer-body', 'Against a 503');
        await b.page.route((u) => u.pathname.endsWith('/comments'), async (route) => {
          if (route.request().method() !== 'POST') return route.continue();
          await new Promise((r) => setTimeout(r, 800));
          await route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>Service Unavailable</h1>' });
        });
        await b.page.click('button:has-text("Add comment")');
        assert(await b.page.locator('#composer-body').isDisabled(), 'no typing while sending');
        await b.page.waitForSelector('.composer .error-notice >> text=Not sent');
        assertEq(await b.page.inputValue('#composer-body'), 'Against a 503', 'kept after a 503');
        await b.page.unrouteAll();
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['bad input is refused before sending: minutes, CC, numbers, dates, file totals; clearing a date or the type is saved', async () => {
      const t = await newTicket(base, manager, 'E2E: strict', { due_on: '2030-01-01T10:00:00Z', ticket_type_id: (await api(base, manager, '/ticket_types'))[0].id });
      const b = await launchBrowser();
      try {
        await openTicket(b, base, manager, t.id);
        await b.page.fill('#composer-body', 'Numbers');
        await b.page.fill('.composer .minutes', '2.5');
        await b.page.click('button:has-text("Add comment")');
        await b.page.waitForSelector('.composer .error-notice >> text=whole number of minutes');
        await b.page.fill('.composer .minutes', '');
        await b.page.fill('.composer .cc', 'a@b');
        await b.page.click('button:has-text("Add comment")');
        await b.page.waitForSelector('.composer .error-notice >> text=is not an e-mail address');
        assertEq((await api(base, manager, `/tickets/${t.id}/comments`)).length, 0, 'nothing sent');
        // The editor: clear due and type; a decimal custom field keeps what was typed.
        await b.page.click('.ticket-head h1');
        await b.page.keyboard.press('e');
        await b.page.click('button[aria-label="Clear Due"]');
        await b.page.selectOption('select[name="ticket_type_id"]', '');
        await b.page.fill('input[name="cc"]', 'not-an-address');
        await b.page.click('button:has-text("Save (Ctrl+Enter)")');
        await b.page.waitForSelector('.field.has-error >> text=is not an e-mail address');
        await b.page.fill('input[name="cc"]', '');
        await b.page.click('button:has-text("Save (Ctrl+Enter)")');
        await b.page.waitForSelector('.ticket-editor', { state: 'detached' });
        const after = await api(base, manager, `/tickets/${t.id}`);
        assertEq([after.due_on, after.ticket_type_id], [null, null], 'due date and type cleared on the service');
        // New ticket: two files that fit one by one but not together are refused before sending.
        await b.page.evaluate(() => { location.hash = '#/tickets/new'; });
        await b.page.waitForSelector('.new-ticket select[name="ticket_queue_id"] option:nth-child(2)', { state: 'attached' });
        await b.page.fill('input[name="title"]', 'E2E: two big files');
        const queues = await api(base, manager, '/ticket_queues');
        await b.page.selectOption('select[name="ticket_queue_id"]', String(queues[0].id));
        const mib15 = Buffer.alloc(15 * 1024 * 1024, 1);
        await b.page.setInputFiles('input[name="files"]', [
          { name: 'a.bin', mimeType: 'application/octet-stream', buffer: mib15 },
          { name: 'b.bin', mimeType: 'application/octet-stream', buffer: mib15 },
        ]);
        const before = (await api(base, manager, '/tickets?per_page=1&sort_by=id&sort_order=desc'))[0].id;
        await b.page.click('button:has-text("Create ticket")');
        await b.page.waitForSelector('.field-error >> text=These files add up to 30.0 MB');
        assertEq((await api(base, manager, '/tickets?per_page=1&sort_by=id&sort_order=desc'))[0].id, before, 'nothing created');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],

    ['a lost edit answer is not mistaken for someone else\'s change; the delete dialog keeps the keyboard; file names cannot disguise themselves', async () => {
      const t = await newTicket(base, manager, 'E2E: lost edit');
      const form = new FormData();
      form.append('file', new Blob(['MZ']), 'invoice\u202Efdp.exe');
      await fetch(`${base}/api/v2/tickets/${t.id}/attachments?access_key=${manager}`, { method: 'POST', body: form });
      const b = await launchBrowser();
      try {
        await openTicket(b, base, manager, t.id);
        const shown = await b.page.textContent('.files-panel .file-name');
        assertEq(shown, 'invoice\uFFFDfdp.exe', 'the override character is shown, not obeyed');
        await b.page.click('.ticket-head h1');
        await b.page.keyboard.press('e');
        await b.page.fill('input[name="title"]', 'E2E: lost edit, saved once');
        await b.page.route((u) => /\/api\/v2\/tickets\/\d+$/.test(u.pathname), async (route) => {
          if (route.request().method() !== 'PUT') return route.continue();
          await route.fetch();
          await route.abort('connectionreset');
        });
        await b.page.click('button:has-text("Save (Ctrl+Enter)")');
        await b.page.waitForSelector('.ticket-editor .error-notice >> text=Your changes are kept');
        await b.page.unrouteAll();
        await b.page.click('button:has-text("Save (Ctrl+Enter)")');
        await b.page.waitForSelector('.ticket-editor', { state: 'detached' });
        assertEq(await b.page.locator('.conflict').count(), 0, 'no conflict shown for this agent\'s own save');
        assertEq((await api(base, manager, `/tickets/${t.id}`)).title, 'E2E: lost edit, saved once', 'saved');
        // The delete dialog: shortcuts are off behind it, Tab stays in it, Escape closes it.
        await b.page.click('button:has-text("Delete…")');
        await b.page.keyboard.press('e');
        assertEq(await b.page.locator('.ticket-editor').count(), 0, 'e does nothing behind the dialog');
        for (let i = 0; i < 3; i++) {
          await b.page.keyboard.press('Tab');
          assert(await b.page.evaluate(() => !!document.activeElement?.closest('.modal')), 'focus stays in the dialog');
        }
        await b.page.keyboard.press('Escape');
        await b.page.waitForSelector('.modal', { state: 'detached' });
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],
  ];
}
