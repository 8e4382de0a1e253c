/**
 * Printing a hub document (a PDF the counter page fetched) with Electron's print API: the PDF is
 * written to a private temporary file, opened in a hidden window with Chromium's PDF viewer, and
 * handed to `webContents.print` with the system dialog, so the staff pick the window's A4 printer
 * (Electron prints what a window shows; it has no call that takes PDF bytes). The window and the
 * file are removed whatever happens. Electron-free: the adapter passes these few calls in.
 */
import type { PrintResult } from './types.js';

export interface PdfPrintWindow {
  loadFile(path: string): Promise<void>;
  print(done: (success: boolean, failureReason: string) => void): void;
  destroy(): void;
}

export interface PdfPrintDeps {
  /** A hidden window able to show a PDF (plugins on, no preload, no node). */
  openWindow(title: string): PdfPrintWindow;
  writeTemp(bytes: Uint8Array): string;
  remove(path: string): void;
}

/** At most this many bytes are accepted from a page (a receipt is ~100 KB, a month report < 1 MB). */
export const MAX_PDF_BYTES = 20 * 1024 * 1024;

export async function printPdfBytes(bytes: unknown, title: unknown, deps: PdfPrintDeps): Promise<PrintResult> {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0 || bytes.length > MAX_PDF_BYTES)
    return { ok: false, code: 'ERROR', message: '打印失败：文书内容无效' };
  if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-')
    return { ok: false, code: 'ERROR', message: '打印失败：只能打印 PDF 文书' };
  let path: string | null = null;
  let win: PdfPrintWindow | null = null;
  try {
    path = deps.writeTemp(bytes);
    win = deps.openWindow(typeof title === 'string' ? title.slice(0, 100) : '文书');
    await win.loadFile(path);
    const w = win;
    const out = await new Promise<{ success: boolean; reason: string }>((resolve) =>
      w.print((success, reason) => resolve({ success, reason })),
    );
    if (out.success) return { ok: true };
    return out.reason === 'cancelled'
      ? { ok: false, code: 'ERROR', message: '已取消打印' }
      : { ok: false, code: 'NO_PRINTER', message: `打印失败（${out.reason}）：请检查打印机，或下载文书后打印` };
  } catch (e) {
    return { ok: false, code: 'ERROR', message: `打印失败（${(e as Error).message}）：请下载文书后打印` };
  } finally {
    win?.destroy();
    if (path) deps.remove(path);
  }
}
