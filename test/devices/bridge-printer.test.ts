/** `govhall start` composition: simulated card reader and printer behind the browser bridge. */

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCardText, validateCardJson } from '../../drivers/idcard/card-json.js';
import type { CardReaderSimulator } from '../../drivers/idcard/card-reader-simulator.js';
import type { PrinterSimulator } from '../../drivers/printer/printer-simulator.js';
import { BRIDGE_PATH } from '../../main/server/devices-plugin.js';
import { startSimulatedHall } from '../support/hub-client.js';
import { openJsonSocket } from './ws-client.js';

let hall: Awaited<ReturnType<typeof startSimulatedHall>>;
let kiosk: string;
/** The device bridge of the demo hall's kiosk-1, as the kiosk's browser opens it. */
const openBridge = () =>
  openJsonSocket(`${hall.app.url.replace('http', 'ws')}${BRIDGE_PATH}?terminal=kiosk-1&token=${kiosk}`);
const simulated = (id: string) => hall.devices.service!.simulated(id)!.sim;

beforeAll(async () => {
  hall = await startSimulatedHall();
  // The embedded hall's kiosk-1 paired to itself: its bridge opens only with its own token.
  kiosk = hall.app.terminals.pair('kiosk-1', null, Date.now());
});
afterAll(async () => {
  await hall?.close();
});

const ticket = {
  hallName: '演示市民服务中心',
  number: 'A012',
  serviceName: '社保医保',
  ahead: 3,
  estimatedWaitSeconds: 600,
  issuedAt: '2026-11-23T09:05:00+08:00',
  applicantName: '张小三',
  priority: '老年人优先',
  ticketId: 'T1',
  ticketCode: 'K7M2Q9XABCDEFGHJKMNPQRST',
  // A terminal's own hall texts and QR are ignored: the hub prints the running config's.
  qr: 'kiosk text, not a URL',
  footer: '终端 kiosk-1',
};

describe('kiosk printer through the device bridge', () => {
  it('prints on the simulated printer, then refuses at once when the paper is out', async () => {
    const b = await openBridge();
    const sim = simulated('kiosk-1-printer') as PrinterSimulator;
    b.send({ type: 'print', id: 1, ticket });
    // The QR of the config's ticketText.qrUrl for this ticket, also in the answer (for the screen).
    expect(await b.next('print.result', 10_000)).toMatchObject({
      id: '1',
      result: { ok: true, qr: 'http://127.0.0.1:8800/t/K7M2Q9XABCDEFGHJKMNPQRST' },
    });
    expect(sim.tickets).toHaveLength(1);
    const text = sim.tickets[0]!.lines.join('\n');
    expect(text).toContain('A012');
    expect(sim.tickets[0]!.qrPayloads).toEqual(['http://127.0.0.1:8800/t/K7M2Q9XABCDEFGHJKMNPQRST']);
    expect(text).not.toContain('张小三');
    expect(text).toContain('（老年人优先）');
    // Header and footer (the notice) from the config, not the terminal's.
    expect(sim.tickets[0]!.lines[0]?.trim()).toBe('欢迎来到演示市民服务中心');
    expect(sim.tickets[0]!.lines.join('')).toContain('扫码用手机查看排队进度');
    expect(text).not.toContain('终端 kiosk-1');
    expect(text).not.toContain('kiosk text');

    sim.state.paperOut = true;
    b.send({ type: 'print', id: 2, ticket });
    expect(await b.next('print.result', 10_000)).toMatchObject({
      id: '2',
      result: { ok: false, code: 'PAPER_OUT', qr: 'http://127.0.0.1:8800/t/K7M2Q9XABCDEFGHJKMNPQRST' },
    });
    expect(sim.tickets).toHaveLength(1);
    expect(
      await b.next('device.status', 5000, (m) => m.deviceId === 'kiosk-1-printer' && m.state === 'error'),
    ).toMatchObject({ detail: '打印机缺纸' });
    b.close();
  });

  it('a card presented on the simulated reader reaches the kiosk page once, then its removal', async () => {
    const b = await openBridge();
    const reader = simulated('kiosk-1-idcard') as CardReaderSimulator;
    const card = validateCardJson(JSON.parse(readFileSync('drivers/idcard/sample-cards/resident.json', 'utf8')));
    reader.present(encodeCardText(card));
    const got = await b.next('card', 10_000);
    expect(got.card).toEqual({
      name: '李秀英',
      gender: '女',
      nation: '汉',
      birthDate: '1955-03-15',
      address: '浙江省杭州市上城区清波街道河坊街100号',
      certNo: '330102195503150025',
      certType: 'resident',
      authority: '杭州市公安局上城分局',
      validFrom: '2015-01-01',
      validTo: '长期',
      // The hub's proof of this read for the case lookup (card-reads.ts): 128 random bits.
      readId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
    expect(got.card).not.toHaveProperty('photo');
    reader.lift();
    await b.next('card.removed', 10_000);
    expect(b.messages.filter((m) => m.type === 'card')).toHaveLength(1);
    b.close();
  });
});
