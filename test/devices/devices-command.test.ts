/** `govhall devices`: never a crash — not without udevadm, not without a database. */
import { describe, expect, it } from 'vitest';
import { govhallSync } from '../support/govhall-cli.js';
import { tempDir } from '../support/hub-client.js';

const run = (args: string[], env: Record<string, string> = {}) => govhallSync(['devices', ...args], { env });

describe('govhall devices', () => {
  it('says what is missing when udevadm is not on PATH, and lists the configured devices as unknown', () => {
    const r = run(['--json', '--data', tempDir()], { PATH: '/nonexistent' });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.serial.problem).toMatch(/udevadm/);
    expect(Array.isArray(report.hid.devices)).toBe(true);
    expect(report.configured.hubRunning).toBe(false);
    expect(report.configured.devices.length).toBeGreaterThan(0);
    expect(report.configured.devices.every((d: { state: string }) => d.state === 'unknown')).toBe(true);
    expect(report.configured.problem).toMatch(/没有中枢数据库/);
  });

  it('prints a readable table and refuses stray arguments with exit 2', () => {
    const r = run(['--data', tempDir()]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/串口 \/ serial ports/);
    expect(r.out).toMatch(/kiosk-1-printer/);
    expect(run(['extra']).code).toBe(2);
  });
});
