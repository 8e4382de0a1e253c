/** The hub serves every role's page and its assets; nothing escapes the build folder. */

import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { formatRoleUrls, roleUrls } from '../../main/cli/ui-urls.js';
import { uiSuite } from './suite.js';
import { openRole, realErrors } from './support.js';

const ui = uiSuite();

/** GET with the path sent byte for byte (fetch would normalise dot segments away). */
function rawStatus(base: string, path: string): Promise<number> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ui static serving', () => {
  it('serves the index, each role, assets with long caching, and refuses traversal', async () => {
    const index = await fetch(`${ui.hub.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    const html = await index.text();
    for (const r of ['kiosk', 'counter', 'display', 'evaluator', 'admin']) {
      expect(html).toContain(`/${r}/`);
      const page = await fetch(`${ui.hub.url}/${r}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      const body = await page.text();
      const asset = body.match(/src="\.\.\/(assets\/[^"]+\.js)"/)?.[1];
      expect(asset).toBeTruthy();
      const a = await fetch(`${ui.hub.url}/${asset}`);
      expect(a.status).toBe(200);
      expect(a.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(a.headers.get('cache-control')).toContain('immutable');
      const again = await fetch(`${ui.hub.url}/${asset}`, { headers: { 'if-none-match': a.headers.get('etag')! } });
      expect(again.status).toBe(304);
      // A production build: no React development-only warnings shipped (this very build may have
      // run inside vitest, where NODE_ENV=test).
      for (const js of body.matchAll(/(?:src|href)="\.\.\/(assets\/[^"]+\.js)"/g)) {
        expect(await (await fetch(`${ui.hub.url}/${js[1]}`)).text()).not.toContain('is not a prop');
      }
    }
    const redirect = await fetch(`${ui.hub.url}/kiosk?token=x`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/kiosk/?token=x');
    for (const bad of [
      '/assets/..%2f..%2fpackage.json',
      '/kiosk/%2e%2e/%2e%2e/package.json',
      '/kiosk/../../package.json',
      '/assets/%5c..%5cpackage.json',
      '/assets/.build-stamp',
      '/kiosk/%00',
      '/kiosk/%E0%A4%A',
    ]) {
      expect([400, 404], bad).toContain(await rawStatus(ui.hub.url, bad));
    }
    expect((await fetch(`${ui.hub.url}/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${ui.hub.url}/kiosk/`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${ui.hub.url}/api/v1/health`)).status).toBe(200);
  });

  it('renders every role without page errors', async () => {
    for (const role of ['kiosk', 'counter', 'display', 'evaluator', 'admin'] as const) {
      const token = role === 'evaluator' || role === 'counter' ? await ui.hub.token(role, 1) : ui.hub.tokens.admin;
      const page = await openRole(ui.browser, ui.hub, role, { token, query: { window: '1' } });
      await page.locator('#root *').first().waitFor();
      expect(realErrors(page)).toEqual([]);
      await page.context().close();
    }
  });
});

describe('govhall start role addresses', () => {
  it('one address per role page of the terminals, counter and evaluator per window, none with a token', () => {
    const pages = [
      {
        terminalId: 'counter-1',
        role: 'evaluator',
        window: 1,
        url: 'http://127.0.0.1:8802/evaluator/?terminal=counter-1&window=1',
      },
      {
        terminalId: 'counter-1',
        role: 'counter',
        window: 1,
        url: 'http://127.0.0.1:8802/counter/?terminal=counter-1&window=1',
      },
      { terminalId: 'office', role: 'admin', window: null, url: 'http://127.0.0.1:8804/admin/?terminal=office' },
      { terminalId: 'kiosk-1', role: 'kiosk', window: null, url: 'http://127.0.0.1:8801/kiosk/?terminal=kiosk-1' },
    ];
    const urls = roleUrls(pages);
    expect(urls.map((u) => u.label)).toEqual([
      '取号机 kiosk',
      '管理后台 admin',
      '窗口 1 counter',
      '评价器 1 evaluator',
    ]);
    expect(urls.every((u) => !u.url.includes('token'))).toBe(true);
    expect(formatRoleUrls(urls)).toContain('  取号机 kiosk        http://127.0.0.1:8801/kiosk/?terminal=kiosk-1');
  });
});
