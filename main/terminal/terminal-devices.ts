/**
 * The devices plugged into this terminal PC: a device service for its hall config entry, started
 * again when the entry's devices change (a printer's width, a port), its health reported to the
 * hub with the terminal's token, and its card reads and states passed to the local device bridge.
 * Nothing a device does stops the terminal (the device service guards every driver).
 */

import { type HidBackend, loadNodeHidBackend } from '../../drivers/transport/hid-link.js';
import { listSerialPorts } from '../../drivers/transport/serial-link.js';
import type { TerminalConfig } from '../../kiosk-config/devices-schema.js';
import type { LinkOpener } from '../devices/device-link.js';
import { DeviceService } from '../devices/device-service.js';
import { reportToHub } from '../devices/hub-reporter.js';
import type { DeviceServiceEvents, DeviceStatus } from '../devices/types.js';
import type { Inventory } from './hub-api.js';

type Listener<K extends keyof DeviceServiceEvents> = (e: DeviceServiceEvents[K]) => void;

export interface TerminalDevicesOptions {
  hubUrl: string;
  openLink: LinkOpener;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export class TerminalDevices {
  private current: DeviceService | null = null;
  private key: string | null = null;
  private offs: (() => void)[] = [];
  private readonly listeners = {
    status: new Set<Listener<'status'>>(),
    card: new Set<Listener<'card'>>(),
    'card.removed': new Set<Listener<'card.removed'>>(),
  };
  /** Applies run one after another: a config push during a restart waits for it. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly o: TerminalDevicesOptions) {}

  get service(): DeviceService | null {
    return this.current;
  }

  statuses(): DeviceStatus[] {
    return this.current?.statuses() ?? [];
  }

  on<K extends keyof TerminalDevices['listeners']>(type: K, cb: Listener<K>): () => void {
    const set = this.listeners[type] as Set<Listener<K>>;
    set.add(cb);
    return () => set.delete(cb);
  }

  /** Runs the devices of `entry` (none when null) and reports them with `token`. */
  apply(entry: TerminalConfig | null, token: string | null): Promise<void> {
    const key = entry ? JSON.stringify({ id: entry.id, devices: entry.devices, token }) : null;
    this.queue = this.queue.then(async () => {
      if (key === this.key) return;
      await this.stopCurrent();
      this.key = key;
      if (!entry || !token) return;
      const service = new DeviceService({
        devices: { terminals: [entry] },
        openLink: this.o.openLink,
        ...(this.o.log ? { log: this.o.log } : {}),
      });
      this.offs = [
        service.on('status', (e) => this.emit('status', e)),
        service.on('card', (e) => this.emit('card', e)),
        service.on('card.removed', (e) => this.emit('card.removed', e)),
      ];
      this.current = service;
      await service.start();
      this.offs.push(
        reportToHub(service, {
          hubUrl: this.o.hubUrl,
          token,
          ...(this.o.log ? { log: (level, msg, fields) => this.o.log?.(level, msg, fields) } : {}),
        }),
      );
      for (const s of service.statuses()) this.emit('status', s);
    });
    return this.queue;
  }

  stop(): Promise<void> {
    this.queue = this.queue.then(() => this.stopCurrent());
    return this.queue;
  }

  private async stopCurrent(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    const s = this.current;
    this.current = null;
    this.key = null;
    await s?.stop();
  }

  private emit<K extends keyof TerminalDevices['listeners']>(type: K, e: DeviceServiceEvents[K]): void {
    for (const l of [...(this.listeners[type] as Set<Listener<K>>)]) {
      try {
        l(e);
      } catch (err) {
        this.o.log?.('error', '设备事件处理失败', { type, error: (err as Error).message });
      }
    }
  }
}

/** What this PC can see, for the admin's editor: serial ports and HID devices (cameras and displays come from the browser). */
export async function localInventory(hid?: HidBackend): Promise<Inventory> {
  const serialPorts = (await listSerialPorts()).map((p) => ({
    path: p.path,
    ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
    ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
    ...(p.vendorId ? { vendorId: p.vendorId } : {}),
    ...(p.productId ? { productId: p.productId } : {}),
  }));
  let hidList: Inventory['hid'] = [];
  try {
    const backend = hid ?? (await loadNodeHidBackend());
    hidList = (await backend.list()).slice(0, 128).map((d) => ({
      vendorId: d.vendorId,
      productId: d.productId,
      ...(d.path ? { path: d.path } : {}),
      ...(d.product ? { product: d.product } : {}),
      ...(d.manufacturer ? { manufacturer: d.manufacturer } : {}),
    }));
  } catch {
    // No HID backend on this PC: nothing to list.
  }
  return { serialPorts: serialPorts.slice(0, 64), hid: hidList, cameras: [], displays: [] };
}
