// End-to-end tests: `node e2e/run.mjs` from the repo root, after `trunk build --release` and
// `cargo build -p mojo-sandbox --release`. Every *.test.mjs module exports `tests(env)` → [name, fn][].
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { run, startSandbox } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const sandbox = await startSandbox();
let ok = false;
try {
  const env = { sandbox };
  const tests = [];
  for (const f of readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort()) {
    const mod = await import(pathToFileURL(join(here, f)).href);
    for (const [name, fn] of await mod.tests(env)) {
      const full = `${f.replace('.test.mjs', '')}: ${name}`;
      if (!only || full.includes(only)) tests.push([full, fn]);
    }
  }
  ok = await run(tests);
} finally {
  await sandbox.stop();
}
process.exit(ok ? 0 : 1);
