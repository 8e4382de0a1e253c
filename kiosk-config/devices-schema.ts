/**
 * The `devices` section of a hall config: which terminal has which devices, on which transport,
 * with which options. The device service (`main/devices`) opens exactly what is written here;
 * `transport: { type: simulated }` runs the device's simulator in process instead.
 */
import { z } from 'zod';
import { DEVICE_KINDS, type DeviceKind, KIND_TEXT } from '../common/device-kinds.js';
import { TERMINAL_ROLES } from '../common/roles.js';
import {
  DEVICE_CONFIG_RULES,
  type DeviceConfigRules,
  type DeviceOptionKey,
  type DeviceOptionsSchemas,
} from './device-options.js';

const id = (what: string) =>
  z
    .string({ error: `${what}应为文字` })
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, `${what}只能包含字母、数字、点、下划线和连字符，1 到 40 位`);

const usbId = z
  .union([
    z.number().int().min(0).max(0xffff),
    z.string().regex(/^(0x)?[0-9a-fA-F]{1,4}$/, 'USB 编号应为十六进制，如 0x1a86'),
  ])
  .transform((v) => (typeof v === 'number' ? v : Number.parseInt(v.replace(/^0x/i, ''), 16)));

const transport = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        type: z.literal('serial'),
        path: z.string({ error: '串口需要 path，如 /dev/ttyUSB0 或 COM3' }).min(1, '串口路径不能为空'),
        baud: z
          .number()
          .int()
          .refine((b) => [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400].includes(b), '不支持的波特率')
          .optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('tcp'),
        host: z.string({ error: 'TCP 需要 host' }).min(1, 'host 不能为空'),
        port: z
          .number({ error: '端口应为数字' })
          .int()
          .min(1, '端口为 1 到 65535')
          .max(65535, '端口为 1 到 65535')
          .default(9100),
      })
      .strict(),
    z.object({ type: z.literal('hid'), vendorId: usbId, productId: usbId, path: z.string().optional() }).strict(),
    z
      .object({ type: z.literal('lp'), path: z.string({ error: 'USB 打印机需要 path，如 /dev/usb/lp0' }).min(1) })
      .strict(),
    z.object({ type: z.literal('simulated') }).strict(),
  ],
  { error: 'transport.type 应为 serial、tcp、hid、lp 或 simulated' },
);

/** Fields every device has, whatever its family. */
const commonFields = {
  id: id('设备编号'),
  transport,
  /** Window served (keypads, LED strips); defaults to the terminal's window. */
  window: z.number().int().min(1).max(999).optional(),
};

type OptionsShape<K extends DeviceKind> = DeviceOptionsSchemas[K]['shape'];
/** Another family's options on this one: each refused with the name of the family it belongs to. */
type ForeignOptions<K extends DeviceKind> = {
  [O in Exclude<DeviceOptionKey, keyof OptionsShape<K>>]: z.ZodOptional<z.ZodNever>;
};

/** `keys 只用于呼叫器（kind: keypad）`: the families an option belongs to. */
function onlyOn(key: string): string {
  const owners = DEVICE_KINDS.filter((k) => key in DEVICE_CONFIG_RULES[k].options.shape);
  return `${key} 只用于${owners.map((k) => `${KIND_TEXT[k]}（kind: ${k}）`).join('、')}`;
}

function familyDevice<K extends DeviceKind>(kind: K) {
  const own = DEVICE_CONFIG_RULES[kind].options.shape as OptionsShape<K>;
  const foreign = Object.fromEntries(
    DEVICE_KINDS.filter((k) => k !== kind)
      .flatMap((k) => Object.keys(DEVICE_CONFIG_RULES[k].options.shape))
      .filter((key) => !(key in own))
      .map((key) => [key, z.never({ error: onlyOn(key) }).optional()]),
  ) as ForeignOptions<K>;
  return z.object({ ...commonFields, ...foreign, kind: z.literal(kind), ...own }).strict();
}

type FamilyDeviceSchemas = { [K in DeviceKind]: ReturnType<typeof familyDevice<K>> };
const familyDevices = DEVICE_KINDS.map((k) => familyDevice(k)) as unknown as [
  FamilyDeviceSchemas[DeviceKind],
  ...FamilyDeviceSchemas[DeviceKind][],
];

/** One device: a union on `kind`, each family with its own options only (kiosk-config/device-options.ts). */
const device = z.discriminatedUnion('kind', familyDevices, {
  error: `设备类型应为 ${DEVICE_KINDS.join('、')} 之一`,
});

const terminal = z
  .object({
    id: id('终端编号'),
    role: z.enum(TERMINAL_ROLES, { error: `终端角色应为 ${TERMINAL_ROLES.join('、')} 之一` }),
    window: z.number().int().min(1).max(999).optional(),
    name: z.string().optional(),
    devices: z.array(device).default([]),
  })
  .strict();

export const devicesSchema = z
  .object({
    terminals: z.array(terminal).default([]),
  })
  .strict();

export type DevicesConfig = z.output<typeof devicesSchema>;
export type TerminalConfig = DevicesConfig['terminals'][number];
export type DeviceConfig = TerminalConfig['devices'][number];
/** The config of one family's device. */
export type DeviceConfigOf<K extends DeviceKind> = Extract<DeviceConfig, { kind: K }>;
export type { DeviceKind };
export type TransportConfig = z.output<typeof transport>;
export type TransportType = TransportConfig['type'];

type Path = (string | number)[];

/** Checks the schema cannot express (it does not know the windows); positions come from the path. */
export function devicesSemanticChecks(
  devices: DevicesConfig | undefined,
  windows: Set<number>,
  report: (path: Path, message: string) => void,
): void {
  if (!devices) return;
  const terminalIds = new Map<string, number>();
  const deviceIds = new Map<string, string>();
  const buses = new Map<string, { bus: string | null; addresses: Map<number, string> }>();
  devices.terminals.forEach((t, i) => {
    const tp: Path = ['devices', 'terminals', i];
    if (terminalIds.has(t.id)) report([...tp, 'id'], `终端编号「${t.id}」重复`);
    terminalIds.set(t.id, i);
    if ((t.role === 'counter' || t.role === 'evaluator') && t.window === undefined)
      report([...tp, 'role'], `${t.role === 'counter' ? '窗口叫号' : '评价器'}终端 ${t.id} 需要 window`);
    if (t.window !== undefined && !windows.has(t.window))
      report([...tp, 'window'], `终端 ${t.id} 的窗口 ${t.window} 不存在`);
    t.devices.forEach((d, j) => {
      const dp: Path = [...tp, 'devices', j];
      const rules: DeviceConfigRules = DEVICE_CONFIG_RULES[d.kind];
      const prev = deviceIds.get(d.id);
      if (prev) report([...dp, 'id'], `设备编号「${d.id}」重复（已用于终端 ${prev}）`);
      deviceIds.set(d.id, t.id);
      if (rules.servesWindow && (d.window ?? t.window) === undefined)
        report([...dp, 'window'], `设备 ${d.id} 需要 window（或所在终端的 window）`);
      if (d.window !== undefined && !windows.has(d.window))
        report([...dp, 'window'], `设备 ${d.id} 的窗口 ${d.window} 不存在`);
      const tt = d.transport.type;
      if (!rules.transports.includes(tt))
        report([...dp, 'transport', 'type'], `${d.kind} 不支持 ${tt} 连接（可用：${rules.transports.join('、')}）`);
      rules.check?.(d, (path, message) => report([...dp, ...path], message));
      // Devices of one bus (RS-485 keypads) may share a serial port; nothing else may share a port.
      if (d.transport.type === 'serial' || d.transport.type === 'lp') {
        const key = `${tt}:${d.transport.path}`;
        const address = d.address;
        const bus = buses.get(key);
        if (!bus) {
          buses.set(key, {
            bus: rules.bus ?? null,
            addresses: new Map(address !== undefined ? [[address, d.id]] : []),
          });
        } else if (!rules.bus || bus.bus !== rules.bus) {
          report([...dp, 'transport', 'path'], `端口 ${d.transport.path} 已被其他设备使用`);
        } else if (address !== undefined) {
          const other = bus.addresses.get(address);
          if (other) report([...dp, 'address'], `地址 ${address} 在同一总线上已被 ${other} 使用`);
          bus.addresses.set(address, d.id);
        }
      }
    });
  });
}
