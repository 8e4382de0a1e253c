// Test-only preload (`node --import ./load-recorder.mjs …`): writes the URL of every module the
// process loads to the file named by GOVHALL_TEST_LOAD_LOG, one per line, so a test can tell what
// ran (the compiled JavaScript, not the TypeScript sources through tsx). ES modules are seen by a
// load hook as they load; CommonJS modules (native addons' loaders, packages required from them)
// are read from the shared require cache when the process exits.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const out = process.env.GOVHALL_TEST_LOAD_LOG;
if (!out) throw new Error('load-recorder: GOVHALL_TEST_LOAD_LOG is not set');
register('./load-recorder-hooks.mjs', import.meta.url, { data: { out } });
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const urls = Object.keys(cache).map((file) => pathToFileURL(file).href);
  appendFileSync(out, urls.map((u) => `${u}\n`).join(''));
});
