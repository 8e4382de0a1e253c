/**
 * What a window caller's key does at its window (docs/devices.md「按键的含义」): a queue action,
 * done as the window's logged-in staff with the caller as the terminal. A key can never break the
 * hub: an action the queue refuses (nobody logged in, nothing waiting, no transfer target) is
 * logged, not thrown.
 */
import type { WindowKeyAction } from '../../common/device-kinds.js';
import type { DeviceConfigOf } from '../../kiosk-config/devices-schema.js';
import type { KeyActionEvent } from '../devices/types.js';
import type { Actor } from '../queue/types.js';
import type { HubContext } from './hub-plugin.js';

type TransferTo = NonNullable<DeviceConfigOf<'keypad'>['transferTo']>;

/** A key's meaning at a window in a given state: a queue command, or a refusal with its reason. */
export type CallerCommand =
  | { do: 'call-next' | 'recall' | 'skip' | 'start' | 'resume' }
  | { do: 'pause'; reason: string }
  | { do: 'transfer'; to: TransferTo }
  | { do: 'show-waiting' }
  | { do: 'refuse'; message: string };

export function callerCommand(
  action: WindowKeyAction,
  windowState: string,
  transferTo: TransferTo | undefined,
): CallerCommand {
  switch (action) {
    case 'call-next':
    case 'recall':
    case 'skip':
    case 'start':
    case 'resume':
      return { do: action };
    case 'pause':
      // One key for both ways: a paused window resumes.
      return windowState === 'paused' ? { do: 'resume' } : { do: 'pause', reason: '窗口呼叫器暂停' };
    case 'transfer':
      return transferTo
        ? { do: 'transfer', to: transferTo }
        : { do: 'refuse', message: '呼叫器的转移键未配置去向（transferTo）' };
    case 'query':
      return { do: 'show-waiting' };
    case 'login':
      // Opening a window needs the staff PIN; a keypad key cannot carry it.
      return { do: 'refuse', message: '呼叫器不能登录开窗，请在窗口叫号界面用工号和 PIN 登录' };
  }
}

export interface CallerKeyDeps {
  /** The caller's configured transfer target. */
  transferTo(deviceId: string): TransferTo | undefined;
  /** Shows a text on the window's displays (the query key); never throws. */
  showOnWindow(windowNo: number, text: string): void;
}

/** Does what the key means at its window; logs the outcome, never throws for a refused action. */
export function runCallerKey(ctx: HubContext, e: KeyActionEvent, deps: CallerKeyDeps): void {
  const no = e.windowNo;
  const win = ctx.engine.window(no);
  const actor: Actor = { role: 'counter', terminalId: e.deviceId, staffNo: win.staffNo };
  const cmd = callerCommand(e.action, win.state, deps.transferTo(e.deviceId));
  try {
    ctx.run(() => {
      switch (cmd.do) {
        case 'call-next':
          return ctx.engine.callNext(no, actor);
        case 'recall':
          return ctx.engine.recall(no, actor);
        case 'skip':
          return ctx.engine.skip(no, { requeue: false }, actor);
        case 'start':
          return ctx.engine.start(no, actor);
        case 'resume':
          return ctx.engine.resume(no, actor);
        case 'pause':
          return ctx.engine.pause(no, cmd.reason, actor);
        case 'transfer':
          return ctx.engine.transfer(
            no,
            {
              ...(cmd.to.serviceCode ? { toServiceCode: cmd.to.serviceCode } : {}),
              ...(cmd.to.windowNo ? { toWindowNo: cmd.to.windowNo } : {}),
              position: cmd.to.position,
            },
            actor,
          );
        case 'show-waiting': {
          const codes = new Set(ctx.engine.config.windows.find((w) => w.no === no)?.services.map((s) => s.code));
          const waiting = ctx.engine
            .services()
            .filter((s) => codes.has(s.code))
            .reduce((n, s) => n + s.waiting, 0);
          deps.showOnWindow(no, `等候 ${waiting} 人`);
          return null;
        }
        case 'refuse':
          throw new Error(cmd.message);
      }
    });
    ctx.log('info', '呼叫器操作', { deviceId: e.deviceId, windowNo: no, action: e.action });
  } catch (err) {
    const ex = err as { code?: string; message?: string };
    ctx.log('warn', '呼叫器操作未执行', {
      deviceId: e.deviceId,
      windowNo: no,
      action: e.action,
      code: ex.code,
      error: ex.message,
    });
  }
}
