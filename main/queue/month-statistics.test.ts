import { describe, expect, it } from 'vitest';
import { computeMonthStatistics, daysOfMonth } from './month-statistics.js';
import type { Ticket } from './types.js';

const leg = (day: string, over: Partial<Ticket>): Ticket =>
  ({
    id: `${day}-${Math.random()}`,
    number: 'A001',
    seq: 1,
    serviceCode: 'A',
    issuedServiceCode: 'A',
    businessDay: day,
    status: 'done',
    priority: null,
    channel: 'kiosk',
    appointmentId: null,
    applicant: null,
    issuedAt: Date.parse(`${day}T01:00:00Z`),
    queuedAt: Date.parse(`${day}T01:00:00Z`),
    queueOrder: 1,
    targetWindowNo: null,
    windowNo: 1,
    staffNo: '8001',
    calledAt: null,
    startedAt: null,
    finishedAt: null,
    recallCount: 0,
    requeued: false,
    transferredFrom: null,
    transferredTo: null,
    closedReason: null,
    terminalId: null,
    issuedBy: null,
    ...over,
  }) as Ticket;

describe('month statistics', () => {
  it('lists every day of the month, leap years included', () => {
    expect(daysOfMonth('2024-02')).toHaveLength(29);
    expect(daysOfMonth('2026-11').at(-1)).toBe('2026-11-30');
  });

  it('takes means and p90 over all legs of the month, not over daily figures', () => {
    const t = (day: string, waitS: number) => {
      const q = Date.parse(`${day}T01:00:00Z`);
      return leg(day, { queuedAt: q, calledAt: q + waitS * 1000, finishedAt: q + waitS * 1000 + 60_000 });
    };
    const legs: Record<string, Ticket[]> = {
      '2026-11-02': [t('2026-11-02', 60)],
      '2026-11-03': [t('2026-11-03', 120), t('2026-11-03', 120), t('2026-11-03', 120)],
    };
    const s = computeMonthStatistics('2026-11', (d) => legs[d] ?? [], 'Asia/Shanghai');
    expect(s.days).toHaveLength(30);
    expect(s.days[1]).toMatchObject({ day: '2026-11-02', served: 1, meanWaitSeconds: 60 });
    expect(s.total).toMatchObject({ issued: 4, served: 4, meanWaitSeconds: 105, p90WaitSeconds: 120 });
    expect(s.byService.A?.served).toBe(4);
    expect(s.byStaff['8001']?.served).toBe(4);
  });
});
