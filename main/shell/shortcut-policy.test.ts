import { describe, expect, it } from 'vitest';
import { closeAnswer, isBlockedShortcut, isDevToolsChord, isUnlockChord, type KeyInput } from './shortcut-policy.js';

type Mods = Partial<Pick<KeyInput, 'alt' | 'control' | 'shift' | 'meta'>>;
const key = (code: string, mods: Mods = {}, keyName = code, type = 'keyDown'): KeyInput => ({
  type,
  key: keyName,
  code,
  alt: false,
  control: false,
  shift: false,
  meta: false,
  ...mods,
});

const citizen = { citizenFacing: true, unlocked: false };
const staff = { citizenFacing: false, unlocked: false };
const technician = { citizenFacing: true, unlocked: true };

describe('shortcut policy', () => {
  it('blocks, in a citizen-facing window, the shortcuts the checklist names', () => {
    const named: [string, KeyInput][] = [
      ['Alt+F4', key('F4', { alt: true })],
      ['Ctrl+W', key('KeyW', { control: true }, 'w')],
      ['Ctrl+R', key('KeyR', { control: true }, 'r')],
      ['Ctrl+Q', key('KeyQ', { control: true }, 'q')],
      ['F5', key('F5')],
      ['F11', key('F11')],
      ['F12', key('F12')],
      ['Ctrl+Shift+I', key('KeyI', { control: true, shift: true }, 'I')],
      ['Alt+Tab (when it reaches the window)', key('Tab', { alt: true })],
    ];
    for (const [name, input] of named) expect(isBlockedShortcut(input, citizen), name).toBe(true);
  });

  it('also blocks reload, print, save, zoom, history and close variants, on key up as well', () => {
    const more = [
      key('F5', { control: true }),
      key('KeyR', { control: true, shift: true }),
      key('F4', { control: true }),
      key('KeyP', { control: true }),
      key('KeyS', { control: true }),
      key('Equal', { control: true }),
      key('Minus', { control: true }),
      key('Digit0', { control: true }),
      key('NumpadAdd', { control: true }),
      key('ArrowLeft', { alt: true }),
      key('BrowserBack'),
      key('Space', { alt: true }),
      key('KeyJ', { control: true, shift: true }),
      key('KeyI', { meta: true, alt: true }), // Cmd+Alt+I on macOS
      key('KeyW', { meta: true }), // Cmd+W
      key('F4', { alt: true }, 'F4', 'keyUp'),
    ];
    for (const input of more) expect(isBlockedShortcut(input, citizen), JSON.stringify(input)).toBe(true);
  });

  it('reads the key name when a keyboard reports no code', () => {
    expect(isBlockedShortcut(key('', { control: true }, 'w'), citizen)).toBe(true);
    expect(isBlockedShortcut(key('', { control: true }, 'R'), citizen)).toBe(true);
    expect(isBlockedShortcut(key('', {}, 'F5'), citizen)).toBe(true);
    expect(isBlockedShortcut(key('', { control: true }, '+'), citizen)).toBe(true);
    expect(isBlockedShortcut(key('', {}, 'a'), citizen)).toBe(false);
  });

  it('lets ordinary typing and editing through in every window', () => {
    const typing = [
      key('KeyA', {}, 'a'),
      key('KeyA', { shift: true }, 'A'),
      key('Digit5', {}, '5'),
      key('Backspace'),
      key('Enter'),
      key('Tab'),
      key('Tab', { shift: true }),
      key('Escape'),
      key('ArrowLeft'),
      key('KeyC', { control: true }, 'c'),
      key('KeyV', { control: true }, 'v'),
      key('KeyX', { control: true }, 'x'),
      key('KeyA', { control: true }, 'a'),
      key('KeyZ', { control: true }, 'z'),
      key('F1'),
    ];
    for (const input of typing) {
      expect(isBlockedShortcut(input, citizen), JSON.stringify(input)).toBe(false);
      expect(isBlockedShortcut(input, staff), JSON.stringify(input)).toBe(false);
    }
  });

  it('in a staff window blocks only the developer tools', () => {
    expect(isBlockedShortcut(key('F12'), staff)).toBe(true);
    expect(isBlockedShortcut(key('KeyI', { control: true, shift: true }), staff)).toBe(true);
    expect(isBlockedShortcut(key('F4', { alt: true }), staff)).toBe(false);
    expect(isBlockedShortcut(key('KeyR', { control: true }), staff)).toBe(false);
    expect(isBlockedShortcut(key('F5'), staff)).toBe(false);
    expect(isBlockedShortcut(key('KeyP', { control: true }), staff)).toBe(false);
  });

  it('blocks nothing once a technician has unlocked the terminal', () => {
    expect(isBlockedShortcut(key('F12'), technician)).toBe(false);
    expect(isBlockedShortcut(key('F4', { alt: true }), technician)).toBe(false);
    expect(isBlockedShortcut(key('KeyI', { control: true, shift: true }), { ...staff, unlocked: true })).toBe(false);
  });

  it('recognises the unlock chord and the devtools chord on key down only', () => {
    expect(isUnlockChord(key('KeyU', { control: true, shift: true, alt: true }, 'U'))).toBe(true);
    expect(isUnlockChord(key('KeyU', { control: true, shift: true, alt: true }, 'U', 'keyUp'))).toBe(false);
    expect(isUnlockChord(key('KeyU', { control: true, shift: true }, 'U'))).toBe(false);
    expect(isBlockedShortcut(key('KeyU', { control: true, shift: true, alt: true }), citizen)).toBe(false);
    expect(isDevToolsChord(key('F12'))).toBe(true);
    expect(isDevToolsChord(key('KeyI', { control: true, shift: true }))).toBe(true);
    expect(isDevToolsChord(key('F12', {}, 'F12', 'keyUp'))).toBe(false);
    expect(isDevToolsChord(key('KeyI', { control: true }))).toBe(false);
  });

  it('keeps citizen-facing windows open, minimises staff windows, and lets the shell close anything', () => {
    expect(closeAnswer({ citizenFacing: true, unlocked: false, shellClosing: false })).toBe('prevent');
    expect(closeAnswer({ citizenFacing: false, unlocked: false, shellClosing: false })).toBe('minimize');
    expect(closeAnswer({ citizenFacing: true, unlocked: false, shellClosing: true })).toBe('allow');
    expect(closeAnswer({ citizenFacing: true, unlocked: true, shellClosing: false })).toBe('allow');
  });
});
