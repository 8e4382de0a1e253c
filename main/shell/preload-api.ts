/**
 * The logic of the preload, without Electron: builds the `window.govhall` object from anything
 * that looks like ipcRenderer. Kept apart from `preload.ts` so it can be tested with a fake IPC.
 * Only plain data crosses the bridge; every subscription returns its own unsubscribe, so a page
 * can never remove another page's listener or reach ipcRenderer itself.
 */
import {
  BRIDGE_CHANNELS,
  type CardData,
  type DeviceStatusEntry,
  type GovhallPreloadApi,
  type PageInventory,
  type PrintResult,
  type TicketPrint,
} from './types.js';

export interface IpcLike {
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
}

function subscribe<T>(ipc: IpcLike, channel: string, cb: (v: T) => void): () => void {
  const listener = (_e: unknown, v: unknown) => cb(v as T);
  ipc.on(channel, listener);
  return () => {
    ipc.removeListener(channel, listener);
  };
}

/** Copies a ticket to plain data so nothing but JSON crosses into the main process. */
function plainTicket(t: TicketPrint): TicketPrint {
  return JSON.parse(JSON.stringify(t)) as TicketPrint;
}

export function createGovhallApi(ipc: IpcLike): GovhallPreloadApi {
  return Object.freeze({
    version: 1 as const,
    onCard: (cb: (card: CardData) => void) => subscribe<CardData>(ipc, BRIDGE_CHANNELS.card, cb),
    onCardRemoved: (cb: () => void) => subscribe<void>(ipc, BRIDGE_CHANNELS.cardRemoved, () => cb()),
    print: async (t: TicketPrint): Promise<PrintResult> => {
      try {
        return (await ipc.invoke(BRIDGE_CHANNELS.print, plainTicket(t))) as PrintResult;
      } catch {
        return { ok: false, code: 'ERROR', message: '打印失败，未能打印号票' };
      }
    },
    deviceStatus: async (): Promise<DeviceStatusEntry[]> => {
      try {
        return (await ipc.invoke(BRIDGE_CHANNELS.getDeviceStatus)) as DeviceStatusEntry[];
      } catch {
        return [];
      }
    },
    onDeviceStatus: (cb: (s: DeviceStatusEntry) => void) =>
      subscribe<DeviceStatusEntry>(ipc, BRIDGE_CHANNELS.deviceStatus, cb),
    reportInventory: (inventory: PageInventory) => {
      // Fire and forget: a shell that cannot take it loses nothing the page needs.
      void (async () => ipc.invoke(BRIDGE_CHANNELS.inventory, JSON.parse(JSON.stringify(inventory))))().catch(
        () => undefined,
      );
    },
    printPdf: async (pdf: Uint8Array, title: string): Promise<PrintResult> => {
      try {
        // Bytes and a title only: a copy crosses into the main process, nothing of the page.
        return (await ipc.invoke(BRIDGE_CHANNELS.printPdf, new Uint8Array(pdf), String(title))) as PrintResult;
      } catch {
        return { ok: false, code: 'ERROR', message: '打印失败：请下载文书后打印' };
      }
    },
    config: async () => {
      try {
        return (await ipc.invoke(BRIDGE_CHANNELS.config)) as Awaited<ReturnType<GovhallPreloadApi['config']>>;
      } catch {
        return { hubUrl: null, token: null, role: null, windowNo: null };
      }
    },
  });
}
