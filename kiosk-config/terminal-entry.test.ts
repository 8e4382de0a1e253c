/** The terminal entries of the hall config (role pages, lockdown, nightly restart) and the local terminal file. */
import { describe, expect, it } from 'vitest';
import { terminalGrants, terminalWindowNo, terminalWindows } from './devices-schema.js';
import { checkHallConfigText, formatProblem } from './load.js';
import { checkTerminalFileText } from './terminal-file.js';

const HALL = [
  'hall:',
  '  code: H1',
  '  name: 测试大厅',
  '  areaCode: "330106"',
  '  openingHours: [{ days: [1, 2, 3, 4, 5], open: "09:00", close: "17:00" }]',
  'services:',
  '  - { code: S1, name: 社保, category: 社保, prefix: A }',
  'windows:',
  '  - { no: 1, name: 一号, services: [S1] }',
  '  - { no: 3, name: 三号, services: [S1] }',
  '',
].join('\n');

const check = (devices: string) => checkHallConfigText(`${HALL}devices:\n${devices}`, 'hall.yaml');
const problems = (devices: string) => {
  const r = check(devices);
  if (r.ok) throw new Error('expected problems');
  return r.problems.map(formatProblem);
};

describe('terminal entries', () => {
  it('reads the entries of docs/terminal.md: role pages with windows and displays, lockdown, nightly restart', () => {
    const r = check(
      [
        '  terminals:',
        '    - id: kiosk-1',
        '      name: 一楼取号机',
        '      windows:',
        '        - { role: kiosk, display: primary }',
        '      devices:',
        '        - { id: kiosk-1-printer, kind: printer, transport: { type: lp, path: /dev/usb/lp0 }, width: 80 }',
        '      lockdown: { technicianUnlock: admin-pin }',
        '      restart: { nightlyAt: "03:30" }',
        '    - id: window-3',
        '      windows:',
        '        - { role: counter, window: 3, display: primary, camera: "Gaopaiyi S500" }',
        '        - { role: evaluator, window: 3, display: secondary }',
        '      devices:',
        '        - { id: w3-led, kind: ledstrip, transport: { type: serial, path: /dev/ttyS1 }, address: 3 }',
        '    - id: tv-lobby',
        '      windows:',
        '        - { role: display, display: 1, layout: portrait }',
        '    - id: old-style',
        '      role: counter',
        '      window: 1',
        '',
      ].join('\n'),
    );
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    const [kiosk, w3, tv, old] = r.config.devices!.terminals;
    expect(kiosk!.lockdown).toEqual({ technicianUnlock: 'admin-pin' });
    expect(kiosk!.restart).toEqual({ nightlyAt: '03:30' });
    expect(terminalGrants(kiosk!)).toEqual([{ role: 'kiosk', windowNo: null }]);
    expect(terminalGrants(w3!)).toEqual([
      { role: 'counter', windowNo: 3 },
      { role: 'evaluator', windowNo: 3 },
    ]);
    // The LED strip serves the window the terminal's pages share.
    expect(terminalWindowNo(w3!)).toBe(3);
    expect(terminalWindows(tv!)).toEqual([{ role: 'display', display: 1, layout: 'portrait' }]);
    // The short form is one page on the primary display.
    expect(terminalWindows(old!)).toEqual([{ role: 'counter', window: 1, display: 'primary' }]);
  });

  it('names the document camera of a counter page as { label } or by its label alone', () => {
    const r = check(
      [
        '  terminals:',
        '    - id: w1',
        '      windows:',
        '        - { role: counter, window: 1, camera: { label: "Gaopaiyi S500" } }',
        '    - id: w3',
        '      windows:',
        '        - { role: counter, window: 3, camera: "Gaopaiyi S500" }',
        '',
      ].join('\n'),
    );
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    const [w1, w3] = r.config.devices!.terminals;
    expect(terminalWindows(w1!)[0]!.camera).toEqual({ label: 'Gaopaiyi S500' });
    expect(terminalWindows(w3!)[0]!.camera).toBe('Gaopaiyi S500');
    expect(
      problems(
        [
          '  terminals:',
          '    - id: w1',
          '      windows:',
          '        - { role: counter, window: 1, camera: { label: "" } }',
          '',
        ].join('\n'),
      ).join(),
    ).toContain('摄像头名称不能为空');
  });

  it('names each mistake at its line', () => {
    const found = problems(
      [
        '  terminals:',
        '    - id: a',
        '      windows:',
        '        - { role: counter }',
        '        - { role: kiosk, window: 1 }',
        '        - { role: evaluator, window: 9 }',
        '    - id: b',
        '      role: kiosk',
        '      windows: [{ role: kiosk }]',
        '    - id: c',
        '      devices: []',
        '',
      ].join('\n'),
    );
    expect(found).toEqual([
      'hall.yaml:15:19 终端 a 的 counter 界面需要 window（devices.terminals[0].windows[0].role）',
      'hall.yaml:16:34 kiosk 界面不属于窗口，不需要 window（devices.terminals[0].windows[1].window）',
      'hall.yaml:17:38 终端 a 的窗口 9 不存在（devices.terminals[0].windows[2].window）',
      'hall.yaml:19:13 终端 b 的 role 与 windows 只写一个（多个界面写在 windows 中）（devices.terminals[1].role）',
      'hall.yaml:21:11 终端 c 需要 windows（每个界面的角色与显示器）或 role（devices.terminals[2].id）',
    ]);
    const schema = problems(
      [
        '  terminals:',
        '    - id: d',
        '      windows: [{ role: display, display: primary, layout: sideways }]',
        '      restart: { nightlyAt: "25:00" }',
        '',
      ].join('\n'),
    );
    expect(schema).toEqual([
      expect.stringMatching(/^hall\.yaml:14:\d+ layout 应为 landscape 或 portrait/),
      expect.stringMatching(/^hall\.yaml:15:\d+ 时间格式应为 HH:MM/),
    ]);
  });
});

describe('the local terminal file', () => {
  it('holds the terminal id and the hub address only', () => {
    const r = checkTerminalFileText('terminal: { id: window-3, hub: "http://192.168.10.2:8800/" }\n', 't.yaml');
    expect(r).toEqual({ ok: true, terminal: { id: 'window-3', hub: 'http://192.168.10.2:8800' } });
  });

  it('reports problems at file:line:column', () => {
    const r = checkTerminalFileText('terminal:\n  id: "window 3"\n  hub: ftp://x\n  token: abc\n', 't.yaml');
    if (r.ok) throw new Error('expected problems');
    expect(r.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^t\.yaml:2:7 终端编号只能包含/),
      expect.stringMatching(/^t\.yaml:3:8 中枢地址应为 http:\/\//),
      't.yaml:4:3 不认识的键：token（terminal.token）',
    ]);
    const bad = checkTerminalFileText('terminal: [\n', 't.yaml');
    expect(bad.ok).toBe(false);
  });
});
