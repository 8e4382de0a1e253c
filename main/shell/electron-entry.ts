/**
 * The Electron app's entry (`dist/shell/main.cjs`). The rollback guard runs first, before the
 * rest of the terminal is even loaded: a new version that crashes while loading (a native module
 * built for the wrong Electron) must still be rolled back (docs/deployment.md §7). Then the
 * terminal (electron-terminal.ts) runs with the process's arguments and, once paired, looks for
 * updates on its hub. Anything that escapes is logged and ends the app with a failure, so the OS
 * service that keeps the terminal running starts it again.
 */
import { app } from 'electron';
import { guardStart, startTerminalUpdates } from './electron-updates.js';

async function main(): Promise<void> {
  if (guardStart() !== 'run') return;
  const { runElectronTerminal } = await import('./electron-terminal.js');
  await runElectronTerminal({ argv: process.argv.slice(1), updates: startTerminalUpdates });
}

main().catch((e: unknown) => {
  console.error(JSON.stringify({ at: 'shell', event: 'fatal', error: e instanceof Error ? e.message : String(e) }));
  app.exit(1);
});
