import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskPersonalData, pruneLogs } from './logger.js';

describe('logger', () => {
  it('masks ID numbers and names at any depth and inside free text', () => {
    const out = maskPersonalData({
      applicant: { name: '张小三', certNo: '11010519491231002X' },
      note: '读卡 11010519491231002X 成功',
    }) as { applicant: { name: string; certNo: string }; note: string };
    expect(out.applicant.name).toBe('张*三');
    expect(out.applicant.certNo).toBe('1101**********002X');
    expect(out.note).toBe('读卡 1101**********002X 成功');
  });

  it('writes JSON lines to a file, readable text to the console, and rotates by size without losing a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'govhall-log-'));
    const stream = new PassThrough();
    let consoleText = '';
    stream.on('data', (c) => {
      consoleText += c.toString();
    });
    const log = createLogger({ dir, maxBytes: 400, stream, now: () => Date.UTC(2026, 10, 23, 1, 2, 3) });
    for (let i = 0; i < 20; i++) log.info('出票', { number: `A${i}`, certNo: '11010519491231002X' });
    const files = readdirSync(dir).sort();
    // Every line is still somewhere: rotated files carry the time of their last line.
    expect(files[0]).toBe('govhall.log');
    expect(files.slice(1).every((f) => /^govhall\.log\.20261123-010203(-\d+)?$/.test(f))).toBe(true);
    const all = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(all.trim().split('\n')).toHaveLength(20);
    const lines = readFileSync(join(dir, 'govhall.log'), 'utf8').trim().split('\n');
    const first = JSON.parse(lines[0] as string);
    expect(first).toMatchObject({ level: 'info', msg: '出票', certNo: '1101**********002X' });
    expect(consoleText).toContain('01:02:03 INFO  出票');
    expect(consoleText).not.toContain('11010519491231002X');
  });

  it('keeps security logs at least 180 days: daily rotation, and only older files are deleted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'govhall-log-'));
    const day = 86_400_000;
    let now = Date.UTC(2026, 10, 23, 9, 0, 0);
    const stream = new PassThrough();
    // Asking for 30 days is not allowed to shorten what the law requires.
    const log = createLogger({ dir, retainDays: 30, stream, now: () => now });
    // Rotated files from earlier: 181, 179 and 40 days before tomorrow's rotation.
    const stamp = (ms: number) =>
      `govhall.log.${new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
    const rotation = now + day;
    const [old181, old179, old40] = [181, 179, 40].map((age) => stamp(rotation - age * day));
    for (const name of [old181, old179, old40]) writeFileSync(join(dir, name!), '{}\n');
    log.info('登录', { staffNo: '8001' });
    now = rotation; // the next day: the file rotates, and old files are pruned
    log.warn('PIN 错误', { staffNo: '8001' });
    const files = readdirSync(dir).sort();
    expect(files).toContain(old179);
    expect(files).toContain(old40);
    expect(files).not.toContain(old181);
    expect(files).toContain('govhall.log.20261124-090000');
    expect(readFileSync(join(dir, 'govhall.log.20261124-090000'), 'utf8')).toContain('登录');
    expect(readFileSync(join(dir, 'govhall.log'), 'utf8')).toContain('PIN 错误');
    // pruneLogs on its own: nothing under 180 days goes, whatever retention is asked for.
    expect(pruneLogs(dir, now, 1)).toEqual([]);
    expect(pruneLogs(dir, now + 2 * day, 1)).toEqual([old179]);
  });
});
