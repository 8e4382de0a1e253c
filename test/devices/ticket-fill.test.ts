/** The hall's part of a printed ticket comes from the running config (main/devices/ticket-fill.ts). */
import { describe, expect, it } from 'vitest';
import { fillTicket, ticketQrUrl } from '../../main/devices/ticket-fill.js';

const config = (ticketText: { header: string; footer: string; qrUrl?: string }) => ({
  hall: { code: 'H', name: '配置里的大厅', areaCode: '330106', timeZone: 'Asia/Shanghai', openingHours: [] },
  ticketText,
});
const facts = {
  hallName: '终端以为的大厅',
  number: 'A012',
  serviceName: '社保医保',
  ahead: 2,
  issuedAt: '2026-11-23T09:05:00+08:00',
  priority: '老年人优先',
  ticketId: 'T 1/2',
};

describe('fillTicket', () => {
  it('puts the config’s hall name, header, footer and QR URL on the ticket, whatever the terminal sent', () => {
    const t = fillTicket(
      { ...facts, qr: 'kiosk text', header: '终端页眉', footer: '终端 kiosk-1' },
      config({ header: '欢迎', footer: '请留意叫号', qrUrl: '{baseUrl}/t/{ticketId}?n={number}' }),
      'http://hub.local:8800/',
    );
    expect(t).toEqual({
      ...facts,
      hallName: '配置里的大厅',
      header: '欢迎',
      footer: '请留意叫号',
      qr: 'http://hub.local:8800/t/T%201%2F2?n=A012',
    });
  });

  it('prints no QR and no empty header or footer when the config has none', () => {
    const t = fillTicket(
      { ...facts, qr: 'kiosk text', footer: '终端 kiosk-1' },
      config({ header: ' ', footer: '' }),
      'x',
    );
    expect(t).not.toHaveProperty('qr');
    expect(t).not.toHaveProperty('header');
    expect(t).not.toHaveProperty('footer');
  });

  it('gives no QR when the template needs a ticket id the terminal did not send', () => {
    const c = config({ header: '', footer: '', qrUrl: 'https://gov.example/t/{ticketId}' });
    expect(ticketQrUrl(c, { number: 'A012' }, '')).toBeNull();
    expect(ticketQrUrl(c, { number: 'A012', ticketId: 'T9' }, '')).toBe('https://gov.example/t/T9');
    expect(
      ticketQrUrl(config({ header: '', footer: '', qrUrl: 'https://gov.example/q/{number}' }), { number: 'A012' }, ''),
    ).toBe('https://gov.example/q/A012');
  });
});
