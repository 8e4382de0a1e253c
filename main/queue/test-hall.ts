/** A small hall for engine tests: three services, four windows, open around the clock. */
import type { HallConfig } from '../../kiosk-config/hall-config.js';

const allDay = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }];

/** A window serving `weights` (service code → weight, in order). */
const win = (no: number, name: string, weights: Record<string, number>, kind?: 'comprehensive' | 'green') => ({
  no,
  name,
  services: Object.entries(weights).map(([code, weight]) => ({ code, weight })),
  comprehensive: kind === 'comprehensive',
  greenChannel: kind === 'green',
});

export function testHall(overrides: Partial<HallConfig> = {}): HallConfig {
  const svc = (code: string, prefix: string, name: string) => ({
    code,
    name,
    category: '测试',
    prefix,
    numberRange: { from: 1, to: 999 },
    dailyCap: 0,
    taskCodes: [],
    allowAnonymous: true,
    defaultServiceSeconds: 300,
  });
  return {
    hall: { code: 'T-HALL', name: '测试大厅', areaCode: '330106', timeZone: 'Asia/Shanghai', openingHours: allDay },
    services: [svc('SB', 'A', '社保'), svc('BDC', 'B', '不动产'), svc('HJ', 'C', '户籍')],
    windows: [
      win(1, '综合1', { SB: 1, BDC: 1, HJ: 1 }, 'comprehensive'),
      win(2, '社保', { SB: 3, HJ: 1 }),
      win(3, '不动产', { BDC: 1 }),
      win(4, '绿色通道', { SB: 1, BDC: 1, HJ: 1 }, 'green'),
    ],
    staff: [],
    priority: {
      enabled: ['elderly', 'disabled', 'pregnant', 'military', 'other'],
      normalPerPriority: 3,
      appointmentsFirst: true,
    },
    announcement: { template: '请{number}号到{window}号窗口办理', repeat: 2 },
    ticketText: { header: '欢迎', footer: '请留意叫号' },
    privacy: { purgeAfterDays: 30 },
    ...overrides,
  };
}
