/**
 * The manual four-corner crop carried out: the quadrilateral the staff set (or accepted) is
 * mapped onto an upright rectangle by a projective transform, so a page photographed slightly
 * askew comes out straight. Pure: RGBA in, RGBA out (the canvas only draws the result).
 */
import type { Point, Quad } from './document-edges.js';

/** Output size for a quad: its longer opposite edges, the long side at most `maxSide`. */
export function warpSize(q: Quad, maxSide: number): { width: number; height: number } {
  const d = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
  const w = Math.max(d(q[0], q[1]), d(q[3], q[2]));
  const h = Math.max(d(q[0], q[3]), d(q[1], q[2]));
  const k = Math.min(1, maxSide / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * k)), height: Math.max(1, Math.round(h * k)) };
}

/**
 * The 3×3 homography (row-major, h33 = 1) taking the unit square's corners (0,0) (1,0) (1,1) (0,1)
 * to the quad's — Heckbert's closed form, no linear solver needed.
 */
export function squareToQuad(q: Quad): number[] {
  const [p0, p1, p2, p3] = q;
  const dx1 = p1.x - p2.x;
  const dx2 = p3.x - p2.x;
  const dy1 = p1.y - p2.y;
  const dy2 = p3.y - p2.y;
  const sx = p0.x - p1.x + p2.x - p3.x;
  const sy = p0.y - p1.y + p2.y - p3.y;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = den === 0 ? 0 : (sx * dy2 - dx2 * sy) / den;
  const h = den === 0 ? 0 : (dx1 * sy - sx * dy1) / den;
  return [
    p1.x - p0.x + g * p1.x,
    p3.x - p0.x + h * p3.x,
    p0.x,
    p1.y - p0.y + g * p1.y,
    p3.y - p0.y + h * p3.y,
    p0.y,
    g,
    h,
    1,
  ];
}

/** Where output pixel (u, v) of a `width`×`height` result comes from in the source. */
export function sourcePoint(m: number[], u: number, v: number): Point {
  const z = m[6]! * u + m[7]! * v + m[8]!;
  return { x: (m[0]! * u + m[1]! * v + m[2]!) / z, y: (m[3]! * u + m[4]! * v + m[5]!) / z };
}

/** The quad of `src` (RGBA, `sw`×`sh`) as an upright `width`×`height` RGBA image (bilinear). */
export function warpQuad(
  src: Uint8ClampedArray | Uint8Array,
  sw: number,
  sh: number,
  q: Quad,
  width: number,
  height: number,
): Uint8ClampedArray {
  const m = squareToQuad(q);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const v = (y + 0.5) / height;
    for (let x = 0; x < width; x++) {
      const p = sourcePoint(m, (x + 0.5) / width, v);
      const fx = Math.min(sw - 1, Math.max(0, p.x - 0.5));
      const fy = Math.min(sh - 1, Math.max(0, p.y - 0.5));
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const x1 = Math.min(sw - 1, x0 + 1);
      const y1 = Math.min(sh - 1, y0 + 1);
      const ax = fx - x0;
      const ay = fy - y0;
      const o = (y * width + x) * 4;
      const i00 = (y0 * sw + x0) * 4;
      const i10 = (y0 * sw + x1) * 4;
      const i01 = (y1 * sw + x0) * 4;
      const i11 = (y1 * sw + x1) * 4;
      for (let c = 0; c < 3; c++) {
        const top = src[i00 + c]! + (src[i10 + c]! - src[i00 + c]!) * ax;
        const bottom = src[i01 + c]! + (src[i11 + c]! - src[i01 + c]!) * ax;
        out[o + c] = top + (bottom - top) * ay;
      }
      out[o + 3] = 255;
    }
  }
  return out;
}
