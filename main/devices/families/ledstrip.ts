/**
 * The window LED strip family (窗口屏): a 69-byte frame controller (drivers/ledstrip) on the
 * device's link. The strip never answers, so a connected port is all its health can say; a text
 * too long for it is shown cut and said so in its status.
 */

import { Led69Controller } from '../../../drivers/ledstrip/led-controller.js';
import { LedStripSimulator } from '../../../drivers/ledstrip/led-simulator.js';
import { type DeviceFamily, familyBasics } from '../device-family.js';

export const ledstripFamily: DeviceFamily<'ledstrip'> = {
  ...familyBasics('ledstrip'),
  testActions: ['status'],
  defaultBaud: 9600,
  open(link, device, sink) {
    const led = new Led69Controller(link, { address: device.options.address ?? 1 });
    sink.status('ok', null);
    return {
      stop: () => led.close(),
      show: async (text) => {
        try {
          const r = await led.showText(text);
          sink.status('ok', r.truncated ? `文字过长，只显示「${r.shown}」` : null);
          return true;
        } catch (err) {
          sink.status('error', `写入窗口屏失败：${(err as Error).message}`);
          return false;
        }
      },
    };
  },
  simulator(far, device) {
    const address = device.options.address;
    const sim = new LedStripSimulator(far, address !== undefined ? { address } : {});
    return { sim, stop: () => sim.close() };
  },
};
