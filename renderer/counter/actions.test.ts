import { describe, expect, it } from 'vitest';
import { ACTIONS, actionForKey, durationText, isEnabled } from './actions.js';

describe('counter actions', () => {
  it('maps every action to its own function key and never to F5/F11/F12', () => {
    const keys = ACTIONS.map((a) => a.key);
    expect(new Set(keys).size).toBe(ACTIONS.length);
    for (const k of ['F5', 'F11', 'F12']) expect(keys).not.toContain(k);
    expect(actionForKey('F1')?.action).toBe('call-next');
    expect(actionForKey('F9')?.action).toBe('finish');
    expect(actionForKey('Enter')).toBeNull();
  });

  it('enables only what the window state allows', () => {
    const on = (state: Parameters<typeof isEnabled>[1]) =>
      ACTIONS.filter((a) => isEnabled(a, state)).map((a) => a.action);
    expect(on('idle')).toEqual(['call-next', 'pause']);
    expect(on('calling')).toEqual(['recall', 'skip', 'transfer', 'start', 'finish']);
    expect(on('serving')).toEqual(['transfer', 'finish']);
    expect(on('paused')).toEqual(['resume']);
    expect(on('closed')).toEqual([]);
    expect(on(null)).toEqual([]);
  });

  it('writes durations in Chinese', () => {
    expect(durationText(5)).toBe('5 秒');
    expect(durationText(125)).toBe('2 分 05 秒');
    expect(durationText(3725)).toBe('1 小时 2 分');
  });
});
