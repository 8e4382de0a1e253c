/**
 * The hub's PDF documents in a page (docs/documents.md): fetched with the page's credential (in a
 * header, never in an address), saved as a file, or printed — through the Electron shell's
 * `window.govhall.printPdf` when the page runs in the shell (to the window's A4 printer), else
 * through the browser's own print dialog. Downloading always works, whatever the printer does.
 */
import type { GovhallPreloadApi } from './bridge.js';
import { type HubClient, HubError } from './hub-client.js';

export async function fetchPdf(client: HubClient, path: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(`${client.baseUrl}/api/v1${path}`, {
      headers: client.token ? { authorization: `Bearer ${client.token}` } : {},
    });
  } catch {
    throw new HubError(0, 'NETWORK', '暂时无法连接大厅中枢，请稍后再试');
  }
  if (!res.ok) {
    const d = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
    throw new HubError(res.status, d?.code ?? `HTTP_${res.status}`, d?.message ?? `生成文书失败（${res.status}）`);
  }
  return res.blob();
}

/** Saves a blob as a file through an object URL, so no credential ever stands in an address. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Where a print went: the shell's printer, or the browser's print dialog. */
export type PrintRoute = 'shell' | 'dialog';

export async function printPdf(blob: Blob, title: string): Promise<PrintRoute> {
  const shell = (globalThis as { govhall?: GovhallPreloadApi }).govhall;
  if (shell?.printPdf) {
    const r = await shell.printPdf(new Uint8Array(await blob.arrayBuffer()), title);
    if (r.ok) return 'shell';
    // The shell could not print (no printer, refused): the dialog below still lets staff choose one.
  }
  const url = URL.createObjectURL(blob);
  const frame = document.createElement('iframe');
  frame.style.position = 'fixed';
  frame.style.width = '0';
  frame.style.height = '0';
  frame.style.border = '0';
  frame.title = title;
  frame.src = url;
  document.body.appendChild(frame);
  await new Promise<void>((resolve) => {
    frame.onload = () => resolve();
  });
  frame.contentWindow?.focus();
  frame.contentWindow?.print();
  // The dialog is modal in most browsers; the frame stays a while for those where it is not.
  setTimeout(() => {
    frame.remove();
    URL.revokeObjectURL(url);
  }, 60_000);
  return 'dialog';
}
