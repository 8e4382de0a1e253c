/**
 * What a key means. Callers map a key (RS-485 code or HID key name) to a window action, evaluation
 * keypads map a key to one of the five 好差评 levels. The defaults follow the common RS-485 protocol;
 * the hall config overrides them per device because vendors differ.
 */

import { LEVELS, type LevelName, WINDOW_ACTIONS, type WindowKeyAction } from '../../common/device-kinds.js';
import { CALLER_CODES, DEFAULT_LEVEL_CODES, hexByte } from './rs485-keypad.js';

export { LEVELS, type LevelName, WINDOW_ACTIONS, type WindowKeyAction };

/** Keys are upper-case: RS-485 codes as two hex digits (`CC`), HID keys by name (`KP1`, `F1`). */
export type KeyMap<T> = ReadonlyMap<string, T>;

export const DEFAULT_CALLER_MAP: KeyMap<WindowKeyAction> = new Map<string, WindowKeyAction>([
  [hexByte(CALLER_CODES.call), 'call-next'],
  [hexByte(CALLER_CODES.recall), 'recall'],
  [hexByte(CALLER_CODES.login), 'login'],
  [hexByte(CALLER_CODES.pause), 'pause'],
  [hexByte(CALLER_CODES.query), 'query'],
  [hexByte(CALLER_CODES.transfer), 'transfer'],
]);

export const DEFAULT_LEVEL_MAP: KeyMap<LevelName> = new Map<string, LevelName>(
  LEVELS.map((l) => [hexByte(DEFAULT_LEVEL_CODES[l]), l]),
);

/** HID evaluation pads: keys 1…5 (top row or keypad) from 非常满意 to 非常不满意. */
export const DEFAULT_HID_LEVEL_MAP: KeyMap<LevelName> = new Map<string, LevelName>(
  LEVELS.flatMap((l, i) => [
    [String(i + 1), l],
    [`KP${i + 1}`, l],
  ]),
);

/** HID callers: F1 call-next, F2 recall, F3 pause, F4 transfer, F5 skip, F6 start, F8 query. */
export const DEFAULT_HID_CALLER_MAP: KeyMap<WindowKeyAction> = new Map<string, WindowKeyAction>([
  ['F1', 'call-next'],
  ['F2', 'recall'],
  ['F3', 'pause'],
  ['F4', 'transfer'],
  ['F5', 'skip'],
  ['F6', 'start'],
  ['F8', 'query'],
]);

/** Normalises a config key (`"cc"`, `"0xCC"`, `204`, `"kp1"`) to the map's form. */
export function normaliseKey(k: string | number): string {
  if (typeof k === 'number') return hexByte(k & 0xff);
  const t = k.trim().toUpperCase();
  const hex = /^0X([0-9A-F]{1,2})$/.exec(t);
  if (hex) return hexByte(Number.parseInt(hex[1]!, 16));
  return t;
}

/** RS-485 codes of a map's keys (keys that are two hex digits), for the reply parser. */
export function codesOf(map: KeyMap<unknown>): number[] {
  return [...map.keys()].filter((k) => /^[0-9A-F]{2}$/.test(k)).map((k) => Number.parseInt(k, 16));
}
