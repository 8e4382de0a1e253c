/**
 * The browser side of a scanned page: a frame of the live preview, turned by quarter turns, the
 * document-edge suggestion computed on a small gray copy, and the page cropped, straightened and
 * encoded to the size target. The arithmetic is in the pure modules beside this one.
 */
import { fullFrame, grayThumbnail, type Quad, scaleQuad, suggestCorners } from './document-edges.js';
import { FIRST_STEP, nextEncodeStep } from './page-size.js';
import { warpQuad, warpSize } from './page-warp.js';

/** The long side of a page as cropped (before the size target): ~200 dpi across A4. */
export const PAGE_MAX_SIDE = 2400;

function canvas(width: number, height: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

const ctx2d = (c: HTMLCanvasElement) => c.getContext('2d', { willReadFrequently: true })!;

/** The current frame of the preview, at the camera's full resolution. */
export function grabFrame(video: HTMLVideoElement): HTMLCanvasElement {
  const c = canvas(video.videoWidth, video.videoHeight);
  ctx2d(c).drawImage(video, 0, 0);
  return c;
}

/** The frame turned by a quarter turn clockwise (1) or counter-clockwise (-1). */
export function rotateFrame(src: HTMLCanvasElement, dir: 1 | -1): HTMLCanvasElement {
  const c = canvas(src.height, src.width);
  const g = ctx2d(c);
  g.translate(c.width / 2, c.height / 2);
  g.rotate((dir * Math.PI) / 2);
  g.drawImage(src, -src.width / 2, -src.height / 2);
  return c;
}

/** Where the document probably is: the automatic suggestion, or the whole frame when there is none. */
export function suggestQuad(frame: HTMLCanvasElement): Quad {
  const k = Math.max(1, Math.max(frame.width, frame.height) / 256);
  const small = canvas(Math.max(1, Math.round(frame.width / k)), Math.max(1, Math.round(frame.height / k)));
  const g = ctx2d(small);
  g.drawImage(frame, 0, 0, small.width, small.height);
  const thumb = grayThumbnail(g.getImageData(0, 0, small.width, small.height).data, small.width, small.height, 256);
  const q = suggestCorners(thumb);
  return q
    ? scaleQuad(q, (frame.width / small.width) * thumb.scale, frame.width, frame.height)
    : fullFrame(frame.width, frame.height);
}

export interface EncodedPage {
  blob: Blob;
  width: number;
  height: number;
  quality: number;
}

const toJpeg = (c: HTMLCanvasElement, quality: number) =>
  new Promise<Blob>((resolve, reject) =>
    c.toBlob((b) => (b ? resolve(b) : reject(new Error('无法生成图片'))), 'image/jpeg', quality),
  );

/** The quad of the frame, straightened, as a JPEG within the size target (page-size.ts). */
export async function encodePage(frame: HTMLCanvasElement, quad: Quad): Promise<EncodedPage> {
  const size = warpSize(quad, PAGE_MAX_SIDE);
  const src = ctx2d(frame).getImageData(0, 0, frame.width, frame.height);
  const flat = canvas(size.width, size.height);
  const pixels = warpQuad(src.data, frame.width, frame.height, quad, size.width, size.height);
  ctx2d(flat).putImageData(new ImageData(new Uint8ClampedArray(pixels), size.width, size.height), 0, 0);
  let step = FIRST_STEP;
  for (;;) {
    const c =
      step.scale === 1 ? flat : canvas(Math.round(size.width * step.scale), Math.round(size.height * step.scale));
    if (c !== flat) {
      const g = ctx2d(c);
      g.imageSmoothingQuality = 'high';
      g.drawImage(flat, 0, 0, c.width, c.height);
    }
    const blob = await toJpeg(c, step.quality);
    const next = nextEncodeStep(step, blob.size, Math.max(size.width, size.height));
    if (!next) return { blob, width: c.width, height: c.height, quality: step.quality };
    step = next;
  }
}
