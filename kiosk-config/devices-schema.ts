/**
 * The `devices` section of a hall config: which terminal has which devices, on which transport,
 * with which options. The device service (`main/devices`) opens exactly what is written here;
 * `transport: { type: simulated }` runs the device's simulator in process instead.
 */
import { z } from 'zod';
import { DEVICE_KINDS, type DeviceKind, KIND_TEXT } from '../common/device-kinds.js';
import { type DeviceRole, TERMINAL_ROLES, UI_ROLES, WINDOW_BOUND_ROLES } from '../common/roles.js';
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

const windowNo = z
  .number({ error: '窗口编号应为数字' })
  .int()
  .min(1, '窗口编号为 1 到 999')
  .max(999, '窗口编号为 1 到 999');

/** Where a role's window opens: `primary`, `secondary`, a display index (0 = first) or the display's label. */
const displayRef = z.union(
  [
    z.enum(['primary', 'secondary']),
    z.number().int().min(0, '显示器序号从 0 开始').max(15, '显示器序号最多为 15'),
    z.string().min(1, '显示器名称不能为空').max(80, '显示器名称最多 80 字'),
  ],
  { error: '显示器应为 primary、secondary、序号或显示器名称' },
);

const cameraLabelText = z.string().min(1, '摄像头名称不能为空').max(120, '摄像头名称最多 120 字');

/** One role page the terminal opens: the role, its window, the display it goes on. */
const roleWindow = z
  .object({
    role: z.enum(UI_ROLES, { error: `界面角色应为 ${UI_ROLES.join('、')} 之一` }),
    window: windowNo.optional(),
    display: displayRef.default('primary'),
    /**
     * The document camera (高拍仪) this role uses, by the label the system gives it: `camera: "…"`
     * or `camera: { label: "…" }` (common/camera.ts).
     */
    camera: z.union([cameraLabelText, z.object({ label: cameraLabelText }).strict()]).optional(),
    layout: z.enum(['landscape', 'portrait'], { error: 'layout 应为 landscape 或 portrait' }).optional(),
  })
  .strict();

const timeOfDay = z
  .string({ error: '应为时间，格式 HH:MM' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM（00:00 至 23:59）');

const terminal = z
  .object({
    id: id('终端编号'),
    /** Short form of a terminal with one role (`role` + `window`); `windows` lists several. */
    role: z.enum(TERMINAL_ROLES, { error: `终端角色应为 ${TERMINAL_ROLES.join('、')} 之一` }).optional(),
    window: windowNo.optional(),
    name: z.string().max(60, '终端名称最多 60 字').optional(),
    windows: z.array(roleWindow).max(8, '一台终端最多 8 个界面').optional(),
    /** Citizen-facing windows are locked down; `admin-pin` lets a technician unlock them with a manager's PIN. */
    lockdown: z
      .object({
        technicianUnlock: z.enum(['admin-pin', 'none'], { error: 'technicianUnlock 应为 admin-pin 或 none' }),
      })
      .strict()
      .optional(),
    restart: z.object({ nightlyAt: timeOfDay }).strict().optional(),
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
export type RoleWindowConfig = z.output<typeof roleWindow>;

/** A role a terminal runs, with its window where the role has one. */
export interface TerminalGrant {
  role: DeviceRole;
  windowNo: number | null;
}

/**
 * The role pages of a terminal, whichever form its entry uses: `windows`, or the short form
 * `role` + `window` (one page on the primary display; a `hub` terminal opens none).
 */
export function terminalWindows(t: TerminalConfig): RoleWindowConfig[] {
  const pages: RoleWindowConfig[] =
    t.windows ??
    (t.role && t.role !== 'hub'
      ? [{ role: t.role, display: 'primary', ...(t.window !== undefined ? { window: t.window } : {}) }]
      : []);
  return pages.map((w) =>
    w.window === undefined && t.window !== undefined && WINDOW_BOUND_ROLES.includes(w.role)
      ? { ...w, window: t.window }
      : w,
  );
}

/** The roles a terminal's token carries: one per role page, each with its window. */
export function terminalGrants(t: TerminalConfig): TerminalGrant[] {
  const out: TerminalGrant[] = [];
  for (const w of terminalWindows(t)) {
    const windowNo = w.window ?? null;
    if (!out.some((g) => g.role === w.role && g.windowNo === windowNo)) out.push({ role: w.role, windowNo });
  }
  return out;
}

/** The window a terminal serves (the default of its devices): its own, or the one its role pages share. */
export function terminalWindowNo(t: TerminalConfig): number | null {
  if (t.window !== undefined) return t.window;
  const nos = new Set(terminalWindows(t).flatMap((w) => (w.window === undefined ? [] : [w.window])));
  return nos.size === 1 ? [...nos][0]! : null;
}

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
    if (t.role !== undefined && t.windows !== undefined)
      report([...tp, 'role'], `终端 ${t.id} 的 role 与 windows 只写一个（多个界面写在 windows 中）`);
    if (t.role === undefined && t.windows === undefined)
      report([...tp, 'id'], `终端 ${t.id} 需要 windows（每个界面的角色与显示器）或 role`);
    if ((t.role === 'counter' || t.role === 'evaluator') && t.window === undefined)
      report([...tp, 'role'], `${t.role === 'counter' ? '窗口叫号' : '评价器'}终端 ${t.id} 需要 window`);
    if (t.window !== undefined && !windows.has(t.window))
      report([...tp, 'window'], `终端 ${t.id} 的窗口 ${t.window} 不存在`);
    const seenPages = new Set<string>();
    t.windows?.forEach((w, k) => {
      const wp: Path = [...tp, 'windows', k];
      const no = w.window ?? t.window;
      if (WINDOW_BOUND_ROLES.includes(w.role) && no === undefined)
        report([...wp, 'role'], `终端 ${t.id} 的 ${w.role} 界面需要 window`);
      if (w.window !== undefined && !windows.has(w.window))
        report([...wp, 'window'], `终端 ${t.id} 的窗口 ${w.window} 不存在`);
      if (!WINDOW_BOUND_ROLES.includes(w.role) && w.window !== undefined)
        report([...wp, 'window'], `${w.role} 界面不属于窗口，不需要 window`);
      const key = `${w.role}:${no ?? ''}`;
      if (seenPages.has(key)) report([...wp, 'role'], `终端 ${t.id} 重复列出 ${w.role} 界面`);
      seenPages.add(key);
    });
    if (t.windows && terminalWindowNo(t) === null && t.devices.some((d) => DEVICE_CONFIG_RULES[d.kind].servesWindow)) {
      const nos = new Set(t.windows.flatMap((w) => (w.window === undefined ? [] : [w.window])));
      if (nos.size > 1)
        report([...tp, 'window'], `终端 ${t.id} 的界面属于不同窗口，请写明终端的 window 或每台设备的 window`);
    }
    t.devices.forEach((d, j) => {
      const dp: Path = [...tp, 'devices', j];
      const rules: DeviceConfigRules = DEVICE_CONFIG_RULES[d.kind];
      const prev = deviceIds.get(d.id);
      if (prev) report([...dp, 'id'], `设备编号「${d.id}」重复（已用于终端 ${prev}）`);
      deviceIds.set(d.id, t.id);
      if (rules.servesWindow && (d.window ?? terminalWindowNo(t) ?? undefined) === undefined)
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
