import { describe, expect, it } from 'vitest';
import { DEMO_HALL_PATH } from './demo-hall.js';
import { checkHallConfigText, formatProblem, loadHallConfigFile } from './load.js';

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
  '  - { no: 2, name: 二号, services: [S1] }',
  '',
].join('\n');

const check = (devices: string) => checkHallConfigText(`${HALL}devices:\n${devices}`, 'hall.yaml');
const problems = (devices: string) => {
  const r = check(devices);
  if (r.ok) throw new Error('expected problems');
  return r.problems.map(formatProblem);
};

describe('devices section of the hall config', () => {
  it('the demo hall has simulated devices for a kiosk and two windows', () => {
    const r = loadHallConfigFile(DEMO_HALL_PATH);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const kinds = r.config.devices?.terminals.flatMap((t) => t.devices.map((d) => d.kind));
    expect(new Set(kinds)).toEqual(new Set(['idcard', 'printer', 'keypad', 'evalkeypad', 'ledstrip']));
    expect(r.config.devices?.terminals.every((t) => t.devices.every((d) => d.transport.type === 'simulated'))).toBe(
      true,
    );
  });

  it('accepts every transport and parses USB ids in hex', () => {
    const r = check(
      [
        '  terminals:',
        '    - id: k1',
        '      role: kiosk',
        '      devices:',
        '        - { id: c1, kind: idcard, transport: { type: serial, path: /dev/ttyUSB0, baud: 115200 } }',
        '        - { id: p1, kind: printer, transport: { type: tcp, host: 192.168.1.50 }, width: 58 }',
        '        - { id: p2, kind: printer, transport: { type: lp, path: /dev/usb/lp0 } }',
        '    - id: w1',
        '      role: counter',
        '      window: 1',
        '      devices:',
        '        - { id: e1, kind: evalkeypad, transport: { type: hid, vendorId: "0x1a86", productId: e026 } }',
        '        - { id: k2, kind: keypad, transport: { type: serial, path: /dev/ttyUSB1 }, address: 1, keys: { CC: call-next, "33": recall } }',
        '        - { id: k3, kind: evalkeypad, transport: { type: serial, path: /dev/ttyUSB1 }, address: 2, window: 2 }',
        '',
      ].join('\n'),
    );
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    const t = r.config.devices!.terminals;
    expect(t[0]!.devices[1]!.transport).toEqual({ type: 'tcp', host: '192.168.1.50', port: 9100 });
    expect(t[1]!.devices[0]!.transport).toEqual({ type: 'hid', vendorId: 0x1a86, productId: 0xe026 });
  });

  it('reports each problem with file:line:column', () => {
    const out = problems(
      [
        '  terminals:',
        '    - id: w1',
        '      role: counter',
        '      devices:',
        '        - { id: k1, kind: keypad, transport: { type: serial, path: /dev/ttyUSB1 } }',
        '        - { id: k1, kind: keypad, transport: { type: serial, path: /dev/ttyUSB1 }, address: 300 }',
        '        - { id: led, kind: ledstrip, transport: { type: hid, vendorId: 1, productId: 2 }, window: 9 }',
        '        - { id: x, kind: fax, transport: { type: simulated } }',
        '        - { id: y, kind: printer, transport: { type: carrier-pigeon } }',
        '        - { id: z, kind: evalkeypad, transport: { type: simulated }, window: 1, levels: { "01": satisfied } }',
        '',
      ].join('\n'),
    );
    const text = out.join('\n');
    expect(text).toMatch(/hall\.yaml:17:\d+ 地址为 1 到 254/);
    expect(text).toMatch(/hall\.yaml:19:\d+ 设备类型应为 idcard/);
    expect(text).toMatch(/hall\.yaml:20:\d+ transport\.type 应为 serial/);
    // Semantic checks run only once the schema passes; fix the schema errors and look again.
    const out2 = problems(
      [
        '  terminals:',
        '    - id: w1',
        '      role: counter',
        '      devices:',
        '        - { id: k1, kind: keypad, transport: { type: serial, path: /dev/ttyUSB1 } }',
        '        - { id: k1, kind: keypad, transport: { type: serial, path: /dev/ttyUSB1 }, address: 1 }',
        '        - { id: led, kind: ledstrip, transport: { type: hid, vendorId: 1, productId: 2 }, window: 9 }',
        '        - { id: z, kind: evalkeypad, transport: { type: simulated }, window: 1, levels: { "01": satisfied } }',
        '        - { id: p, kind: printer, transport: { type: serial, path: /dev/ttyUSB1 } }',
        '',
      ].join('\n'),
    ).join('\n');
    expect(out2).toMatch(/hall\.yaml:14:\d+ 窗口叫号终端 w1 需要 window/);
    expect(out2).toMatch(/hall\.yaml:16:\d+ RS-485 键盘 k1 需要 address/);
    expect(out2).toMatch(/hall\.yaml:17:\d+ 设备编号「k1」重复/);
    expect(out2).toMatch(/hall\.yaml:18:\d+ 设备 led 的窗口 9 不存在/);
    expect(out2).toMatch(/ledstrip 不支持 hid 连接/);
    expect(out2).toMatch(/hall\.yaml:19:\d+ levels 缺少等级 very_satisfied/);
    expect(out2).toMatch(/hall\.yaml:20:\d+ 端口 \/dev\/ttyUSB1 已被其他设备使用/);
  });

  it('refuses an option of another family on a device, naming the family it belongs to', () => {
    const out = problems(
      [
        '  terminals:',
        '    - id: k1',
        '      role: kiosk',
        '      window: 1',
        '      devices:',
        '        - { id: p1, kind: printer, transport: { type: simulated }, keys: { CC: call-next } }',
        '        - { id: p2, kind: printer, transport: { type: simulated }, width: 58, address: 3, colour: red }',
        '        - { id: l1, kind: ledstrip, transport: { type: simulated }, levels: { "01": satisfied }, width: 80 }',
        '        - { id: c1, kind: idcard, transport: { type: simulated }, badRatingReason: R107, template: "x" }',
        '        - { id: k2, kind: keypad, transport: { type: simulated }, pollMs: 300, transferTo: { position: front } }',
        '',
      ].join('\n'),
    );
    expect(out).toEqual([
      'hall.yaml:17:74 keys 只用于呼叫器（kind: keypad）（devices.terminals[0].devices[0].keys）',
      'hall.yaml:18:88 address 只用于呼叫器（kind: keypad）、评价键盘（kind: evalkeypad）、窗口屏（kind: ledstrip）（devices.terminals[0].devices[1].address）',
      'hall.yaml:18:91 不认识的键：colour（devices.terminals[0].devices[1].colour）',
      'hall.yaml:19:77 levels 只用于评价键盘（kind: evalkeypad）（devices.terminals[0].devices[2].levels）',
      'hall.yaml:19:105 width 只用于票据打印机（kind: printer）（devices.terminals[0].devices[2].width）',
      'hall.yaml:20:84 badRatingReason 只用于评价键盘（kind: evalkeypad）（devices.terminals[0].devices[3].badRatingReason）',
      'hall.yaml:20:100 template 只用于窗口屏（kind: ledstrip）（devices.terminals[0].devices[3].template）',
      'hall.yaml:21:75 pollMs 只用于身份证读卡器（kind: idcard）（devices.terminals[0].devices[4].pollMs）',
    ]);
  });

  it('checks each family’s own options with their own messages', () => {
    const out = problems(
      [
        '  terminals:',
        '    - id: k1',
        '      role: kiosk',
        '      devices:',
        '        - { id: p1, kind: printer, transport: { type: simulated }, width: 70 }',
        '        - { id: c1, kind: idcard, transport: { type: simulated }, pollMs: 50 }',
        '        - { id: k1, kind: keypad, transport: { type: simulated }, window: 1, keys: { CC: dance } }',
        '',
      ].join('\n'),
    );
    expect(out).toEqual([
      'hall.yaml:16:75 纸宽应为 58 或 80（devices.terminals[0].devices[0].width）',
      'hall.yaml:17:75 寻卡间隔至少 100 毫秒（devices.terminals[0].devices[1].pollMs）',
      expect.stringMatching(
        /^hall\.yaml:18:90 按键动作应为 call-next、.*（devices\.terminals\[0\]\.devices\[2\]\.keys\.CC）$/,
      ),
    ]);
  });
});
