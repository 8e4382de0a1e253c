/**
 * What `govhall start` prints so a newcomer can open every role in a browser: one address per role
 * page of the hall's terminals (counter and evaluator per window), each on its terminal's local
 * origin. No address carries a token: the terminals are paired with the hub already and add their
 * own credentials (docs/terminal.md「演示」).
 */
import type { DemoPage } from '../hall/demo-terminals.js';

export interface RoleUrl {
  role: string;
  label: string;
  url: string;
}

const ORDER = ['kiosk', 'display', 'admin', 'counter', 'evaluator'];
const LABEL: Record<string, string> = {
  kiosk: '取号机 kiosk',
  display: '显示屏 display',
  admin: '管理后台 admin',
  counter: '窗口 counter',
  evaluator: '评价器 evaluator',
};

export function roleUrls(pages: DemoPage[]): RoleUrl[] {
  const rank = (p: DemoPage) => (ORDER.indexOf(p.role) + 1 || ORDER.length + 1) * 10_000 + (p.window ?? 0);
  return [...pages]
    .sort((a, b) => rank(a) - rank(b))
    .map((p) => {
      const [zh, en] = (LABEL[p.role] ?? p.role).split(' ');
      const label = p.window !== null ? `${zh} ${p.window} ${en ?? ''}`.trim() : (LABEL[p.role] ?? p.role);
      return { role: p.role, label, url: p.url };
    });
}

/** Terminal columns of a string: CJK characters take two. */
const columns = (s: string) => [...s].reduce((n, c) => n + (/[\u1100-\uffff]/.test(c) ? 2 : 1), 0);

export function formatRoleUrls(urls: RoleUrl[]): string {
  if (!urls.length) return '';
  const width = Math.max(...urls.map((u) => columns(u.label))) + 2;
  const lines = urls.map((u) => `  ${u.label}${' '.repeat(width - columns(u.label))}${u.url}`);
  return `\n在本机浏览器中打开各角色（各终端已自动配对，地址中没有令牌，只能在本机打开）/ open each role on this PC:\n${lines.join('\n')}\n`;
}
