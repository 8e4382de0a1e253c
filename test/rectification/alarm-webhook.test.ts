/**
 * The alarm webhook against a real HTTP receiver on loopback and a real SQLite file: signed JSON,
 * retried after a failure with the relay's backoff (on an injected clock, never real waiting),
 * in order, and still sent after a restart. Then over the hub: a 差评 counted without the
 * calendar year raises `calendar_missing`, and the webhook carries it.
 */
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startOfDay } from '../../common/hall-time.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { openDatabase } from '../../main/store/database.js';
import { AlarmWebhook, signAlarm } from '../../main/sync/alarm-webhook.js';
import { ManualClock } from '../../main/time/clock.js';
import { call, demoConfig, startTestHub, tempDir } from '../support/hub-client.js';

interface Received {
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A receiver that answers each request with the next status of `statuses` (then 200). */
async function receiver(statuses: number[] = []) {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      if (status === 200) got.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(status, status === 503 ? { 'retry-after': '120' } : {});
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
}

const verify = (secret: string, r: Received) =>
  r.headers['x-govhall-signature'] ===
  `sha256=${createHmac('sha256', secret).update(`${r.headers['x-govhall-timestamp']}.${r.body}`).digest('hex')}`;

describe('alarm webhook', () => {
  it('signs, retries after a failure no earlier than Retry-After, keeps the order, and survives a restart', async () => {
    const dir = tempDir();
    const clock = new ManualClock(1_800_000_000_000);
    const { url, got } = await receiver([503]);
    const secret = 'webhook-secret-0123456789abcdef0123';
    let handle = openDatabase({ dataDir: dir, appVersion: 'test' });
    let hook = new AlarmWebhook({ db: handle.db, url, secret, clock, random: () => 0.5 });
    hook.enqueue({ type: 'rectification.alarm', kind: 'overdue', n: 1 }, clock.now());
    hook.enqueue({ type: 'rectification.alarm', kind: 'due_soon', n: 2 }, clock.now());

    expect(await hook.sendDue()).toBe(0);
    expect(hook.status()).toMatchObject({ pending: 2, sent: 0, lastError: 'HTTP 503' });
    clock.advance(119_000);
    expect(await hook.sendDue()).toBe(0);
    expect(got).toHaveLength(0);

    // The hub stops before the retry: the alarms wait in the database.
    handle.close();
    clock.advance(2_000);
    handle = openDatabase({ dataDir: dir, appVersion: 'test' });
    hook = new AlarmWebhook({ db: handle.db, url, secret, clock, random: () => 0.5 });
    expect(await hook.sendDue()).toBe(2);
    expect(got.map((g) => JSON.parse(g.body).n)).toEqual([1, 2]);
    expect(got.every((g) => verify(secret, g))).toBe(true);
    expect(verify('another-secret', got[0]!)).toBe(false);
    expect(got[0]!.headers['x-govhall-delivery']).toBe('1');
    expect(signAlarm(secret, '1', '{}')).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await hook.sendDue()).toBe(0);
    expect(hook.status()).toMatchObject({ pending: 0, sent: 2 });
    handle.close();
  });

  it('drops an alarm that could not be sent for days instead of sending it stale', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const handle = openDatabase({ dataDir: tempDir(), appVersion: 'test' });
    const hook = new AlarmWebhook({
      db: handle.db,
      url: 'http://127.0.0.1:9/none',
      secret: 's',
      clock,
      random: () => 0,
    });
    hook.enqueue({ n: 1 }, clock.now());
    clock.advance(4 * 86_400_000);
    expect(await hook.sendDue()).toBe(0);
    expect(hook.status()).toMatchObject({ pending: 0, dropped: 1 });
    handle.close();
  });

  it('carries the hub’s calendar_missing alarm when a 差评 is counted without its year', async () => {
    const { url, got } = await receiver();
    const dir = tempDir();
    const secretFile = join(dir, 'webhook.secret');
    writeFileSync(secretFile, 'hall-webhook-secret-0123456789abcdef\n');
    const config = demoConfig();
    // The demo hall knows 2026 only; rated late in December, the deadline runs into 2027.
    config.alarms = { waitMinutes: {}, promiseDueSoonWorkingDays: 2, webhook: { url, secretFile } };
    const clock = new ManualClock(startOfDay('2026-12-21', 'Asia/Shanghai') + 10 * 3600_000);
    const hub = await startTestHub({ config, clock });
    try {
      const staff = (
        await call(hub.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 })
      ).body.token;
      await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
      await call(hub.url, 'POST', '/windows/1/call-next', staff);
      const { caseId } = (
        await call(hub.url, 'POST', '/windows/1/finish', staff, { case: { taskCode: 'ZX-001', result: '1' } })
      ).body;
      const r = await call(hub.url, 'POST', '/evaluations', hub.evaluator, {
        caseId,
        level: 'very_dissatisfied',
        reasons: ['R02'],
        channel: 'pad',
      });
      expect(r.status).toBe(201);
      await waitFor('webhook delivery', () => got.length >= 1, 60_000);
      const alarm = JSON.parse(got[0]!.body);
      expect(alarm).toMatchObject({ type: 'rectification.alarm', kind: 'calendar_missing', caseId, years: [2027] });
      expect(alarm.hall).toBe(config.hall.code);
      expect(verify('hall-webhook-secret-0123456789abcdef', got[0]!)).toBe(true);
      const db = new Database(join(hub.dataDir, 'govhall.db'), { readonly: true });
      const kinds = db
        .prepare("SELECT payload FROM events WHERE type = 'rectification.alarm'")
        .all()
        .map((e) => JSON.parse((e as { payload: string }).payload).kind);
      db.close();
      expect(kinds).toEqual(['calendar_missing']);
      const dash = await call(hub.url, 'GET', '/admin/alarms', hub.admin);
      expect(dash.body.rectifications.calendarMissing).toEqual([2027]);

      // Rated Monday 2026-12-21; weekends only: 15 working days end Monday 2027-01-11. Once 2027's
      // new-year holiday (1–3 January) is in the calendar, the deadline is counted again: 2027-01-12.
      const manager = (await call(hub.url, 'POST', '/admin/sessions', null, { staffNo: '8001', pin: '123456' })).body
        .token;
      const before = (await call(hub.url, 'GET', '/admin/rectifications', manager)).body[0];
      expect(before).toMatchObject({ dueDate: '2027-01-11', calendarMissing: [2027] });
      hub.app.engine.applyConfig({
        ...hub.app.engine.config,
        calendar: {
          ...hub.app.engine.config.calendar,
          '2027': { holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], makeUpWorkdays: [] },
        },
      });
      hub.app.alarms.tick();
      const after = (await call(hub.url, 'GET', '/admin/rectifications', manager)).body[0];
      expect(after).toMatchObject({ dueDate: '2027-01-12', calendarMissing: [] });
      expect(after.history.at(-1).note).toMatch(/重新计算为 2027-01-12/);
      expect((await call(hub.url, 'GET', '/admin/alarms', hub.admin)).body.rectifications.calendarMissing).toEqual([]);
    } finally {
      await hub.close();
    }
  });
});
