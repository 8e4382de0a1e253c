import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskPersonalData } from './logger.js';

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

  it('writes JSON lines to a file, readable text to the console, and rotates by size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'govhall-log-'));
    const stream = new PassThrough();
    let consoleText = '';
    stream.on('data', (c) => {
      consoleText += c.toString();
    });
    const log = createLogger({ dir, maxBytes: 400, keep: 2, stream, now: () => Date.UTC(2026, 10, 23, 1, 2, 3) });
    for (let i = 0; i < 20; i++) log.info('出票', { number: `A${i}`, certNo: '11010519491231002X' });
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['govhall.log', 'govhall.log.1', 'govhall.log.2']);
    const lines = readFileSync(join(dir, 'govhall.log'), 'utf8').trim().split('\n');
    const first = JSON.parse(lines[0] as string);
    expect(first).toMatchObject({ level: 'info', msg: '出票', certNo: '1101**********002X' });
    expect(consoleText).toContain('01:02:03 INFO  出票');
    expect(consoleText).not.toContain('11010519491231002X');
  });
});
