/**
 * The terminal's plain data: its configuration as the hub sends it (`GET /terminals/me/config`,
 * the `terminal.config` push) and the states it shows. Types only, shared by its modules.
 */
import type { z } from 'zod';
import type { terminalConfigAnswer } from '../../common/api/responses.js';
import type { TerminalConfig } from '../../kiosk-config/devices-schema.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';

export type TerminalConfigView = Omit<z.output<typeof terminalConfigAnswer>, 'entry' | 'ticketText'> & {
  entry: TerminalConfig;
  ticketText: HallConfig['ticketText'];
};

/** What the terminal is doing, shown on its local pages and followed by its windows. */
export type TerminalState =
  /** Starting: nothing known yet. */
  | { kind: 'starting' }
  /** Not paired: showing a code for the admin (null until the hub answered). */
  | { kind: 'pairing'; code: string | null; expiresAt: string | null; problem: string | null }
  /** Paired, with a configuration; `hubReachable` false: running on the cached one, pages told so. */
  | { kind: 'running'; config: TerminalConfigView; hubReachable: boolean }
  /** Paired, but the hub has never sent a configuration and cannot be reached (or has no entry). */
  | { kind: 'waiting'; problem: string };
