/**
 * The system Chromium's command line in browser mode (docs/terminal.md): a full-screen app window
 * on the terminal's local origin, a profile of its own under the terminal's data folder, nothing
 * fetched in the background, and DevTools only over its own pipe. `extra` adds flags for a test run
 * (`--headless --no-sandbox --disable-gpu`).
 */
export function browserArgs(opts: { url: string; profileDir: string; extra?: readonly string[] }): string[] {
  return [
    '--kiosk',
    `--app=${opts.url}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-translate',
    '--disable-features=Translate,MediaRouter',
    '--noerrdialogs',
    '--disable-session-crashed-bubble',
    '--autoplay-policy=no-user-gesture-required',
    `--user-data-dir=${opts.profileDir}`,
    '--remote-debugging-pipe',
    ...(opts.extra ?? []),
  ];
}
