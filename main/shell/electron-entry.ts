/**
 * The Electron app's entry (`dist/shell/main.cjs`): runs the terminal (electron-terminal.ts) with
 * the process's arguments. Anything that escapes is logged and ends the app with a failure, so the
 * OS service that keeps the terminal running starts it again.
 */
import { app } from 'electron';
import { runElectronTerminal } from './electron-terminal.js';

runElectronTerminal({ argv: process.argv.slice(1) }).catch((e: unknown) => {
  console.error(JSON.stringify({ at: 'shell', event: 'fatal', error: e instanceof Error ? e.message : String(e) }));
  app.exit(1);
});
