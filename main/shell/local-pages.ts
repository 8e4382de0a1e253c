/**
 * The pages the shell shows by itself, when the role page cannot be shown: recovering, hub
 * unreachable (worded per role), the pairing code, and the technician's PIN prompt. They are
 * `data:` documents built here, so they need neither the hub nor the local server nor the disk,
 * and carry their own CSP: no script at all, inline styles only. Chinese first, English second.
 */
import { localTimeOfDay } from '../../common/hall-time.js';
import type { PairingPage } from './pairing-state.js';
import type { ShellRole } from './window-plan.js';

/** Where the PIN form is sent: never loaded, the shell reads the fields from the navigation and cancels it. */
export const UNLOCK_FORM_ACTION = 'http://unlock.govhall.invalid/';

export interface LocalText {
  title: string;
  lines: string[];
  english: string;
}

/** What each role's screen says when the hub is unreachable (the kiosk's wording is the hall's standard one). */
export const HUB_DOWN_TEXT: Record<ShellRole, LocalText> = {
  kiosk: {
    title: '自助取号暂停，请到咨询台',
    lines: ['网络恢复后本机自动继续服务'],
    english: 'Self-service ticketing is paused. Please go to the information desk.',
  },
  counter: {
    title: '暂时无法连接大厅中枢',
    lines: ['叫号暂停，正在自动重试；恢复后回到原来的页面', '如持续出现，请检查网线或联系大厅管理员'],
    english: 'Cannot reach the hall hub. Calling is paused and retrying automatically.',
  },
  evaluator: {
    title: '评价暂停，请稍候',
    lines: ['网络恢复后可继续评价'],
    english: 'Rating is paused for a moment.',
  },
  display: {
    title: '叫号信息暂停更新',
    lines: ['请留意窗口呼叫'],
    english: 'Calling updates are paused. Please listen for your number at the windows.',
  },
  admin: {
    title: '暂时无法连接大厅中枢',
    lines: ['管理后台暂不可用，正在自动重试；恢复后回到原来的页面'],
    english: 'Cannot reach the hall hub. The admin console is retrying automatically.',
  },
};

export const RECOVERING_TEXT: LocalText = {
  title: '正在恢复，请稍候',
  lines: ['本机正在自动恢复'],
  english: 'Restoring, please wait.',
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const STYLE = `
html,body{margin:0;height:100%;background:#0f2a44;color:#fff;font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif}
body{display:flex;align-items:center;justify-content:center;text-align:center;cursor:default;user-select:none}
main{max-width:90vw}
h1{font-size:max(28px,5vw);margin:0 0 .6em;font-weight:700}
p{font-size:max(18px,2.4vw);margin:.3em 0;line-height:1.5}
.en{opacity:.75;font-size:max(14px,1.6vw);margin-top:1.2em}
.code{font-size:max(48px,12vw);letter-spacing:.15em;font-weight:700;font-variant-numeric:tabular-nums;margin:.2em 0}
form{display:grid;gap:12px;justify-items:center;margin-top:1em}
input{font-size:24px;padding:8px 12px;width:12em;text-align:center}
button{font-size:22px;padding:8px 32px}
.error{color:#ffd48a}
`;

function page(title: string, body: string, formAction = false): string {
  const csp = `default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action ${formAction ? UNLOCK_FORM_ACTION : "'none'"}`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function textPage(t: LocalText): string {
  const lines = t.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
  return page(t.title, `<h1>${escapeHtml(t.title)}</h1>${lines}<p class="en" lang="en">${escapeHtml(t.english)}</p>`);
}

/** The local terminal file cannot be read: what is wrong (file:line:column) and where to fix it. */
export function terminalFileProblemPage(problems: string[]): string {
  return textPage({
    title: '终端配置文件有误，终端未启动',
    lines: [...problems.slice(0, 8), '请技术员修改终端配置文件后重新启动本机'],
    english: 'The terminal file has problems; the terminal did not start. A technician must fix it and restart.',
  });
}

export function recoveringPage(): string {
  return textPage(RECOVERING_TEXT);
}

export function hubDownPage(role: ShellRole): string {
  return textPage(HUB_DOWN_TEXT[role]);
}

const hhmm = (ms: number, timeZone: string) => {
  const { minutes } = localTimeOfDay(ms, timeZone);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
};

/**
 * The page of a window while the terminal is not paired. The code is shown on one window only
 * (`showCode`: the first in the plan — the staff screen on a window PC), the others say that
 * pairing is under way, so a citizen-facing screen never shows it.
 */
export function pairingPageHtml(p: Exclude<PairingPage, { kind: 'role-pages' }>, showCode: boolean, timeZone: string) {
  if (p.kind === 'pairing-code' && showCode)
    return page(
      '终端配对',
      `<h1>终端配对码</h1><p class="code">${escapeHtml(p.code)}</p>` +
        `<p>请大厅管理员在管理后台的“终端”页输入此配对码并批准</p>` +
        `<p>有效至 ${hhmm(p.expiresAt, timeZone)}，过期后自动换新码</p>` +
        `<p class="en" lang="en">Terminal pairing code: ask the hall admin to approve it in the admin console.</p>`,
    );
  if (p.kind === 'pairing-code')
    return textPage({ title: '正在配对', lines: ['配对码显示在本机的主屏幕上'], english: 'Pairing in progress.' });
  const lines = p.revoked ? ['此终端已被管理员移除，正在重新申请配对码'] : ['正在申请配对码'];
  if (p.error) lines.push(p.error);
  return textPage({ title: '正在连接大厅中枢', lines, english: 'Connecting to the hall hub.' });
}

/** The technician's PIN prompt; `message` is the answer to the last attempt. */
export function unlockPage(message: string | null): string {
  const error = message ? `<p class="error">${escapeHtml(message)}</p>` : '';
  return page(
    '技术员解锁',
    `<h1>技术员解锁</h1><p>输入管理员工号与 PIN，由大厅中枢核验</p>${error}` +
      `<form method="get" action="${UNLOCK_FORM_ACTION}" autocomplete="off">` +
      `<input name="staffNo" inputmode="numeric" placeholder="工号" required autofocus>` +
      `<input name="pin" type="password" inputmode="numeric" placeholder="PIN" required>` +
      `<button type="submit">解锁</button></form>` +
      `<p class="en" lang="en">Technician unlock: enter an admin's staff number and PIN.</p>`,
    true,
  );
}

/** A page as a `data:` address the window can load. */
export function dataUrl(html: string): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

/** The fields of a submitted PIN form, or null when the address is not the form's. */
export function readUnlockForm(url: string): { staffNo: string; pin: string } | null {
  if (!url.startsWith(UNLOCK_FORM_ACTION)) return null;
  const q = new URL(url).searchParams;
  return { staffNo: q.get('staffNo') ?? '', pin: q.get('pin') ?? '' };
}
