/**
 * `GET /updates/{file}` over real HTTP on loopback: a paired terminal reads the release files an
 * admin put in `<data>/updates`, whole or by byte range; nothing else of the disk, and nobody else.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubApp, startHubApp } from '../../main/hall/hub-app.js';
import { readRange, releaseFileType } from '../../main/server/update-files.js';
import { authorizationHeader, updateFeed } from '../../main/shell/update-feed.js';
import { call, demoConfig, tempDir } from '../support/hub-client.js';

let app: HubApp;
let terminal: string;
let kiosk: string;
let dataDir: string;
const installer = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));
const sha512 = createHash('sha512').update(installer).digest('base64');
// What electron-builder writes for an NSIS build, with the admin's staging line added.
const latest = [
  'version: 0.2.0',
  'files:',
  '  - url: govhall-0.2.0-win-x64.exe',
  `    sha512: ${sha512}`,
  `    size: ${installer.length}`,
  'path: govhall-0.2.0-win-x64.exe',
  `sha512: ${sha512}`,
  "releaseDate: '2026-12-04T02:00:00.000Z'",
  'stagingPercentage: 20',
  '',
].join('\n');

/** A GET with raw headers and the raw bytes back (fetch would not let a test send `..` as it is). */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const u = new URL(app.url);
    const req = request({ host: u.hostname, port: u.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}
const asTerminal = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${terminal}`, ...extra });

beforeAll(async () => {
  dataDir = tempDir('govhall-updates-');
  app = await startHubApp({ config: demoConfig(), dataDir, port: 0, version: 'test' });
  const admin = await app.createToken('admin', undefined, 'a1');
  kiosk = await app.createToken('kiosk', undefined, 'k1');
  const asked = await call(app.url, 'POST', '/terminals/pairings', null, { terminalId: 'kiosk-1' });
  await call(app.url, 'POST', '/admin/pairings/approve', admin, { code: asked.body.code });
  terminal = (await call(app.url, 'GET', `/terminals/pairings/${asked.body.pairingId}`)).body.token;
  const updates = join(dataDir, 'updates');
  // The hub made the folder on its first start.
  expect(statSync(updates).isDirectory()).toBe(true);
  mkdirSync(join(updates, 'sub'), { recursive: true });
  writeFileSync(join(updates, 'latest.yml'), latest);
  writeFileSync(join(updates, 'govhall-0.2.0-win-x64.exe'), installer);
  writeFileSync(join(updates, 'govhall-0.2.0-win-x64.exe.blockmap'), Buffer.from([1, 2, 3]));
  writeFileSync(join(updates, '.hidden.yml'), 'secret: 1\n');
  writeFileSync(join(updates, 'notes.txt'), 'not a release file');
  writeFileSync(join(updates, 'sub', 'x.yml'), 'x: 1\n');
  writeFileSync(join(dataDir, 'outside.yml'), 'outside: 1\n');
});
afterAll(async () => {
  await app?.close();
});

describe('GET /updates/{file}', () => {
  it('serves latest.yml and an installer whole, with their types, to a paired terminal', async () => {
    const yml = await get('/api/v1/updates/latest.yml?noCache=1abc', asTerminal());
    expect(yml.status).toBe(200);
    expect(yml.headers['content-type']).toBe('text/yaml; charset=utf-8');
    expect(yml.headers['cache-control']).toBe('no-store');
    expect(yml.body.toString()).toBe(latest);
    const exe = await get('/api/v1/updates/govhall-0.2.0-win-x64.exe', asTerminal());
    expect(exe.status).toBe(200);
    expect(exe.headers['content-type']).toBe('application/vnd.microsoft.portable-executable');
    expect(exe.headers['accept-ranges']).toBe('bytes');
    expect(Number(exe.headers['content-length'])).toBe(installer.length);
    expect(exe.body.equals(installer)).toBe(true);
    const map = await get('/api/v1/updates/govhall-0.2.0-win-x64.exe.blockmap', asTerminal());
    expect(map.headers['content-type']).toBe('application/octet-stream');
    expect([...map.body]).toEqual([1, 2, 3]);
  });

  it('answers one byte range with 206, the last N bytes, an open range, and 416 past the end', async () => {
    const part = await get('/api/v1/updates/govhall-0.2.0-win-x64.exe', asTerminal({ range: 'bytes=1000-1999' }));
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${installer.length}`);
    expect(part.body.equals(installer.subarray(1000, 2000))).toBe(true);
    const tail = await get('/api/v1/updates/govhall-0.2.0-win-x64.exe', asTerminal({ range: 'bytes=-10' }));
    expect(tail.status).toBe(206);
    expect(tail.body.equals(installer.subarray(installer.length - 10))).toBe(true);
    const rest = await get('/api/v1/updates/govhall-0.2.0-win-x64.exe', asTerminal({ range: 'bytes=299990-' }));
    expect(rest.body.equals(installer.subarray(299_990))).toBe(true);
    const past = await get('/api/v1/updates/govhall-0.2.0-win-x64.exe', asTerminal({ range: 'bytes=400000-' }));
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${installer.length}`);
    expect(JSON.parse(past.body.toString()).code).toBe('RANGE_NOT_SATISFIABLE');
    // Several ranges at once: the whole file (the updater is told to ask for one at a time).
    const multi = await get('/api/v1/updates/govhall-0.2.0-win-x64.exe', asTerminal({ range: 'bytes=0-1, 5-6' }));
    expect(multi.status).toBe(200);
    expect(multi.body.length).toBe(installer.length);
  });

  it('serves nothing but plain names of release files in the folder: 404 with the usual error body', async () => {
    for (const path of [
      '/api/v1/updates/missing-0.3.0.exe',
      '/api/v1/updates/.hidden.yml',
      '/api/v1/updates/notes.txt',
      '/api/v1/updates/..%2Foutside.yml',
      '/api/v1/updates/%2E%2E%2Foutside.yml',
      '/api/v1/updates/sub%2Fx.yml',
      '/api/v1/updates/sub',
      '/api/v1/updates/..%5Coutside.yml',
    ]) {
      const r = await get(path, asTerminal());
      expect(r.status, path).toBe(404);
      const body = JSON.parse(r.body.toString());
      expect(body.code, path).toBe('UPDATE_FILE_NOT_FOUND');
      expect(body.message).toMatch(/updates\//);
    }
    // A path with more segments is no route at all.
    expect((await get('/api/v1/updates/sub/x.yml', asTerminal())).status).toBe(404);
    expect((await get('/api/v1/updates/../outside.yml', asTerminal())).status).toBe(404);
  });

  it('is for paired terminals only: no token 401, a device token 403', async () => {
    expect((await get('/api/v1/updates/latest.yml')).status).toBe(401);
    expect((await get('/api/v1/updates/latest.yml', { authorization: `Bearer ${kiosk}` })).status).toBe(403);
    expect((await get('/api/v1/updates/latest.yml', { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('is described in the OpenAPI document as a binary answer with 206', async () => {
    const doc = (await call(app.url, 'GET', '/openapi.json')).body;
    const op = doc.paths['/updates/{file}'].get;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '206', '401', '403', '404', '416']));
    expect(op.responses['200'].content['application/octet-stream'].schema.format).toBe('binary');
  });
});

describe('the real electron-updater client code (no Electron: its generic provider on a Node HTTP executor)', () => {
  // electron-updater's own classes, as the shell's updater uses them, minus Electron's net module.
  const require = createRequire(import.meta.url);
  const { GenericProvider } = require('electron-updater/out/providers/GenericProvider.js');
  const { NodeHttpExecutor } = require('builder-util/out/nodeHttpExecutor.js');
  const { CancellationToken } = require('builder-util-runtime');

  const provider = (token: string) => {
    const executor = new NodeHttpExecutor();
    const p = new GenericProvider(
      updateFeed(app.url),
      { channel: null, isAddNoCacheQuery: true },
      {
        isUseMultipleRangeRequest: false,
        platform: 'win32',
        executor,
      },
    );
    p.setRequestHeaders(authorizationHeader(token));
    return { p, executor };
  };

  it('reads latest.yml from the hub with the terminal token and downloads the installer its sha512 names', async () => {
    const { p, executor } = provider(terminal);
    const info = await p.getLatestVersion();
    expect(info).toMatchObject({ version: '0.2.0', stagingPercentage: 20, sha512 });
    const [file] = p.resolveFiles(info);
    expect(file.url.href).toBe(`${app.url}/api/v1/updates/govhall-0.2.0-win-x64.exe`);
    const bytes: Buffer = await executor.downloadToBuffer(file.url, {
      headers: authorizationHeader(terminal),
      cancellationToken: new CancellationToken(),
    });
    // The updater accepts a download only when it matches latest.yml's sha512.
    expect(createHash('sha512').update(bytes).digest('base64')).toBe(file.info.sha512);
    expect(bytes.equals(installer)).toBe(true);
  });

  it('gets nothing without a paired terminal’s token', async () => {
    await expect(provider('gtt_not-a-token').p.getLatestVersion()).rejects.toThrow(/401/);
  });
});

describe('release file rules', () => {
  it('allows the names electron-builder writes and nothing else', () => {
    for (const ok of [
      'latest.yml',
      'latest-linux-arm64.yml',
      'govhall-0.2.0-win-x64.exe',
      'govhall-0.2.0-arm64.AppImage',
      'govhall_0.2.0_amd64.deb',
      'govhall-0.2.0-win-x64.exe.blockmap',
      'govhall-0.2.0-mac.zip',
    ])
      expect(releaseFileType(ok), ok).not.toBeNull();
    for (const bad of [
      '',
      '.yml',
      '.env.yml',
      'a/b.yml',
      '..',
      '../x.yml',
      'x..yml',
      'a b.yml',
      'x.sh',
      'x.YML',
      'x.exe.',
    ]) {
      expect(releaseFileType(bad), bad).toBeNull();
    }
  });

  it('reads Range headers by RFC 9110', () => {
    expect(readRange(undefined, 10)).toEqual({ kind: 'whole' });
    expect(readRange('bytes=2-4', 10)).toEqual({ kind: 'part', start: 2, end: 4 });
    expect(readRange('bytes=2-400', 10)).toEqual({ kind: 'part', start: 2, end: 9 });
    expect(readRange('bytes=-3', 10)).toEqual({ kind: 'part', start: 7, end: 9 });
    expect(readRange('bytes=-30', 10)).toEqual({ kind: 'part', start: 0, end: 9 });
    expect(readRange('bytes=10-', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(readRange('bytes=-0', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(readRange('bytes=5-2', 10)).toEqual({ kind: 'whole' });
    expect(readRange('items=1-2', 10)).toEqual({ kind: 'whole' });
    expect(readRange('bytes=0-0', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});
