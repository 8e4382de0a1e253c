import { describe, expect, it } from 'vitest';
import {
  type GrayImage,
  grayThumbnail,
  otsuThreshold,
  type Quad,
  scaleQuad,
  suggestCorners,
} from './document-edges.js';
import { FIRST_STEP, MIN_LONG_SIDE, nextEncodeStep, PAGE_TARGET_BYTES } from './page-size.js';
import { sourcePoint, squareToQuad, warpQuad, warpSize } from './page-warp.js';

/** Whether (x, y) lies inside the convex quad (corners clockwise on screen). */
function inside(q: Quad, x: number, y: number): boolean {
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    if ((b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x) < 0) return false;
  }
  return true;
}

/** A dark desk with a white page (quad) carrying dark text-like lines, some noise. */
function deskWithPage(w: number, h: number, page: Quad): GrayImage {
  const data = new Uint8Array(w * h);
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed / 0x7fffffff) * 16;
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 40 + rnd();
      if (inside(page, x + 0.5, y + 0.5)) v = y % 12 < 3 && x % 40 < 30 ? 50 : 225 + rnd() / 2;
      data[y * w + x] = v;
    }
  }
  return { width: w, height: h, data };
}

const near = (q: Quad | null, want: Quad, tol: number) => {
  expect(q).not.toBeNull();
  q!.forEach((p, i) => {
    expect(Math.abs(p.x - want[i]!.x)).toBeLessThanOrEqual(tol);
    expect(Math.abs(p.y - want[i]!.y)).toBeLessThanOrEqual(tol);
  });
};

describe('document edge suggestion', () => {
  it('finds the corners of a page lying straight or askew on a dark desk', () => {
    const straight: Quad = [
      { x: 40, y: 30 },
      { x: 200, y: 30 },
      { x: 200, y: 250 },
      { x: 40, y: 250 },
    ];
    near(suggestCorners(deskWithPage(256, 280, straight)), straight, 2);
    const askew: Quad = [
      { x: 60, y: 20 },
      { x: 220, y: 45 },
      { x: 190, y: 260 },
      { x: 30, y: 235 },
    ];
    near(suggestCorners(deskWithPage(256, 280, askew)), askew, 3);
  });

  it('suggests nothing for an empty desk or a page filling the frame', () => {
    const empty = deskWithPage(100, 100, [
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 1, y: 1 },
      { x: 0, y: 1 },
    ]);
    expect(suggestCorners(empty)).toBeNull();
    const full = { width: 50, height: 50, data: new Uint8Array(2500).fill(230) };
    expect(suggestCorners(full)).toBeNull();
  });

  it('makes a gray thumbnail by box averaging, and Otsu splits desk from paper', () => {
    const rgba = new Uint8Array(8 * 4 * 4);
    for (let i = 0; i < 32; i++) rgba.set(i % 8 < 4 ? [0, 0, 0, 255] : [255, 255, 255, 255], i * 4);
    const t = grayThumbnail(rgba, 8, 4, 4);
    expect(t).toMatchObject({ width: 4, height: 2, scale: 2 });
    expect([...t.data]).toEqual([0, 0, 255, 255, 0, 0, 255, 255]);
    const th = otsuThreshold(t);
    expect(th).toBeGreaterThanOrEqual(0);
    expect(th).toBeLessThan(255);
    expect(
      scaleQuad(
        [
          { x: 1, y: 1 },
          { x: 9, y: 1 },
          { x: 9, y: 9 },
          { x: 1, y: 9 },
        ],
        2,
        16,
        16,
      )[2],
    ).toEqual({ x: 16, y: 16 });
  });
});

describe('four-corner crop', () => {
  it('maps the unit square onto the quad', () => {
    const q: Quad = [
      { x: 10, y: 5 },
      { x: 110, y: 20 },
      { x: 100, y: 140 },
      { x: 0, y: 120 },
    ];
    const m = squareToQuad(q);
    const corners = [sourcePoint(m, 0, 0), sourcePoint(m, 1, 0), sourcePoint(m, 1, 1), sourcePoint(m, 0, 1)];
    corners.forEach((p, i) => {
      expect(p.x).toBeCloseTo(q[i]!.x, 6);
      expect(p.y).toBeCloseTo(q[i]!.y, 6);
    });
    // The longer of each pair of opposite edges: hypot(100, 20) and hypot(10, 120).
    expect(warpSize(q, 10_000)).toEqual({ width: 102, height: 120 });
    expect(warpSize(q, 100).height).toBe(100);
  });

  it('straightens a page: what was inside the quad fills the output, the desk is gone', () => {
    const w = 120;
    const h = 100;
    const q: Quad = [
      { x: 30, y: 10 },
      { x: 100, y: 20 },
      { x: 90, y: 90 },
      { x: 20, y: 80 },
    ];
    const src = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const v = inside(q, x + 0.5, y + 0.5) ? 240 : 20;
        src.set([v, v, v, 255], (y * w + x) * 4);
      }
    const out = warpQuad(src, w, h, q, 60, 60);
    let dark = 0;
    for (let y = 2; y < 58; y++) for (let x = 2; x < 58; x++) if (out[(y * 60 + x) * 4]! < 128) dark++;
    expect(dark).toBe(0);
    expect(out[3]).toBe(255);
  });
});

describe('page size target', () => {
  it('lowers quality first, then the scale, never below the readable floor', () => {
    expect(nextEncodeStep(FIRST_STEP, PAGE_TARGET_BYTES, 2400)).toBeNull();
    let s = FIRST_STEP;
    const seen = [];
    for (let i = 0; i < 20; i++) {
      const n = nextEncodeStep(s, 2 * PAGE_TARGET_BYTES, 2400);
      if (!n) break;
      seen.push(n);
      s = n;
    }
    expect(seen.slice(0, 3).map((x) => x.scale)).toEqual([1, 1, 1]);
    expect(seen[3]!.scale).toBeLessThan(1);
    expect(s.scale * 2400).toBeGreaterThanOrEqual(MIN_LONG_SIDE - 1e-9);
    // A page already at the floor stays there (over the target rather than unreadable).
    expect(nextEncodeStep({ quality: 0.55, scale: 1 }, 2 * PAGE_TARGET_BYTES, 1200)).toBeNull();
  });
});
