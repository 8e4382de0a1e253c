/**
 * The device service: opens every device the hall config gives this process, keeps their health,
 * and turns what they do into events — a card read, a key pressed on a window caller, a rating on
 * an evaluation keypad. It never acts on the queue itself (the hub composition routes the events),
 * and nothing a device does can take it down: every driver call, listener and timer is guarded, a
 * device that fails is reported `error`/`offline` and the others carry on.
 */

import { HidKeypad } from '../../drivers/keypad/hid-keypad.js';
import {
  codesOf,
  DEFAULT_CALLER_MAP,
  DEFAULT_HID_CALLER_MAP,
  DEFAULT_HID_LEVEL_MAP,
  DEFAULT_LEVEL_MAP,
  type KeyMap,
  normaliseKey,
} from '../../drivers/keypad/key-map.js';
import { KeypadPoller } from '../../drivers/keypad/keypad-poller.js';
import { KeypadSimulator } from '../../drivers/keypad/keypad-simulator.js';
import { hexByte } from '../../drivers/keypad/rs485-keypad.js';
import { Led69Controller, type LedStripController } from '../../drivers/ledstrip/led-controller.js';
import { LedStripSimulator } from '../../drivers/ledstrip/led-simulator.js';
import type { ByteLink } from '../../drivers/transport/byte-link.js';
import type { DeviceConfig, DevicesConfig, TerminalConfig } from '../../kiosk-config/devices-schema.js';
import { type DeviceLink, type LinkOpener, type SimulatedPair, simulatedPair } from './device-link.js';
import type {
  CardData,
  DeviceServiceEvents,
  DeviceState,
  DeviceStatus,
  PrintResult,
  RatingLevel,
  TicketPrint,
  WindowKeyAction,
} from './types.js';

export interface DriverSink {
  status(state: DeviceState, detail: string | null): void;
  card(card: CardData): void;
  cardRemoved(): void;
}

export interface DriverHandle {
  stop(): Promise<void>;
  print?(ticket: TicketPrint): Promise<PrintResult>;
  /** Asks the device now (a status request, one reader poll) so its status is fresh; may throw. */
  refresh?(): Promise<void>;
  /** What the driver knows beyond the state, for the admin's test actions; never personal data. */
  probe?(): DriverProbe;
}

export interface DriverProbe {
  /** ID card reader: the SAM module's id once read (identifies the reader, not a person). */
  samId?: string | null;
  /** ID card reader: a card lies in the field and was read. */
  cardPresent?: boolean;
  /** ID card reader: the type of that card (never its contents). */
  cardType?: CardData['certType'] | null;
}

/** A device as the admin's test actions see it (`DeviceService.check`). */
export interface DeviceCheck {
  status: DeviceStatus;
  /** The port or simulated link is there. */
  linkUp: boolean;
  probe: DriverProbe;
  /** Keypads: the poller's last verdict for this address (null: not polled yet); since = epoch ms. */
  poll: { online: boolean | null; detail: string | null; since: number | null } | null;
}

/** Drivers of the families that live in other modules (ID card loop, ticket printer). */
export interface ExternalDrivers {
  idcard?(link: DeviceLink, device: DeviceConfig, sink: DriverSink): DriverHandle | Promise<DriverHandle>;
  printer?(link: DeviceLink, device: DeviceConfig, sink: DriverSink): DriverHandle | Promise<DriverHandle>;
  /** The simulator put on the far end of a simulated link; returns what tests and `start` drive. */
  idcardSimulator?(link: ByteLink, device: DeviceConfig): unknown;
  printerSimulator?(link: ByteLink, device: DeviceConfig): unknown;
}

export interface DeviceServiceOptions {
  devices: DevicesConfig | undefined;
  /** Only these terminals (a remote terminal runs its own devices); default every terminal. */
  terminals?: string[];
  /** Opens serial / tcp / hid / lp transports. Without it those devices are reported `error`. */
  openLink?: LinkOpener;
  /** Run every device on an in-process simulator, whatever its configured transport. */
  simulateAll?: boolean;
  drivers?: ExternalDrivers;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  now?: () => number;
  /** Keypad bus timing (tests shorten it). */
  keypadTiming?: { replyTimeoutMs?: number; cycleMs?: number; offlineAfter?: number };
}

interface Entry {
  terminal: TerminalConfig;
  device: DeviceConfig;
  windowNo: number | null;
  status: DeviceStatus;
  /** A link was opened for it (before that its state is the driver's alone). */
  opened: boolean;
  linkUp: boolean;
  linkDetail: string | null;
  driverState: DeviceState;
  driverDetail: string | null;
  handle: DriverHandle | null;
  led: LedStripController | null;
  keys: KeyMap<string>;
  /** Keypads: the last poll health of this address. */
  poll: { online: boolean | null; detail: string | null; since: number | null } | null;
}

export interface SimulatedDevice {
  kind: DeviceConfig['kind'];
  pair: SimulatedPair;
  /** KeypadSimulator, LedStripSimulator, or what the external simulator factories return. */
  sim: unknown;
  address?: number;
}

type Listener<K extends keyof DeviceServiceEvents> = (e: DeviceServiceEvents[K]) => void;

export class DeviceService {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners: { [K in keyof DeviceServiceEvents]: Set<Listener<K>> } = {
    status: new Set(),
    card: new Set(),
    'card.removed': new Set(),
    key: new Set(),
    rating: new Set(),
  };
  private readonly stops: (() => Promise<void> | void)[] = [];
  private readonly sims = new Map<string, SimulatedDevice>();
  private readonly now: () => number;
  private started = false;

  constructor(private readonly opts: DeviceServiceOptions) {
    this.now = opts.now ?? Date.now;
    for (const t of opts.devices?.terminals ?? []) {
      if (opts.terminals && !opts.terminals.includes(t.id)) continue;
      for (const d of t.devices) {
        this.entries.set(d.id, {
          terminal: t,
          device: d,
          windowNo: d.window ?? t.window ?? null,
          status: { deviceId: d.id, kind: d.kind, terminal: t.id, state: 'unknown', detail: null, since: this.now() },
          opened: false,
          linkUp: false,
          linkDetail: null,
          driverState: 'unknown',
          driverDetail: null,
          handle: null,
          led: null,
          keys: keyMapOf(d),
          poll: d.kind === 'keypad' || d.kind === 'evalkeypad' ? { online: null, detail: null, since: null } : null,
        });
      }
    }
  }

  on<K extends keyof DeviceServiceEvents>(type: K, cb: Listener<K>): () => void {
    this.listeners[type].add(cb);
    return () => this.listeners[type].delete(cb);
  }

  /** Every configured device with its last known state. */
  statuses(terminal?: string): DeviceStatus[] {
    return [...this.entries.values()]
      .filter((e) => !terminal || e.terminal.id === terminal)
      .map((e) => ({ ...e.status }));
  }

  devices(): { terminal: TerminalConfig; device: DeviceConfig; windowNo: number | null }[] {
    return [...this.entries.values()].map((e) => ({ terminal: e.terminal, device: e.device, windowNo: e.windowNo }));
  }

  /** The in-process simulator of a simulated device (for `govhall start`, demos and tests). */
  simulated(deviceId: string): SimulatedDevice | null {
    return this.sims.get(deviceId) ?? null;
  }

  /** Presses a key on a simulated keypad: an RS-485 code (`CC`) or, for a level, the level's key. */
  pressSimulated(deviceId: string, key: string): boolean {
    const s = this.sims.get(deviceId);
    if (!s || !(s.sim instanceof KeypadSimulator) || s.address === undefined) return false;
    const k = normaliseKey(key);
    const e = this.entries.get(deviceId);
    // A level or action name is turned into its configured key.
    const byValue = e ? [...e.keys].find(([, v]) => v === key)?.[0] : undefined;
    const code = /^[0-9A-F]{2}$/.test(k) ? Number.parseInt(k, 16) : byValue ? Number.parseInt(byValue, 16) : Number.NaN;
    if (!Number.isInteger(code)) return false;
    s.sim.press(s.address, code);
    return true;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const pads = [...this.entries.values()].filter((e) => e.device.kind === 'keypad' || e.device.kind === 'evalkeypad');
    const buses = new Map<string, Entry[]>();
    for (const e of pads) {
      const t = this.transportOf(e);
      // Serial keypads share a bus per port; simulated ones share one per terminal; HID ones are alone.
      const key =
        t.type === 'serial'
          ? `serial:${t.path}`
          : t.type === 'simulated'
            ? `sim:${e.terminal.id}`
            : `dev:${e.device.id}`;
      buses.set(key, [...(buses.get(key) ?? []), e]);
    }
    const jobs: Promise<void>[] = [];
    for (const group of buses.values()) jobs.push(this.guard(group, () => this.openKeypads(group)));
    for (const e of this.entries.values()) {
      if (e.device.kind === 'ledstrip') jobs.push(this.guard([e], () => this.openLed(e)));
      if (e.device.kind === 'idcard' || e.device.kind === 'printer')
        jobs.push(this.guard([e], () => this.openExternal(e)));
    }
    await Promise.all(jobs);
  }

  async stop(): Promise<void> {
    const stops = this.stops.splice(0).reverse();
    for (const s of stops) {
      try {
        await s();
      } catch (err) {
        this.log('warn', '关闭设备时出错', { error: (err as Error).message });
      }
    }
    this.started = false;
  }

  /** Prints a ticket on the terminal's printer; never throws. */
  async print(terminal: string, ticket: TicketPrint): Promise<PrintResult> {
    const e = [...this.entries.values()].find((x) => x.terminal.id === terminal && x.device.kind === 'printer');
    return this.printOnEntry(e, ticket);
  }

  /** Prints on one printer by its device id (the admin's test print); never throws. */
  async printOn(deviceId: string, ticket: TicketPrint): Promise<PrintResult> {
    const e = this.entries.get(deviceId);
    return this.printOnEntry(e?.device.kind === 'printer' ? e : undefined, ticket);
  }

  /**
   * A device's fresh state for the admin's test actions: asks the driver (bounded by `timeoutMs`,
   * a device that does not answer is reported by its own status; 0 = do not ask), then answers
   * what is known. Null for a device this service does not run. Never throws.
   */
  async check(deviceId: string, timeoutMs = 3000): Promise<DeviceCheck | null> {
    const e = this.entries.get(deviceId);
    if (!e) return null;
    const refresh = e.linkUp && timeoutMs > 0 ? e.handle?.refresh : undefined;
    if (refresh) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        refresh.call(e.handle).catch(() => undefined),
        new Promise<void>((r) => {
          timer = setTimeout(r, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    let probe: DriverProbe = {};
    try {
      probe = e.handle?.probe?.() ?? {};
    } catch (err) {
      this.log('warn', '读取设备信息失败', { deviceId, error: (err as Error).message });
    }
    return { status: { ...e.status }, linkUp: e.linkUp, probe, poll: e.poll ? { ...e.poll } : null };
  }

  private async printOnEntry(e: Entry | undefined, ticket: TicketPrint): Promise<PrintResult> {
    if (!e?.handle?.print) return { ok: false, code: 'NO_PRINTER', message: '该终端没有可用的打印机' };
    if (!e.linkUp) return { ok: false, code: 'OFFLINE', message: '打印机未连接' };
    try {
      return await e.handle.print(ticket);
    } catch (err) {
      this.setDriver(e, 'error', `打印失败：${(err as Error).message}`);
      return { ok: false, code: 'ERROR', message: '打印失败' };
    }
  }

  /** Shows a text on every LED strip of a window; never throws. Returns how many strips took it. */
  async showOnWindow(windowNo: number, text: string): Promise<number> {
    let n = 0;
    for (const e of this.entries.values()) {
      if (e.device.kind !== 'ledstrip' || e.windowNo !== windowNo || !e.led) continue;
      try {
        const r = await e.led.showText(text);
        this.setDriver(e, 'ok', r.truncated ? `文字过长，只显示「${r.shown}」` : null);
        n++;
      } catch (err) {
        this.setDriver(e, 'error', `写入窗口屏失败：${(err as Error).message}`);
      }
    }
    return n;
  }

  ledTemplate(windowNo: number): { template: string | null; idleText: string | null }[] {
    return [...this.entries.values()]
      .filter((e) => e.device.kind === 'ledstrip' && e.windowNo === windowNo)
      .map((e) => ({ template: e.device.template ?? null, idleText: e.device.idleText ?? null }));
  }

  // ---------------------------------------------------------------- opening

  private transportOf(e: Entry): DeviceConfig['transport'] {
    return this.opts.simulateAll ? { type: 'simulated' } : e.device.transport;
  }

  private async guard(group: Entry[], fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      const msg = (err as Error)?.message ?? String(err);
      this.log('error', '设备打开失败', { devices: group.map((g) => g.device.id), error: msg });
      for (const e of group) this.setLink(e, false, msg);
    }
  }

  private async link(e: Entry, simulator?: (far: ByteLink) => { sim: unknown; address?: number }): Promise<DeviceLink> {
    const t = this.transportOf(e);
    let link: DeviceLink;
    if (t.type === 'simulated') {
      const pair = simulatedPair();
      const made = simulator?.(pair.device) ?? { sim: null };
      this.sims.set(e.device.id, { kind: e.device.kind, pair, ...made });
      link = pair.host;
    } else {
      if (!this.opts.openLink) throw new Error(`没有可用的 ${t.type} 传输（此进程不能打开真实设备）`);
      link = await this.opts.openLink(t, { deviceId: e.device.id, kind: e.device.kind });
    }
    this.stops.push(() => link.close());
    return link;
  }

  private watchLink(link: DeviceLink, group: Entry[]): void {
    for (const e of group) this.setLink(e, link.connected, link.connected ? null : '端口未打开');
    const off = link.onState((s) => {
      for (const e of group) this.setLink(e, s.connected, s.detail);
    });
    this.stops.push(off);
  }

  private async openKeypads(group: Entry[]): Promise<void> {
    const first = group[0]!;
    const t = this.transportOf(first);
    if (t.type === 'hid') {
      const link = await this.link(first);
      const pad = new HidKeypad(link);
      this.stops.push(() => pad.close());
      pad.onKey((k) => this.keyPressed(first, k));
      // A HID keypad is not polled: a plugged-in port is all there is to know.
      first.poll = null;
      this.watchLink(link, group);
      this.setDriver(first, 'ok', null);
      return;
    }
    const addresses = group.map((e) => e.device.address ?? 1);
    const codes = new Set(group.flatMap((e) => codesOf(e.keys)));
    const made: { sim: KeypadSimulator | null } = { sim: null };
    const link = await this.link(first, (far) => {
      const sim = new KeypadSimulator(far, { addresses });
      made.sim = sim;
      this.stops.push(() => sim.close());
      return { sim, address: first.device.address ?? 1 };
    });
    // Every keypad on a simulated bus can be driven by its own id.
    if (made.sim) {
      const s = this.sims.get(first.device.id)!;
      for (const e of group.slice(1)) this.sims.set(e.device.id, { ...s, address: e.device.address ?? 1 });
    }
    const timing = this.opts.keypadTiming ?? {};
    const poller = new KeypadPoller(link, {
      addresses,
      codes,
      replyTimeoutMs: first.device.replyTimeoutMs ?? timing.replyTimeoutMs ?? 60,
      ...(timing.cycleMs !== undefined ? { cycleMs: timing.cycleMs } : {}),
      ...(timing.offlineAfter !== undefined ? { offlineAfter: timing.offlineAfter } : {}),
      silentWhenIdle: first.device.silentWhenIdle ?? false,
    });
    const byAddress = new Map(group.map((e) => [e.device.address ?? 1, e]));
    poller.onPress((p) => {
      const e = byAddress.get(p.address);
      if (e) this.keyPressed(e, hexByte(p.code));
    });
    poller.onHealth((h) => {
      const e = byAddress.get(h.address);
      if (!e) return;
      e.poll = { online: h.online, detail: h.detail, since: this.now() };
      this.setDriver(e, h.online ? 'ok' : 'offline', h.online ? null : `键盘没有应答：${h.detail ?? ''}`);
    });
    this.watchLink(link, group);
    poller.start();
    this.stops.push(() => poller.stop());
  }

  private async openLed(e: Entry): Promise<void> {
    const link = await this.link(e, (far) => {
      const sim = new LedStripSimulator(far, e.device.address !== undefined ? { address: e.device.address } : {});
      this.stops.push(() => sim.close());
      return { sim };
    });
    e.led = new Led69Controller(link, { address: e.device.address ?? 1 });
    this.watchLink(link, [e]);
    // The strip never answers; a connected port is all we can know.
    this.setDriver(e, 'ok', null);
  }

  private async openExternal(e: Entry): Promise<void> {
    const kind = e.device.kind as 'idcard' | 'printer';
    const factory = this.opts.drivers?.[kind];
    if (!factory) {
      this.setDriver(e, 'unknown', '此进程没有该类设备的驱动');
      return;
    }
    const simFactory = kind === 'idcard' ? this.opts.drivers?.idcardSimulator : this.opts.drivers?.printerSimulator;
    const link = await this.link(e, simFactory ? (far) => ({ sim: simFactory(far, e.device) }) : undefined);
    this.watchLink(link, [e]);
    const sink: DriverSink = {
      status: (state, detail) => this.setDriver(e, state, detail),
      card: (card) => this.emit('card', { terminal: e.terminal.id, deviceId: e.device.id, card }),
      cardRemoved: () => this.emit('card.removed', { terminal: e.terminal.id, deviceId: e.device.id }),
    };
    try {
      e.handle = await factory(link, e.device, sink);
    } catch (err) {
      // The port is fine; the driver is not. Report it as the device's error and carry on.
      this.setDriver(e, 'error', `驱动启动失败：${(err as Error)?.message ?? String(err)}`);
      return;
    }
    this.stops.push(() => e.handle?.stop());
  }

  // ---------------------------------------------------------------- events

  private keyPressed(e: Entry, rawKey: string): void {
    const key = normaliseKey(rawKey);
    const meaning = e.keys.get(key);
    if (!meaning) {
      this.log('warn', '未配置的按键', { deviceId: e.device.id, key });
      return;
    }
    if (e.windowNo === null) return;
    if (e.device.kind === 'evalkeypad') {
      this.emit('rating', {
        deviceId: e.device.id,
        terminal: e.terminal.id,
        windowNo: e.windowNo,
        level: meaning as RatingLevel,
        key,
      });
    } else {
      this.emit('key', {
        deviceId: e.device.id,
        terminal: e.terminal.id,
        windowNo: e.windowNo,
        action: meaning as WindowKeyAction,
        key,
      });
    }
  }

  private setLink(e: Entry, up: boolean, detail: string | null): void {
    e.opened = true;
    e.linkUp = up;
    e.linkDetail = detail;
    this.refresh(e);
  }

  private setDriver(e: Entry, state: DeviceState, detail: string | null): void {
    e.driverState = state;
    e.driverDetail = detail;
    this.refresh(e);
  }

  private refresh(e: Entry): void {
    const linkDown = e.opened && !e.linkUp;
    const state: DeviceState = linkDown ? 'offline' : e.driverState;
    const detail = linkDown ? (e.linkDetail ?? '未连接') : e.driverDetail;
    if (state === e.status.state && detail === e.status.detail) return;
    e.status = { ...e.status, state, detail, since: this.now() };
    this.emit('status', { ...e.status });
  }

  private emit<K extends keyof DeviceServiceEvents>(type: K, ev: DeviceServiceEvents[K]): void {
    for (const l of this.listeners[type]) {
      try {
        l(ev);
      } catch (err) {
        this.log('error', '设备事件处理失败', { type, error: (err as Error).message });
      }
    }
  }

  private log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void {
    try {
      this.opts.log?.(level, msg, fields);
    } catch {
      // logging must never be the thing that fails
    }
  }
}

function keyMapOf(d: DeviceConfig): KeyMap<string> {
  const hid = d.transport.type === 'hid';
  if (d.kind === 'keypad') {
    if (d.keys) return new Map(Object.entries(d.keys).map(([k, v]) => [normaliseKey(k), v]));
    return hid ? DEFAULT_HID_CALLER_MAP : DEFAULT_CALLER_MAP;
  }
  if (d.kind === 'evalkeypad') {
    if (d.levels) return new Map(Object.entries(d.levels).map(([k, v]) => [normaliseKey(k), v]));
    return hid ? DEFAULT_HID_LEVEL_MAP : DEFAULT_LEVEL_MAP;
  }
  return new Map();
}
