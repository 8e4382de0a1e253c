/**
 * Window LED strips follow their window: a call or recall shows the strip's `template` (default
 * 请{number}号到{window}号窗口), a pause shows its `idleText` (default 暂停服务) and a closed
 * window its `idleText` or nothing. Only when the device service runs in this process.
 */
import type { DeviceService } from '../devices/device-service.js';
import { formatLedText } from '../devices/led-text.js';
import type { QueueEvent } from '../queue/types.js';
import type { HubContext } from './hub-plugin.js';

export interface StripAtWindow {
  deviceId: string;
  template: string | null;
  idleText: string | null;
}

/** What each strip of the event's window shows now; empty for an event that changes none. */
export function ledTexts(
  e: QueueEvent,
  stripsOf: (windowNo: number) => StripAtWindow[],
  windowName: (windowNo: number) => string,
): { deviceId: string; text: string }[] {
  if (e.type === 'ticket.called' || e.type === 'ticket.recalled') {
    return stripsOf(e.windowNo).map((s) => ({
      deviceId: s.deviceId,
      text: formatLedText(s.template, {
        number: e.ticket.number,
        window: e.windowNo,
        windowName: windowName(e.windowNo),
      }),
    }));
  }
  if (e.type === 'window.changed' && (e.window.state === 'paused' || e.window.state === 'closed')) {
    const fallback = e.window.state === 'paused' ? '暂停服务' : '';
    return stripsOf(e.window.no).map((s) => ({ deviceId: s.deviceId, text: s.idleText ?? fallback }));
  }
  return [];
}

/** Keeps the strips of `service` in step with the queue; returns the unsubscribe function. */
export function ledStripsFollowCalls(ctx: HubContext, service: DeviceService): () => void {
  const stripsOf = (windowNo: number): StripAtWindow[] =>
    service
      .devices()
      .flatMap(({ device: d, windowNo: w }) =>
        d.kind === 'ledstrip' && w === windowNo
          ? [{ deviceId: d.id, template: d.template ?? null, idleText: d.idleText ?? null }]
          : [],
      );
  const windowName = (no: number) => ctx.engine.config.windows.find((w) => w.no === no)?.name ?? '';
  return ctx.engine.onEvents((events) => {
    for (const { event } of events)
      for (const { deviceId, text } of ledTexts(event, stripsOf, windowName))
        void service.showOn(deviceId, text).catch(() => {});
  });
}
