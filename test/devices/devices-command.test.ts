/** `govhall devices`: never a crash — not without udevadm, not without a database. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/hub-client.js';

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['bin/govhall.mjs', 'devices', ...args], {
    cwd: process.cwd(),
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });

describe('govhall devices', () => {
  it('says what is missing when udevadm is not on PATH, and lists the configured devices as unknown', () => {
    const r = run(['--json', '--data', tempDir()], { PATH: '/nonexistent' });
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.serial.problem).toMatch(/udevadm/);
    expect(Array.isArray(report.hid.devices)).toBe(true);
    expect(report.configured.hubRunning).toBe(false);
    expect(report.configured.devices.length).toBeGreaterThan(0);
    expect(report.configured.devices.every((d: { state: string }) => d.state === 'unknown')).toBe(true);
    expect(report.configured.problem).toMatch(/没有中枢数据库/);
  });

  it('prints a readable table and refuses stray arguments with exit 2', () => {
    const r = run(['--data', tempDir()]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/串口 \/ serial ports/);
    expect(r.stdout).toMatch(/kiosk-1-printer/);
    expect(run(['extra']).status).toBe(2);
  });
});
