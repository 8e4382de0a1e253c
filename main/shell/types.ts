/**
 * The device bridge as plain data: what a renderer may ask of the local devices and what it hears
 * back. Shared by the Electron preload (`window.govhall`), the browser form served by the hub, and
 * the renderer (`renderer/shared/bridge.ts`), so all three are checked against one definition.
 */

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
}

/** What the kiosk prints on a queue ticket; the device service lays it out. */
export interface TicketPrint {
  hallName: string;
  number: string;
  serviceName: string;
  ahead: number;
  estimatedWaitSeconds?: number;
  issuedAt: string;
  priority?: string | null;
  /** Masked applicant name, when there is one. */
  applicantName?: string | null;
  /** Text for the QR code (e.g. a link to follow the ticket). */
  qr?: string;
  footer?: string;
}

export type PrintFailureCode = 'PAPER_OUT' | 'COVER_OPEN' | 'OFFLINE' | 'NO_PRINTER' | 'TIMEOUT' | 'BUSY' | 'ERROR';

export type PrintResult =
  | { ok: true; warning?: 'PAPER_NEAR_END' }
  | { ok: false; code: PrintFailureCode; message: string };

export type DeviceState = 'ok' | 'warning' | 'error' | 'offline' | 'unknown';

export interface DeviceStatusEntry {
  deviceId: string;
  /** e.g. `idcard`, `printer`, `keypad`, `led`, `camera`. */
  kind: string;
  state: DeviceState;
  detail: string | null;
}

/** The object the preload exposes as `window.govhall` (every function returns an unsubscribe or a promise). */
export interface GovhallPreloadApi {
  readonly version: 1;
  onCard(cb: (card: CardData) => void): () => void;
  onCardRemoved(cb: () => void): () => void;
  print(ticket: TicketPrint): Promise<PrintResult>;
  deviceStatus(): Promise<DeviceStatusEntry[]>;
  onDeviceStatus(cb: (s: DeviceStatusEntry) => void): () => void;
  /** Hub URL and device token chosen by the shell's configuration, when the shell has them. */
  config(): Promise<{ hubUrl: string | null; token: string | null; role: string | null; windowNo: number | null }>;
}

/** IPC channel names between the preload and the shell's main process. */
export const BRIDGE_CHANNELS = {
  card: 'govhall:card',
  cardRemoved: 'govhall:card-removed',
  deviceStatus: 'govhall:device-status',
  print: 'govhall:print',
  getDeviceStatus: 'govhall:get-device-status',
  config: 'govhall:config',
} as const;
