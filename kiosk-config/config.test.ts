import { describe, expect, it } from 'vitest';
import { createHallCalendar } from '../common/hall-calendar.js';
import { DEMO_HALL_PATH } from './demo-hall.js';
import { checkHallConfigText, formatProblem, loadHallConfigFile } from './load.js';
import { hashPin, isPinHash, verifyPin } from './pin-hash.js';

const HASH = hashPin('123456');

/** A small valid hall; tests change one line to break it. */
const base = (over: Record<string, string> = {}) =>
  [
    'hall:',
    '  code: H1',
    '  name: 测试大厅',
    `  areaCode: "${over.areaCode ?? '330106'}"`,
    '  openingHours:',
    `    - { days: [1, 2, 3, 4, 5], open: "09:00", close: "${over.close ?? '17:00'}" }`,
    'services:',
    '  - { code: S1, name: 社保, category: 社保, prefix: A }',
    `  - { code: ${over.s2code ?? 'S2'}, name: 户籍, category: 公安, prefix: ${over.s2prefix ?? 'B'} }`,
    'windows:',
    `  - { no: 1, name: 一号, services: [S1, ${over.w1svc ?? 'S2'}] }`,
    'staff:',
    '  - no: "8001"',
    '    name: 张三',
    over.pinLine ?? `    pinHash: "${HASH}"`,
    `    windows: [${over.staffWindows ?? '1'}]`,
    '',
  ].join('\n');

function problems(text: string) {
  const r = checkHallConfigText(text, 'hall.yaml');
  if (r.ok) throw new Error('expected problems');
  return r.problems.map(formatProblem);
}

describe('hall configuration', () => {
  it('accepts the demo hall with a one-line summary', async () => {
    const r = loadHallConfigFile(DEMO_HALL_PATH);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.summary).toBe(
        'demo-hall.yaml：演示市民服务中心（DEMO-HALL-01），6 个业务、8 个窗口、10 名工作人员，节假日安排 2026 年，事项目录 7 项 — 配置正确',
      );
      expect(r.config.windows.filter((w) => w.comprehensive)).toHaveLength(2);
      expect(r.config.windows.filter((w) => w.greenChannel)).toHaveLength(1);
      expect(r.config.staff.map((s) => s.no)).toEqual([
        '8001',
        '8002',
        '8003',
        '8004',
        '8005',
        '8006',
        '8007',
        '8008',
        '8009',
        '8010',
      ]);
      expect((await Promise.all(r.config.staff.map((s) => verifyPin('123456', s.pinHash)))).every(Boolean)).toBe(true);
      // The demo hall says it is one (the only hall where the demo PIN may be set) and lists no origins.
      expect(r.config.hall.demo).toBe(true);
      expect(r.config.hub).toBeUndefined();
    }
  });

  it('applies defaults', () => {
    const r = checkHallConfigText(base(), 'hall.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.hall.timeZone).toBe('Asia/Shanghai');
    expect(r.config.services[0]).toMatchObject({
      numberRange: { from: 1, to: 999 },
      dailyCap: 0,
      allowAnonymous: false,
      defaultServiceSeconds: 300,
    });
    expect(r.config.windows[0]!.services[0]).toEqual({ code: 'S1', weight: 1 });
    expect(r.config.priority).toMatchObject({ normalPerPriority: 3, appointmentsFirst: true });
    expect(r.config.announcement).toEqual({ template: '请{number}号到{window}号窗口办理', repeat: 2 });
    expect(r.config.privacy.purgeAfterDays).toBe(30);
  });

  it('reads the backup section with its defaults and reports each mistake in it', () => {
    const ok = checkHallConfigText(`${base()}backup:\n  dir: /srv/govhall-backups\n`, 'hall.yaml');
    expect(ok.ok).toBe(true);
    if (ok.ok)
      expect(ok.config.backup).toEqual({ dir: '/srv/govhall-backups', keep: 14, time: '02:30', copyKey: false });
    const none = checkHallConfigText(base(), 'hall.yaml');
    expect(none.ok && none.config.backup).toBeUndefined();
    const bad = problems(
      `${base()}backup:\n  dir: ""\n  keep: 0\n  time: "25:00"\n  copyKey: yes please\n  when: daily\n`,
    );
    expect(bad).toEqual([
      expect.stringMatching(/^hall\.yaml:18:\d+ 备份目录不能为空（backup\.dir）$/),
      expect.stringMatching(/^hall\.yaml:19:\d+ 保留份数至少为 1（backup\.keep）$/),
      expect.stringMatching(/^hall\.yaml:20:\d+ 备份时间格式应为 HH:MM（00:00 至 23:59）（backup\.time）$/),
      expect.stringMatching(/^hall\.yaml:21:\d+ copyKey 应为 true 或 false（backup\.copyKey）$/),
      expect.stringMatching(/不认识的键：when/),
    ]);
  });

  it('reports a YAML syntax error at its line and column', () => {
    const text = base().replace('  name: 测试大厅', '  name: [测试大厅');
    expect(problems(text)[0]).toMatch(/^hall\.yaml:\d+:\d+ YAML 语法错误/);
  });

  it.each([
    ['a wrong area code', { areaCode: '33' }, ['hall.yaml:4:13 行政区划代码应为 6 到 9 位数字（hall.areaCode）']],
    [
      'closing before opening',
      { close: '08:00' },
      ['hall.yaml:6:54 开始时间应早于结束时间（hall.openingHours[0].close）'],
    ],
    ['a bad prefix', { s2prefix: 'b1' }, ['hall.yaml:9:49 票号前缀应为 1 到 2 个大写字母（services[1].prefix）']],
    [
      'a shared prefix',
      { s2prefix: 'A' },
      [
        'hall.yaml:9:5 业务「户籍」与「社保」前缀相同且号段重叠，会出现重复票号（services[1].numberRange）',
        'hall.yaml:9:49 票号前缀「A」重复（与第 1 项相同）（services[1].prefix）',
      ],
    ],
    [
      'an unknown and an unserved service',
      { w1svc: 'S9' },
      [
        'hall.yaml:9:13 业务「户籍」没有任何窗口办理，取了号也无人叫（services[1].code）',
        'hall.yaml:11:39 窗口 1 办理的业务「S9」不存在（windows[0].services[1]）',
      ],
    ],
    [
      'staff without a window',
      { staffWindows: '' },
      ['hall.yaml:16:14 工作人员 8001（张三）没有可登录的窗口（staff[0].windows）'],
    ],
    [
      'staff at a missing window',
      { staffWindows: '1, 7' },
      ['hall.yaml:16:18 工作人员 8001 的窗口 7 不存在（staff[0].windows[1]）'],
    ],
  ])('reports %s at the offending value', (_name, over, expected) => {
    expect(problems(base(over))).toEqual(expected);
  });

  it('finds a duplicate service code', () => {
    expect(problems(base({ s2code: 'S1' }))).toContain(
      'hall.yaml:9:13 业务编码「S1」重复（与第 1 项相同）（services[1].code）',
    );
  });

  it('tells a value of the wrong type from a missing one', () => {
    const text = base().replace('prefix: A }', 'prefix: A, dailyCap: lots }');
    expect(problems(text)).toEqual(['hall.yaml:8:62 类型不对，应为数字（services[0].dailyCap）']);
  });

  it('refuses a printer carrying a caller keypad’s keys, naming where keys belong', () => {
    const text = `${base()}devices:\n  terminals:\n    - id: k1\n      role: kiosk\n      devices:\n        - { id: p1, kind: printer, transport: { type: simulated }, keys: { CC: call-next } }\n`;
    expect(problems(text)).toEqual([
      'hall.yaml:22:74 keys 只用于呼叫器（kind: keypad）（devices.terminals[0].devices[0].keys）',
    ]);
  });

  it('reports a missing required key at its parent', () => {
    const text = base().replace('  name: 测试大厅\n', '');
    expect(problems(text)).toEqual(['hall.yaml:2:3 缺少必填项 name（hall.name）']);
  });

  it('refuses a clear PIN and a pinHash that is not a hash, with the way to make one', () => {
    const clear = problems(base({ pinLine: '    pin: 123456' }));
    expect(clear).toEqual([
      'hall.yaml:15:5 不能写明文 PIN：请用 govhall config hash-pin 生成哈希，写在 pinHash 中（staff[0].pin）',
    ]);
    const fake = problems(base({ pinLine: '    pinHash: "123456"' }));
    expect(fake).toEqual([
      'hall.yaml:15:14 pinHash 不是有效的加盐哈希（疑似明文 PIN）：请用 govhall config hash-pin 生成（staff[0].pinHash）',
    ]);
  });

  it('names unknown keys and reports a missing file plainly', () => {
    expect(problems(base().replace('  code: H1', '  code: H1\n  colour: red'))).toEqual([
      'hall.yaml:3:3 不认识的键：colour（hall.colour）',
    ]);
    const r = loadHallConfigFile('/nonexistent/hall.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toBe('无法读取配置文件：文件不存在');
  });

  it('checks hub.allowedOrigins: origins only, no wildcard, no path; a real hall is no demo', () => {
    const good = checkHallConfigText(
      `${base()}hub:\n  allowedOrigins: ["http://192.168.1.20:8800", "HTTPS://Portal.Example.CN/"]\n`,
      'hall.yaml',
    );
    if (!good.ok) throw new Error(good.problems.map(formatProblem).join('\n'));
    expect(good.config.hub?.allowedOrigins).toEqual(['http://192.168.1.20:8800', 'https://portal.example.cn']);
    expect(good.config.hall.demo).toBe(false);
    expect(
      problems(`${base()}hub:\n  allowedOrigins:\n    - "*"\n    - http://10.0.0.5:8800/kiosk/\n    - ftp://x\n`),
    ).toEqual([
      'hall.yaml:19:7 不能写 *（允许任何网页）：请逐个列出允许的来源（hub.allowedOrigins[0]）',
      'hall.yaml:20:7 来源应写成 http(s)://主机[:端口]，不带路径，例如 http://192.168.1.20:8800（hub.allowedOrigins[1]）',
      'hall.yaml:21:7 来源应写成 http(s)://主机[:端口]，不带路径，例如 http://192.168.1.20:8800（hub.allowedOrigins[2]）',
    ]);
    expect(problems(`${base()}hub:\n  origins: []\n`)).toEqual(['hall.yaml:18:3 不认识的键：origins（hub.origins）']);
  });

  it('carries the 2026 national holiday arrangement in the demo hall', () => {
    const r = loadHallConfigFile(DEMO_HALL_PATH);
    if (!r.ok) throw new Error('demo hall should load');
    const year = r.config.calendar?.['2026'];
    expect(year?.holidays).toHaveLength(33);
    expect(year?.makeUpWorkdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    const cal = createHallCalendar(r.config.calendar);
    expect(cal.workingDayAfter('2026-09-30', 1).date).toBe('2026-10-08');
  });

  it('reads calendar dates as dates of their year and reports every calendar problem where it is', () => {
    const calendar = (holidays: string[], makeUp: string[]) =>
      [
        base().trimEnd(),
        'calendar:',
        '  2026:',
        '    holidays:',
        ...holidays.map((d) => `      - ${d}`),
        '    makeUpWorkdays:',
        ...makeUp.map((d) => `      - ${d}`),
        '',
      ].join('\n');
    const ok = checkHallConfigText(calendar(['2026-10-01'], ['2026-10-10']), 'hall.yaml');
    expect(ok.ok && ok.config.calendar).toEqual({
      '2026': { holidays: ['2026-10-01'], makeUpWorkdays: ['2026-10-10'] },
    });
    // Lines 17–19 are "calendar:", "  2026:", "    holidays:"; the first holiday is on line 20.
    expect(problems(calendar(['2026-02-30', '2026-1-5', '20261001'], []))).toEqual([
      'hall.yaml:20:9 2026-02-30 这一天不存在，请核对月份和日期（calendar.2026.holidays[0]）',
      'hall.yaml:21:9 日期应写成 YYYY-MM-DD（月、日各两位），例如 2026-10-01（calendar.2026.holidays[1]）',
      'hall.yaml:22:9 日期应写成 YYYY-MM-DD，例如 2026-10-01（calendar.2026.holidays[2]）',
    ]);
    expect(problems(calendar(['2026-10-03', '2027-01-01', '2026-10-03'], ['2026-10-03', '2026-10-12']))).toEqual([
      'hall.yaml:21:9 放假日 2027-01-01 不在 2026 年内：请写到 2027 年下，或改正年份（calendar.2026.holidays[1]）',
      'hall.yaml:22:9 放假日 2026-10-03 重复（与第 1 项相同）（calendar.2026.holidays[2]）',
      'hall.yaml:24:9 2026-10-03 同时列为放假日和调休上班日：请只保留其中一处（calendar.2026.makeUpWorkdays[0]）',
      'hall.yaml:25:9 调休上班日 2026-10-12 是周一，本来就上班：调休上班日应为周六或周日，请核对通知（calendar.2026.makeUpWorkdays[1]）',
    ]);
    expect(problems(calendar([], ['2026-10-10', '2026-10-10']))).toEqual([
      'hall.yaml:22:9 调休上班日 2026-10-10 重复（与第 1 项相同）（calendar.2026.makeUpWorkdays[1]）',
    ]);
    expect(problems(base().trimEnd() + '\ncalendar:\n  26:\n    holidays: []\n')).toEqual([
      'hall.yaml:18:3 年份应为四位数字，例如 2026（calendar.26）',
    ]);
    expect(problems(base().trimEnd() + '\ncalendar:\n  2026:\n    holidays:\n    workdays: []\n')).toEqual([
      'hall.yaml:20:5 不认识的键：workdays（calendar.2026.workdays）',
    ]);
  });

  it('hashes PINs with salt and verifies them off the event loop', async () => {
    const a = hashPin('123456');
    expect(a).not.toBe(hashPin('123456'));
    expect(isPinHash(a)).toBe(true);
    // The check is asynchronous (thread pool): the caller gets a promise, not a blocked thread.
    const pending = verifyPin('123456', a);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe(true);
    expect(await verifyPin('654321', a)).toBe(false);
    expect(await verifyPin('123456', 'not a hash')).toBe(false);
    expect(isPinHash('123456')).toBe(false);
  });
});
