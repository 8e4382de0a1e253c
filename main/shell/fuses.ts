/**
 * The Electron fuses govhall's installers flip in the Electron binary (build time only: the
 * running app never imports this file). Fuses are bits in the executable, so they hold even when
 * someone runs the installed binary by hand: it cannot be used as a plain Node.js
 * (`ELECTRON_RUN_AS_NODE`), take `NODE_OPTIONS` or `--inspect`, or load app code from outside the
 * signed `app.asar`. `strictlyRequireAllFuses` makes the packaging step fail when a new Electron
 * adds a fuse nobody has decided on yet.
 *
 * The packaging step that applies this (electron-builder `afterPack` calling
 * `flipFuses(electronBinary, GOVHALL_FUSES)`) comes with the installer work; see docs/shell.md.
 */
import { type FuseV1Config, FuseV1Options, FuseVersion } from '@electron/fuses';

export const GOVHALL_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  /** `ELECTRON_RUN_AS_NODE=1 govhall` would otherwise be a Node.js with the app's privileges. */
  [FuseV1Options.RunAsNode]: false,
  /** Cookies (the pages' sessions) encrypted at rest with the OS key store, as Chrome does. */
  [FuseV1Options.EnableCookieEncryption]: true,
  /** `NODE_OPTIONS=--require evil.js` must not run code in the main process. */
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  /** No `--inspect` / `--inspect-brk`: no debugger can attach to the main process. */
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  /** Electron checks `app.asar` against the hash built into the binary (Windows and macOS; not yet on Linux). */
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  /** App code only from `app.asar`, so the integrity check cannot be side-stepped with an `app/` folder. */
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  /** Not used: one V8 snapshot for every process. */
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  /** No page is loaded from `file://` (role pages come from 127.0.0.1, the shell's own pages are `data:`). */
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  /** Electron's default: WebAssembly bounds checks through trap handlers. */
  [FuseV1Options.WasmTrapHandlers]: true,
} satisfies FuseV1Config;
