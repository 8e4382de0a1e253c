/**
 * The device service's plain data: health of a device, a card read, a print request and its result,
 * a key pressed. The card, ticket and print result shapes are also the renderer's bridge contract:
 * `main/shell/types.ts` re-exports them from here (inner areas may not import `main/shell`, the
 * shell may import inner areas), so the two cannot drift apart.
 */

import type { DeviceState } from '../../common/device-kinds.js';
import type { TicketPrint } from '../../common/ticket-print.js';

export type { DeviceState };

export interface DeviceStatus {
  deviceId: string;
  /** `idcard`, `printer`, `keypad`, `evalkeypad`, `ledstrip`. */
  kind: string;
  terminal: string;
  state: DeviceState;
  /** Short Chinese text, e.g. 打印机缺纸; null when all is well. */
  detail: string | null;
  /** Epoch ms of the last change. */
  since: number;
}

/** One identity card as read from the card reader (never the photo: it is not kept). */
export interface CardData {
  name: string;
  /** GB/T 2261.1 text: 男 / 女 / 未知. */
  gender: string;
  nation?: string;
  /** YYYY-MM-DD. */
  birthDate: string | null;
  address?: string;
  certNo: string;
  certType: 'resident' | 'hk_mo_tw' | 'foreign_2017' | 'foreign_2023' | 'other';
  authority?: string;
  validFrom?: string;
  validTo?: string;
  /**
   * Set by the hub's device bridge only: the id of this read, which a kiosk sends to look the
   * holder's cases up (`POST /cases/lookup { cardRead }`) — proof the number came from a card.
   */
  readId?: string;
}

export type { TicketPrint };

export type PrintFailureCode = 'PAPER_OUT' | 'COVER_OPEN' | 'OFFLINE' | 'NO_PRINTER' | 'TIMEOUT' | 'BUSY' | 'ERROR';

export type PrintResult = (
  | { ok: true; warning?: 'PAPER_NEAR_END' }
  | { ok: false; code: PrintFailureCode; message: string }
) & {
  /** The QR content the hub put (or would have put) on the ticket, so a screen can show the same code. */
  qr?: string;
};

export type { LevelName as RatingLevel, WindowKeyAction } from '../../common/device-kinds.js';

import type { LevelName as RatingLevel, WindowKeyAction } from '../../common/device-kinds.js';

export interface KeyActionEvent {
  deviceId: string;
  terminal: string;
  windowNo: number;
  action: WindowKeyAction;
  /** The raw key: RS-485 code as two hex digits or a HID key name. */
  key: string;
}

export interface RatingKeyEvent {
  deviceId: string;
  terminal: string;
  windowNo: number;
  level: RatingLevel;
  key: string;
}

export interface CardEvent {
  terminal: string;
  deviceId: string;
  card: CardData;
}

export interface DeviceServiceEvents {
  status: DeviceStatus;
  card: CardEvent;
  'card.removed': { terminal: string; deviceId: string };
  key: KeyActionEvent;
  rating: RatingKeyEvent;
}
