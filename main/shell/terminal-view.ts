/**
 * What the shell shows for the terminal's state (main/terminal/terminal-agent.ts), as plain data:
 * the same terminal core runs under Electron as in browser mode, and this is the one place its
 * states become the shell's pairing pages, windows and hub health. Pure: tested without Electron.
 */
import { type RoleWindowConfig, terminalWindows } from '../../kiosk-config/devices-schema.js';
import type { TerminalConfigView, TerminalState } from '../terminal/terminal-types.js';
import type { PairingState } from './pairing-state.js';
import type { WindowEntry } from './window-plan.js';

/**
 * Before the hub has sent a configuration there is nothing to place: one full-screen window on
 * the primary display shows the pairing code (or the waiting page) until it has.
 */
export const FIRST_WINDOWS: readonly WindowEntry[] = [{ role: 'display', display: 'primary' }];

/** The default when the hub has not said (the hall config's default zone). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The shell's pairing state for a terminal state: the code while pairing, paired otherwise. */
export function shellPairing(state: TerminalState): PairingState {
  if (state.kind === 'pairing') {
    const expiresAt = state.expiresAt ? Date.parse(state.expiresAt) : Number.NaN;
    if (state.code && Number.isFinite(expiresAt))
      return { status: 'pairing', pairingId: 'terminal', code: state.code, expiresAt };
    return {
      status: 'unpaired',
      retryAt: null,
      error: state.problem ? { code: 'PAIRING_PROBLEM', message: state.problem } : null,
    };
  }
  if (state.kind === 'starting') return { status: 'unpaired', retryAt: null, error: null };
  return { status: 'paired' };
}

/** The hall config's role windows as the window plan takes them. */
export function windowEntries(windows: readonly RoleWindowConfig[]): WindowEntry[] {
  return windows.map((w) => ({
    role: w.role,
    display: w.display,
    ...(w.window !== undefined ? { window: w.window } : {}),
    ...(w.layout ? { layout: w.layout } : {}),
    ...(w.camera ? { camera: w.camera } : {}),
  }));
}

/** The windows for a state: the configuration's while running, otherwise null (keep what is open). */
export function shellWindows(state: TerminalState): WindowEntry[] | null {
  if (state.kind !== 'running') return null;
  const entries = windowEntries(terminalWindows(state.config.entry));
  return entries.length ? entries : [...FIRST_WINDOWS];
}

/** Whether the role pages can work: paired, configured, and the hub reachable. */
export function hubUsable(state: TerminalState): boolean {
  if (state.kind === 'running') return state.hubReachable;
  return state.kind !== 'waiting';
}

/** The settings the shell takes from the terminal's entry (defaults before the first configuration). */
export function shellSettings(config: TerminalConfigView | null): {
  timeZone: string;
  technicianUnlock: 'admin-pin' | 'none';
} {
  return {
    timeZone: config?.hall.timeZone ?? DEFAULT_TIME_ZONE,
    technicianUnlock: config?.entry.lockdown?.technicianUnlock ?? 'none',
  };
}
