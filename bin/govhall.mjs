#!/usr/bin/env node
// The `govhall` command. An installed hub package (npm run dist:hub) holds the compiled JavaScript
// and no sources: it runs dist/main/cli/main.js with plain Node. A checkout has main/cli/main.ts
// beside this file and runs the sources through tsx, so it needs no build step and never runs a
// stale build (`npm run build` there is for packaging; docs/deployment.md).
import { existsSync } from 'node:fs';

const sources = new URL('../main/cli/main.ts', import.meta.url);
let entry = new URL('../dist/main/cli/main.js', import.meta.url);
if (existsSync(sources)) {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    process.stderr.write('错误 NO_TSX：这是源码目录，缺少开发依赖 tsx。请先运行 npm install / run npm install first\n');
    process.exit(1);
  }
  tsx.register();
  entry = sources;
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
