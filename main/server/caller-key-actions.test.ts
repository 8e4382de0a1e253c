/** What a caller key means at its window (the queue side runs in test/devices/device-service.test.ts). */
import { describe, expect, it } from 'vitest';
import { WINDOW_ACTIONS } from '../../common/device-kinds.js';
import { callerCommand } from './caller-key-actions.js';

describe('caller key commands', () => {
  it('maps the plain actions to themselves', () => {
    for (const a of ['call-next', 'recall', 'skip', 'start', 'resume'] as const)
      expect(callerCommand(a, 'serving', undefined)).toEqual({ do: a });
  });

  it('pause toggles: a paused window resumes', () => {
    expect(callerCommand('pause', 'idle', undefined)).toEqual({ do: 'pause', reason: '窗口呼叫器暂停' });
    expect(callerCommand('pause', 'paused', undefined)).toEqual({ do: 'resume' });
  });

  it('transfer needs its configured target', () => {
    const to = { serviceCode: 'S2', position: 'front' as const };
    expect(callerCommand('transfer', 'serving', to)).toEqual({ do: 'transfer', to });
    expect(callerCommand('transfer', 'serving', undefined)).toEqual({
      do: 'refuse',
      message: '呼叫器的转移键未配置去向（transferTo）',
    });
  });

  it('query shows the waiting count; login is refused with the way to log in', () => {
    expect(callerCommand('query', 'idle', undefined)).toEqual({ do: 'show-waiting' });
    const login = callerCommand('login', 'closed', undefined);
    expect(login).toMatchObject({ do: 'refuse' });
    expect(login.do === 'refuse' && login.message).toMatch(/工号和 PIN/);
  });

  it('every window action has a meaning', () => {
    for (const a of WINDOW_ACTIONS) expect(callerCommand(a, 'idle', undefined).do).toBeTruthy();
  });
});
