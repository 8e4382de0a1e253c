/**
 * The device service's plain data: health of a device, a card read, a print request and its result,
 * a key pressed. Shapes match `main/shell/types.ts` (the renderer's bridge contract) field for field;
 * they are repeated here because inner areas may not import `main/shell`.
 */

export type DeviceState = 'ok' | 'warning' | 'error' | 'offline' | 'unknown';

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

export interface CardData {
  name: string;
  gender: string;
  nation?: string;
  birthDate: string | null;
  address?: string;
  certNo: string;
  certType: 'resident' | 'hk_mo_tw' | 'foreign_2017' | 'foreign_2023' | 'other';
  authority?: string;
  validFrom?: string;
  validTo?: string;
}

export interface TicketPrint {
  hallName: string;
  number: string;
  serviceName: string;
  ahead: number;
  estimatedWaitSeconds?: number;
  issuedAt: string;
  priority?: string | null;
  applicantName?: string | null;
  qr?: string;
  footer?: string;
}

export type PrintFailureCode = 'PAPER_OUT' | 'COVER_OPEN' | 'OFFLINE' | 'NO_PRINTER' | 'TIMEOUT' | 'BUSY' | 'ERROR';

export type PrintResult =
  | { ok: true; warning?: 'PAPER_NEAR_END' }
  | { ok: false; code: PrintFailureCode; message: string };

export type WindowKeyAction =
  | 'call-next'
  | 'recall'
  | 'skip'
  | 'start'
  | 'pause'
  | 'resume'
  | 'transfer'
  | 'query'
  | 'login';

export type RatingLevel = 'very_satisfied' | 'satisfied' | 'basically_satisfied' | 'dissatisfied' | 'very_dissatisfied';

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
