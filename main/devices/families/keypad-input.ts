/**
 * How a keypad's keys reach its family — shared by the caller keypad and the evaluation keypad,
 * which differ only in what a key means. RS-485 keypads sit on a bus: every keypad on one serial
 * port (or, simulated, on one terminal) is polled by one poller and answered by one simulator. A
 * HID keypad is a keyboard of its own, not polled: a plugged-in port is all there is to know.
 */

import { HidKeypad } from '../../../drivers/keypad/hid-keypad.js';
import { codesOf, type KeyMap, normaliseKey } from '../../../drivers/keypad/key-map.js';
import { KeypadPoller } from '../../../drivers/keypad/keypad-poller.js';
import { KeypadSimulator } from '../../../drivers/keypad/keypad-simulator.js';
import { hexByte } from '../../../drivers/keypad/rs485-keypad.js';
import {
  type DeviceBus,
  type DeviceFamily,
  type DeviceSink,
  type FamilyDevice,
  familyBasics,
  type PollHealth,
  type SimulatedEnd,
} from '../device-family.js';

type KeypadKind = 'keypad' | 'evalkeypad';

/** One keypad on the bus: what the bus needs of it, and its family's reading of a key. */
export interface KeypadMember {
  device: FamilyDevice<KeypadKind>;
  address: number;
  keys: KeyMap<string>;
  sink: DeviceSink;
  /** A key of this keypad went down (an RS-485 code as two hex digits, or a HID key name). */
  pressed(rawKey: string): void;
}

export const rs485KeypadBus: DeviceBus<KeypadMember> = {
  name: 'rs485-keypad',
  route(device) {
    const t = device.transport;
    // Serial keypads share a bus per port; simulated ones one per terminal; HID ones are alone.
    if (t.type === 'serial') return `serial:${t.path}`;
    if (t.type === 'simulated') return `sim:${device.terminal}`;
    return null;
  },
  simulator(far, members) {
    const sim = new KeypadSimulator(far, { addresses: members.map((m) => m.address) });
    return members.map(
      (m, i): SimulatedEnd => ({
        sim,
        press: (key) => pressSimulated(sim, m, key),
        ...(i === 0 ? { stop: () => sim.close() } : {}),
      }),
    );
  },
  open(link, members, env) {
    const first = members[0];
    if (!first) return { devices: [], stop: async () => {} };
    const timing = env.keypadTiming ?? {};
    const options = first.device.options;
    const poller = new KeypadPoller(link, {
      addresses: members.map((m) => m.address),
      codes: new Set(members.flatMap((m) => codesOf(m.keys))),
      replyTimeoutMs: options.replyTimeoutMs ?? timing.replyTimeoutMs ?? 60,
      ...(timing.cycleMs !== undefined ? { cycleMs: timing.cycleMs } : {}),
      ...(timing.offlineAfter !== undefined ? { offlineAfter: timing.offlineAfter } : {}),
      silentWhenIdle: options.silentWhenIdle ?? false,
    });
    const byAddress = new Map(members.map((m) => [m.address, m]));
    const polls = new Map<number, PollHealth>(
      members.map((m) => [m.address, { online: null, detail: null, since: null }]),
    );
    poller.onPress((p) => byAddress.get(p.address)?.pressed(hexByte(p.code)));
    poller.onHealth((h) => {
      const m = byAddress.get(h.address);
      if (!m) return;
      polls.set(h.address, { online: h.online, detail: h.detail, since: env.now() });
      m.sink.status(h.online ? 'ok' : 'offline', h.online ? null : `键盘没有应答：${h.detail ?? ''}`);
    });
    poller.start();
    return {
      devices: members.map((m) => ({
        stop: () => {},
        probe: () => ({ poll: { ...(polls.get(m.address) ?? { online: null, detail: null, since: null }) } }),
      })),
      stop: () => poller.stop(),
    };
  },
};

/** A level or action name is turned into its configured key; an RS-485 code is pressed as it is. */
function pressSimulated(sim: KeypadSimulator, m: KeypadMember, key: string): boolean {
  const k = normaliseKey(key);
  const byValue = [...m.keys].find(([, v]) => v === key)?.[0];
  const code = /^[0-9A-F]{2}$/.test(k) ? Number.parseInt(k, 16) : byValue ? Number.parseInt(byValue, 16) : Number.NaN;
  if (!Number.isInteger(code)) return false;
  sim.press(m.address, code);
  return true;
}

/** A configured key map (`keys` / `levels`) in the map's form. */
export function configuredKeys<T extends string>(map: Record<string, T> | undefined): KeyMap<T> | null {
  return map ? new Map(Object.entries(map).map(([k, v]) => [normaliseKey(k), v])) : null;
}

export interface KeypadMeaning<K extends KeypadKind, T extends string> {
  kind: K;
  /** The device's key map: configured, or its transport's default. */
  keys(device: FamilyDevice<K>): KeyMap<T>;
  /** Tells the sink what a key meant. */
  pressed(sink: DeviceSink, meaning: T, key: string): void;
}

/** A keypad family from what its keys mean: on the RS-485 bus, or alone as a HID keyboard. */
export function familyOfKeys<K extends KeypadKind, T extends string>(spec: KeypadMeaning<K, T>): DeviceFamily<K> {
  const member = (device: FamilyDevice<K>, sink: DeviceSink): KeypadMember => {
    const keys = spec.keys(device);
    return {
      device,
      address: device.options.address ?? 1,
      keys,
      sink,
      pressed(rawKey) {
        const key = normaliseKey(rawKey);
        const meaning = keys.get(key);
        if (meaning) spec.pressed(sink, meaning, key);
        else sink.log('warn', '未配置的按键', { deviceId: device.id, key });
      },
    };
  };
  return {
    ...familyBasics(spec.kind),
    testActions: ['ping', 'status'],
    defaultBaud: 9600,
    bus: { bus: rs485KeypadBus, member },
    open(link, device, sink, env) {
      const m = member(device, sink);
      if (device.transport.type !== 'hid') {
        // An RS-485 keypad alone on its link: a bus of one.
        const bus = rs485KeypadBus.open(link, [m], env);
        return { stop: () => bus.stop(), probe: () => bus.devices[0]?.probe?.() ?? {} };
      }
      const pad = new HidKeypad(link);
      pad.onKey((k) => m.pressed(k));
      sink.status('ok', null);
      return { stop: () => pad.close() };
    },
    simulator(far, device) {
      return rs485KeypadBus.simulator(far, [member(device, silentSink)])[0]!;
    },
  };
}

/** The sink of a simulator's member: a simulator only needs the keys, it reports nothing. */
const silentSink: DeviceSink = {
  status: () => {},
  card: () => {},
  cardRemoved: () => {},
  key: () => {},
  rating: () => {},
  log: () => {},
};
