// Trunk post_build hook (trunk runs the hooks of one stage side by side, so this is the only one):
//  1. the on-demand chunks: scripts/bin/wasm-bindgen left them in <target>/wasm-bindgen/<profile>/wasm-split/.
//     Each chunk is optimised with wasm-opt (as trunk does the main module), named by its content,
//     and put next to the main module; the loader JS that fetches them is named by content too, and
//     the main JS that imports it gets its new name and a new integrity hash in index.html.
//  2. the Content-Security-Policy: trunk injects an inline <script type="module"> that loads the
//     wasm. A strict CSP forbids inline scripts unless their hash is listed, so the sha256 of every
//     inline script replaces the 'inline-loader' placeholder of index.html's CSP.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run me as a trunk hook');
const profile = process.env.TRUNK_PROFILE === 'release' ? 'release' : 'debug';
const htmlFile = join(dir, 'index.html');
let html = readFileSync(htmlFile, 'utf8');

const digest = (algo, data, enc) => createHash(algo).update(data).digest(enc);
const contentName = (stem, ext, data) => `${stem}-${digest('sha256', data, 'hex').slice(0, 16)}.${ext}`;

function stageChunks() {
  const pre = html.match(/<link rel="modulepreload" href="([^"]*?)([^"/]+\.js)"[^>]*>/);
  if (!pre) throw new Error('post-build: no modulepreload link for the main JS in index.html');
  const [preloadTag, prefix, mainJsName] = pre;
  const mainJsFile = join(dir, mainJsName);
  let mainJs = readFileSync(mainJsFile, 'utf8');
  const linkImport = /(from\s*)(["'])\.\/__wasm_split\.js\2/g;
  if (!linkImport.test(mainJs)) return 'no split points: one wasm';

  const splitDir = join(process.env.CARGO_TARGET_DIR || 'target', 'wasm-bindgen', profile, 'wasm-split');
  const loaderFile = join(splitDir, '__wasm_split.js');
  if (!existsSync(loaderFile)) throw new Error(`post-build: the main JS imports the chunk loader, but ${loaderFile} is missing`);
  let loader = readFileSync(loaderFile, 'utf8');
  // The main module was bindgen'd from wasm-split/<out-name>.wasm; every other .wasm there is a chunk.
  const mainStem = loader.match(/import \{ initSync \} from "\.\/([^"]+)\.js";/)?.[1];
  if (!mainStem) throw new Error('post-build: the chunk loader does not import initSync from the main JS');
  const chunks = readdirSync(splitDir).filter((f) => f.endsWith('.wasm') && f !== `${mainStem}.wasm`);
  const sizes = [];
  for (const chunk of chunks) {
    const src = join(splitDir, chunk);
    let bytes;
    if (profile === 'release') {
      const out = join(splitDir, `${chunk}.opt`);
      execFileSync('wasm-opt', ['-Oz', `--output=${out}`, src], { stdio: 'inherit' });
      bytes = readFileSync(out);
    } else {
      bytes = readFileSync(src);
    }
    const named = contentName(basename(chunk, '.wasm'), 'wasm', bytes);
    writeFileSync(join(dir, named), bytes);
    const ref = `"./${chunk}"`;
    if (!loader.includes(ref)) throw new Error(`post-build: the chunk loader does not fetch ${chunk}`);
    loader = loader.split(ref).join(`"./${named}"`);
    sizes.push(`${named} ${bytes.length} B`);
  }
  loader = loader.replace(`from "./${mainStem}.js"`, `from "./${mainJsName}"`);
  // wasm-split's loader compiles with instantiateStreaming alone, which fails on a static host that
  // does not send .wasm as application/wasm. Do as wasm-bindgen does for the main module: stream
  // when the type allows, else compile from the bytes; and name a failed download by its status.
  const streaming = 'WebAssembly.instantiateStreaming(src, imports)';
  const fetchers = loader.split(streaming).length - 1;
  if (fetchers !== chunks.length) throw new Error(`post-build: expected ${chunks.length} chunk fetchers in the loader, found ${fetchers}`);
  loader = loader.split(streaming).join('instantiateChunk(src, imports)') + `
async function instantiateChunk(src, imports) {
    const response = await src;
    if (!response.ok) throw new Error(\`\${response.url}: HTTP \${response.status}\`);
    if ((response.headers.get("Content-Type") || "").split(";")[0].trim() === "application/wasm") {
        return WebAssembly.instantiateStreaming(response, imports);
    }
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
`;
  const loaderName = contentName('split-loader', 'js', loader);
  writeFileSync(join(dir, loaderName), loader);

  mainJs = mainJs.replace(linkImport, `$1$2./${loaderName}$2`);
  writeFileSync(mainJsFile, mainJs);
  // What each screen needs: its part and the shared chunks it waits for (as the loader says).
  const chunkFile = new Map();
  for (const m of loader.matchAll(/const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([^"]+)"/g)) chunkFile.set(m[1], m[2]);
  const parts = {};
  for (const m of loader.matchAll(/export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\(([\s\S]*?), \[([^\]]*)\]\)\);/g)) {
    const own = m[2].match(/fetch\(new URL\("\.\/([^"]+)"/)?.[1];
    const deps = m[3].split(',').map((d) => d.trim()).filter(Boolean).map((d) => chunkFile.get(d));
    if (deps.includes(undefined)) throw new Error(`post-build: part ${m[1]} waits for a chunk the loader does not define`);
    parts[m[1]] = [...(own ? [own] : []), ...deps].map((f) => prefix + f);
  }
  for (const screen of ['board', 'ticket', 'new_ticket', 'search', 'kiosk']) {
    if (!parts[screen]) throw new Error(`post-build: the loader has no part for the ${screen} screen`);
  }
  // A signed-in agent's screen is known before the wasm starts: preload its part and chunks beside
  // the main module instead of after it. The hash is read as src/route.rs reads it; a first visit
  // (no key stored yet) preloads nothing, as the connect screen needs no part.
  const preload = `<script>(function(){try{if(!localStorage.getItem("mojo.access_key"))return;`
    + `var p=location.hash.replace(/^#/,"").split("?")[0].split("/").filter(Boolean).join("/");`
    + `var s=p===""||p==="board"?"board":p==="search"?"search":p==="kiosk"?"kiosk":p==="tickets/new"||p==="new"?"new_ticket":/^tickets[/]0*[1-9][0-9]*$/.test(p)?"ticket":"";`
    + `(${JSON.stringify(parts)}[s]||[]).forEach(function(f){var l=document.createElement("link");l.rel="preload";l.as="fetch";l.crossOrigin="anonymous";l.href=f;document.head.appendChild(l)})}catch(e){}})()</script>`;
  const moduleScript = html.indexOf('<script type="module">');
  if (moduleScript < 0) throw new Error('post-build: no trunk loader script in index.html');
  html = html.slice(0, moduleScript) + preload + '\n' + html.slice(moduleScript);

  const integrity = `sha384-${digest('sha384', mainJs, 'base64')}`;
  const loaderIntegrity = `sha384-${digest('sha384', loader, 'base64')}`;
  const newPreload = preloadTag.replace(/integrity="[^"]*"/, `integrity="${integrity}"`);
  // Preloading the loader too saves a round trip: the main JS imports it before it can start.
  const loaderPreload = `<link rel="modulepreload" href="${prefix}${loaderName}" crossorigin="anonymous" integrity="${loaderIntegrity}">`;
  html = html.replace(preloadTag, newPreload + loaderPreload);
  return `${chunks.length} chunk(s) loaded on demand: ${sizes.join(', ')}`;
}

function cspHash() {
  const hashes = [];
  for (const m of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
    if (/\ssrc=/.test(m[0].slice(0, m[0].indexOf('>')))) continue;
    hashes.push(`'sha256-${digest('sha256', Buffer.from(m[1], 'utf8'), 'base64')}'`);
  }
  const placeholder = "'inline-loader'";
  if (html.split(placeholder).length !== 2) throw new Error(`index.html must hold the ${placeholder} CSP placeholder exactly once`);
  html = html.replace(placeholder, hashes.join(' ') || "'none'");
  return `${hashes.length} inline script(s) allowed by hash`;
}

const split = stageChunks();
const csp = cspHash();
writeFileSync(htmlFile, html);
console.log(`post-build: ${split}; csp: ${csp}`);
