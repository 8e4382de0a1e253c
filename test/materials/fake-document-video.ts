/**
 * A video of a document lying on a desk, for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`): a y4m file (YUV 4:2:0) of one frame, which Chromium
 * loops — a dark desk, a white page slightly askew, rows of dark text-like marks and a heading bar.
 */
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

export interface FakePage {
  width: number;
  height: number;
  /** The page's corners on the frame: top-left, top-right, bottom-right, bottom-left. */
  corners: [number, number][];
}

export const DOCUMENT_VIDEO: FakePage = {
  width: 1280,
  height: 960,
  corners: [
    [380, 70],
    [960, 110],
    [910, 900],
    [330, 860],
  ],
};

function inside(c: [number, number][], x: number, y: number): boolean {
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = c[i]!;
    const [bx, by] = c[(i + 1) % 4]!;
    if ((bx - ax) * (y - ay) - (by - ay) * (x - ax) < 0) return false;
  }
  return true;
}

/** Page coordinates (0..1 across and down) of a frame point inside the page, by bilinear inversion along its edges. */
function pageUV(c: [number, number][], x: number, y: number): [number, number] {
  // Good enough for a near-rectangle: project onto the top edge and the left edge.
  const [x0, y0] = c[0]!;
  const [x1, y1] = c[1]!;
  const [x3, y3] = c[3]!;
  const ux = x1 - x0;
  const uy = y1 - y0;
  const vx = x3 - x0;
  const vy = y3 - y0;
  const det = ux * vy - uy * vx;
  return [((x - x0) * vy - (y - y0) * vx) / det, (ux * (y - y0) - uy * (x - x0)) / det];
}

/** Writes the y4m file; returns the luma of the frame (for checks). */
export function writeDocumentVideo(path: string, p: FakePage = DOCUMENT_VIDEO): void {
  const { width: w, height: h } = p;
  const Y = Buffer.alloc(w * h);
  let seed = 11;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      let v = 38 + (seed % 14);
      if (inside(p.corners, x, y)) {
        const [u, t] = pageUV(p.corners, x, y);
        v = 232;
        // A heading bar, then lines of "words" with gaps, like a printed form.
        if (t > 0.06 && t < 0.1 && u > 0.25 && u < 0.75) v = 30;
        else if (t > 0.15 && t < 0.92) {
          const line = (t - 0.15) / 0.035;
          const inLine = line - Math.floor(line) < 0.4;
          const word = Math.floor(u * 24 + Math.floor(line) * 7) % 5 !== 0;
          if (inLine && word && u > 0.08 && u < 0.92) v = 45;
        }
      }
      Y[y * w + x] = v;
    }
  }
  const uv = Buffer.alloc((w / 2) * (h / 2), 128);
  const header = `YUV4MPEG2 W${w} H${h} F5:1 Ip A1:1 C420jpeg\n`;
  writeFileSync(path, Buffer.concat([Buffer.from(header), Buffer.from('FRAME\n'), Y, uv, uv]));
}

/**
 * Waits until the capture dialog's preview shows frames of the fake camera. A function predicate,
 * not a string: the page's CSP forbids eval, which a string predicate is polled with.
 */
export async function previewPlaying(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const d = (globalThis as unknown as { document: { querySelector(s: string): { videoWidth: number } | null } })
      .document;
    return (d.querySelector('video.c-capture-video')?.videoWidth ?? 0) > 0;
  });
}
