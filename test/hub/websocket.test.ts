/**
 * Live events: seq order, resume after reconnect, resume after a hub restart on the same data, a
 * resync when a resume cannot be exact, and device statuses that repeat are not events.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gb11643CheckChar } from '../../common/cert-number.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { startHubApp } from '../../main/hall/hub-app.js';
import { devicesPlugin } from '../../main/server/devices-plugin.js';
import { call, demoConfig, startTestHub, tempDir } from '../support/hub-client.js';

const CERT = `33010619800101001${gb11643CheckChar('33010619800101001')}`;

interface Msg {
  type: string;
  seq: number;
  [k: string]: any;
}

/** A client that collects messages and can wait for a condition. */
function connect(url: string, token: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/events?token=${token}`);
  const msgs: Msg[] = [];
  ws.on('message', (d) => {
    msgs.push(JSON.parse(d.toString()));
  });
  const until = (pred: (m: Msg[]) => boolean, what: string) => waitFor(what, () => pred(msgs));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, msgs, until, opened, close: () => ws.close() };
}

describe('hub live events', () => {
  it('refuses a connection without a valid token', async () => {
    const hub = await startTestHub();
    try {
      const c = connect(hub.url, 'ght_bad');
      await expect(c.opened).rejects.toThrow(/401/);
    } finally {
      await hub.close();
    }
  });

  it('sends events with increasing seq, masked, and resumes exactly what was missed', async () => {
    const hub = await startTestHub();
    try {
      const a = connect(hub.url, hub.display);
      await a.opened;
      await a.until((m) => m.some((x) => x.type === 'hello'), 'hello');
      await call(hub.url, 'POST', '/tickets', hub.kiosk, {
        serviceCode: 'SBYB',
        channel: 'kiosk',
        applicant: { name: '张小三', certType: 'resident', certNo: CERT },
      });
      await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
      await a.until((m) => m.filter((x) => x.type === 'ticket.issued').length === 2, 'two issued');
      const seqs = a.msgs.filter((m) => m.type !== 'hello').map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
      const [withPerson, issued] = a.msgs.filter((m) => m.type === 'ticket.issued') as [Msg, Msg];
      expect(withPerson.ticket.applicant).toEqual({
        name: '张*三',
        certType: 'resident',
        certNo: `3301**********${CERT.slice(-4)}`,
      });
      expect(JSON.stringify(a.msgs)).not.toContain(CERT);
      expect(issued.ticket).toMatchObject({ number: 'F001', status: 'waiting' });
      expect(issued.at).toMatch(/\+08:00$/);
      expect(a.msgs.filter((m) => m.type === 'queue.changed')[1]).toMatchObject({ serviceCode: 'ZHZX', waiting: 1 });
      const last = Math.max(...seqs);
      a.close();

      // Missed while away: a sign-in, a call and a ticket.
      const s = (await call(hub.url, 'POST', '/staff/sessions', null, { staffNo: '8001', pin: '123456', windowNo: 1 }))
        .body.token;
      const called = await call(hub.url, 'POST', '/windows/1/call-next', s);
      await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });

      const b = connect(hub.url, hub.display);
      await b.opened;
      await b.until((m) => m.some((x) => x.type === 'hello'), 'hello');
      b.ws.send(JSON.stringify({ type: 'resume', after: last }));
      await b.until((m) => m.some((x) => x.type === 'resumed'), 'resumed');
      const replay = b.msgs.filter((m) => m.seq > last && !['hello', 'resumed'].includes(m.type));
      expect(replay[0]!.seq).toBe(last + 1);
      expect(replay.map((m) => m.seq)).toEqual(replay.map((_, i) => last + 1 + i));
      const call1 = replay.find((m) => m.type === 'ticket.called')!;
      expect(call1).toMatchObject({ windowNo: 1, announcement: `请${called.body.number}号到1号窗口办理` });
      expect(replay.some((m) => m.type === 'window.changed')).toBe(true);
      // And live after the replay, no duplicates.
      const before = b.msgs.length;
      await call(hub.url, 'POST', '/windows/1/recall', s);
      await b.until((m) => m.length > before && m.some((x) => x.type === 'ticket.recalled'), 'recalled');
      const all = b.msgs.filter((m) => !['hello', 'resumed'].includes(m.type)).map((m) => m.seq);
      expect(new Set(all).size).toBe(all.length);
      b.close();
    } finally {
      await hub.close();
    }
  });

  it('resumes across a hub restart on the same data folder', async () => {
    const dataDir = tempDir();
    let hub = await startTestHub({ dataDir });
    const display = hub.display;
    await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
    const a = connect(hub.url, display);
    await a.opened;
    await a.until((m) => m.some((x) => x.type === 'hello'), 'hello');
    const last = a.msgs[0]!.seq;
    a.close();
    await hub.close();

    hub = await startTestHub({ dataDir });
    try {
      await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
      // The display's token survives the restart: it never expires on its own.
      const b = connect(hub.url, display);
      await b.opened;
      await b.until((m) => m.some((x) => x.type === 'hello'), 'hello');
      b.ws.send(JSON.stringify({ type: 'resume', after: last }));
      await b.until((m) => m.some((x) => x.type === 'resumed'), 'resumed');
      const issued = b.msgs.filter((m) => m.type === 'ticket.issued');
      expect(issued.map((m) => m.ticket.number)).toEqual(['F002']);
      expect(issued[0]!.seq).toBeGreaterThan(last);
      b.close();
    } finally {
      await hub.close();
    }
  });

  it('answers resync to a resume it cannot answer exactly, then follows live events from its seq', async () => {
    const hub = await startTestHub();
    try {
      await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
      const a = connect(hub.url, hub.display);
      await a.opened;
      await a.until((m) => m.some((x) => x.type === 'hello'), 'hello');
      const now = a.msgs[0]!.seq;
      // A seq from another database (ahead of this hub's log): replaying "after" it would skip everything.
      a.ws.send(JSON.stringify({ type: 'resume', after: now + 5000 }));
      await a.until((m) => m.some((x) => x.type === 'resync'), 'resync');
      expect(a.msgs.find((m) => m.type === 'resync')!.seq).toBe(now);
      await call(hub.url, 'POST', '/tickets', hub.kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' });
      await a.until((m) => m.some((x) => x.type === 'ticket.issued'), 'a live event');
      expect(a.msgs.find((m) => m.type === 'ticket.issued')!.seq).toBeGreaterThan(now);
      a.close();
    } finally {
      await hub.close();
    }
  });

  it('does not record a device status that repeats the same state and detail', async () => {
    const app = await startHubApp({
      config: demoConfig(),
      dataDir: tempDir(),
      port: 0,
      version: 'test',
      plugins: [devicesPlugin()],
    });
    try {
      const kiosk = await app.createToken('kiosk', undefined, 'k1');
      const display = await app.createToken('display', undefined, 'd1');
      const a = connect(app.url, display);
      await a.opened;
      await a.until((m) => m.some((x) => x.type === 'hello'), 'hello');
      const report = async (state: string, detail?: string) =>
        expect(
          (
            await call(app.url, 'POST', '/devices/status', kiosk, {
              deviceId: 'kiosk-1-printer',
              state,
              ...(detail ? { detail } : {}),
            })
          ).status,
        ).toBe(204);
      for (let i = 0; i < 20; i++) await report('ok');
      for (let i = 0; i < 20; i++) await report('error', '缺纸');
      await report('error', '卡纸');
      await report('error', '卡纸');
      await report('ok');
      // A later event on the same socket: once it is here, every status event before it is too.
      expect((await call(app.url, 'POST', '/tickets', kiosk, { serviceCode: 'ZHZX', channel: 'kiosk' })).status).toBe(
        201,
      );
      await a.until((m) => m.some((x) => x.type === 'ticket.issued'), 'the marker ticket');
      const statuses = a.msgs.filter((m) => m.type === 'device.status').map((m) => [m.state, m.detail]);
      expect(statuses).toEqual([
        ['ok', null],
        ['error', '缺纸'],
        ['error', '卡纸'],
        ['ok', null],
      ]);
      a.close();
    } finally {
      await app.close();
    }
  });
});
