import { describe, expect, it } from 'vitest';
import {
  isOwnOrigin,
  mayDownload,
  mayGrantPermission,
  mayNavigate,
  mayOpenExternal,
  originOf,
  ownOrigin,
  SHELL_DEFAULT_CSP,
  windowOpenAnswer,
  withContentSecurityPolicy,
} from './navigation-policy.js';

const OWN = ownOrigin('http://127.0.0.1:8801');

describe('navigation policy', () => {
  it('normalises the own origin and refuses settings that would widen it', () => {
    expect(OWN).toBe('http://127.0.0.1:8801');
    expect(ownOrigin('http://127.0.0.1:8801/')).toBe('http://127.0.0.1:8801');
    expect(ownOrigin('http://127.0.0.1:80')).toBe('http://127.0.0.1');
    for (const bad of [
      '127.0.0.1:8801',
      'file:///opt/govhall',
      'http://127.0.0.1:8801/kiosk/',
      'http://u:p@127.0.0.1',
      '',
    ])
      expect(() => ownOrigin(bad), bad).toThrow(/^SHELL_ORIGIN 终端页面地址应为/);
  });

  it('allows navigation only to exactly the same scheme, host and port', () => {
    const allowed = [
      'http://127.0.0.1:8801/kiosk/',
      'http://127.0.0.1:8801/counter/?window=3#served',
      'HTTP://127.0.0.1:8801/display/',
    ];
    for (const url of allowed) expect(mayNavigate(url, OWN), url).toBe(true);
    const refused = [
      'https://127.0.0.1:8801/kiosk/', // other scheme
      'http://localhost:8801/kiosk/', // other host, same machine
      'http://127.0.0.1:8802/kiosk/', // other port
      'http://127.0.0.1/kiosk/', // default port
      'http://127.0.0.1:8801@evil.example/', // userinfo trick: the host is evil.example
      'http://x@127.0.0.1:8801/', // credentials at all
      'http://192.168.10.2:8800/kiosk/', // the hub itself: pages go through the local origin
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'javascript:alert(1)',
      'about:blank',
      'chrome://gpu',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
    ];
    for (const url of refused) expect(mayNavigate(url, OWN), url).toBe(false);
    // The userinfo trick names evil.example as the host; any address with credentials has no origin here.
    expect(new URL('http://127.0.0.1:8801@evil.example/').host).toBe('evil.example');
    expect(originOf('http://127.0.0.1:8801@evil.example/')).toBeNull();
    expect(isOwnOrigin('http://[::1]:8801/', OWN)).toBe(false);
  });

  it('denies every window.open and every download', () => {
    expect(windowOpenAnswer()).toEqual({ action: 'deny' });
    expect(mayDownload()).toBe(false);
  });

  it('never opens an external address unless its exact https origin is trusted', () => {
    expect(mayOpenExternal('https://www.gjzwfw.gov.cn/', [])).toBe(false);
    expect(mayOpenExternal('https://www.gjzwfw.gov.cn/x', ['https://www.gjzwfw.gov.cn'])).toBe(true);
    expect(mayOpenExternal('http://www.gjzwfw.gov.cn/x', ['http://www.gjzwfw.gov.cn'])).toBe(false);
    expect(mayOpenExternal('https://www.gjzwfw.gov.cn.evil.example/', ['https://www.gjzwfw.gov.cn'])).toBe(false);
    expect(mayOpenExternal('file:///C:/Windows/System32/cmd.exe', ['file://'])).toBe(false);
    expect(mayOpenExternal('ms-settings:', [])).toBe(false);
  });

  it('grants camera and microphone to the own origin and refuses every other permission', () => {
    const page = 'http://127.0.0.1:8801/counter/?window=3';
    expect(mayGrantPermission({ permission: 'media', requestingUrl: page, mediaTypes: ['video'] }, OWN)).toBe(true);
    expect(mayGrantPermission({ permission: 'media', requestingUrl: page, mediaTypes: ['video', 'audio'] }, OWN)).toBe(
      true,
    );
    // A permission check carries the origin, not a page address, and no media types.
    expect(mayGrantPermission({ permission: 'media', requestingUrl: OWN }, OWN)).toBe(true);
    expect(
      mayGrantPermission({ permission: 'media', requestingUrl: 'http://localhost:8801/', mediaTypes: ['video'] }, OWN),
    ).toBe(false);
    expect(
      mayGrantPermission({ permission: 'media', requestingUrl: 'data:text/html,x', mediaTypes: ['video'] }, OWN),
    ).toBe(false);
    expect(mayGrantPermission({ permission: 'media', requestingUrl: page, mediaTypes: ['screen'] }, OWN)).toBe(false);
    for (const permission of [
      'display-capture',
      'notifications',
      'geolocation',
      'fullscreen',
      'openExternal',
      'clipboard-read',
      'clipboard-sanitized-write',
      'hid',
      'serial',
      'usb',
      'pointerLock',
      'keyboardLock',
      'window-management',
      'fileSystem',
      'unknown',
    ])
      expect(mayGrantPermission({ permission, requestingUrl: page }, OWN), permission).toBe(false);
  });

  it('gives documents without a Content-Security-Policy the shell default and keeps a page’s own', () => {
    const bare = withContentSecurityPolicy({ 'Content-Type': ['text/html'] }, 'mainFrame');
    expect(bare['Content-Security-Policy']).toEqual([SHELL_DEFAULT_CSP]);
    expect(SHELL_DEFAULT_CSP).toContain("script-src 'self'");
    expect(SHELL_DEFAULT_CSP).toContain("object-src 'none'");
    expect(SHELL_DEFAULT_CSP).not.toContain('unsafe-eval');
    const own = { 'content-security-policy': ["default-src 'self'"] };
    expect(withContentSecurityPolicy(own, 'mainFrame')).toEqual(own);
    expect(withContentSecurityPolicy({}, 'subFrame')['Content-Security-Policy']).toEqual([SHELL_DEFAULT_CSP]);
    expect(withContentSecurityPolicy({}, 'script')).toEqual({});
  });
});
