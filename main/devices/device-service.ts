/**
 * The device service: opens every device the hall config gives this process through its family
 * (`device-registry.ts`), keeps their health, and passes on what they report as events — a card
 * read, a key pressed on a window caller, a rating on an evaluation keypad. It knows no family by
 * name and never acts on the queue itself (the hub composition routes the events), and nothing a
 * device does can take it down: every driver call, listener and timer is guarded, a device that
 * fails is reported `error`/`offline` and the others carry on.
 */

import type { ByteLink } from '../../drivers/transport/byte-link.js';
import { linkStateDetail, type StatefulLink } from '../../drivers/transport/link-state.js';
import {
  type DeviceConfig,
  type DeviceKind,
  type DevicesConfig,
  type TerminalConfig,
  terminalWindowNo,
} from '../../kiosk-config/devices-schema.js';
import type {
  DeviceBus,
  DeviceFamily,
  DeviceProbe,
  DeviceSink,
  FamilyDevice,
  KeypadTiming,
  OpenEnv,
  PollHealth,
  RunningDevice,
  SimulatedEnd,
} from './device-family.js';
import type { LinkOpener, SimulatedPair } from './device-link.js';
import { simulatedPair } from './device-link.js';
import { DEVICE_FAMILIES, familyOf } from './device-registry.js';
import type { DeviceServiceEvents, DeviceState, DeviceStatus, PrintResult, TicketPrint } from './types.js';

/** A device as the admin's test actions see it (`DeviceService.check`). */
export interface DeviceCheck {
  status: DeviceStatus;
  /** The port or simulated link is there. */
  linkUp: boolean;
  probe: DeviceProbe;
  /** Polled keypads: the poller's last verdict for this address; null: not polled. */
  poll: PollHealth | null;
}

/** Stand-ins for a family's `open` (tests, benchmarks); the family's options and simulator stay. */
export type DriverOverrides = { [K in DeviceKind]?: DeviceFamily<K>['open'] };

export interface DeviceServiceOptions {
  devices: DevicesConfig | undefined;
  /** Only these terminals (a remote terminal runs its own devices); default every terminal. */
  terminals?: string[];
  /** Opens serial / tcp / hid / lp transports. Without it those devices are reported `offline`. */
  openLink?: LinkOpener;
  /** Run every device on an in-process simulator, whatever its configured transport. */
  simulateAll?: boolean;
  drivers?: DriverOverrides;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  now?: () => number;
  /** Keypad bus timing (tests shorten it). */
  keypadTiming?: KeypadTiming;
}

interface Entry {
  terminal: TerminalConfig;
  device: DeviceConfig;
  windowNo: number | null;
  /** Null when no family takes it (unknown kind, options it does not accept): see `problem`. */
  opening: { family: DeviceFamily; device: FamilyDevice } | null;
  problem: string | null;
  status: DeviceStatus;
  /** A link was opened for it (before that its state is the driver's alone). */
  opened: boolean;
  linkUp: boolean;
  linkDetail: string | null;
  driverState: DeviceState;
  driverDetail: string | null;
  handle: RunningDevice | null;
}

export interface SimulatedDevice {
  kind: DeviceKind;
  pair: SimulatedPair;
  /** The family's simulator (KeypadSimulator, LedStripSimulator, PrinterSimulator, CardReaderSimulator). */
  sim: unknown;
  /** Keypads: presses a key by code or meaning. */
  press?(key: string): boolean;
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
  private readonly env: OpenEnv;
  private started = false;

  constructor(private readonly opts: DeviceServiceOptions) {
    this.now = opts.now ?? Date.now;
    this.env = { now: this.now, ...(opts.keypadTiming ? { keypadTiming: opts.keypadTiming } : {}) };
    for (const t of opts.devices?.terminals ?? []) {
      if (opts.terminals && !opts.terminals.includes(t.id)) continue;
      for (const d of t.devices) {
        const windowNo = d.window ?? terminalWindowNo(t);
        const { opening, problem } = this.prepare(t, d, windowNo);
        this.entries.set(d.id, {
          terminal: t,
          device: d,
          windowNo,
          opening,
          problem,
          status: { deviceId: d.id, kind: d.kind, terminal: t.id, state: 'unknown', detail: null, since: this.now() },
          opened: false,
          linkUp: false,
          linkDetail: null,
          driverState: 'unknown',
          driverDetail: null,
          handle: null,
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

  /** Presses a key on a simulated keypad: an RS-485 code (`CC`) or an action or level name. */
  pressSimulated(deviceId: string, key: string): boolean {
    return this.sims.get(deviceId)?.press?.(key) ?? false;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Devices on one bus (RS-485 keypads on one port) share a link; every other device has its own.
    const groups = new Map<string, { bus: DeviceBus<unknown> | null; entries: Entry[] }>();
    for (const e of this.entries.values()) {
      if (!e.opening) {
        this.setDriver(e, 'error', e.problem);
        continue;
      }
      const bus = e.opening.family.bus?.bus ?? null;
      const route = bus?.route(e.opening.device) ?? null;
      const key = bus && route !== null ? `${bus.name}:${route}` : `device:${e.device.id}`;
      const g = groups.get(key) ?? { bus: route !== null ? bus : null, entries: [] };
      g.entries.push(e);
      groups.set(key, g);
    }
    await Promise.all(
      [...groups.values()].map((g) =>
        this.guard(g.entries, () => (g.bus ? this.openBus(g.bus, g.entries) : this.openAlone(g.entries[0]!))),
      ),
    );
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
    const e = [...this.entries.values()].find((x) => x.terminal.id === terminal && x.handle?.print);
    return this.printOnEntry(e, ticket);
  }

  /** Prints on one printer by its device id (the admin's test print); never throws. */
  async printOn(deviceId: string, ticket: TicketPrint): Promise<PrintResult> {
    const e = this.entries.get(deviceId);
    return this.printOnEntry(e?.handle?.print ? e : undefined, ticket);
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
    let probe: DeviceProbe = {};
    try {
      probe = e.handle?.probe?.() ?? {};
    } catch (err) {
      this.log('warn', '读取设备信息失败', { deviceId, error: (err as Error).message });
    }
    return { status: { ...e.status }, linkUp: e.linkUp, probe, poll: probe.poll ? { ...probe.poll } : null };
  }

  /** Shows a text on every display of a window (LED strips); never throws. Returns how many took it. */
  async showOnWindow(windowNo: number, text: string): Promise<number> {
    let n = 0;
    for (const e of this.entries.values()) if (e.windowNo === windowNo && (await this.showOnEntry(e, text))) n++;
    return n;
  }

  /** Shows a text on one display by its device id; never throws. False when it did not show. */
  async showOn(deviceId: string, text: string): Promise<boolean> {
    const e = this.entries.get(deviceId);
    return e ? this.showOnEntry(e, text) : false;
  }

  private async showOnEntry(e: Entry, text: string): Promise<boolean> {
    if (!e.handle?.show) return false;
    try {
      return await e.handle.show(text);
    } catch (err) {
      this.setDriver(e, 'error', `显示失败：${(err as Error).message}`);
      return false;
    }
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

  // ---------------------------------------------------------------- opening

  /** The device's family and its options as that family reads them, or why there is none. */
  private prepare(
    t: TerminalConfig,
    d: DeviceConfig,
    windowNo: number | null,
  ): { opening: Entry['opening']; problem: string | null } {
    let family: DeviceFamily;
    try {
      family = familyOf(d.kind, DEVICE_FAMILIES);
    } catch (err) {
      return { opening: null, problem: (err as Error).message };
    }
    const own = Object.keys(family.options.shape);
    const parsed = family.options.safeParse(
      Object.fromEntries(Object.entries(d).filter(([k, v]) => own.includes(k) && v !== undefined)),
    );
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}：` : '';
      return { opening: null, problem: `设备配置有误：${where}${issue?.message ?? '选项无效'}` };
    }
    const transport = this.opts.simulateAll ? { type: 'simulated' as const } : d.transport;
    const device: FamilyDevice = {
      id: d.id,
      kind: d.kind,
      terminal: t.id,
      windowNo,
      transport,
      options: parsed.data as FamilyDevice['options'],
    };
    return { opening: { family, device }, problem: null };
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

  /** One link for a group (one device, or every device of a bus); simulated ones get their simulators. */
  private async link(group: Entry[], simulate: (far: ByteLink) => SimulatedEnd[]): Promise<StatefulLink> {
    const first = group[0]!;
    const { family, device } = first.opening!;
    let link: StatefulLink;
    if (device.transport.type === 'simulated') {
      const pair = simulatedPair();
      const ends = simulate(pair.device);
      group.forEach((e, i) => {
        const end = ends[i];
        if (!end) return;
        if (end.stop) this.stops.push(end.stop);
        this.sims.set(e.device.id, {
          kind: e.device.kind,
          pair,
          sim: end.sim,
          ...(end.press ? { press: end.press } : {}),
        });
      });
      link = pair.host;
    } else {
      if (!this.opts.openLink) throw new Error(`没有可用的 ${device.transport.type} 传输（此进程不能打开真实设备）`);
      link = await this.opts.openLink(device.transport, {
        deviceId: device.id,
        kind: device.kind,
        defaultBaud: family.defaultBaud,
      });
    }
    this.stops.push(() => link.close());
    return link;
  }

  private watchLink(link: StatefulLink, group: Entry[]): void {
    const up = link.state === 'online';
    for (const e of group) this.setLink(e, up, up ? null : (link.reason?.message ?? '端口未打开'));
    const off = link.onState((c) => {
      for (const e of group) this.setLink(e, c.state === 'online', linkStateDetail(c));
    });
    this.stops.push(off);
  }

  private async openAlone(e: Entry): Promise<void> {
    const { family, device } = e.opening!;
    const link = await this.link([e], (far) => [family.simulator(far, device)]);
    this.watchLink(link, [e]);
    const override = this.opts.drivers?.[device.kind] as DeviceFamily['open'] | undefined;
    try {
      e.handle = await (override ?? family.open)(link, device, this.sinkOf(e), this.env);
    } catch (err) {
      // The port is fine; the driver is not. Report it as the device's error and carry on.
      this.setDriver(e, 'error', `驱动启动失败：${(err as Error)?.message ?? String(err)}`);
      return;
    }
    this.stops.push(() => e.handle?.stop());
  }

  private async openBus(bus: DeviceBus<unknown>, group: Entry[]): Promise<void> {
    const members = group.map((e) => e.opening!.family.bus!.member(e.opening!.device, this.sinkOf(e)));
    const link = await this.link(group, (far) => bus.simulator(far, members));
    this.watchLink(link, group);
    let running: ReturnType<DeviceBus<unknown>['open']>;
    try {
      running = bus.open(link, members, this.env);
    } catch (err) {
      for (const e of group) this.setDriver(e, 'error', `驱动启动失败：${(err as Error)?.message ?? String(err)}`);
      return;
    }
    this.stops.push(() => running.stop());
    group.forEach((e, i) => {
      e.handle = running.devices[i] ?? null;
      this.stops.push(() => e.handle?.stop());
    });
  }

  // ---------------------------------------------------------------- events

  private sinkOf(e: Entry): DeviceSink {
    const at = { deviceId: e.device.id, terminal: e.terminal.id };
    return {
      status: (state, detail) => this.setDriver(e, state, detail),
      card: (card) => this.emit('card', { ...at, card }),
      cardRemoved: () => this.emit('card.removed', at),
      // A key means something only at a window; a keypad that serves none is ignored.
      key: (action, key) => {
        if (e.windowNo !== null) this.emit('key', { ...at, windowNo: e.windowNo, action, key });
      },
      rating: (level, key) => {
        if (e.windowNo !== null) this.emit('rating', { ...at, windowNo: e.windowNo, level, key });
      },
      log: (level, msg, fields) => this.log(level, msg, fields),
    };
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
