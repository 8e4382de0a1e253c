/**
 * The terminal's local file (`govhall terminal --config FILE`, docs/terminal.md): only which
 * terminal this PC is and where its hub is. Everything else — roles, displays, devices — comes from
 * the hall config's entry for that id, fetched from the hub. Checked like the hall config, every
 * problem at file:line:column.
 */
import { z } from 'zod';
import { type ConfigProblem, loadYamlFile, readYaml, sortProblems } from './load.js';

export const terminalFileSchema = z
  .object({
    terminal: z
      .object(
        {
          id: z
            .string({ error: '终端编号应为文字' })
            .regex(/^[A-Za-z0-9_.-]{1,40}$/, '终端编号只能包含字母、数字、点、下划线和连字符，1 到 40 位'),
          hub: z
            .string({ error: '中枢地址应为文字，如 "http://192.168.10.2:8800"' })
            .refine(isHubUrl, '中枢地址应为 http:// 或 https:// 开头的地址，如 http://192.168.10.2:8800'),
        },
        { error: '应为 terminal: { id, hub }' },
      )
      .strict(),
  })
  .strict();

export type TerminalFile = z.output<typeof terminalFileSchema>['terminal'];

function isHubUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && !u.search;
  } catch {
    return false;
  }
}

export type TerminalFileResult = { ok: true; terminal: TerminalFile } | { ok: false; problems: ConfigProblem[] };

export function checkTerminalFileText(text: string, file: string): TerminalFileResult {
  const y = readYaml(text, file);
  if (y.raw === undefined) return { ok: false, problems: sortProblems(y.problems) };
  const parsed = terminalFileSchema.safeParse(y.raw ?? {}, { reportInput: true });
  if (!parsed.success) {
    y.reportIssues(parsed.error.issues);
    return { ok: false, problems: sortProblems(y.problems) };
  }
  const t = parsed.data.terminal;
  return { ok: true, terminal: { id: t.id, hub: t.hub.replace(/\/+$/, '').replace(/\/api\/v1$/, '') } };
}

export function loadTerminalFile(path: string): TerminalFileResult {
  return loadYamlFile(path, '终端配置', checkTerminalFileText);
}
