import { describe, expect, it } from 'vitest';
import type { AdminConfigView } from '../../../main/server/admin/types.js';
import { changeOf, draftsOf, parseNumberList, renderAnnouncement, sampleFor } from './config-draft.js';

const view: AdminConfigView = {
  version: 'v1',
  persisted: true,
  hall: { code: 'H', name: '大厅', areaCode: '330106', timeZone: 'Asia/Shanghai' },
  services: [
    {
      code: 'SBYB',
      name: '社保医保',
      category: '社会保障',
      prefix: 'A',
      numberRange: { from: 1, to: 999 },
      dailyCap: 300,
      taskCodes: ['T1', 'T2'],
      allowAnonymous: false,
      defaultServiceSeconds: 420,
    },
  ],
  windows: [
    { no: 3, name: '社保窗口', services: [{ code: 'SBYB', weight: 1 }], comprehensive: false, greenChannel: false },
  ],
  staff: [{ no: '8001', name: '陈建国', role: 'manager', windows: [1, 2, 8], hasPin: true }],
  priority: { enabled: ['elderly'], normalPerPriority: 3, appointmentsFirst: true, agingLimitSeconds: 1800 },
  announcement: { template: '请{number}号到{window}号窗口办理', repeat: 2 },
  ticketText: { header: '欢迎', footer: '请留意叫号' },
};

describe('config drafts', () => {
  it('round-trips services with 事项 codes edited as lines', () => {
    const d = draftsOf(view);
    expect(d.services[0]?.taskCodes).toBe('T1\nT2');
    d.services[0]!.taskCodes = 'T1\n T3 ,T4';
    const c = changeOf('services', d, 'v1');
    expect(c.expectedVersion).toBe('v1');
    expect(c.services?.[0]?.taskCodes).toEqual(['T1', 'T3', 'T4']);
    expect(c.services?.[0]).not.toHaveProperty('isNew');
  });

  it('sends a PIN only when one was typed, and window lists as numbers', () => {
    const d = draftsOf(view);
    expect(changeOf('staff', d, 'v1').staff?.[0]).toEqual({
      no: '8001',
      name: '陈建国',
      role: 'manager',
      windows: [1, 2, 8],
    });
    d.staff.push({ no: '9001', name: '新人', role: 'staff', windows: '4，5', pin: '1234', isNew: true });
    expect(changeOf('staff', d, 'v1').staff?.[1]).toEqual({
      no: '9001',
      name: '新人',
      role: 'staff',
      windows: [4, 5],
      pin: '1234',
    });
    expect(parseNumberList('1 x')).toEqual([1, Number.NaN]);
  });

  it('previews the announcement with the first service at a window that serves it', () => {
    const d = draftsOf(view);
    expect(renderAnnouncement('{number}号请到{windowName}（{service}）', sampleFor(d))).toBe(
      'A001号请到社保窗口（社保医保）',
    );
    expect(changeOf('announcement', d, 'v1')).toMatchObject({
      announcement: view.announcement,
      ticketText: view.ticketText,
    });
  });
});
