import { describe, expect, it } from 'vitest';
import { type PdfPrintDeps, printPdfBytes } from './pdf-print.js';

function fakeDeps(outcome: { success: boolean; reason: string } | 'load-fails') {
  const log: string[] = [];
  const deps: PdfPrintDeps = {
    openWindow: (title) => {
      log.push(`open ${title}`);
      return {
        loadFile: async (p) => {
          log.push(`load ${p}`);
          if (outcome === 'load-fails') throw new Error('无法打开');
        },
        print: (done) => {
          if (outcome !== 'load-fails') done(outcome.success, outcome.reason);
        },
        destroy: () => log.push('destroy'),
      };
    },
    writeTemp: (b) => {
      log.push(`write ${b.length}`);
      return '/tmp/x/document.pdf';
    },
    remove: (p) => log.push(`remove ${p}`),
  };
  return { deps, log };
}

const PDF = new Uint8Array(Buffer.from('%PDF-1.3\n...'));

describe('printing a hub PDF in the shell', () => {
  it('prints through a hidden window and always removes the window and the file', async () => {
    const ok = fakeDeps({ success: true, reason: '' });
    expect(await printPdfBytes(PDF, '受理回执', ok.deps)).toEqual({ ok: true });
    expect(ok.log).toEqual([
      'write 12',
      'open 受理回执',
      'load /tmp/x/document.pdf',
      'destroy',
      'remove /tmp/x/document.pdf',
    ]);
    const failed = fakeDeps('load-fails');
    expect(await printPdfBytes(PDF, 't', failed.deps)).toMatchObject({ ok: false, code: 'ERROR' });
    expect(failed.log.slice(-2)).toEqual(['destroy', 'remove /tmp/x/document.pdf']);
    const cancelled = fakeDeps({ success: false, reason: 'cancelled' });
    expect(await printPdfBytes(PDF, 't', cancelled.deps)).toMatchObject({ ok: false, message: '已取消打印' });
  });

  it('refuses anything that is not PDF bytes, without opening a window', async () => {
    for (const bad of ['%PDF-', new Uint8Array(0), new Uint8Array(Buffer.from('<html>'))]) {
      const f = fakeDeps({ success: true, reason: '' });
      expect((await printPdfBytes(bad, 't', f.deps)).ok).toBe(false);
      expect(f.log).toEqual([]);
    }
  });
});
