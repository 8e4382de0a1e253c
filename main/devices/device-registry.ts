/**
 * Every device family the device service can open, by kind: one line a family. A new family (a
 * document camera, say) is one module in `families/` and one line here — the recipe is in
 * docs/devices.md「新增设备族」.
 */
import { DEVICE_KINDS, type DeviceKind, kindText } from '../../common/device-kinds.js';
import type { DeviceFamily } from './device-family.js';
import { evalkeypadFamily } from './families/evalkeypad.js';
import { idcardFamily } from './families/idcard.js';
import { keypadFamily } from './families/keypad.js';
import { ledstripFamily } from './families/ledstrip.js';
import { printerFamily } from './families/printer.js';

export type DeviceFamilies = { readonly [K in DeviceKind]: DeviceFamily<K> };

export const DEVICE_FAMILIES: DeviceFamilies = {
  idcard: idcardFamily,
  printer: printerFamily,
  keypad: keypadFamily,
  evalkeypad: evalkeypadFamily,
  ledstrip: ledstripFamily,
};

/** A kind no family answers to (a config written for a newer version, or a typo in code). */
export class UnknownDeviceKindError extends Error {
  readonly code = 'UNKNOWN_DEVICE_KIND';
  constructor(readonly kind: string) {
    super(
      `不认识的设备类型「${kind}」：可用 ${DEVICE_KINDS.map((k) => `${k}（${kindText(k)}）`).join('、')}；请改正大厅配置中该设备的 kind，或升级 govhall`,
    );
    this.name = 'UnknownDeviceKindError';
  }
}

/** The family of a kind; throws `UnknownDeviceKindError` for any other. */
export function familyOf(kind: string, families: DeviceFamilies = DEVICE_FAMILIES): DeviceFamily {
  if (!Object.hasOwn(families, kind)) throw new UnknownDeviceKindError(kind);
  return families[kind as DeviceKind] as DeviceFamily;
}
