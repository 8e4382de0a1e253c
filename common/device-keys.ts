/**
 * What a keypad key can mean: a window action (callers) or one of the five 好差评 levels
 * (evaluation keypads). One list for the config schema (`devices-schema.ts`), the keypad drivers
 * (`drivers/keypad/key-map.ts`) and the device service's events; plain constants, no zod, so the
 * drivers can use it without loading the schema. In common/ because kiosk-config/ and drivers/ may
 * not import each other.
 */

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

export const LEVELS = [
  'very_satisfied',
  'satisfied',
  'basically_satisfied',
  'dissatisfied',
  'very_dissatisfied',
] as const;
export type LevelName = (typeof LEVELS)[number];
