/**
 * A device family — ID card reader, ticket printer, caller keypad, evaluation keypad, LED strip — as
 * the device service uses it: one interface, one table of families (`device-registry.ts`), one
 * module per family in `families/`. The service opens each configured device's link and hands it
 * to the family; the family runs the driver and tells the service, through a `DeviceSink`, the
 * device's health and what it saw. The service itself knows no family by name.
 */
import { kindText } from '../../common/device-kinds.js';
import type { ByteLink } from '../../drivers/transport/byte-link.js';
import type { StatefulLink } from '../../drivers/transport/link-state.js';
import {
  DEVICE_CONFIG_RULES,
  type DeviceOptions,
  type DeviceOptionsSchemas,
} from '../../kiosk-config/device-options.js';
import type { DeviceKind, TransportConfig } from '../../kiosk-config/devices-schema.js';
import type { CardData, DeviceState, PrintResult, RatingLevel, TicketPrint, WindowKeyAction } from './types.js';

/** What `POST /api/v1/devices/{id}/test` can ask of a device (docs/devices.md 设备测试). */
export const TEST_ACTIONS = ['print', 'read', 'ping', 'status'] as const;
export type TestAction = (typeof TEST_ACTIONS)[number];

/** A configured device as its family opens it. */
export interface FamilyDevice<K extends DeviceKind = DeviceKind> {
  id: string;
  kind: K;
  terminal: string;
  /** The window it serves: its own or its terminal's (null: none). */
  windowNo: number | null;
  /** As opened: `simulated` when the service runs every device on its simulator. */
  transport: TransportConfig;
  /** Its options, parsed by its family's schema (kiosk-config/device-options.ts). */
  options: DeviceOptions<K>;
}

/** Where a running device reports. Calls never throw back into the driver. */
export interface DeviceSink {
  /** The driver's view of its health (the service adds the link's). */
  status(state: DeviceState, detail: string | null): void;
  card(card: CardData): void;
  cardRemoved(): void;
  /** A caller key was pressed: what it means at the device's window. */
  key(action: WindowKeyAction, key: string): void;
  /** An evaluation key was pressed. */
  rating(level: RatingLevel, key: string): void;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

/** What a family's `open` gives back: a running device. Only `stop` is required. */
export interface RunningDevice {
  stop(): Promise<void> | void;
  print?(ticket: TicketPrint): Promise<PrintResult>;
  /** Shows a text (LED strips); reports its own status and never throws; false when not shown. */
  show?(text: string): Promise<boolean>;
  /** Asks the device now (a status request, one reader poll) so its status is fresh; may throw. */
  refresh?(): Promise<void>;
  /** What the driver knows beyond the state, for the admin's test actions; never personal data. */
  probe?(): DeviceProbe;
}

export interface DeviceProbe {
  /** ID card reader: the SAM module's id once read (identifies the reader, not a person). */
  samId?: string | null;
  /** ID card reader: a card lies in the field and was read. */
  cardPresent?: boolean;
  /** ID card reader: the type of that card (never its contents). */
  cardType?: CardData['certType'] | null;
  /** Polled keypads: the poller's last verdict for this address; absent: not polled (HID). */
  poll?: PollHealth;
}

/** A polled keypad's health: online null = not polled yet; since = epoch ms of the verdict. */
export interface PollHealth {
  online: boolean | null;
  detail: string | null;
  since: number | null;
}

/** The far end of a simulated device's link. */
export interface SimulatedEnd {
  /** The simulator: CardReaderSimulator, PrinterSimulator, KeypadSimulator, LedStripSimulator. */
  sim: unknown;
  /** Presses a key by code or by meaning (`CC`, `call-next`, `satisfied`); false when there is none. */
  press?(key: string): boolean;
  stop?(): void;
}

/** What the service lends every family when opening. */
export interface OpenEnv {
  now(): number;
  /** Keypad bus timing (tests shorten it). */
  keypadTiming?: KeypadTiming;
}

export interface KeypadTiming {
  replyTimeoutMs?: number;
  cycleMs?: number;
  offlineAfter?: number;
}

export interface DeviceFamily<K extends DeviceKind = DeviceKind> {
  readonly kind: K;
  /** Its name for people (common/device-kinds.ts). */
  readonly label: string;
  /** Its options: the very schema the hall config checks them with. */
  readonly options: DeviceOptionsSchemas[K];
  /** What the admin's device test may do with it; `status` is always among them. */
  readonly testActions: readonly TestAction[];
  /** Baud rate when a serial transport gives none. */
  readonly defaultBaud: number;
  /** Runs the device on its link. May throw: the service then reports the device `error`. */
  open(
    link: StatefulLink,
    device: FamilyDevice<K>,
    sink: DeviceSink,
    env: OpenEnv,
  ): RunningDevice | Promise<RunningDevice>;
  /** For `transport: { type: simulated }`: the simulator on the far end of the device's link. */
  simulator(far: ByteLink, device: FamilyDevice<K>): SimulatedEnd;
  /** Families whose devices can share one link with others (RS-485 keypads) say how. */
  readonly bus?: BusMembership<K, unknown>;
}

/** What a family's kind alone decides: its name, its label, its options schema. */
export function familyBasics<K extends DeviceKind>(kind: K): Pick<DeviceFamily<K>, 'kind' | 'label' | 'options'> {
  return { kind, label: kindText(kind), options: DEVICE_CONFIG_RULES[kind].options as DeviceOptionsSchemas[K] };
}

/**
 * Several devices on one link: callers and evaluation keypads on one RS-485 port (or one simulated
 * bus per terminal) are polled by one poller, answered by one simulator. The service groups the
 * devices whose families name the same bus and whose `route` is the same, opens one link for them
 * and lets the bus open them all; a device whose route is null (a HID keypad) has a link of its own
 * and is opened by its family.
 */
export interface DeviceBus<M> {
  readonly name: string;
  route(device: FamilyDevice): string | null;
  /** One simulator for the whole bus; one end per member, in order. */
  simulator(far: ByteLink, members: readonly M[]): SimulatedEnd[];
  /** Starts the bus on its link; one running device per member, in order, and the bus's own stop. */
  open(link: StatefulLink, members: readonly M[], env: OpenEnv): { devices: RunningDevice[]; stop(): Promise<void> };
}

export interface BusMembership<K extends DeviceKind, M> {
  readonly bus: DeviceBus<M>;
  /** What the bus needs of one device (address, keys) and where its events go. */
  member(device: FamilyDevice<K>, sink: DeviceSink): M;
}
