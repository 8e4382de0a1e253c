/**
 * The caller keypad family (呼叫器): each key is a window action — call the next ticket, recall,
 * pause… The configured `keys` map, or the defaults of its transport (RS-485 codes, HID F-keys).
 */
import { DEFAULT_CALLER_MAP, DEFAULT_HID_CALLER_MAP } from '../../../drivers/keypad/key-map.js';
import { configuredKeys, familyOfKeys } from './keypad-input.js';

export const keypadFamily = familyOfKeys({
  kind: 'keypad',
  keys: (d) =>
    configuredKeys(d.options.keys) ?? (d.transport.type === 'hid' ? DEFAULT_HID_CALLER_MAP : DEFAULT_CALLER_MAP),
  pressed: (sink, action, key) => sink.key(action, key),
});
