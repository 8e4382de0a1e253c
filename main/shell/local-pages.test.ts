import { describe, expect, it } from 'vitest';
import {
  dataUrl,
  HUB_DOWN_TEXT,
  hubDownPage,
  pairingPageHtml,
  readUnlockForm,
  recoveringPage,
  UNLOCK_FORM_ACTION,
  unlockPage,
} from './local-pages.js';
import { SHELL_ROLES } from './window-plan.js';

const SH = 'Asia/Shanghai';
const cspOf = (html: string) => /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];

describe('local pages', () => {
  it('say in plain Chinese first what happened, per role, with English after', () => {
    expect(hubDownPage('kiosk')).toContain('<h1>自助取号暂停，请到咨询台</h1>');
    for (const role of SHELL_ROLES) {
      const html = hubDownPage(role);
      expect(html).toContain('lang="zh-CN"');
      expect(html.indexOf(HUB_DOWN_TEXT[role].title)).toBeLessThan(html.indexOf(HUB_DOWN_TEXT[role].english));
    }
    expect(recoveringPage()).toContain('正在恢复，请稍候');
  });

  it('carry no script and a CSP that forbids any', () => {
    const pages = [
      recoveringPage(),
      ...SHELL_ROLES.map(hubDownPage),
      unlockPage('x'),
      pairingPageHtml({ kind: 'pairing-code', code: '418203', expiresAt: 0 }, true, SH),
    ];
    for (const html of pages) {
      expect(html).not.toMatch(/<script|javascript:|\son\w+=/i);
      expect(cspOf(html)).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action /);
    }
    expect(cspOf(recoveringPage())).toContain("form-action 'none'");
    expect(cspOf(unlockPage(null))).toContain(`form-action ${UNLOCK_FORM_ACTION}`);
  });

  it('shows the pairing code with its expiry in hall time on one window only', () => {
    const expiresAt = Date.UTC(2026, 10, 23, 1, 40); // 09:40 in Shanghai
    const shown = pairingPageHtml({ kind: 'pairing-code', code: '418203', expiresAt }, true, SH);
    expect(shown).toContain('<p class="code">418203</p>');
    expect(shown).toContain('有效至 09:40');
    const other = pairingPageHtml({ kind: 'pairing-code', code: '418203', expiresAt }, false, SH);
    expect(other).not.toContain('418203');
    expect(other).toContain('正在配对');
    expect(pairingPageHtml({ kind: 'connecting', revoked: true, error: null }, true, SH)).toContain(
      '此终端已被管理员移除，正在重新申请配对码',
    );
  });

  it('escapes every text it did not write itself', () => {
    const html = pairingPageHtml(
      { kind: 'connecting', revoked: false, error: '<img src=x onerror=alert(1)>' },
      true,
      SH,
    );
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(unlockPage('"><b>')).toContain('&quot;&gt;&lt;b&gt;');
  });

  it('round-trips through a data: address and reads the PIN form only from its own action', () => {
    const html = recoveringPage();
    const url = dataUrl(html);
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(html);
    expect(readUnlockForm(`${UNLOCK_FORM_ACTION}?staffNo=8001&pin=123456`)).toEqual({ staffNo: '8001', pin: '123456' });
    expect(readUnlockForm(UNLOCK_FORM_ACTION)).toEqual({ staffNo: '', pin: '' });
    expect(readUnlockForm('http://127.0.0.1:8801/?staffNo=1&pin=2')).toBeNull();
  });
});
