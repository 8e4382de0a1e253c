/**
 * HID devices as ByteLinks: each input report arrives as one chunk (report id first when the device
 * numbers its reports); `write` sends one output report. The OS side sits behind `HidBackend`, so
 * tests replay recorded reports through the same interface (there is no /dev/uhid in CI). The real
 * backend is node-hid on Linux hidraw, loaded lazily: a machine without the native module or without
 * access to /dev/hidraw* gets a `TransportError` in Chinese, not a crash.
 */
import type { ByteLink } from './byte-link.js';
import { LinkListeners } from './link-listeners.js';
import { TransportError, toTransportError, transportError } from './transport-error.js';

export interface HidDeviceInfo {
  /** OS path (`/dev/hidraw3` on Linux); what `open` takes. */
  path: string;
  vendorId: number;
  productId: number;
  product?: string;
  manufacturer?: string;
  serialNumber?: string;
  usagePage?: number;
  usage?: number;
  interface?: number;
}

/** One opened HID device, the minimum a link needs. */
export interface HidDevice {
  onReport(listener: (report: Uint8Array) => void): () => void;
  /** Called once when the device fails or disappears. */
  onError(listener: (err: Error) => void): () => void;
  /** Sends one output report; first byte is the report id (0 when the device has none). */
  write(report: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface HidBackend {
  list(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidDevice>;
}

export const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** How we name a HID device in messages: `HID 1a86:e026 (/dev/hidraw3)`. */
export const hidName = (d: { vendorId: number; productId: number; path?: string }) =>
  d.vendorId === 0 && d.productId === 0 && d.path
    ? `HID ${d.path}`
    : `HID ${hex4(d.vendorId)}:${hex4(d.productId)}${d.path ? ` (${d.path})` : ''}`;

const HIDRAW_HELP =
  '请为该设备添加 udev 规则（例如 /etc/udev/rules.d/70-govhall-hid.rules：KERNEL=="hidraw*", ATTRS{idVendor}=="VVVV", MODE="0660", GROUP="plugdev"），把用户加入 plugdev 组：sudo usermod -aG plugdev $USER，然后重新插拔设备并重新登录';

function hidError(err: unknown, port: string): TransportError {
  const e = toTransportError(err, port);
  if (e.code === 'PORT_FORBIDDEN')
    return new TransportError('PORT_FORBIDDEN', port, `没有权限打开 ${port}：${HIDRAW_HELP}`);
  // hidapi says only "could not open device" for both a missing device and a denied hidraw node.
  if (e.code === 'PORT_NOT_FOUND' || /could not open|cannot open/i.test(String((err as Error)?.message))) {
    return new TransportError(
      'PORT_NOT_FOUND',
      port,
      `无法打开 ${port}：设备不存在或没有 hidraw 访问权限。请确认设备已接上（govhall devices 列出 HID 设备）；若已接上，${HIDRAW_HELP}`,
    );
  }
  return e;
}

interface NodeHidModule {
  devicesAsync(): Promise<
    {
      vendorId: number;
      productId: number;
      path?: string;
      serialNumber?: string;
      manufacturer?: string;
      product?: string;
      interface: number;
      usagePage?: number;
      usage?: number;
    }[]
  >;
  setDriverType?(type: 'hidraw' | 'libusb'): void;
  HIDAsync: {
    open(path: string): Promise<{
      on(event: 'data', l: (b: Buffer) => void): void;
      on(event: 'error', l: (e: Error) => void): void;
      removeListener(event: string, l: (...a: never[]) => void): void;
      write(values: number[] | Buffer): Promise<number>;
      close(): Promise<void>;
    }>;
  };
}

let nodeHid: Promise<NodeHidModule> | null = null;

/** The node-hid backend (hidraw on Linux). Rejects with `BACKEND_UNAVAILABLE` when node-hid cannot load. */
export async function loadNodeHidBackend(): Promise<HidBackend> {
  nodeHid ??= (async () => {
    try {
      const m = (await import('node-hid')) as unknown as NodeHidModule & { default?: NodeHidModule };
      const mod = typeof m.devicesAsync === 'function' ? m : (m.default as NodeHidModule);
      if (process.platform === 'linux') mod.setDriverType?.('hidraw');
      return mod;
    } catch (err) {
      nodeHid = null;
      throw transportError(
        'BACKEND_UNAVAILABLE',
        'HID',
        `HID 驱动（node-hid）无法加载：${String((err as Error)?.message ?? err).split('\n')[0]}。请在本机重新安装依赖（npm rebuild node-hid），Linux 需要 libudev`,
      );
    }
  })();
  const hid = await nodeHid;
  return {
    async list() {
      try {
        return (await hid.devicesAsync())
          .filter((d) => d.path)
          .map((d) => ({
            path: d.path as string,
            vendorId: d.vendorId,
            productId: d.productId,
            product: d.product,
            manufacturer: d.manufacturer,
            serialNumber: d.serialNumber,
            usagePage: d.usagePage,
            usage: d.usage,
            interface: d.interface,
          }));
      } catch (err) {
        throw hidError(err, 'HID');
      }
    },
    async open(path) {
      let dev: Awaited<ReturnType<NodeHidModule['HIDAsync']['open']>>;
      try {
        dev = await hid.HIDAsync.open(path);
      } catch (err) {
        throw hidError(err, path);
      }
      return {
        onReport(listener) {
          const l = (b: Buffer) => listener(Uint8Array.from(b));
          dev.on('data', l);
          return () => dev.removeListener('data', l);
        },
        onError(listener) {
          dev.on('error', listener);
          return () => dev.removeListener('error', listener);
        },
        async write(report) {
          await dev.write(Buffer.from(report));
        },
        close: () => dev.close(),
      };
    },
  };
}

export interface HidLinkOptions {
  /** Open this path, or … */
  path?: string;
  /** … the first device with this vendor/product id (and usage page, when given). */
  vendorId?: number;
  productId?: number;
  usagePage?: number;
  /** Default: node-hid. Tests pass a recorded backend. */
  backend?: HidBackend;
}

export interface HidLink extends ByteLink {
  readonly info: HidDeviceInfo;
  onClose(listener: (reason: TransportError | null) => void): () => void;
}

/** Finds and opens a HID device as a ByteLink. */
export async function openHidLink(opts: HidLinkOptions): Promise<HidLink> {
  const backend = opts.backend ?? (await loadNodeHidBackend());
  const wanted = opts.path ?? hidName({ vendorId: opts.vendorId ?? 0, productId: opts.productId ?? 0 });
  const devices = await backend.list();
  const info = opts.path
    ? (devices.find((d) => d.path === opts.path) ?? { path: opts.path, vendorId: 0, productId: 0 })
    : devices.find(
        (d) =>
          d.vendorId === opts.vendorId &&
          d.productId === opts.productId &&
          (opts.usagePage === undefined || d.usagePage === opts.usagePage),
      );
  if (!info) throw hidError(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }), wanted);
  const name = hidName(info);
  const dev = await backend.open(info.path).catch((err: unknown) => {
    throw hidError(err, name);
  });
  // Data goes straight from the device (one report per chunk); only closing needs the bookkeeping.
  const events = new LinkListeners();
  const finish = (reason: TransportError | null) => {
    if (events.finish(reason)) stopError();
  };
  const stopError = dev.onError(() => {
    finish(transportError('PORT_CLOSED', name));
    dev.close().catch(() => undefined);
  });
  return {
    info,
    write: async (data) => {
      if (events.closed) throw transportError('PORT_CLOSED', name);
      try {
        await dev.write(data);
      } catch (err) {
        const e = hidError(err, name);
        finish(e);
        throw e;
      }
    },
    onData: (listener) => dev.onReport(listener),
    onClose: events.onClose,
    close: async () => {
      if (events.closed) return;
      finish(null);
      await dev.close().catch(() => undefined);
    },
  };
}

/**
 * A backend that replays recorded input reports (for tests and simulators): each device gets the
 * reports `play(path, reports)` hands it; `unplug(path)` fails the open device like a pulled cable.
 * Written output reports are kept in `written`.
 */
export function createRecordedHidBackend(devices: HidDeviceInfo[]) {
  const open = new Map<string, { report: Set<(r: Uint8Array) => void>; error: Set<(e: Error) => void> }>();
  const present = new Set(devices.map((d) => d.path));
  const written: { path: string; report: Uint8Array }[] = [];
  const backend: HidBackend & {
    written: typeof written;
    play(path: string, reports: Uint8Array[]): void;
    unplug(path: string): void;
    replug(path: string): void;
    deny: Set<string>;
  } = {
    written,
    deny: new Set(),
    async list() {
      return devices.filter((d) => present.has(d.path));
    },
    async open(path) {
      if (backend.deny.has(path)) throw Object.assign(new Error('Permission denied'), { code: 'EACCES' });
      if (!present.has(path)) throw new Error(`could not open device ${path}`);
      const h = { report: new Set<(r: Uint8Array) => void>(), error: new Set<(e: Error) => void>() };
      open.set(path, h);
      return {
        onReport: (l) => {
          h.report.add(l);
          return () => h.report.delete(l);
        },
        onError: (l) => {
          h.error.add(l);
          return () => h.error.delete(l);
        },
        write: async (report) => {
          if (!present.has(path)) throw new Error('EIO: i/o error, write');
          written.push({ path, report: Uint8Array.from(report) });
        },
        close: async () => {
          if (open.get(path) === h) open.delete(path);
        },
      };
    },
    play(path, reports) {
      const h = open.get(path);
      if (!h) return;
      for (const r of reports) for (const l of h.report) l(Uint8Array.from(r));
    },
    unplug(path) {
      present.delete(path);
      const h = open.get(path);
      if (h) for (const l of h.error) l(new Error('could not read from HID device'));
    },
    replug(path) {
      present.add(path);
    },
  };
  return backend;
}
