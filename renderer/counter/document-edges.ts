/**
 * The automatic crop suggestion: where the document lies in a frame of the 高拍仪. The camera looks
 * down on a desk darker than paper, so the page is the largest bright region; its four corners are
 * the extreme points of that region along the two diagonals. Pure and small: it runs on a
 * downscaled grayscale copy (a few hundred pixels wide), in well under a frame's time.
 */

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel, row by row. */
  data: Uint8Array;
}

export interface Point {
  x: number;
  y: number;
}

/** Corners in order: top-left, top-right, bottom-right, bottom-left. */
export type Quad = [Point, Point, Point, Point];

/** RGBA (canvas `ImageData`) to gray, downscaled by whole-pixel box averaging to at most `maxSide`. */
export function grayThumbnail(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  maxSide = 256,
): GrayImage & { scale: number } {
  const step = Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
  const w = Math.floor(width / step);
  const h = Math.floor(height / step);
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < step; dy++) {
        let i = ((y * step + dy) * width + x * step) * 4;
        for (let dx = 0; dx < step; dx++, i += 4) sum += 77 * rgba[i]! + 150 * rgba[i + 1]! + 29 * rgba[i + 2]!;
      }
      data[y * w + x] = Math.round(sum / (256 * step * step));
    }
  }
  return { width: w, height: h, data, scale: step };
}

/** Otsu's threshold: the gray level that best splits the histogram into two classes. */
export function otsuThreshold(img: GrayImage): number {
  const hist = new Array<number>(256).fill(0);
  for (const v of img.data) hist[v]!++;
  const total = img.data.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * hist[i]!;
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let bestVar = -1;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (!wB) continue;
    const wF = total - wB;
    if (!wF) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > bestVar) {
      bestVar = between;
      best = t;
    }
  }
  return best;
}

/**
 * The document's corners in the image's coordinates, or null when no bright region covers at
 * least `minArea` of the frame (nothing on the desk, or a page filling the whole frame — then the
 * full frame is the crop anyway).
 */
export function suggestCorners(img: GrayImage, opts: { minArea?: number; maxArea?: number } = {}): Quad | null {
  const { width: w, height: h, data } = img;
  const t = otsuThreshold(img);
  // Holes in the page (text, a photo) do not matter: only the region's outer extremes are used.
  const bright = new Uint8Array(w * h);
  for (let i = 0; i < data.length; i++) bright[i] = data[i]! > t ? 1 : 0;
  const label = new Int32Array(w * h).fill(-1);
  const stack: number[] = [];
  let best: { size: number; quad: Quad } | null = null;
  for (let start = 0; start < bright.length; start++) {
    if (!bright[start] || label[start] !== -1) continue;
    let size = 0;
    let tl = start;
    let tr = start;
    let br = start;
    let bl = start;
    const key = (i: number) => ({ x: i % w, y: Math.floor(i / w) });
    let [sMin, sMax, dMin, dMax] = [Infinity, -Infinity, Infinity, -Infinity];
    label[start] = start;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop()!;
      size++;
      const x = i % w;
      const y = (i - x) / w;
      const s = x + y;
      const d = x - y;
      if (s < sMin) [sMin, tl] = [s, i];
      if (s > sMax) [sMax, br] = [s, i];
      if (d > dMax) [dMax, tr] = [d, i];
      if (d < dMin) [dMin, bl] = [d, i];
      for (const n of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1]) {
        if (n >= 0 && bright[n] && label[n] === -1) {
          label[n] = start;
          stack.push(n);
        }
      }
    }
    if (!best || size > best.size) best = { size, quad: [key(tl), key(tr), key(br), key(bl)] };
  }
  const area = (best?.size ?? 0) / (w * h);
  if (!best || area < (opts.minArea ?? 0.1) || area > (opts.maxArea ?? 0.98)) return null;
  // Pixel centres, so a corner at the last column maps to the frame's edge after scaling.
  return best.quad.map((p) => ({ x: p.x + 0.5, y: p.y + 0.5 })) as Quad;
}

/** A quad scaled by `k` (from the thumbnail back to the frame), clamped inside `width`×`height`. */
export function scaleQuad(q: Quad, k: number, width: number, height: number): Quad {
  return q.map((p) => ({
    x: Math.min(width, Math.max(0, p.x * k)),
    y: Math.min(height, Math.max(0, p.y * k)),
  })) as Quad;
}

/** The whole frame as a quad (no crop). */
export const fullFrame = (width: number, height: number): Quad => [
  { x: 0, y: 0 },
  { x: width, y: 0 },
  { x: width, y: height },
  { x: 0, y: height },
];
