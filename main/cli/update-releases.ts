/**
 * What the hub's `updates/` folder offers, read from its `latest*.yml` files, and the staging line
 * an admin sets in them (docs/deployment.md 7.3). Pure: text in, text or facts out.
 */
import { parseDocument } from 'yaml';

export interface ReleaseChannel {
  /** `latest.yml`, `latest-linux.yml`, `latest-linux-arm64.yml` … */
  file: string;
  version: string | null;
  /** Percent of terminals offered this version; null = all. */
  stagingPercentage: number | null;
  /** Files the channel names, and whether each is in the folder. */
  files: { name: string; present: boolean }[];
  problems: string[];
}

export const isChannelFile = (name: string) => /^latest(-[a-z0-9-]+)?\.yml$/.test(name);

/** Reads one `latest*.yml` against the names present in the folder. */
export function describeChannel(file: string, text: string, present: ReadonlySet<string>): ReleaseChannel {
  const doc = parseDocument(text);
  const problems = doc.errors.map((e) => `YAML：${e.message}`);
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
  const version = typeof data.version === 'string' ? data.version : null;
  if (!version) problems.push('缺少 version');
  const raw = data.stagingPercentage;
  const stagingPercentage = typeof raw === 'number' ? raw : null;
  const names = new Set<string>();
  if (Array.isArray(data.files))
    for (const f of data.files) if (f && typeof f.url === 'string') names.add(decodeURIComponent(f.url));
  if (typeof data.path === 'string') names.add(data.path);
  if (names.size === 0) problems.push('没有列出任何安装包（files）');
  const files = [...names].map((name) => ({ name, present: present.has(name) }));
  for (const f of files) if (!f.present) problems.push(`缺少文件 ${f.name}：请先复制安装包，再复制 ${file}`);
  return { file, version, stagingPercentage, files, problems };
}

/**
 * The same `latest*.yml` offered to `percent` of the terminals (1–100); 100 removes the line, so
 * every terminal is offered it. Everything else of the file is kept as it was.
 */
export function withStaging(text: string, percent: number): string {
  if (!Number.isInteger(percent) || percent < 1 || percent > 100) throw new RangeError('百分比应为 1 到 100 的整数');
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`YAML 有误：${doc.errors[0]?.message}`);
  if (percent === 100) doc.delete('stagingPercentage');
  else doc.set('stagingPercentage', percent);
  return doc.toString();
}
