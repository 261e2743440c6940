// Trunk post_build hook: trunk injects an inline <script type="module"> that loads the wasm.
// A strict CSP forbids inline scripts unless their hash is listed, so put the sha256 of every
// inline script in place of the 'inline-loader' placeholder of index.html's CSP.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run me as a trunk hook');
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
const hashes = [];
for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
  if (/\ssrc=/.test(m[0].slice(0, m[0].indexOf('>')))) continue;
  hashes.push(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
}
const placeholder = "'inline-loader'";
if (html.split(placeholder).length !== 2) throw new Error(`index.html must hold the ${placeholder} CSP placeholder exactly once`);
html = html.replace(placeholder, hashes.join(' ') || "'none'");
writeFileSync(file, html);
console.log(`csp-hash: ${hashes.length} inline script(s) allowed by hash`);
