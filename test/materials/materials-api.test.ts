/**
 * Case materials over the hub API (hub-api.md v1.1 "Documents and materials"): upload while a
 * ticket is served, 办结 naming the uploads, the case's list, downloads, and every refusal.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../main/store/audit.js';
import { openDatabase } from '../../main/store/database.js';
import { call, startTestHub } from '../support/hub-client.js';

let hub: Awaited<ReturnType<typeof startTestHub>>;
let staff1: string;
let staff2: string;

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << >> endobj\n%%EOF\n`, 'latin1');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function upload(no: number, token: string, name: string | null, bytes: Buffer, type = 'application/pdf') {
  const q = name === null ? '' : `?name=${encodeURIComponent(name)}`;
  const res = await fetch(`${hub.url}/api/v1/windows/${no}/materials${q}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as { code?: string; message: string; [k: string]: unknown } };
}

async function serveTicket(no: number, token: string) {
  await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
  expect((await call(hub.url, 'POST', `/windows/${no}/call-next`, token)).status).toBe(200);
}

beforeAll(async () => {
  hub = await startTestHub();
  const signIn = async (staffNo: string, windowNo: number) =>
    (await call(hub.url, 'POST', '/staff/sessions', null, { staffNo, pin: '123456', windowNo })).body.token as string;
  staff1 = await signIn('8001', 1);
  staff2 = await signIn('8002', 2);
});
afterAll(() => hub?.close());

describe('case materials', () => {
  it('uploads only while serving, attaches at 办结, lists and downloads, stored sealed', async () => {
    const secret = pdf(`MATERIAL-PLAINTEXT-${randomUUID()}`);
    // Nothing served yet: refused.
    expect((await upload(1, staff1, '身份证', secret)).body.code).toBe('NOT_SERVING');
    await serveTicket(1, staff1);
    expect((await upload(1, staff1, '身份证', secret)).body.code).toBe('NOT_SERVING');
    expect((await call(hub.url, 'POST', '/windows/1/start', staff1)).status).toBe(200);
    // Another window's session, or a device token, may not upload for window 1.
    expect((await upload(1, staff2, '身份证', secret)).status).toBe(403);
    expect((await upload(1, hub.counter, '身份证', secret)).status).toBe(403);
    const up = await upload(1, staff1, '居民身份证', secret);
    expect(up).toEqual({ status: 201, body: { sha256: sha(secret), bytes: secret.length, name: '居民身份证' } });
    const second = pdf('second');
    expect((await upload(1, staff1, '户口簿', second)).status).toBe(201);

    const fin = await call(hub.url, 'POST', '/windows/1/finish', staff1, {
      case: {
        taskCode: 'ZX-001',
        result: 'approved',
        materials: [{ name: '居民身份证', sha256: sha(secret) }, { name: '户口簿', sha256: sha(second) }, '其他材料'],
      },
    });
    expect(fin.status).toBe(200);
    const caseId = fin.body.caseId as string;
    const list = await call(hub.url, 'GET', `/cases/${caseId}/materials`, hub.counter);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        name: '居民身份证',
        sha256: sha(secret),
        bytes: secret.length,
        contentType: 'application/pdf',
      }),
      expect.objectContaining({ name: '户口簿', sha256: sha(second) }),
    ]);
    expect((await call(hub.url, 'GET', `/cases/${caseId}/materials`, hub.kiosk)).status).toBe(403);

    // Download: the finishing window's session or an admin; another window's session is refused.
    const get = (token: string) =>
      fetch(`${hub.url}/api/v1/cases/${caseId}/materials/${sha(secret)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const got = await get(staff1);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await got.arrayBuffer()).equals(secret)).toBe(true);
    expect((await get(staff2)).status).toBe(403);
    expect((await get(hub.admin)).status).toBe(200);
    expect((await get(hub.counter)).status).toBe(403);

    // The plaintext is in no file of the data folder (database, WAL, materials, temp, logs).
    const needle = Buffer.from('MATERIAL-PLAINTEXT-');
    for (const e of readdirSync(hub.dataDir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue;
      expect(readFileSync(join(e.parentPath, e.name)).includes(needle), e.name).toBe(false);
    }
    // Audited: upload, attach, download.
    const db = openDatabase({ dataDir: hub.dataDir, appVersion: 'test' });
    try {
      const actions = (
        db.db.prepare("SELECT action FROM audit WHERE action LIKE 'material.%' ORDER BY id").all() as {
          action: string;
        }[]
      ).map((r) => r.action);
      expect(actions).toEqual([
        'material.upload',
        'material.upload',
        'material.attach',
        'material.attach',
        'material.download',
        'material.download',
      ]);
      expect(verifyAuditChain(db).ok).toBe(true);
      // The case's platform record names the materials with their hashes.
      const rec = db.db.prepare("SELECT data FROM outbox WHERE case_id = ? AND kind = 'case'").get(caseId) as {
        data: string;
      };
      expect(JSON.parse(rec.data).materials).toEqual([
        { name: '居民身份证', copies: 1, pages: null, sha256: sha(secret) },
        { name: '户口簿', copies: 1, pages: null, sha256: sha(second) },
        { name: '其他材料', copies: 1, pages: null, sha256: null },
      ]);
    } finally {
      db.close();
    }
  });

  it('refuses at 办结 a SHA-256 not uploaded for the ticket being finished, keeping the ticket open', async () => {
    await serveTicket(2, staff2);
    await call(hub.url, 'POST', '/windows/2/start', staff2);
    const other = pdf('never uploaded here');
    const fin = await call(hub.url, 'POST', '/windows/2/finish', staff2, {
      case: { taskCode: 'ZX-001', result: 'approved', materials: ['申请表', { name: '身份证', sha256: sha(other) }] },
    });
    expect(fin.status).toBe(400);
    expect(fin.body.code).toBe('UNKNOWN_MATERIAL');
    expect(fin.body.message).toContain('case.materials.1.sha256');
    expect((await call(hub.url, 'GET', '/windows/2', staff2)).body.state).toBe('serving');
    expect((await upload(2, staff2, '身份证', other)).status).toBe(201);
    const ok = await call(hub.url, 'POST', '/windows/2/finish', staff2, {
      case: { taskCode: 'ZX-001', result: 'approved', materials: [{ name: '身份证', sha256: sha(other) }] },
    });
    expect(ok.status).toBe(200);
  });

  it('checks the body: type, magic bytes, size, empty, name', async () => {
    await serveTicket(1, staff1);
    await call(hub.url, 'POST', '/windows/1/start', staff1);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const t = await upload(1, staff1, 'x', png, 'image/png');
    expect(t.status).toBe(415);
    expect(t.body.message).toContain('application/pdf');
    const m = await upload(1, staff1, 'x', png, 'image/jpeg');
    expect(m).toMatchObject({ status: 400, body: { code: 'CONTENT_MISMATCH' } });
    expect((await upload(1, staff1, 'x', Buffer.alloc(0))).body.code).toBe('EMPTY_BODY');
    expect((await upload(1, staff1, null, pdf('x'))).body).toMatchObject({
      code: 'INVALID_INPUT',
      message: '字段 name：必填',
    });
    const big = Buffer.concat([pdf('big'), Buffer.alloc(10 * 1024 * 1024)]);
    const b = await upload(1, staff1, '大文件', big);
    expect(b.status).toBe(413);
    expect(b.body.message).toContain('10 MiB');
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 0xff, 0xd9]);
    expect((await upload(1, staff1, '照片', jpeg, 'image/jpeg')).status).toBe(201);
    // JSON routes keep their 64 KiB limit.
    const json = await call(hub.url, 'POST', '/windows/1/pause', staff1, { reason: 'x'.repeat(70 * 1024) });
    expect(json.status).toBe(413);
  });
});
