#!/usr/bin/env node
// Runs the TypeScript sources directly (through tsx) so `npx govhall …` works in a checkout
// without a build step; a packaged app ships compiled JavaScript instead.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
