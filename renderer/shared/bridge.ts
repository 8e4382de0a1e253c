/**
 * The one typed way a screen reaches local devices (card reader, ticket printer, pads). Three forms
 * implement it: `bridge-electron.ts` (the preload's `window.govhall`), `bridge-browser.ts` (the
 * hub's device bridge endpoint, for a plain browser) and `bridge-sim.ts` (an in-page simulator for
 * demos and tests, `?bridge=sim`). Screens only ever see `DeviceBridge`.
 */
import type {
  CardData,
  DeviceStatusEntry,
  PageInventory,
  PrintFailureCode,
  PrintResult,
  TicketPrint,
} from '../../main/shell/types.js';

export type {
  CardData,
  DeviceStatusEntry,
  GovhallPreloadApi,
  PageInventory,
  PrintFailureCode,
  PrintResult,
  TicketPrint,
} from '../../main/shell/types.js';

export type Unsubscribe = () => void;

export interface DeviceBridge {
  readonly kind: 'electron' | 'browser' | 'sim' | 'none';
  onCard(cb: (card: CardData) => void): Unsubscribe;
  onCardRemoved(cb: () => void): Unsubscribe;
  print(ticket: TicketPrint): Promise<PrintResult>;
  deviceStatus(): Promise<DeviceStatusEntry[]>;
  onDeviceStatus(cb: (s: DeviceStatusEntry) => void): Unsubscribe;
  /** Tells the terminal serving this page what the page sees (only a terminal's own bridge takes it). */
  reportInventory?(inventory: PageInventory): void;
  close(): void;
}

/** Chinese text for a failed print, said plainly to a citizen. */
export function printFailureText(code: PrintFailureCode): string {
  switch (code) {
    case 'PAPER_OUT':
      return '打印机缺纸，未能打印号票';
    case 'COVER_OPEN':
      return '打印机盖未关好，未能打印号票';
    case 'OFFLINE':
    case 'NO_PRINTER':
      return '打印机暂时不可用，未能打印号票';
    case 'TIMEOUT':
      return '打印机没有响应，未能打印号票';
    case 'BUSY':
      return '打印机忙，未能打印号票';
    default:
      return '打印失败，未能打印号票';
  }
}

/** A small listener set used by every bridge form. */
export class Listeners<T> {
  private set = new Set<(v: T) => void>();
  add(cb: (v: T) => void): Unsubscribe {
    this.set.add(cb);
    return () => this.set.delete(cb);
  }
  emit(v: T): void {
    for (const cb of this.set) {
      try {
        cb(v);
      } catch (e) {
        console.error('设备事件处理失败', e);
      }
    }
  }
  clear(): void {
    this.set.clear();
  }
}

/** The bridge of a screen without local devices (display, admin in a browser). */
export function noDeviceBridge(): DeviceBridge {
  return {
    kind: 'none',
    onCard: () => () => {},
    onCardRemoved: () => () => {},
    print: async () => ({ ok: false, code: 'NO_PRINTER', message: printFailureText('NO_PRINTER') }),
    deviceStatus: async () => [],
    onDeviceStatus: () => () => {},
    close: () => {},
  };
}
