/**
 * The terminal's own pages on its local origin, in plain Chinese first: the pairing code (large
 * enough to read from a metre), "the hub cannot be reached" per role (a kiosk says
 * 自助取号暂停，请到咨询台), and "waiting for the configuration". They hold no script: each
 * reloads itself through `/terminal/next`, which sends it on to where the terminal now is — so a
 * window comes back by itself when the hub does, with or without anyone driving the browser.
 */
import type { RoleWindowConfig } from '../../kiosk-config/devices-schema.js';
import type { TerminalConfigView, TerminalState } from './terminal-types.js';

export const PAIRING_PATH = '/terminal/pairing';
export const OFFLINE_PATH = '/terminal/offline';
export const WAITING_PATH = '/terminal/waiting';
export const NEXT_PATH = '/terminal/next';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The address of a role page on the terminal's origin (no token: the terminal adds its own). */
export function windowPath(view: Pick<TerminalConfigView, 'terminalId'>, w: Pick<RoleWindowConfig, 'role' | 'window'>) {
  const q = new URLSearchParams({ terminal: view.terminalId });
  if (w.window !== undefined) q.set('window', String(w.window));
  return `/${w.role}/?${q}`;
}

/** The role of a local path (`/kiosk/?…` → kiosk), or null. */
export function roleOfPath(path: string): string | null {
  const m = /^\/([a-z]+)\//.exec(path);
  return m ? m[1]! : null;
}

/** Only a path on this origin (never `//host` or a scheme) may be a destination. */
export function safeLocalPath(to: string | null): string | null {
  return to?.startsWith('/') && !to.startsWith('//') && !to.includes('\\') ? to : null;
}

/** Where a window showing `to` belongs now: its role page, the pairing page, the offline or waiting page. */
export function destination(state: TerminalState, to: string | null): string {
  const want = safeLocalPath(to);
  if (state.kind === 'pairing' || state.kind === 'starting') return PAIRING_PATH;
  if (state.kind === 'waiting') return `${WAITING_PATH}${want ? `?to=${encodeURIComponent(want)}` : ''}`;
  const pages = state.config.windows.map((w) => windowPath(state.config, w));
  const target = want && pages.includes(want) ? want : (pages[0] ?? null);
  if (!target) return `${WAITING_PATH}`;
  if (!state.hubReachable) return `${OFFLINE_PATH}?to=${encodeURIComponent(target)}`;
  return target;
}

const OFFLINE_TEXT: Record<string, { title: string; text: string }> = {
  kiosk: { title: '自助取号暂停，请到咨询台', text: '暂时无法连接大厅中枢。已取的号仍然有效，请留意叫号。' },
  counter: { title: '暂时无法连接大厅中枢', text: '叫号暂停。连接恢复后本页自动返回，请稍候。' },
  display: { title: '叫号信息暂停更新', text: '请留意工作人员指引，连接恢复后自动继续。' },
  evaluator: { title: '评价器暂停使用', text: '暂时无法连接大厅中枢，连接恢复后自动继续。' },
  admin: { title: '暂时无法连接大厅中枢', text: '连接恢复后本页自动返回。' },
};

function page(opts: { title: string; refresh: { seconds: number; to: string }; body: string; lang?: string }): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${opts.refresh.seconds};url=${escapeHtml(opts.refresh.to)}">
<title>${escapeHtml(opts.title)}</title>
<style>
html,body{margin:0;height:100%;background:#0b2545;color:#fff;font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif}
main{min-height:100%;display:flex;flex-direction:column;align-items:center;justify-content:center;text-align:center;padding:4vmin;box-sizing:border-box}
h1{font-size:7vmin;margin:0 0 3vmin;font-weight:700;line-height:1.3}
p{font-size:3.6vmin;margin:1.2vmin 0;line-height:1.5;color:#dbe6f5}
.code{font-size:20vmin;font-weight:700;letter-spacing:.12em;font-variant-numeric:tabular-nums;margin:3vmin 0;color:#ffd166;font-family:'DejaVu Sans Mono','Noto Sans Mono',monospace}
.small{font-size:2.4vmin;color:#9fb3cc}
.problem{color:#ffb4a2}
</style></head>
<body><main>
${opts.body}
</main></body></html>`;
}

export function pairingPage(state: TerminalState, terminalId: string, hubUrl: string, name: string | null): string {
  const pairing = state.kind === 'pairing' ? state : null;
  const code = pairing?.code ?? null;
  // The hub writes times with the hall's offset: its HH:MM is the hall's clock, whatever this PC's zone.
  const until = /T(\d{2}:\d{2})/.exec(pairing?.expiresAt ?? '')?.[1] ?? null;
  return page({
    title: '终端配对',
    refresh: { seconds: 2, to: `${NEXT_PATH}?to=${encodeURIComponent(PAIRING_PATH)}` },
    body: `<h1>本终端尚未配对</h1>
<p>请大厅管理员在管理后台「终端」页输入下面的配对码</p>
<div class="code" data-testid="pairing-code" aria-label="配对码">${code ? escapeHtml(code) : '······'}</div>
${until ? `<p>配对码 ${escapeHtml(until)} 前有效，过期后自动更换</p>` : '<p>正在向大厅中枢申请配对码…</p>'}
${pairing?.problem ? `<p class="problem">${escapeHtml(pairing.problem)}</p>` : ''}
<p class="small">终端编号 ${escapeHtml(terminalId)}${name ? `（${escapeHtml(name)}）` : ''} · 大厅中枢 ${escapeHtml(hubUrl)}</p>
<p class="small">This terminal is not paired yet: enter the code above in the admin console, tab 终端 / Terminals.</p>`,
  });
}

export function offlinePage(to: string | null): string {
  const role = roleOfPath(to ?? '') ?? 'kiosk';
  const t = OFFLINE_TEXT[role] ?? OFFLINE_TEXT.kiosk!;
  const next = `${NEXT_PATH}${to ? `?to=${encodeURIComponent(to)}` : ''}`;
  return page({
    title: t.title,
    refresh: { seconds: 3, to: next },
    body: `<h1 data-testid="offline-title">${escapeHtml(t.title)}</h1>
<p>${escapeHtml(t.text)}</p>
<p class="small">正在重试连接 · The hall hub cannot be reached; retrying, this screen returns by itself.</p>`,
  });
}

export function waitingPage(problem: string | null, to: string | null): string {
  const next = `${NEXT_PATH}${to ? `?to=${encodeURIComponent(to)}` : ''}`;
  return page({
    title: '正在准备',
    refresh: { seconds: 3, to: next },
    body: `<h1>终端正在准备</h1>
<p>${escapeHtml(problem ?? '正在读取本终端的配置')}</p>
<p class="small">Waiting for this terminal's configuration from the hall hub.</p>`,
  });
}
