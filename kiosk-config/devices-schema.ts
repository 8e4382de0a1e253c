/**
 * The `devices` section of a hall config: which terminal has which devices, on which transport,
 * with which options. The device service (`main/devices`) opens exactly what is written here;
 * `transport: { type: simulated }` runs the device's simulator in process instead.
 */
import { z } from 'zod';
import { LEVELS, WINDOW_ACTIONS } from '../common/device-keys.js';

export const DEVICE_KINDS = ['idcard', 'printer', 'keypad', 'evalkeypad', 'ledstrip'] as const;
export const TERMINAL_ROLES = ['kiosk', 'counter', 'display', 'evaluator', 'hub'] as const;

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

const keyMap = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.record(
    z
      .string()
      .regex(/^(0x)?[0-9A-Fa-f]{2}$|^[A-Za-z0-9]{1,12}$/, '按键应为两位十六进制代码（如 CC）或 HID 键名（如 KP1、F1）'),
    z.enum(values, { error: `${what}应为 ${values.join('、')} 之一` }),
  );

const device = z
  .object({
    id: id('设备编号'),
    kind: z.enum(DEVICE_KINDS, { error: `设备类型应为 ${DEVICE_KINDS.join('、')} 之一` }),
    transport,
    /** Window served (keypads, LED strips); defaults to the terminal's window. */
    window: z.number().int().min(1).max(999).optional(),
    /** RS-485 address of a keypad, screen address of an LED strip. */
    address: z.number().int().min(1, '地址为 1 到 254').max(254, '地址为 1 到 254').optional(),
    /** ID card reader: find-card interval. */
    pollMs: z.number().int().min(100, '寻卡间隔至少 100 毫秒').max(5000, '寻卡间隔最多 5000 毫秒').optional(),
    /** Keypad bus: one reply timeout; a full round of every address stays within 500 ms. */
    replyTimeoutMs: z.number().int().min(10).max(500).optional(),
    silentWhenIdle: z.boolean().optional(),
    /** Ticket printer paper width. */
    width: z.union([z.literal(58), z.literal(80)], { error: '纸宽应为 58 或 80' }).optional(),
    /** Caller keypad: key → window action. */
    keys: keyMap(WINDOW_ACTIONS, '按键动作').optional(),
    /** Evaluation keypad: key → level. */
    levels: keyMap(LEVELS, '评价等级').optional(),
    /**
     * Evaluation keypad: the 差评 reason code recorded with a 不满意/非常不满意 key (a 5-key pad cannot
     * ask for one). Without it such a press is refused and reported, as a 差评 needs a reason.
     */
    badRatingReason: z.string().min(1).max(32).optional(),
    /** Caller keypad transfer key: where a transfer sends the current ticket. */
    transferTo: z
      .object({
        serviceCode: z.string().optional(),
        windowNo: z.number().int().optional(),
        position: z.enum(['front', 'back']).default('back'),
      })
      .strict()
      .optional(),
    /** LED strip: what a call shows; {number}, {window}. */
    template: z.string().max(60).optional(),
    /** LED strip: text when the window is paused or closed. */
    idleText: z.string().max(60).optional(),
  })
  .strict();

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
export type DeviceKind = DeviceConfig['kind'];
export type TransportConfig = DeviceConfig['transport'];

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
  const buses = new Map<string, { kind: DeviceKind; addresses: Map<number, string> }>();
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
      const prev = deviceIds.get(d.id);
      if (prev) report([...dp, 'id'], `设备编号「${d.id}」重复（已用于终端 ${prev}）`);
      deviceIds.set(d.id, t.id);
      const win = d.window ?? t.window;
      const needsWindow = d.kind === 'keypad' || d.kind === 'evalkeypad' || d.kind === 'ledstrip';
      if (needsWindow && win === undefined)
        report([...dp, 'window'], `设备 ${d.id} 需要 window（或所在终端的 window）`);
      if (d.window !== undefined && !windows.has(d.window))
        report([...dp, 'window'], `设备 ${d.id} 的窗口 ${d.window} 不存在`);
      const tt = d.transport.type;
      const allowed: Record<DeviceKind, string[]> = {
        idcard: ['serial', 'hid', 'simulated'],
        printer: ['serial', 'tcp', 'lp', 'simulated'],
        keypad: ['serial', 'hid', 'simulated'],
        evalkeypad: ['serial', 'hid', 'simulated'],
        ledstrip: ['serial', 'tcp', 'simulated'],
      };
      if (!allowed[d.kind].includes(tt))
        report([...dp, 'transport', 'type'], `${d.kind} 不支持 ${tt} 连接（可用：${allowed[d.kind].join('、')}）`);
      if (d.keys && d.kind !== 'keypad') report([...dp, 'keys'], 'keys 只用于呼叫器（kind: keypad）');
      if (d.levels && d.kind !== 'evalkeypad') report([...dp, 'levels'], 'levels 只用于评价键盘（kind: evalkeypad）');
      if (d.badRatingReason && d.kind !== 'evalkeypad')
        report([...dp, 'badRatingReason'], 'badRatingReason 只用于评价键盘（kind: evalkeypad）');
      if (d.levels) {
        const seen = new Set(Object.values(d.levels));
        for (const l of LEVELS) if (!seen.has(l)) report([...dp, 'levels'], `levels 缺少等级 ${l}：五个等级都要有按键`);
      }
      if ((d.kind === 'keypad' || d.kind === 'evalkeypad') && tt === 'serial' && d.address === undefined)
        report([...dp, 'address'], `RS-485 键盘 ${d.id} 需要 address（1 到 254）`);
      // Keypads may share one RS-485 bus (serial port); nothing else may share a port.
      if (tt === 'serial' || tt === 'lp') {
        const key = `${tt}:${d.transport.type === 'serial' || d.transport.type === 'lp' ? d.transport.path : ''}`;
        const isPad = d.kind === 'keypad' || d.kind === 'evalkeypad';
        const bus = buses.get(key);
        if (!bus) {
          buses.set(key, { kind: d.kind, addresses: new Map(d.address !== undefined ? [[d.address, d.id]] : []) });
        } else {
          const busIsPad = bus.kind === 'keypad' || bus.kind === 'evalkeypad';
          if (!isPad || !busIsPad)
            report([...dp, 'transport', 'path'], `端口 ${key.slice(tt.length + 1)} 已被其他设备使用`);
          else if (d.address !== undefined) {
            const other = bus.addresses.get(d.address);
            if (other) report([...dp, 'address'], `地址 ${d.address} 在同一总线上已被 ${other} 使用`);
            bus.addresses.set(d.address, d.id);
          }
        }
      }
    });
  });
}
