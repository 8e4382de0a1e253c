/** Reads a QR code shown as an `<img>` on a page: its pixels through a canvas, decoded with jsQR. */
import jsQRModule from 'jsqr';
import type { Locator } from 'playwright-core';

// jsqr is CommonJS with a `default` in its typings only; at runtime the default import is the function.
const jsQR = ((jsQRModule as any).default ?? jsQRModule) as (typeof jsQRModule)['default'];

export async function decodeQr(img: Locator): Promise<string | null> {
  const pixels = (await img.evaluate((el: any) => {
    const c = (globalThis as any).document.createElement('canvas');
    c.width = el.naturalWidth;
    c.height = el.naturalHeight;
    const ctx = c.getContext('2d');
    ctx.drawImage(el, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height);
    return { w: c.width, h: c.height, data: Array.from(d.data as Uint8ClampedArray) };
  })) as { w: number; h: number; data: number[] };
  return jsQR(Uint8ClampedArray.from(pixels.data), pixels.w, pixels.h)?.data ?? null;
}
