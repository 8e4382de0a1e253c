/** A small hall for engine tests: three services, four windows, open around the clock. */
import type { HallConfig } from '../../kiosk-config/hall-config.js';

const allDay = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }];

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
      {
        no: 1,
        name: '综合1',
        services: [
          { code: 'SB', weight: 1 },
          { code: 'BDC', weight: 1 },
          { code: 'HJ', weight: 1 },
        ],
        comprehensive: true,
        greenChannel: false,
      },
      {
        no: 2,
        name: '社保',
        services: [
          { code: 'SB', weight: 3 },
          { code: 'HJ', weight: 1 },
        ],
        comprehensive: false,
        greenChannel: false,
      },
      { no: 3, name: '不动产', services: [{ code: 'BDC', weight: 1 }], comprehensive: false, greenChannel: false },
      {
        no: 4,
        name: '绿色通道',
        services: [
          { code: 'SB', weight: 1 },
          { code: 'BDC', weight: 1 },
          { code: 'HJ', weight: 1 },
        ],
        comprehensive: false,
        greenChannel: true,
      },
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
