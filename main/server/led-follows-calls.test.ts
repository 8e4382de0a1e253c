/** What the LED strips of a window show for queue events (on a strip: test/devices/device-service.test.ts). */
import { describe, expect, it } from 'vitest';
import type { QueueEvent } from '../queue/types.js';
import { ledTexts, type StripAtWindow } from './led-follows-calls.js';

const strips: Record<number, StripAtWindow[]> = {
  3: [
    { deviceId: 'w3-led', template: null, idleText: null },
    { deviceId: 'w3-top', template: '{number} → {windowName}', idleText: '请稍候' },
  ],
};
const texts = (e: unknown) =>
  ledTexts(
    e as QueueEvent,
    (no) => strips[no] ?? [],
    (no) => `${no}号窗`,
  );
const call = (type: string, windowNo: number) => ({ type, windowNo, ticket: { number: 'A012' }, announcement: '' });
const windowChanged = (no: number, state: string) => ({ type: 'window.changed', window: { no, state } });

describe('LED strips follow calls', () => {
  it('a call or recall shows each strip’s own template', () => {
    const expected = [
      { deviceId: 'w3-led', text: '请A012号到3号窗口' },
      { deviceId: 'w3-top', text: 'A012 → 3号窗' },
    ];
    expect(texts(call('ticket.called', 3))).toEqual(expected);
    expect(texts(call('ticket.recalled', 3))).toEqual(expected);
    expect(texts(call('ticket.called', 4))).toEqual([]);
  });

  it('a pause shows the idle text (default 暂停服务); a closed window its idle text or nothing', () => {
    expect(texts(windowChanged(3, 'paused'))).toEqual([
      { deviceId: 'w3-led', text: '暂停服务' },
      { deviceId: 'w3-top', text: '请稍候' },
    ]);
    expect(texts(windowChanged(3, 'closed'))).toEqual([
      { deviceId: 'w3-led', text: '' },
      { deviceId: 'w3-top', text: '请稍候' },
    ]);
    expect(texts(windowChanged(3, 'idle'))).toEqual([]);
    expect(texts({ type: 'ticket.issued', ticket: { number: 'A013' } })).toEqual([]);
  });
});
