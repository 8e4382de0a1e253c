import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeCatalogue } from '../common/catalogue-merge.js';
import { DEMO_HALL_PATH } from './demo-hall.js';
import { checkHallConfigText, formatProblem, loadHallConfigFile } from './load.js';
import { hashPin } from './pin-hash.js';

const HASH = hashPin('123456');
const HALL = [
  'hall: { code: H1, name: 测试大厅, areaCode: "330106", openingHours: [{ days: [1, 2, 3, 4, 5], open: "09:00", close: "17:00" }] }',
  'services:',
  '  - { code: S1, name: 社保, category: 社保, prefix: A, taskCodes: ["T-0001", "T-0002"] }',
  'windows:',
  '  - { no: 1, name: 一号, services: [S1] }',
  'staff:',
  `  - { no: "8001", name: 张三, pinHash: "${HASH}", windows: [1] }`,
  '',
].join('\n');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'govhall-catalogue-'));
  dirs.push(d);
  return d;
};

function problemsOf(text: string, file = 'hall.yaml'): string[] {
  const r = checkHallConfigText(text, file);
  if (r.ok) throw new Error('expected problems');
  return r.problems.map(formatProblem);
}

describe('local catalogue in the hall config', () => {
  it('reads inline items with defaults: a bare material name is required', () => {
    const r = checkHallConfigText(
      `${HALL}catalogue:\n  items:\n    - { taskCode: "T-0001", taskName: 参保登记, materials: [身份证, { name: 户口簿, required: false }] }\n`,
      'hall.yaml',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.summary).toContain('事项目录 1 项');
    expect(r.config.catalogue).toEqual({
      version: 'local',
      items: [
        {
          taskCode: 'T-0001',
          taskName: '参保登记',
          deptName: '',
          category: '',
          caseType: 1,
          promiseDays: 0,
          materials: [
            { name: '身份证', required: true },
            { name: '户口簿', required: false },
          ],
          guide: '',
        },
      ],
    });
  });

  it('reports inline mistakes at file:line:column', () => {
    const text = `${HALL}catalogue:\n  items:\n    - { taskCode: "T-0001", taskName: 甲 }\n    - { taskCode: "T-0001", taskName: 乙, caseType: 2 }\n    - { taskCode: 1234, taskName: 丙, caseType: 3 }\n`;
    expect(problemsOf(text)).toEqual([
      'hall.yaml:12:19 事项编码（实施编码）必填，应为文字（写在引号里）（catalogue.items[2].taskCode）',
      'hall.yaml:12:48 caseType 应为 1（即办件）或 2（承诺件）（catalogue.items[2].caseType）',
    ]);
    // Once the items parse, the checks across them: a code twice, a 承诺件 without its days.
    expect(problemsOf(text.replace(/\n {4}- \{ taskCode: 1234.*\n/, '\n'))).toEqual([
      'hall.yaml:11:7 承诺件「乙」应写承诺时限（promiseDays，工作日）（catalogue.items[1].promiseDays）',
      'hall.yaml:11:19 事项编码「T-0001」重复（与第 1 项相同）（catalogue.items[1].taskCode）',
    ]);
  });

  it('reads a catalogue file beside the config and places its problems in that file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'hall.yaml'), `${HALL}catalogue:\n  file: catalogue.yaml\n`);
    writeFileSync(
      join(dir, 'catalogue.yaml'),
      'version: "2026.1"\nitems:\n  - taskCode: "T-0001"\n    taskName: 参保登记\n    caseType: 2\n    promiseDays: 3\n',
    );
    const ok = loadHallConfigFile(join(dir, 'hall.yaml'));
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.config.catalogue).toMatchObject({ file: 'catalogue.yaml', version: '2026.1' });
      expect(ok.config.catalogue?.items[0]).toMatchObject({ taskName: '参保登记', promiseDays: 3 });
    }

    writeFileSync(
      join(dir, 'catalogue.yaml'),
      'items:\n  - taskCode: "T-0001"\n    taskName: 参保登记\n    caseType: 2\n    colour: red\n',
    );
    const bad = loadHallConfigFile(join(dir, 'hall.yaml'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      const lines = bad.problems.map(formatProblem);
      expect(lines).toContain(`${join(dir, 'catalogue.yaml')}:5:5 不认识的键：colour（items[0].colour）`);
    }
  });

  it('says when the file is missing, or when both file and items are written', () => {
    const dir = tempDir();
    const hall = join(dir, 'hall.yaml');
    writeFileSync(hall, `${HALL}catalogue:\n  file: nowhere.yaml\n`);
    const r = loadHallConfigFile(hall);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(formatProblem(r.problems[0]!)).toMatch(
        /hall\.yaml:9:9 无法读取事项目录文件 .*nowhere\.yaml：文件不存在（路径相对于大厅配置所在的文件夹）/,
      );
    expect(
      problemsOf(`${HALL}catalogue:\n  file: x.yaml\n  items:\n    - { taskCode: "T-0001", taskName: 甲 }\n`),
    ).toEqual([
      'hall.yaml:10:3 catalogue 的 file 与 items 只能写一个：事项写在目录文件里，或直接写在这里（catalogue.items）',
    ]);
  });

  it('the demo hall names every 事项 its services list, with materials', () => {
    const r = loadHallConfigFile(DEMO_HALL_PATH);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const items = new Map(r.config.catalogue?.items.map((i) => [i.taskCode, i]));
    const codes = r.config.services.flatMap((s) => s.taskCodes);
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) {
      expect(items.get(code)?.taskName, code).toMatch(/\S/);
      expect(items.get(code)?.materials.length, code).toBeGreaterThan(0);
    }
  });
});

describe('documents section', () => {
  it('checks the progress URL template and takes font paths as written', () => {
    expect(problemsOf(`${HALL}documents:\n  progressUrl: ftp://x/{code}\n`)).toEqual([
      'hall.yaml:9:16 进度查询网址应以 http:// 或 https:// 开头（documents.progressUrl）',
    ]);
    expect(problemsOf(`${HALL}documents:\n  progressUrl: https://zwfw.example.gov.cn/q\n`)).toEqual([
      'hall.yaml:9:16 进度查询网址须包含 {code}（办件编号）（documents.progressUrl）',
    ]);
    const ok = checkHallConfigText(
      `${HALL}documents:\n  fontFile: fonts/simsun.ttc\n  fontName: SimSun\n  progressUrl: https://zwfw.example.gov.cn/q?no={code}\n`,
      'hall.yaml',
    );
    expect(ok.ok && ok.config.documents).toEqual({
      fontFile: 'fonts/simsun.ttc',
      fontName: 'SimSun',
      progressUrl: 'https://zwfw.example.gov.cn/q?no={code}',
    });
  });
});

describe('merging the local catalogue with the platform', () => {
  const item = (taskCode: string, taskName: string, materials: string[] = []) => ({
    taskCode,
    taskName,
    deptName: '',
    category: '',
    caseType: 1,
    promiseDays: 0,
    materials: materials.map((name) => ({ name, required: true })),
    guide: '',
  });
  const local = { version: 'local', items: [item('A', '本地甲', ['身份证']), item('B', '本地乙')] };

  it('uses the local catalogue alone before the platform has answered', () => {
    const m = mergeCatalogue(null, local);
    expect(m?.source).toBe('local');
    expect(m?.catalogue.items.map((i) => i.taskName)).toEqual(['本地甲', '本地乙']);
    expect(m?.catalogue.evaluationReasons).toEqual([]);
    expect(mergeCatalogue(null, null)).toBeNull();
  });

  it('takes a 事项 the platform lists from the platform as a whole, and keeps the others', () => {
    const platform = {
      version: 'p1',
      items: [item('A', '平台甲', []), item('C', '平台丙')],
      evaluationReasons: [{ code: 'R1', text: '慢' }],
    };
    const m = mergeCatalogue(platform, local);
    expect(m?.source).toBe('merged');
    expect(m?.catalogue.version).toBe('p1');
    expect(m?.catalogue.items.map((i) => [i.taskCode, i.taskName, i.materials.length])).toEqual([
      ['A', '平台甲', 0],
      ['C', '平台丙', 0],
      ['B', '本地乙', 0],
    ]);
    expect([...(m?.localCodes ?? [])]).toEqual(['B']);
    expect(m?.catalogue.evaluationReasons).toEqual(platform.evaluationReasons);
    expect(mergeCatalogue({ ...platform, items: [item('A', 'x'), item('B', 'y')] }, local)?.source).toBe('platform');
  });
});
