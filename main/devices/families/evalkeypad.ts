/**
 * The evaluation keypad family (评价键盘): each key is one of the five 好差评 levels. The configured
 * `levels` map, or the defaults of its transport (RS-485 codes 01…05, HID keys 1…5).
 */
import { DEFAULT_HID_LEVEL_MAP, DEFAULT_LEVEL_MAP } from '../../../drivers/keypad/key-map.js';
import { configuredKeys, familyOfKeys } from './keypad-input.js';

export const evalkeypadFamily = familyOfKeys({
  kind: 'evalkeypad',
  keys: (d) =>
    configuredKeys(d.options.levels) ?? (d.transport.type === 'hid' ? DEFAULT_HID_LEVEL_MAP : DEFAULT_LEVEL_MAP),
  pressed: (sink, level, key) => sink.rating(level, key),
});
