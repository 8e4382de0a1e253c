/**
 * A hall for load tests and benchmarks: many services with wide number ranges and no daily cap.
 * One window per service, each serving its own; with more windows than services, window N serves
 * service N and the next one (round the list), like a hall's mixed counters.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPin } from '../../kiosk-config/pin-hash.js';

export function writeLoadHall(dir: string, services = 6, windows = services): { path: string; codes: string[] } {
  const codes = Array.from({ length: services }, (_, i) => `S${i + 1}`);
  const pinHash = hashPin('123456'); // scrypt is slow on purpose: once for every staff member
  const prefixes = Array.from(
    { length: services },
    (_, i) => String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String.fromCharCode(65 + Math.floor(i / 26)) : ''),
  );
  const yaml = [
    'hall:',
    '  code: LOAD-HALL',
    '  name: 压力测试大厅',
    '  areaCode: "330106"',
    '  openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" }]',
    'services:',
    ...codes.map(
      (c, i) =>
        `  - { code: ${c}, name: 业务${i + 1}, category: 测试, prefix: ${prefixes[i]}, numberRange: { from: 1, to: 9999 }, allowAnonymous: true }`,
    ),
    'windows:',
    ...Array.from({ length: windows }, (_, i) => {
      const served = windows > services ? [codes[i % services], codes[(i + 1) % services]] : [codes[i]];
      return `  - { no: ${i + 1}, name: 窗口${i + 1}, services: [${served.join(', ')}] }`;
    }),
    'staff:',
    ...Array.from(
      { length: windows },
      (_, i) => `  - { no: "${9001 + i}", name: 测试员${i + 1}, pinHash: "${pinHash}", windows: [${i + 1}] }`,
    ),
    '',
  ].join('\n');
  const path = join(dir, 'load-hall.yaml');
  writeFileSync(path, yaml);
  return { path, codes };
}
