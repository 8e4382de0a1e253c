/**
 * The size target of a scanned page: at most 500 KB while the text stays readable. The page is
 * encoded as JPEG at falling quality first, then at a smaller scale, never below a floor that
 * keeps small print legible on A4 (about 150 dpi across the long side). Pure: the caller encodes.
 */

export const PAGE_TARGET_BYTES = 500 * 1024;
/** 11.7 in × ~150 dpi: the long side under which small print on A4 stops being readable. */
export const MIN_LONG_SIDE = 1700;

export interface EncodeStep {
  quality: number;
  /** Factor on the cropped page's size (1 = as cropped). */
  scale: number;
}

const QUALITIES = [0.85, 0.75, 0.65, 0.55];

export const FIRST_STEP: EncodeStep = { quality: QUALITIES[0]!, scale: 1 };

/**
 * The next encoding to try after one of `bytes`, or null when this one is the answer (small
 * enough, or nothing smaller keeps the text readable — then the last is kept, over the target).
 */
export function nextEncodeStep(
  step: EncodeStep,
  bytes: number,
  longSide: number,
  target = PAGE_TARGET_BYTES,
): EncodeStep | null {
  if (bytes <= target) return null;
  const qi = QUALITIES.indexOf(step.quality);
  if (qi >= 0 && qi < QUALITIES.length - 1) return { quality: QUALITIES[qi + 1]!, scale: step.scale };
  const minScale = Math.min(1, MIN_LONG_SIDE / longSide);
  if (step.scale <= minScale) return null;
  // Bytes go roughly with the area: aim for the target, at most a fifth smaller per step.
  const want = step.scale * Math.sqrt(target / bytes) * 0.95;
  return { quality: QUALITIES[1]!, scale: Math.max(minScale, Math.min(step.scale * 0.8, want)) };
}
