/** A hall for load tests and benchmarks: many services with wide number ranges and no daily cap. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPin } from '../../kiosk-config/pin-hash.js';

export function writeLoadHall(dir: string, services = 6): { path: string; codes: string[] } {
  const codes = Array.from({ length: services }, (_, i) => `S${i + 1}`);
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
    ...codes.map((c, i) => `  - { no: ${i + 1}, name: 窗口${i + 1}, services: [${c}] }`),
    'staff:',
    ...codes.map(
      (_, i) => `  - { no: "${9001 + i}", name: 测试员${i + 1}, pinHash: "${hashPin('123456')}", windows: [${i + 1}] }`,
    ),
    '',
  ].join('\n');
  const path = join(dir, 'load-hall.yaml');
  writeFileSync(path, yaml);
  return { path, codes };
}
