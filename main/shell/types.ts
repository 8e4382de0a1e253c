/**
 * The device bridge as plain data: what a renderer may ask of the local devices and what it hears
 * back. Shared by the Electron preload (`window.govhall`), the browser form served by the hub, and
 * the renderer (`renderer/shared/bridge.ts`), so all three are checked against one definition.
 */

// One definition for the device service and the bridge (the shell may import inner areas).
export type {
  CardData,
  DeviceState,
  PrintFailureCode,
  PrintResult,
  TicketPrint,
} from '../devices/types.js';

import type { CardData, DeviceState, PrintResult, TicketPrint } from '../devices/types.js';

export interface DeviceStatusEntry {
  deviceId: string;
  /** e.g. `idcard`, `printer`, `keypad`, `led`, `camera`. */
  kind: string;
  state: DeviceState;
  detail: string | null;
}

/**
 * What a page of a terminal can see that the terminal process cannot: its cameras (by the labels
 * `navigator.mediaDevices.enumerateDevices` gives) and, in browser mode, its displays (the Window
 * Management API or `screen`). Reported to the terminal, which adds it to its inventory for the
 * admin's editor (`PUT /terminals/me/inventory`).
 */
export interface PageInventory {
  cameras: { label: string; deviceId?: string }[];
  displays: { id: string | number; label?: string; primary?: boolean; width?: number; height?: number }[];
}

/** The object the preload exposes as `window.govhall` (every function returns an unsubscribe or a promise). */
export interface GovhallPreloadApi {
  readonly version: 1;
  onCard(cb: (card: CardData) => void): () => void;
  onCardRemoved(cb: () => void): () => void;
  print(ticket: TicketPrint): Promise<PrintResult>;
  deviceStatus(): Promise<DeviceStatusEntry[]>;
  onDeviceStatus(cb: (s: DeviceStatusEntry) => void): () => void;
  /**
   * The window's role and service window. Under the Electron shell `hubUrl` and `token` are always
   * null: pages call their own origin, and the terminal adds its credentials when it forwards.
   */
  config(): Promise<{ hubUrl: string | null; token: string | null; role: string | null; windowNo: number | null }>;
  /** Tells the terminal what this page sees (cameras, displays). Absent in older shells. */
  reportInventory?(inventory: PageInventory): void;
  /**
   * Prints one of the hub's PDF documents (受理回执, 告知书) on the terminal's printer through
   * Electron's print API (docs/documents.md). Optional: absent in a browser and in older shells,
   * where the page uses the browser's print dialog.
   */
  printPdf?(pdf: Uint8Array, title: string): Promise<PrintResult>;
}

/** IPC channel names between the preload and the shell's main process. */
export const BRIDGE_CHANNELS = {
  card: 'govhall:card',
  cardRemoved: 'govhall:card-removed',
  deviceStatus: 'govhall:device-status',
  print: 'govhall:print',
  getDeviceStatus: 'govhall:get-device-status',
  config: 'govhall:config',
  inventory: 'govhall:inventory',
  printPdf: 'govhall:print-pdf',
} as const;
