/**
 * Device families, their states and their words, and what a keypad key can mean. One list for the
 * config schema, the drivers, the device service, the hub's device tests and the admin screen, so
 * the same device is never named two ways. Plain constants (no zod), so drivers can use them.
 */
import { EVALUATION_LEVELS, type EvaluationLevel } from './evaluation.js';

/** Families that are configured per terminal (`devices:` in the hall config). */
export const DEVICE_KINDS = ['idcard', 'printer', 'keypad', 'evalkeypad', 'ledstrip'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** What shows up in device health: the configured families plus evaluation pads (over WebSocket). */
export type StatusKind = DeviceKind | 'pad';

export const KIND_TEXT: Record<StatusKind, string> = {
  idcard: '身份证读卡器',
  printer: '票据打印机',
  keypad: '呼叫器',
  evalkeypad: '评价键盘',
  ledstrip: '窗口屏',
  pad: '评价器',
};

/** A kind's label; an unknown kind (a newer terminal) is shown as its code. */
export const kindText = (kind: string): string => KIND_TEXT[kind as StatusKind] ?? kind;

export const DEVICE_STATES = ['ok', 'warning', 'error', 'offline', 'unknown'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export const DEVICE_STATE_TEXT: Record<DeviceState, string> = {
  ok: '正常',
  warning: '警告',
  error: '故障',
  offline: '离线',
  unknown: '未知',
};

/** What a caller key can do at its window. */
export const WINDOW_ACTIONS = [
  'call-next',
  'recall',
  'skip',
  'start',
  'pause',
  'resume',
  'transfer',
  'query',
  'login',
] as const;
export type WindowKeyAction = (typeof WINDOW_ACTIONS)[number];

/** What an evaluation keypad key can mean: one of the five 好差评 levels. */
export const LEVELS = EVALUATION_LEVELS;
export type LevelName = EvaluationLevel;
