/**
 * The scanned-pages PDF read back with poppler (pdfinfo, pdfimages): page count and size, and each
 * page's image embedded as the very JPEG bytes given (DCTDecode, no re-encoding).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jpegInfo, jpegsToPdf } from './jpeg-pdf.js';

const dir = mkdtempSync(join(tmpdir(), 'govhall-pdf-'));

/** A real JPEG of w×h pixels, rendered by poppler from a one-page vector PDF (a black bar on white). */
function jpeg(w: number, h: number): Uint8Array {
  const name = `${w}x${h}`;
  const content = `0 0 0 rg 20 ${h - 40} ${w - 40} 20 re f`;
  const body = [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    `2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj`,
    `3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Contents 4 0 R >> endobj`,
    `4 0 obj << /Length ${content.length} >> stream\n${content}\nendstream endobj`,
    'trailer << /Root 1 0 R >>',
    '%%EOF',
  ].join('\n');
  writeFileSync(join(dir, `${name}.pdf`), body);
  execFileSync('pdftoppm', ['-r', '72', '-jpeg', '-jpegopt', 'quality=80', '-singlefile', `${name}.pdf`, name], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return new Uint8Array(readFileSync(join(dir, `${name}.jpg`)));
}

describe('jpegsToPdf', () => {
  it('reads the size and components of a JPEG', () => {
    expect(jpegInfo(jpeg(300, 420))).toEqual({ width: 300, height: 420, components: 3 });
    // A grayscale baseline frame header (SOF0: length 11, 8 bits, height 100, width 200, 1 component).
    const sof = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0, 100, 0, 200, 1, 1, 0x11, 0,
    ]);
    expect(jpegInfo(sof)).toEqual({ width: 200, height: 100, components: 1 });
    expect(() => jpegInfo(new Uint8Array([0x89, 0x50]))).toThrow(/不是 JPEG/);
  });

  it('writes one A4 page per JPEG that poppler reads, the images embedded as given', () => {
    const pages = [jpeg(620, 877), jpeg(877, 620), jpeg(400, 560)];
    const pdf = jpegsToPdf(pages, { title: '居民身份证' });
    const file = join(dir, 'material.pdf');
    writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+3/);
    expect(info).toMatch(/Title:\s+居民身份证/);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    const sizes = execFileSync('pdfinfo', ['-f', '1', '-l', '3', file], { encoding: 'utf8' });
    expect(sizes).toMatch(/Page\s+2 size:\s+841\.89 x 595\.28 pts/);
    const list = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(list.map((l) => l.trim().split(/\s+/).slice(0, 9))).toEqual([
      ['1', '0', 'image', '620', '877', 'rgb', '3', '8', 'jpeg'],
      ['2', '1', 'image', '877', '620', 'rgb', '3', '8', 'jpeg'],
      ['3', '2', 'image', '400', '560', 'rgb', '3', '8', 'jpeg'],
    ]);
    // -j writes DCT images out as they are stored: byte for byte the JPEGs given.
    execFileSync('pdfimages', ['-j', file, join(dir, 'out')]);
    pages.forEach((p, i) => {
      expect(Buffer.from(readFileSync(join(dir, `out-00${i}.jpg`))).equals(Buffer.from(p))).toBe(true);
    });
    // A page costs its JPEG plus well under a kilobyte.
    expect(pdf.length - pages.reduce((n, p) => n + p.length, 0)).toBeLessThan(3 * 1024);
  });
});
