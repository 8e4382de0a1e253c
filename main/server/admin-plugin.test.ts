/**
 * The admin endpoints over real HTTP on loopback with a real SQLite hub: configuration changed live
 * (validated, applied, written back atomically, audited, announced), reports and the CSV export.
 */
import { copyFileSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { loadHallConfigFile } from '../../kiosk-config/load.js';
import { call, tempDir } from '../../test/support/hub-client.js';
import { type HubApp, startHubApp } from '../hall/hub-app.js';
import type { AdminConfigView } from './admin/types.js';
import { prepareChange } from './admin-config-plugin.js';
import { adminPlugins } from './admin-plugins.js';

const APPLICANT = { name: '张三', certType: 'resident', certNo: '11010519491231002X' };

let app: HubApp;
let dir: string;
let cfgPath: string;
let url: string;
let admin: string;
let kiosk: string;
let display: string;
let evaluator: string;

beforeAll(async () => {
  dir = tempDir('govhall-admin-');
  cfgPath = join(dir, 'hall.yaml');
  copyFileSync(DEMO_HALL_PATH, cfgPath);
  const loaded = loadHallConfigFile(cfgPath);
  if (!loaded.ok) throw new Error('demo hall broken');
  const dataDir = join(dir, 'data');
  app = await startHubApp({
    config: loaded.config,
    configPath: cfgPath,
    dataDir,
    port: 0,
    version: 'test',
    plugins: adminPlugins({ dataDir, configPath: cfgPath, clipsDir: join(dir, 'clips') }),
  });
  mkdirSync(join(dir, 'clips'));
  writeFileSync(join(dir, 'clips', 'A.mp3'), Buffer.from('ID3fake'));
  writeFileSync(join(dir, 'clips', 'notes.txt'), 'not a clip');
  url = app.url;
  admin = await app.createToken('admin', undefined, 'a1');
  kiosk = await app.createToken('kiosk', undefined, 'k1');
  display = await app.createToken('display', undefined, 'd1');
  evaluator = await app.createToken('evaluator', 3, 'pad3');
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const getConfig = async (): Promise<AdminConfigView> => (await call(url, 'GET', '/admin/config', admin)).body;

async function signIn(staffNo: string, windowNo: number, pin = '123456') {
  const r = await call(url, 'POST', '/staff/sessions', null, { staffNo, pin, windowNo });
  expect(r.status).toBe(201);
  return r.body.token as string;
}

/** A live event feed: `ready` after the hub's hello; `next(type)` waits (bounded) for one event. */
function openFeed() {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/events?token=${display}`);
  const seen: any[] = [];
  const waiters: { type: string; resolve: (m: any) => void }[] = [];
  const ready = new Promise<void>((resolve) => {
    ws.on('message', (m) => {
      const msg = JSON.parse(String(m));
      if (msg.type === 'hello') resolve();
      seen.push(msg);
      for (const w of waiters.filter((x) => x.type === msg.type)) w.resolve(msg);
    });
  });
  const next = (type: string, timeoutMs = 15_000) =>
    new Promise<any>((resolve, reject) => {
      const hit = seen.find((m) => m.type === type);
      if (hit) return resolve(hit);
      const t = setTimeout(() => reject(new Error(`no ${type} event`)), timeoutMs);
      waiters.push({
        type,
        resolve: (m) => {
          clearTimeout(t);
          resolve(m);
        },
      });
    });
  return { ready, next, close: () => ws.close() };
}

describe('admin config', () => {
  it('answers only admin tokens and never shows a PIN hash', async () => {
    expect((await call(url, 'GET', '/admin/config', kiosk)).status).toBe(403);
    expect((await call(url, 'GET', '/admin/config', null)).status).toBe(401);
    const r = await call(url, 'GET', '/admin/config', admin);
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain('scrypt$');
    expect(r.body.persisted).toBe(true);
    expect(r.body.staff[0]).toMatchObject({ no: '8001', hasPin: true });
    expect(r.body.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('checks a change without applying it and previews the announcement', async () => {
    const before = await getConfig();
    const bad = await call(url, 'POST', '/admin/config/check', admin, {
      windows: [...before.windows, { no: 99, name: '新窗口', services: [{ code: 'NOPE', weight: 1 }] }],
    });
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.problems[0].path).toMatch(/^windows\[\d+\]\.services\[0\]/);
    expect(bad.body.problems[0].message).toContain('NOPE');
    const good = await call(url, 'POST', '/admin/config/check', admin, {
      announcement: { template: '{number}号请到{windowName}', repeat: 3 },
    });
    expect(good.body).toMatchObject({
      ok: true,
      sections: ['announcement'],
      announcementPreview: 'A001号请到综合窗口一',
    });
    expect((await getConfig()).version).toBe(before.version);
    const invalid = await call(url, 'POST', '/admin/config/check', admin, {
      announcement: { template: '没有号码', repeat: 9 },
    });
    expect(invalid.body.ok).toBe(false);
    expect(invalid.body.problems.map((p: any) => p.path)).toEqual(
      expect.arrayContaining(['announcement.template', 'announcement.repeat']),
    );
  });

  it('applies the announcement template live, audits it and tells every screen', async () => {
    const before = await getConfig();
    const feed = openFeed();
    await feed.ready;
    const r = await call(url, 'PUT', '/admin/config', admin, {
      expectedVersion: before.version,
      announcement: { template: '请{number}号到{window}号窗口（{service}）', repeat: 3 },
    });
    expect(r.status).toBe(200);
    expect(r.body.sections).toEqual(['announcement']);
    const ev = await feed.next('config.changed');
    feed.close();
    expect(ev).toMatchObject({ type: 'config.changed', sections: ['announcement'], version: r.body.version });

    const t = await call(url, 'POST', '/tickets', kiosk, {
      serviceCode: 'SBYB',
      channel: 'kiosk',
      applicant: APPLICANT,
    });
    expect(t.status).toBe(201);
    const staff = await signIn('8003', 3);
    const called = await call(url, 'POST', '/windows/3/call-next', staff);
    expect(called.status).toBe(200);
    expect(app.engine.announcementFor(app.engine.getTicket(called.body.id)!.ticket, 3)).toBe(
      `请${called.body.number}号到3号窗口（社保医保）`,
    );

    const audit = await call(url, 'GET', '/admin/audit?prefix=config.', admin);
    expect(audit.body[0]).toMatchObject({ action: 'config.change', result: 'ok', actorRole: 'admin' });
    expect(audit.body[0].detail.changes.announcement.to.repeat).toBe(3);
    // Written back: the file re-loads with the new template, and the comments elsewhere survive.
    const text = readFileSync(cfgPath, 'utf8');
    expect(text).toContain('# 演示市民服务中心');
    const reloaded = loadHallConfigFile(cfgPath);
    expect(reloaded.ok && reloaded.config.announcement.template).toBe('请{number}号到{window}号窗口（{service}）');
  });

  it('adds a staff member with a PIN: hashed in the file, signs in at once', async () => {
    const before = await getConfig();
    const staff = [
      ...before.staff.map(({ hasPin: _h, ...s }) => s),
      { no: '9100', name: '新同事', windows: [4], pin: '246810' },
    ];
    const r = await call(url, 'PUT', '/admin/config', admin, { expectedVersion: before.version, staff });
    expect(r.status).toBe(200);
    const text = readFileSync(cfgPath, 'utf8');
    expect(text).not.toContain('246810');
    expect(text).toContain('9100');
    expect(
      (await call(url, 'POST', '/staff/sessions', null, { staffNo: '9100', pin: '246810', windowNo: 4 })).status,
    ).toBe(201);
    // Keeps the PINs it was not given: 8001 still signs in with the old one.
    await signIn('8001', 1);
    const audit = await call(url, 'GET', '/admin/audit?prefix=config.&limit=1', admin);
    expect(audit.body[0].detail.changes.staff).toMatchObject({ added: ['9100'], pinChanged: ['9100'] });
    expect(JSON.stringify(audit.body)).not.toContain('scrypt$');
  });

  it('refuses a stale version, bad input, a new member without PIN and removing what is in use', async () => {
    const cur = await getConfig();
    const stale = await call(url, 'PUT', '/admin/config', admin, {
      expectedVersion: '0000000000000000',
      announcement: cur.announcement,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('CONFIG_CONFLICT');

    const bad = await call(url, 'PUT', '/admin/config', admin, {
      services: cur.services.map((s, i) => (i === 1 ? { ...s, prefix: 'A' } : s)),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('CONFIG_INVALID');
    expect(bad.body.message).toMatch(/^字段 services\[1\]\.(prefix|numberRange)/);

    const noPin = await call(url, 'PUT', '/admin/config', admin, {
      staff: [...cur.staff.map(({ hasPin: _h, ...s }) => s), { no: '9200', name: '无PIN', windows: [5] }],
    });
    expect(noPin.status).toBe(400);
    expect(noPin.body.problems[0]).toMatchObject({ path: 'staff[11].pin' });

    // Window 3 is signed in (an earlier test): it may not vanish under its staff member.
    const inUse = await call(url, 'PUT', '/admin/config', admin, {
      windows: cur.windows.filter((w) => w.no !== 3),
      // The window's terminal goes with it (a terminal may not name a window that does not exist).
      devices: { terminals: cur.devices!.terminals.filter((t) => (t as { id: string }).id !== 'counter-3') },
      staff: cur.staff.map(({ hasPin: _h, ...s }) => ({
        ...s,
        windows: s.windows.map((w) => (w === 3 ? 4 : w)).filter((w, i, a) => a.indexOf(w) === i),
      })),
    });
    expect(inUse.status).toBe(409);
    expect(inUse.body.code).toBe('CONFIG_IN_USE');
    expect(inUse.body.message).toContain('3 号窗口');
    expect((await getConfig()).version).toBe(cur.version);
    const refused = await call(url, 'GET', '/admin/audit?prefix=config.&limit=5', admin);
    expect(refused.body.some((a: any) => a.result === 'refused')).toBe(true);
  });

  it('refuses short and trivial PINs; the demo PIN only in the demo hall', async () => {
    const cur = await getConfig();
    const withPin = (pin: string) => [
      ...cur.staff.map(({ hasPin: _h, ...s }) => s),
      { no: '9300', name: '试PIN', windows: [5], pin },
    ];
    const short = await call(url, 'POST', '/admin/config/check', admin, { staff: withPin('4807') });
    expect(short.status).toBe(400);
    expect(short.body.message).toContain('PIN 应为 6 到 12 位数字');
    for (const pin of ['000000', '654321', '121212']) {
      const r = await call(url, 'POST', '/admin/config/check', admin, { staff: withPin(pin) });
      expect(r.status, pin).toBe(400);
      expect(r.body.message, pin).toMatch(/^字段 staff\.\d+\.pin：PIN 不能/);
    }
    // This hub runs the demo hall (`hall.demo: true`): its well-known PIN may be set here.
    const demo = await call(url, 'POST', '/admin/config/check', admin, { staff: withPin('123456') });
    expect(demo.body).toMatchObject({ ok: true });
    // A real hall refuses it, with the place and the reason.
    const real = loadHallConfigFile(cfgPath);
    if (!real.ok) throw new Error('config broken');
    const realHall = { ...real.config, hall: { ...real.config.hall, demo: false } };
    const running = { openWindows: new Map(), waitingByService: new Map() };
    const p = prepareChange(realHall, { staff: withPin('123456') }, running, false);
    expect(p.problems).toEqual([{ path: 'staff[11].pin', message: expect.stringContaining('连续递增或递减') }]);
    expect(prepareChange(realHall, { staff: withPin('480715') }, running, false).problems).toEqual([]);
  });

  it('changes services live: a new service takes tickets right away', async () => {
    const cur = await getConfig();
    const services = [
      ...cur.services,
      {
        code: 'LNZ',
        name: '老年证办理',
        category: '民政',
        prefix: 'L',
        numberRange: { from: 1, to: 99 },
        dailyCap: 0,
        taskCodes: [],
        allowAnonymous: true,
        defaultServiceSeconds: 120,
      },
    ];
    const windows = cur.windows.map((w) =>
      w.no === 5 ? { ...w, services: [...w.services, { code: 'LNZ', weight: 1 }] } : w,
    );
    const r = await call(url, 'PUT', '/admin/config', admin, { expectedVersion: cur.version, services, windows });
    expect(r.status).toBe(200);
    const t = await call(url, 'POST', '/tickets', kiosk, { serviceCode: 'LNZ', channel: 'kiosk' });
    expect(t.status).toBe(201);
    expect(t.body.number).toBe('L01');
    const hall = await call(url, 'GET', '/hall', display);
    expect(hall.body.services.find((s: any) => s.code === 'LNZ')).toMatchObject({ waiting: 1 });
  });
});

describe('hall settings and clips', () => {
  it('tells every screen the notice, the announcement and the 事项 codes, and serves clips safely', async () => {
    const r = await call(url, 'GET', '/hall/settings', display);
    expect(r.status).toBe(200);
    expect(r.body.notice).toEqual(['欢迎来到演示市民服务中心', expect.stringContaining('扫码用手机查看排队进度')]);
    expect(r.body.announcement.repeat).toBeGreaterThanOrEqual(1);
    expect(r.body.tasks.SBYB).toContain('11330106MB1234567X4000112001000');
    expect(r.body.clips).toBe(true);
    expect(JSON.stringify(r.body)).not.toContain('scrypt$');
    expect((await call(url, 'GET', '/hall/settings', null)).status).toBe(401);

    const manifest = await fetch(`${url}/clips/manifest.json`);
    expect(await manifest.json()).toEqual({ files: ['A.mp3'] });
    const clip = await fetch(`${url}/clips/A.mp3`);
    expect(clip.status).toBe(200);
    expect(clip.headers.get('content-type')).toBe('audio/mpeg');
    for (const bad of ['notes.txt', '..%2Fhall.yaml', '%2e%2e/hall.yaml', 'B.mp3']) {
      expect((await fetch(`${url}/clips/${bad}`)).status, bad).toBe(404);
    }
  });
});

describe('admin reports', () => {
  it('counts ratings, lists 差评, exports CSV with BOM, and reports the month', async () => {
    // Window 3 is serving from the announcement test: start and finish it, then rate it 不满意.
    const staff = await signIn('8003', 3);
    const cur = await call(url, 'GET', '/windows/3', admin);
    if (cur.body.state === 'idle') {
      await call(url, 'POST', '/tickets', kiosk, { serviceCode: 'SBYB', channel: 'kiosk', applicant: APPLICANT });
      expect((await call(url, 'POST', '/windows/3/call-next', staff)).status).toBe(200);
    }
    expect((await call(url, 'POST', '/windows/3/start', staff)).status).toBe(200);
    const fin = await call(url, 'POST', '/windows/3/finish', staff, {
      case: { taskCode: '11330106MB1234567X4000112001000', result: '1' },
    });
    expect(fin.status).toBe(200);
    const ev = await call(url, 'POST', '/evaluations', evaluator, {
      caseId: fin.body.caseId,
      level: 'dissatisfied',
      reasons: ['R01'],
      text: '等太久',
      channel: 'pad',
    });
    expect(ev.status).toBe(201);

    const day = app.engine.businessDay();
    const rep = await call(url, 'GET', `/admin/evaluations?day=${day}`, admin);
    expect(rep.status).toBe(200);
    expect(rep.body.total).toBe(1);
    expect(rep.body.counts).toMatchObject({ dissatisfied: 1, very_satisfied: 0 });
    expect(rep.body.bad[0]).toMatchObject({ caseId: fin.body.caseId, windowNo: 3, staffNo: '8003', text: '等太久' });
    expect((await call(url, 'GET', '/admin/evaluations?day=2026-13-01', admin)).status).toBe(400);
    expect((await call(url, 'GET', '/admin/evaluations', kiosk)).status).toBe(403);

    const month = await call(url, 'GET', `/stats/month?month=${day.slice(0, 7)}`, admin);
    expect(month.status).toBe(200);
    expect(month.body.total.served).toBe(1);
    expect(month.body.days.find((d: any) => d.day === day)).toMatchObject({ served: 1 });
    expect(month.body.satisfaction.dissatisfied).toBe(1);
    expect(month.body.byService.SBYB.served).toBe(1);

    for (const q of [`day=${day}`, `month=${day.slice(0, 7)}`]) {
      const res = await fetch(`${url}/api/v1/stats/export.csv?${q}`, { headers: { authorization: `Bearer ${admin}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes.slice(3));
      expect(text.split('\r\n')[0]).toBe(
        '分组,项目,取号,办结,过号,平均等候（秒）,P90等候（秒）,平均办理（秒）,P90办理（秒）',
      );
      expect(text).toContain('业务,社保医保,');
      expect(text).toContain('不满意,1');
    }
  });
});

describe('demo hall', () => {
  /** A hub with the admin plugins on `configPath` (persisting unless it is the demo file). */
  async function hubOn(configPath: string, run: (url: string, admin: string) => Promise<void>) {
    const d = tempDir('govhall-admin-demo-');
    const loaded = loadHallConfigFile(configPath);
    if (!loaded.ok) throw new Error('config');
    const hub = await startHubApp({
      config: loaded.config,
      dataDir: d,
      port: 0,
      version: 'test',
      plugins: adminPlugins({ dataDir: d, configPath }),
    });
    try {
      await run(hub.url, await hub.createToken('admin'));
    } finally {
      await hub.close();
      rmSync(d, { recursive: true, force: true });
    }
  }

  it('recognises the demo file by its real path: relative, through a symlink, never written', async () => {
    const before = readFileSync(DEMO_HALL_PATH, 'utf8');
    const links = tempDir('govhall-demo-link-');
    const link = join(links, 'hall.yaml');
    symlinkSync(DEMO_HALL_PATH, link);
    try {
      // `govhall start --config kiosk-config/demo-hall.yaml` from the checkout, and a link to it.
      for (const configPath of [relative(process.cwd(), DEMO_HALL_PATH), link]) {
        expect(configPath).not.toBe(DEMO_HALL_PATH);
        await hubOn(configPath, async (hubUrl, tok) => {
          expect((await call(hubUrl, 'GET', '/admin/config', tok)).body.persisted).toBe(false);
          const r = await call(hubUrl, 'PUT', '/admin/config', tok, {
            announcement: { template: '{number}号请到{window}号窗口', repeat: 1 },
          });
          expect(r.status).toBe(200);
          expect(r.body.persisted).toBe(false);
        });
        expect(readFileSync(DEMO_HALL_PATH, 'utf8')).toBe(before);
      }
    } finally {
      // Should a check above fail, the shipped file is put back as it was.
      if (readFileSync(DEMO_HALL_PATH, 'utf8') !== before) writeFileSync(DEMO_HALL_PATH, before);
      rmSync(links, { recursive: true, force: true });
    }
  });

  it('writes a hall file reached through a symlink into the file, keeping the link', async () => {
    const d = tempDir('govhall-admin-link-');
    const real = join(d, 'real.yaml');
    const link = join(d, 'hall.yaml');
    copyFileSync(DEMO_HALL_PATH, real);
    symlinkSync(real, link);
    try {
      await hubOn(link, async (hubUrl, tok) => {
        const r = await call(hubUrl, 'PUT', '/admin/config', tok, {
          announcement: { template: '请{number}号到{window}号窗口', repeat: 1 },
        });
        expect(r.body.persisted).toBe(true);
      });
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readFileSync(real, 'utf8')).toContain('请{number}号到{window}号窗口');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('does not write the built-in demo file back', async () => {
    const d = tempDir('govhall-admin-demo-');
    const loaded = loadHallConfigFile(DEMO_HALL_PATH);
    if (!loaded.ok) throw new Error('demo');
    const before = readFileSync(DEMO_HALL_PATH, 'utf8');
    const demo = await startHubApp({
      config: loaded.config,
      dataDir: d,
      port: 0,
      version: 'test',
      plugins: adminPlugins({ dataDir: d, configPath: DEMO_HALL_PATH, persist: false }),
    });
    try {
      const tok = await demo.createToken('admin');
      const r = await call(demo.url, 'PUT', '/admin/config', tok, {
        announcement: { template: '{number}', repeat: 1 },
      });
      expect(r.status).toBe(200);
      expect(r.body.persisted).toBe(false);
      expect(demo.engine.config.announcement.template).toBe('{number}');
      expect(readFileSync(DEMO_HALL_PATH, 'utf8')).toBe(before);
    } finally {
      await demo.close();
      rmSync(d, { recursive: true, force: true });
    }
  });
});
