/**
 * An in-page device simulator (`?bridge=sim`): a card reader and a printer driven from the page,
 * for demos on a laptop and for browser tests before or without the device service. It exposes
 * `window.govhallSim` so a tester (or a Playwright script) can present a card or empty the printer.
 */
import {
  type CardData,
  type DeviceBridge,
  type DeviceStatusEntry,
  Listeners,
  printFailureText,
  type TicketPrint,
} from './bridge.js';

export type SimPrinterState = 'ok' | 'paper_out' | 'cover_open' | 'offline';

const SIM_DETAIL: Record<Exclude<SimPrinterState, 'ok'>, string> = {
  paper_out: '打印机缺纸',
  cover_open: '打印机盖未关好',
  offline: '打印机离线',
};

export interface GovhallSim {
  card(card: CardData): void;
  removeCard(): void;
  setPrinter(state: SimPrinterState): void;
  /** Tickets "printed" so far (newest last). */
  printed: TicketPrint[];
}

declare global {
  interface Window {
    govhallSim?: GovhallSim;
  }
}

export function simBridge(): DeviceBridge & { sim: GovhallSim } {
  const cards = new Listeners<CardData>();
  const removed = new Listeners<undefined>();
  const status = new Listeners<DeviceStatusEntry>();
  let printer: SimPrinterState = 'ok';
  const printerEntry = (): DeviceStatusEntry => ({
    deviceId: 'sim-printer',
    kind: 'printer',
    state: printer === 'ok' ? 'ok' : 'error',
    detail: printer === 'ok' ? null : SIM_DETAIL[printer],
  });
  const sim: GovhallSim = {
    printed: [],
    card: (c) => cards.emit(c),
    removeCard: () => removed.emit(undefined),
    setPrinter: (s) => {
      printer = s;
      status.emit(printerEntry());
    },
  };
  return {
    kind: 'sim',
    sim,
    onCard: (cb) => cards.add(cb),
    onCardRemoved: (cb) => removed.add(() => cb()),
    print: async (t) => {
      if (printer === 'ok') {
        sim.printed.push(t);
        return { ok: true };
      }
      const code = printer === 'paper_out' ? 'PAPER_OUT' : printer === 'cover_open' ? 'COVER_OPEN' : 'OFFLINE';
      return { ok: false, code, message: printFailureText(code) };
    },
    deviceStatus: async () => [{ deviceId: 'sim-idcard', kind: 'idcard', state: 'ok', detail: null }, printerEntry()],
    onDeviceStatus: (cb) => status.add(cb),
    close: () => {
      cards.clear();
      removed.clear();
      status.clear();
    },
  };
}
