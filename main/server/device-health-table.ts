/**
 * The hub's table of device health: every device of the hall config with its last state, whoever
 * reported it — the device service of this process or a remote terminal over HTTP. A change is
 * handed to the listeners (the `device.status` event, the browser bridge) once, and only when the
 * state or its detail really changed.
 */
import type { DeviceState } from '../../common/device-kinds.js';
import { type DeviceConfig, type DevicesConfig, terminalWindowNo } from '../../kiosk-config/devices-schema.js';

export interface DeviceRow {
  deviceId: string;
  kind: string;
  terminal: string;
  windowNo: number | null;
  transport: string;
  state: DeviceState;
  detail: string | null;
  /** Epoch ms of the last change; null before the first report. */
  since: number | null;
}

export interface HealthReport {
  deviceId: string;
  state: DeviceState;
  detail: string | null;
}

export class DeviceHealthTable {
  private readonly rows = new Map<string, DeviceRow>();
  private readonly configs = new Map<string, DeviceConfig>();
  private readonly listeners = new Set<(row: DeviceRow) => void>();
  /** Terminals of the hall config. */
  terminals: ReadonlySet<string> = new Set();

  constructor(
    devices: DevicesConfig | undefined,
    private readonly now: () => number,
  ) {
    this.reconfigure(devices);
  }

  /**
   * Follows a changed devices section: new devices start `unknown`, removed ones go, a device that
   * stays keeps its last state (an option such as a printer's width does not change its health).
   */
  reconfigure(devices: DevicesConfig | undefined): void {
    const before = new Map(this.rows);
    this.rows.clear();
    this.configs.clear();
    for (const t of devices?.terminals ?? []) {
      for (const d of t.devices) {
        const old = before.get(d.id);
        this.configs.set(d.id, d);
        this.rows.set(d.id, {
          deviceId: d.id,
          kind: d.kind,
          terminal: t.id,
          windowNo: d.window ?? terminalWindowNo(t),
          transport: d.transport.type,
          state: old?.kind === d.kind ? old.state : 'unknown',
          detail: old?.kind === d.kind ? old.detail : null,
          since: old?.kind === d.kind ? old.since : null,
        });
      }
    }
    this.terminals = new Set((devices?.terminals ?? []).map((t) => t.id));
  }

  get(deviceId: string): DeviceRow | undefined {
    return this.rows.get(deviceId);
  }

  /** The configured device (its options: a caller's `transferTo`, a keypad's `badRatingReason`). */
  config(deviceId: string): DeviceConfig | undefined {
    return this.configs.get(deviceId);
  }

  all(): DeviceRow[] {
    return [...this.rows.values()];
  }

  ofTerminal(terminal: string): DeviceRow[] {
    return this.all().filter((r) => r.terminal === terminal);
  }

  /** Every change from now on; returns the unsubscribe function. */
  onChange(listener: (row: DeviceRow) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Records a report; false for a device the hall config does not have. */
  update(s: HealthReport): boolean {
    const row = this.rows.get(s.deviceId);
    if (!row) return false;
    if (row.state === s.state && row.detail === s.detail) return true;
    row.state = s.state;
    row.detail = s.detail;
    row.since = this.now();
    for (const l of [...this.listeners]) l({ ...row });
    return true;
  }
}
