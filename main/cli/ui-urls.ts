/**
 * What `govhall start` prints so a newcomer can open every role in a browser: one address per role
 * with a fresh device token (evaluator and counter per window). Tokens are created for this run;
 * an admin can list and revoke them (`govhall token list`).
 */
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import type { HubApp } from '../hall/hub-app.js';

export interface RoleUrl {
  role: string;
  label: string;
  url: string;
}

export async function roleUrls(app: Pick<HubApp, 'url' | 'createToken'>, config: HallConfig): Promise<RoleUrl[]> {
  const base = app.url.replace('://0.0.0.0:', '://127.0.0.1:');
  const out: RoleUrl[] = [];
  const kiosk = await app.createToken('kiosk', undefined, '内置取号机');
  out.push({ role: 'kiosk', label: '取号机 kiosk', url: `${base}/kiosk/?token=${kiosk}&terminal=kiosk-1` });
  const display = await app.createToken('display', undefined, '内置显示屏');
  out.push({ role: 'display', label: '显示屏 display', url: `${base}/display/?token=${display}` });
  const admin = await app.createToken('admin', undefined, '内置管理后台');
  out.push({ role: 'admin', label: '管理后台 admin', url: `${base}/admin/?token=${admin}` });
  for (const w of config.windows) {
    const counter = await app.createToken('counter', w.no, `内置窗口终端 ${w.no}`);
    out.push({
      role: 'counter',
      label: `窗口 ${w.no} counter`,
      url: `${base}/counter/?token=${counter}&window=${w.no}`,
    });
  }
  for (const w of config.windows) {
    const pad = await app.createToken('evaluator', w.no, `内置评价器 ${w.no}`);
    out.push({
      role: 'evaluator',
      label: `评价器 ${w.no} evaluator`,
      url: `${base}/evaluator/?token=${pad}&window=${w.no}`,
    });
  }
  return out;
}

/** Terminal columns of a string: CJK characters take two. */
const columns = (s: string) => [...s].reduce((n, c) => n + (/[\u1100-\uffff]/.test(c) ? 2 : 1), 0);

export function formatRoleUrls(urls: RoleUrl[]): string {
  const width = Math.max(...urls.map((u) => columns(u.label))) + 2;
  const lines = urls.map((u) => `  ${u.label}${' '.repeat(width - columns(u.label))}${u.url}`);
  return `\n在浏览器中打开各角色 / open each role in a browser (取号机加 &bridge=sim 可模拟读卡和打印):\n${lines.join('\n')}\n`;
}
