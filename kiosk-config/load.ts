/**
 * Reads a hall YAML file and reports every problem — YAML syntax, schema and hall logic — with
 * file:line:column pointing at the offending node, so a technician can fix a file in one pass.
 */

import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { isMap, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { appointmentSemanticChecks } from './appointment-schema.js';
import { calendarSemanticChecks } from './calendar-schema.js';
import { catalogueFileSchema, catalogueSemanticChecks, type LocalCatalogue } from './catalogue-schema.js';
import { devicesSemanticChecks } from './devices-schema.js';
import type { HallConfig } from './hall-config.js';
import { isPinHash } from './pin-hash.js';
import { publicSemanticChecks } from './public-schema.js';
import { alarmsSemanticChecks } from './rectification-schema.js';
import { hallSchema, toHallConfig } from './schema.js';

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path inside the document, e.g. "windows[2].services[0].code". */
  path: string;
  message: string;
}

export type ConfigCheckResult =
  | { ok: true; config: HallConfig; summary: string }
  | { ok: false; problems: ConfigProblem[] };

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.message}${p.path ? `（${p.path}）` : ''}`;
}

type Path = (string | number)[];

const pathText = (path: Path) =>
  path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');

/** `written`: the document has a node at the issue's path (zod does not report the input it saw). */
function issueMessage(issue: z.core.$ZodIssue, written: boolean): string {
  const i = issue as z.core.$ZodIssue & { input?: unknown; keys?: string[]; expected?: string };
  if (i.code === 'unrecognized_keys') return `不认识的键：${(i.keys ?? []).join('、')}`;
  if (i.code === 'invalid_type') {
    if (i.input === undefined && !written) return `缺少必填项 ${String(issue.path[issue.path.length - 1] ?? '')}`;
    const want: Record<string, string> = {
      number: '数字',
      string: '文字',
      boolean: 'true 或 false',
      array: '列表',
      object: '键值表',
    };
    return i.message && !/^Invalid input/.test(i.message)
      ? i.message
      : `类型不对，应为${want[i.expected ?? ''] ?? i.expected}`;
  }
  if (/^(Invalid|Too|Expected)/.test(i.message)) {
    if (i.code === 'too_small') return '值太小或太短';
    if (i.code === 'too_big') return '值太大或太长';
    return '取值无效';
  }
  return i.message;
}

/**
 * A YAML document being checked: its parsed value (undefined after a syntax error) and the problems
 * found so far, each placed at file:line:column of the node its path names. Shared by the hall
 * config and the terminal's local file.
 */
export interface YamlCheck {
  raw: unknown;
  problems: ConfigProblem[];
  /** Records a problem at the deepest existing node of `path` (at its key when `atKey`). */
  report(path: Path, message: string, atKey?: boolean): void;
  /** Records every issue of a failed schema parse; `skip` leaves some out (already reported). */
  reportIssues(issues: z.core.$ZodIssue[], skip?: (path: Path) => boolean): void;
}

export function readYaml(text: string, file: string): YamlCheck {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const problems: ConfigProblem[] = [];
  const at = (offset: number, path: Path, message: string) => {
    const { line, col } = lc.linePos(offset);
    problems.push({ file, line, column: col, path: pathText(path), message });
  };
  /** The node at a path. A year key (`2026:`) is a number in YAML but a string once parsed. */
  const nodeAt = (path: Path): unknown => {
    if (path.length === 0) return doc.contents;
    return (
      doc.getIn(path, true) ??
      doc.getIn(
        path.map((k) => (typeof k === 'string' && /^\d+$/.test(k) ? Number(k) : k)),
        true,
      )
    );
  };
  /** Position of the deepest existing node on the path (the parent when a key is missing). */
  const locate = (path: Path, preferKey = false): number => {
    for (let i = path.length; i >= 0; i--) {
      const sub = path.slice(0, i);
      if (preferKey && i === path.length && i > 0) {
        const parent = nodeAt(sub.slice(0, -1));
        if (isMap(parent)) {
          const want = String(sub[sub.length - 1]);
          const pair = parent.items.find((p) => String((p.key as { value?: unknown })?.value) === want);
          const key = pair?.key as Node | undefined;
          if (key?.range) return key.range[0];
        }
      }
      const node = nodeAt(sub) as Node | null | undefined;
      if (node && typeof node === 'object' && 'range' in node && node.range) return node.range[0];
    }
    return 0;
  };

  for (const err of [...doc.errors, ...doc.warnings]) {
    const { line, col } = lc.linePos(err.pos[0]);
    const msg = err.code === 'DUPLICATE_KEY' ? '键重复' : `YAML 语法错误：${err.message.split('\n')[0]}`;
    problems.push({ file, line, column: col, path: '', message: msg });
  }
  const report = (path: Path, message: string, atKey = false) => at(locate(path, atKey), path, message);
  return {
    raw: doc.errors.length ? undefined : (doc.toJS() as unknown),
    problems,
    report,
    reportIssues(issues, skip) {
      for (const issue of issues) {
        const path = issue.path as Path;
        const keys = (issue as { keys?: string[] }).keys;
        if (issue.code === 'unrecognized_keys' && keys) {
          for (const k of keys) if (!skip?.([...path, k])) report([...path, k], `不认识的键：${k}`, true);
          continue;
        }
        if (skip?.(path)) continue;
        // A bad map key (a year that is not one) is shown at the key, not at its value.
        report(path, issueMessage(issue, nodeAt(path) != null), issue.code === 'invalid_key');
      }
    },
  };
}

export function checkHallConfigText(text: string, fileName: string): ConfigCheckResult {
  const file = fileName;
  const y = readYaml(text, file);
  const { problems, report } = y;
  if (y.raw === undefined) return { ok: false, problems: sortProblems(problems) };

  const raw = y.raw;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    report([], '配置文件应为一个键值表（hall、services、windows、staff …）');
    return { ok: false, problems };
  }

  // A clear PIN gets its own message with the way out, before the schema calls it an unknown key.
  const rawStaff = (raw as { staff?: unknown }).staff;
  if (Array.isArray(rawStaff)) {
    rawStaff.forEach((s, i) => {
      if (s && typeof s === 'object') {
        if ('pin' in s)
          report(['staff', i, 'pin'], '不能写明文 PIN：请用 govhall config hash-pin 生成哈希，写在 pinHash 中', true);
        const h = (s as { pinHash?: unknown }).pinHash;
        if (typeof h === 'string' && !isPinHash(h)) {
          report(
            ['staff', i, 'pinHash'],
            'pinHash 不是有效的加盐哈希（疑似明文 PIN）：请用 govhall config hash-pin 生成',
          );
        }
      }
    });
  }

  // With the input on each issue, a value of the wrong type is told apart from a missing one.
  const parsed = hallSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    y.reportIssues(parsed.error.issues, (path) => {
      if (path[0] === 'staff' && path[path.length - 1] === 'pin' && path.length === 3) return true;
      // Already reported above with the hash-pin hint (a clear PIN, or a pinHash that is not one).
      return (
        path[path.length - 1] === 'pinHash' && problems.some((p) => p.path.startsWith(pathText(path.slice(0, -1))))
      );
    });
    return { ok: false, problems: sortProblems(problems) };
  }
  const config = toHallConfig(parsed.data);
  semanticChecks(config, (path, message) => report(path, message));
  const catalogue = resolveCatalogue(config.catalogue, raw as { catalogue?: { items?: unknown } }, file, y);
  if (catalogue.problems.length) problems.push(...catalogue.problems);
  if (catalogue.value) config.catalogue = catalogue.value;
  if (problems.length) return { ok: false, problems: sortProblems(problems) };
  const years = Object.keys(config.calendar ?? {});
  const calendar = years.length ? `，节假日安排 ${years.join('、')} 年` : '';
  const items = config.catalogue ? `，事项目录 ${config.catalogue.items.length} 项` : '';
  const summary = `${basename(file)}：${config.hall.name}（${config.hall.code}），${config.services.length} 个业务、${config.windows.length} 个窗口、${config.staff.length} 名工作人员${calendar}${items} — 配置正确`;
  return { ok: true, config, summary };
}

/**
 * The `catalogue:` section with a `file:` reference read from the config's folder (its problems
 * placed at that file's line:column), or the inline items checked in place.
 */
function resolveCatalogue(
  section: LocalCatalogue | undefined,
  raw: { catalogue?: { items?: unknown } },
  configFile: string,
  y: YamlCheck,
): { value: LocalCatalogue | null; problems: ConfigProblem[] } {
  if (!section) return { value: null, problems: [] };
  if (!section.file) {
    catalogueSemanticChecks(section.items, y.report, ['catalogue', 'items']);
    return { value: section, problems: [] };
  }
  if (raw.catalogue?.items !== undefined) {
    y.report(['catalogue', 'items'], 'catalogue 的 file 与 items 只能写一个：事项写在目录文件里，或直接写在这里', true);
    return { value: null, problems: [] };
  }
  const path = isAbsolute(section.file) ? section.file : resolve(dirname(configFile), section.file);
  const read = readConfigText(path);
  if ('why' in read) {
    y.report(['catalogue', 'file'], `无法读取事项目录文件 ${path}：${read.why}（路径相对于大厅配置所在的文件夹）`);
    return { value: null, problems: [] };
  }
  const c = readYaml(read.text, path);
  if (c.raw === undefined) return { value: null, problems: c.problems };
  const parsed = catalogueFileSchema.safeParse(c.raw ?? {}, { reportInput: true });
  if (!parsed.success) {
    c.reportIssues(parsed.error.issues);
    return { value: null, problems: c.problems };
  }
  catalogueSemanticChecks(parsed.data.items, c.report);
  return {
    value: c.problems.length ? null : { file: section.file, version: parsed.data.version, items: parsed.data.items },
    problems: c.problems,
  };
}

export function sortProblems(ps: ConfigProblem[]): ConfigProblem[] {
  return ps.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Checks across entries that a schema alone cannot express. */
export function semanticChecks(c: HallConfig, report: (path: Path, message: string) => void): void {
  const firstSeen = <T>(items: T[], key: (t: T) => string, what: string, field: string, section: string) => {
    const seen = new Map<string, number>();
    items.forEach((it, i) => {
      const k = key(it);
      const prev = seen.get(k);
      if (prev !== undefined) report([section, i, field], `${what}「${k}」重复（与第 ${prev + 1} 项相同）`);
      else seen.set(k, i);
    });
  };
  firstSeen(c.services, (s) => s.code, '业务编码', 'code', 'services');
  firstSeen(c.services, (s) => s.prefix, '票号前缀', 'prefix', 'services');
  firstSeen(c.windows, (w) => String(w.no), '窗口编号', 'no', 'windows');
  firstSeen(c.staff, (s) => s.no, '工号', 'no', 'staff');

  const services = new Set(c.services.map((s) => s.code));
  const served = new Set<string>();
  c.windows.forEach((w, i) => {
    const listed = new Set<string>();
    w.services.forEach((s, j) => {
      if (!services.has(s.code)) report(['windows', i, 'services', j], `窗口 ${w.no} 办理的业务「${s.code}」不存在`);
      if (listed.has(s.code)) report(['windows', i, 'services', j], `窗口 ${w.no} 重复列出业务「${s.code}」`);
      listed.add(s.code);
      served.add(s.code);
    });
  });
  c.services.forEach((s, i) => {
    if (!served.has(s.code)) report(['services', i, 'code'], `业务「${s.name}」没有任何窗口办理，取了号也无人叫`);
  });

  // Services that share a prefix would print the same number twice unless their ranges are apart.
  for (let i = 0; i < c.services.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = c.services[j]!;
      const b = c.services[i]!;
      if (a.prefix === b.prefix && a.numberRange.from <= b.numberRange.to && b.numberRange.from <= a.numberRange.to) {
        report(['services', i, 'numberRange'], `业务「${b.name}」与「${a.name}」前缀相同且号段重叠，会出现重复票号`);
      }
    }
  }

  const windows = new Set(c.windows.map((w) => w.no));
  devicesSemanticChecks(c.devices, windows, report);
  calendarSemanticChecks(c.calendar, report);
  alarmsSemanticChecks(c.alarms, services, report);
  appointmentSemanticChecks(
    c.services,
    { openingHours: c.hall.openingHours, appointmentsFirst: c.priority.appointmentsFirst },
    report,
  );
  publicSemanticChecks(c, report);
  c.staff.forEach((s, i) => {
    if (s.windows.length === 0) report(['staff', i, 'windows'], `工作人员 ${s.no}（${s.name}）没有可登录的窗口`);
    s.windows.forEach((w, j) => {
      if (!windows.has(w)) report(['staff', i, 'windows', j], `工作人员 ${s.no} 的窗口 ${w} 不存在`);
    });
  });
}

/** A file's text, or why it could not be read, said so that the person editing it knows what to fix. */
export function readConfigText(path: string): { text: string } | { why: string } {
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { why: code === 'ENOENT' ? '文件不存在' : code === 'EACCES' ? '没有读取权限' : (e as Error).message };
  }
}

/** Reads a YAML file and checks its text; an unreadable file is one problem at its line 1 (`what`: 配置文件, …). */
export function loadYamlFile<R>(
  path: string,
  what: string,
  check: (text: string, file: string) => R,
): R | { ok: false; problems: ConfigProblem[] } {
  const read = readConfigText(path);
  if ('why' in read) {
    return {
      ok: false,
      problems: [{ file: path, line: 1, column: 1, path: '', message: `无法读取${what}：${read.why}` }],
    };
  }
  return check(read.text, path);
}

export function loadHallConfigFile(path: string): ConfigCheckResult {
  return loadYamlFile(path, '配置文件', checkHallConfigText);
}
