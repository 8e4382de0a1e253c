/**
 * What each device family may carry in the hall config beside `id`, `kind`, `transport` and `window`,
 * and the rules of that family the schema cannot say alone. The config schema (`devices-schema.ts`)
 * builds its union on `kind` from this table, and every family of the device service
 * (`main/devices/families/`) takes its options schema from here: one definition for both, so an
 * option is valid exactly on the family that uses it.
 */
import { z } from 'zod';
import { type DeviceKind, LEVELS, WINDOW_ACTIONS } from '../common/device-kinds.js';
import type { TransportConfig, TransportType } from './devices-schema.js';

type Path = (string | number)[];

/** A family's part of the config: its options, where it may be connected, what it serves. */
export interface DeviceConfigRules<S extends z.ZodRawShape = z.ZodRawShape> {
  /** Options only this family takes; on any other family they are refused. */
  options: z.ZodObject<S, z.core.$strict>;
  /** Transports it can be on (`simulated` is always among them). */
  transports: readonly TransportType[];
  /** Serves a window (keypads, LED strips): needs its own `window` or its terminal's. */
  servesWindow: boolean;
  /**
   * Devices whose families name the same bus may share one serial port, each at its own address
   * (callers and evaluation keypads on one RS-485 line). Without a bus a port is one device's.
   */
  bus?: string;
  /** Checks across its options (and transport) that a field schema cannot make. */
  check?(device: { id: string; transport: TransportConfig } & z.output<z.ZodObject<S>>, report: Report): void;
}

type Report = (path: Path, message: string) => void;

const rules = <S extends z.ZodRawShape>(r: DeviceConfigRules<S>) => r;

const keyMap = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.record(
    z
      .string()
      .regex(/^(0x)?[0-9A-Fa-f]{2}$|^[A-Za-z0-9]{1,12}$/, '按键应为两位十六进制代码（如 CC）或 HID 键名（如 KP1、F1）'),
    z.enum(values, { error: `${what}应为 ${values.join('、')} 之一` }),
  );

/** RS-485 address of a keypad, screen address of an LED strip. */
const address = z.number().int().min(1, '地址为 1 到 254').max(254, '地址为 1 到 254').optional();

/** Options of every keypad on an RS-485 bus (callers and evaluation keypads alike). */
const keypadBusOptions = {
  address,
  /** One reply timeout; a full round of every address stays within 500 ms. */
  replyTimeoutMs: z.number().int().min(10).max(500).optional(),
  silentWhenIdle: z.boolean().optional(),
};

const RS485_KEYPAD_BUS = 'rs485-keypad';

const needsAddressOnSerial = (
  d: { id: string; transport: TransportConfig; address?: number | undefined },
  report: Report,
) => {
  if (d.transport.type === 'serial' && d.address === undefined)
    report(['address'], `RS-485 键盘 ${d.id} 需要 address（1 到 254）`);
};

export const DEVICE_CONFIG_RULES = {
  idcard: rules({
    options: z
      .object({
        /** Find-card interval. */
        pollMs: z.number().int().min(100, '寻卡间隔至少 100 毫秒').max(5000, '寻卡间隔最多 5000 毫秒').optional(),
      })
      .strict(),
    transports: ['serial', 'hid', 'simulated'],
    servesWindow: false,
  }),
  printer: rules({
    options: z
      .object({
        /** Paper width in mm. */
        width: z.union([z.literal(58), z.literal(80)], { error: '纸宽应为 58 或 80' }).optional(),
      })
      .strict(),
    transports: ['serial', 'tcp', 'lp', 'simulated'],
    servesWindow: false,
  }),
  keypad: rules({
    options: z
      .object({
        ...keypadBusOptions,
        /** Key → window action. */
        keys: keyMap(WINDOW_ACTIONS, '按键动作').optional(),
        /** Where the transfer key sends the current ticket. */
        transferTo: z
          .object({
            serviceCode: z.string().optional(),
            windowNo: z.number().int().optional(),
            position: z.enum(['front', 'back']).default('back'),
          })
          .strict()
          .optional(),
      })
      .strict(),
    transports: ['serial', 'hid', 'simulated'],
    servesWindow: true,
    bus: RS485_KEYPAD_BUS,
    check: needsAddressOnSerial,
  }),
  evalkeypad: rules({
    options: z
      .object({
        ...keypadBusOptions,
        /** Key → level. */
        levels: keyMap(LEVELS, '评价等级').optional(),
        /**
         * The 差评 reason code recorded with a 不满意/非常不满意 key (a 5-key pad cannot ask for one).
         * Without it such a press is refused and reported, as a 差评 needs a reason.
         */
        badRatingReason: z.string().min(1).max(32).optional(),
      })
      .strict(),
    transports: ['serial', 'hid', 'simulated'],
    servesWindow: true,
    bus: RS485_KEYPAD_BUS,
    check: (d, report) => {
      needsAddressOnSerial(d, report);
      if (d.levels) {
        const seen = new Set(Object.values(d.levels));
        for (const l of LEVELS) if (!seen.has(l)) report(['levels'], `levels 缺少等级 ${l}：五个等级都要有按键`);
      }
    },
  }),
  ledstrip: rules({
    options: z
      .object({
        address,
        /** What a call shows; {number}, {window}, {windowName}. */
        template: z.string().max(60).optional(),
        /** Text when the window is paused or closed. */
        idleText: z.string().max(60).optional(),
      })
      .strict(),
    transports: ['serial', 'tcp', 'simulated'],
    servesWindow: true,
  }),
} satisfies { [K in DeviceKind]: DeviceConfigRules };

export type DeviceOptionsSchemas = { [K in DeviceKind]: (typeof DEVICE_CONFIG_RULES)[K]['options'] };
/** The options of one family, as parsed. */
export type DeviceOptions<K extends DeviceKind> = z.output<DeviceOptionsSchemas[K]>;
/** Every option key of every family. */
export type DeviceOptionKey = { [K in DeviceKind]: keyof DeviceOptionsSchemas[K]['shape'] & string }[DeviceKind];
