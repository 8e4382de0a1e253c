/**
 * Which window goes on which display: from the terminal's window entries (hall config,
 * `devices.terminals[].windows`) and the displays the OS reports, one planned window per entry with
 * its bounds and how locked down it is. Pure; the Electron adapter only carries the plan out, and
 * on a display hot-plug it applies `diffPlans(old, new)` instead of rebuilding every window.
 *
 * Rules (docs/shell.md "窗口规划"):
 *  - Displays are put in one stable order: the primary first, then the others left to right, top to
 *    bottom, then by id. `display: 0` is the primary, `1` the next (so `secondary` ≡ `1`).
 *  - A label selector matches the display's label ignoring case and surrounding spaces.
 *  - A window whose display is missing goes to a *free* display (one no other window is on), the
 *    first in that order; when there is none it waits (hidden) and re-appears when a display
 *    comes back. So a window PC's evaluator never covers the staff screen when the citizen-facing
 *    monitor is unplugged, while a hall TV whose label changed still shows on the one TV there is.
 */

import { type CameraSetting, cameraLabel } from '../../common/camera.js';

export const SHELL_ROLES = ['kiosk', 'counter', 'evaluator', 'display', 'admin'] as const;
export type ShellRole = (typeof SHELL_ROLES)[number];

/** `primary`, `secondary`, an index in the stable order (0 = primary), or the display's label. */
export type DisplaySelector = 'primary' | 'secondary' | number | string;

export interface WindowEntry {
  role: ShellRole;
  /** The service window (counter, evaluator). */
  window?: number;
  display: DisplaySelector;
  /** How the screen hangs; a hall TV may be portrait. Default: whatever the display reports. */
  layout?: 'landscape' | 'portrait';
  /** The document camera this role uses (passed to the page, not used for placement). */
  camera?: CameraSetting;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the adapter reads from Electron's `screen` (bounds in device-independent pixels). */
export interface DisplayInfo {
  id: number;
  bounds: Rect;
  primary: boolean;
  label: string;
  scaleFactor: number;
}

export interface Placement {
  displayId: number;
  bounds: Rect;
  /** `configured`: the display the entry names; `fallback`: a free display taken because it is missing. */
  via: 'configured' | 'fallback';
}

export interface PlannedWindow {
  /** `kiosk`, `counter:3`: one window per role (and service window) on a terminal. */
  key: string;
  role: ShellRole;
  windowNo: number | null;
  /** Null while the window waits for its display. */
  placement: Placement | null;
  /** Faces the public: close and reload shortcuts are blocked, the window cannot be closed. */
  citizenFacing: boolean;
  /** Electron kiosk mode: only where the whole PC faces the public (kiosk, hall TV). */
  kiosk: boolean;
  fullscreen: boolean;
  frame: boolean;
  alwaysOnTop: boolean;
  /** Page zoom so a page laid out for 1920×1080 fills a 4K or high-resolution screen. */
  zoomFactor: number;
  /** The layout asked for and the display disagree (a TV rotated by hand, not in the OS). */
  orientationMismatch: boolean;
  camera: string | null;
}

export interface PlanProblem {
  code: 'DUPLICATE_WINDOW' | 'SHARED_DISPLAY' | 'WAITING_FOR_DISPLAY';
  key: string;
  message: string;
}

export interface WindowPlan {
  windows: PlannedWindow[];
  problems: PlanProblem[];
}

const CITIZEN_FACING: Record<ShellRole, boolean> = {
  kiosk: true,
  evaluator: true,
  display: true,
  counter: false,
  admin: false,
};

// Kiosk mode only where the whole PC faces the public. On a window PC the evaluator is a
// full-screen, frameless window on the second output: kiosk mode there would be about the whole
// app (macOS presentation options; Windows/Linux: the app's focus rules), and the staff screen
// must stay an ordinary desktop.
const KIOSK_MODE: Record<ShellRole, boolean> = {
  kiosk: true,
  display: true,
  evaluator: false,
  counter: false,
  admin: false,
};

/** The size the role pages are laid out for. */
const DESIGN = { long: 1920, short: 1080 };

export function windowKey(entry: Pick<WindowEntry, 'role' | 'window'>): string {
  return entry.window === undefined ? entry.role : `${entry.role}:${entry.window}`;
}

/** Displays in the stable order the selectors count in. */
export function orderDisplays(displays: readonly DisplayInfo[]): DisplayInfo[] {
  return [...displays].sort(
    (a, b) =>
      Number(b.primary) - Number(a.primary) || a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y || a.id - b.id,
  );
}

/** The display an entry names, or null when it is not connected. */
export function resolveDisplay(selector: DisplaySelector, ordered: readonly DisplayInfo[]): DisplayInfo | null {
  if (typeof selector === 'number') return ordered[selector] ?? null;
  if (selector === 'primary') return ordered[0] ?? null;
  if (selector === 'secondary') return ordered[1] ?? null;
  const want = selector.trim().toLowerCase();
  return ordered.find((d) => d.label.trim().toLowerCase() === want) ?? null;
}

function zoomFor(role: ShellRole, bounds: Rect, layout: 'landscape' | 'portrait'): number {
  // The staff screen keeps the OS's own scaling: staff set it for their eyes.
  if (role === 'counter' || role === 'admin') return 1;
  const [w, h] = layout === 'portrait' ? [DESIGN.short, DESIGN.long] : [DESIGN.long, DESIGN.short];
  const ratio = Math.min(bounds.width / w, bounds.height / h);
  // Never shrink (the pages are responsive down to small pads); grow in quarter steps so text
  // stays crisp at 2× (4K at 100 % scaling).
  return Math.max(1, Math.floor(ratio * 4) / 4);
}

function planOne(entry: WindowEntry, placement: Placement | null, display: DisplayInfo | null): PlannedWindow {
  const role = entry.role;
  const landscape = display ? display.bounds.width >= display.bounds.height : true;
  const layout = entry.layout ?? (landscape ? 'landscape' : 'portrait');
  const citizenFacing = CITIZEN_FACING[role];
  return {
    key: windowKey(entry),
    role,
    windowNo: entry.window ?? null,
    placement,
    citizenFacing,
    kiosk: KIOSK_MODE[role],
    fullscreen: citizenFacing,
    frame: !citizenFacing,
    // The evaluator must stay above anything the staff drags onto the citizen's screen.
    alwaysOnTop: role === 'evaluator',
    zoomFactor: display ? zoomFor(role, display.bounds, layout) : 1,
    orientationMismatch: display !== null && entry.layout !== undefined && (layout === 'landscape') !== landscape,
    camera: cameraLabel(entry.camera),
  };
}

/** One window per entry on its display, or waiting for it; duplicates of a key are dropped and reported. */
export function planWindows(entries: readonly WindowEntry[], displays: readonly DisplayInfo[]): WindowPlan {
  const ordered = orderDisplays(displays);
  const problems: PlanProblem[] = [];
  const unique: WindowEntry[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const key = windowKey(e);
    if (seen.has(key)) {
      problems.push({ code: 'DUPLICATE_WINDOW', key, message: `终端配置中 ${key} 出现了两次，只打开第一个` });
      continue;
    }
    seen.add(key);
    unique.push(e);
  }

  // First every window whose display is there (configured placements win over fallbacks), then
  // the missing ones take free displays in order.
  const chosen = new Map<string, DisplayInfo>();
  const via = new Map<string, Placement['via']>();
  const used = new Map<number, string>();
  for (const e of unique) {
    const d = resolveDisplay(e.display, ordered);
    if (!d) continue;
    const key = windowKey(e);
    const other = used.get(d.id);
    if (other)
      problems.push({
        code: 'SHARED_DISPLAY',
        key,
        message: `${key} 与 ${other} 配置在同一显示器（${d.label || d.id}）上，后者会被遮住；请在终端配置中分开`,
      });
    chosen.set(key, d);
    via.set(key, 'configured');
    used.set(d.id, key);
  }
  for (const e of unique) {
    const key = windowKey(e);
    if (chosen.has(key)) continue;
    const free = ordered.find((d) => !used.has(d.id));
    if (free) {
      chosen.set(key, free);
      via.set(key, 'fallback');
      used.set(free.id, key);
    } else
      problems.push({
        code: 'WAITING_FOR_DISPLAY',
        key,
        message: `${key} 配置的显示器（${String(e.display)}）未连接，且没有空闲的显示器；接上后窗口自动出现`,
      });
  }

  const windows = unique.map((e) => {
    const key = windowKey(e);
    const d = chosen.get(key) ?? null;
    const placement = d ? { displayId: d.id, bounds: { ...d.bounds }, via: via.get(key) ?? 'configured' } : null;
    return planOne(e, placement, d);
  });
  return { windows, problems };
}

export type PlanChange =
  /** A window the old plan did not have (created hidden when it has no placement). */
  | { kind: 'open'; window: PlannedWindow }
  /** A window the new plan no longer has (its entry was removed from the config). */
  | { kind: 'close'; key: string }
  /** A placed window moves to other bounds or another display, or its flags change. */
  | { kind: 'move'; window: PlannedWindow }
  /** A waiting window's display is back (or a free one appeared): place and show it. */
  | { kind: 'show'; window: PlannedWindow }
  /** Its display went away and no free one is left: hide it, keep its page. */
  | { kind: 'hide'; key: string };

const sameRect = (a: Rect, b: Rect) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

function sameWindow(a: PlannedWindow, b: PlannedWindow): boolean {
  const pa = a.placement;
  const pb = b.placement;
  const placement =
    pa === null || pb === null ? pa === pb : pa.displayId === pb.displayId && sameRect(pa.bounds, pb.bounds);
  return (
    placement &&
    a.kiosk === b.kiosk &&
    a.fullscreen === b.fullscreen &&
    a.alwaysOnTop === b.alwaysOnTop &&
    a.zoomFactor === b.zoomFactor
  );
}

/**
 * What to do to the open windows to get from one plan to the next (a display plugged in or out,
 * its resolution changed, or the configuration pushed). Windows are matched by key, so a page
 * keeps its state while its window moves or waits. (The key holds the role, and the role alone
 * decides the frame and whether the window faces the public, so those never change in place.)
 */
export function diffPlans(before: WindowPlan, after: WindowPlan): PlanChange[] {
  const changes: PlanChange[] = [];
  const old = new Map(before.windows.map((w) => [w.key, w]));
  const next = new Set(after.windows.map((w) => w.key));
  for (const w of before.windows) if (!next.has(w.key)) changes.push({ kind: 'close', key: w.key });
  for (const w of after.windows) {
    const o = old.get(w.key);
    if (!o) {
      changes.push({ kind: 'open', window: w });
    } else if (o.placement && !w.placement) {
      changes.push({ kind: 'hide', key: w.key });
    } else if (!o.placement && w.placement) {
      changes.push({ kind: 'show', window: w });
    } else if (!sameWindow(o, w)) {
      changes.push({ kind: 'move', window: w });
    }
  }
  return changes;
}
