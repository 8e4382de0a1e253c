/**
 * Which keys a shell window swallows (`webContents.on('before-input-event')`) and whether a
 * window may close. Citizen-facing windows (kiosk, evaluator, hall TV) lose every shortcut that
 * closes, reloads, prints, saves, zooms or leaves the page; every window loses the developer tools
 * until a technician unlocks them (`technician-unlock.ts`).
 *
 * Limits (docs/shell.md "快捷键"): the OS owns Alt+Tab, Ctrl+Alt+Del, the Windows key and
 * Ctrl+Esc; an application never sees most of them. They are listed here so that the ones that do
 * reach the window are swallowed, but the real lock is Electron's kiosk mode on the kiosk and the
 * hall TV plus the OS settings of a kiosk account (Windows Assigned Access / Shell Launcher; on
 * UOS/Kylin a session without a desktop that starts only govhall).
 */

/** The fields of Electron's `Input` the policy reads (a structural subset, so tests need no Electron). */
export interface KeyInput {
  type: string;
  key: string;
  code: string;
  alt: boolean;
  control: boolean;
  shift: boolean;
  meta: boolean;
}

export interface ShortcutContext {
  citizenFacing: boolean;
  /** A technician has unlocked this terminal: nothing is blocked. */
  unlocked: boolean;
}

type Combo = { code: string; ctrl?: boolean; alt?: boolean; shift?: boolean; anyModifiers?: boolean };

/** Developer tools: blocked in every window until a technician unlocks (Cmd+Alt+I etc. on macOS). */
const DEVTOOLS: Combo[] = [
  { code: 'F12', anyModifiers: true },
  { code: 'KeyI', ctrl: true, shift: true },
  { code: 'KeyJ', ctrl: true, shift: true },
  { code: 'KeyC', ctrl: true, shift: true },
  { code: 'KeyI', ctrl: true, alt: true },
  { code: 'KeyJ', ctrl: true, alt: true },
  { code: 'KeyC', ctrl: true, alt: true },
];

/** Leaving, closing, reloading or changing the page: blocked in citizen-facing windows. */
const CITIZEN: Combo[] = [
  { code: 'F4', alt: true }, // close window
  { code: 'F4', ctrl: true }, // close tab/window
  { code: 'KeyW', ctrl: true },
  { code: 'KeyW', ctrl: true, shift: true },
  { code: 'KeyQ', ctrl: true },
  { code: 'KeyR', ctrl: true },
  { code: 'KeyR', ctrl: true, shift: true },
  { code: 'F5', anyModifiers: true },
  { code: 'F11', anyModifiers: true },
  { code: 'BrowserRefresh', anyModifiers: true },
  { code: 'BrowserBack', anyModifiers: true },
  { code: 'BrowserForward', anyModifiers: true },
  { code: 'BrowserHome', anyModifiers: true },
  { code: 'ArrowLeft', alt: true },
  { code: 'ArrowRight', alt: true },
  { code: 'KeyN', ctrl: true },
  { code: 'KeyN', ctrl: true, shift: true },
  { code: 'KeyT', ctrl: true },
  { code: 'KeyP', ctrl: true }, // print dialog
  { code: 'KeyS', ctrl: true }, // save page
  { code: 'KeyO', ctrl: true },
  { code: 'KeyU', ctrl: true }, // view source
  { code: 'KeyF', ctrl: true },
  { code: 'KeyH', ctrl: true }, // history
  { code: 'KeyM', ctrl: true }, // minimise (macOS)
  { code: 'Equal', ctrl: true },
  { code: 'Equal', ctrl: true, shift: true },
  { code: 'Minus', ctrl: true },
  { code: 'Digit0', ctrl: true },
  { code: 'NumpadAdd', ctrl: true },
  { code: 'NumpadSubtract', ctrl: true },
  { code: 'Numpad0', ctrl: true },
  // Owned by the OS: listed so the rare case that reaches the window is swallowed too.
  { code: 'Tab', alt: true },
  { code: 'Tab', alt: true, shift: true },
  { code: 'Escape', alt: true },
  { code: 'Escape', ctrl: true },
  { code: 'Space', alt: true }, // window menu (close, move) on Windows
];

/** Ctrl+Shift+Alt+U asks for the technician's PIN. */
const UNLOCK_CHORD: Combo = { code: 'KeyU', ctrl: true, shift: true, alt: true };

/** Some keyboards and remote-control tools report no `code`; fall back to the key name. */
function codeOf(input: KeyInput): string {
  if (input.code) return input.code;
  const k = input.key;
  if (/^[a-z]$/i.test(k)) return `Key${k.toUpperCase()}`;
  if (/^\d$/.test(k)) return `Digit${k}`;
  if (k === '=' || k === '+') return 'Equal';
  if (k === '-') return 'Minus';
  if (k === ' ') return 'Space';
  return k;
}

function matches(input: KeyInput, combo: Combo): boolean {
  if (codeOf(input) !== combo.code) return false;
  if (combo.anyModifiers) return true;
  // Cmd on macOS plays Ctrl's part; counting Meta as Ctrl only blocks more.
  const ctrl = input.control || input.meta;
  return ctrl === Boolean(combo.ctrl) && input.alt === Boolean(combo.alt) && input.shift === Boolean(combo.shift);
}

/** True when the window must swallow this key (call `event.preventDefault()`). */
export function isBlockedShortcut(input: KeyInput, ctx: ShortcutContext): boolean {
  if (ctx.unlocked) return false;
  if (DEVTOOLS.some((c) => matches(input, c))) return true;
  return ctx.citizenFacing && CITIZEN.some((c) => matches(input, c));
}

/** The key chord that opens the technician's PIN prompt (on key down only). */
export function isUnlockChord(input: KeyInput): boolean {
  return input.type === 'keyDown' && matches(input, UNLOCK_CHORD);
}

/** With the terminal unlocked, F12 or Ctrl+Shift+I opens the developer tools (on key down only). */
export function isDevToolsChord(input: KeyInput): boolean {
  return input.type === 'keyDown' && DEVTOOLS.some((c) => matches(input, c));
}

export type CloseAnswer = 'allow' | 'prevent' | 'minimize';

/**
 * A window's `close` event (Alt+F4 reaches the OS window manager even when the key is swallowed).
 * The shell itself closing (restart, quit, a window removed from the config) always may; a
 * citizen-facing window otherwise never closes; a staff window is minimised instead, so the
 * counter page is one click away and keeps its session.
 */
export function closeAnswer(ctx: { citizenFacing: boolean; unlocked: boolean; shellClosing: boolean }): CloseAnswer {
  if (ctx.shellClosing || ctx.unlocked) return 'allow';
  return ctx.citizenFacing ? 'prevent' : 'minimize';
}
