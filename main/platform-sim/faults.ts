/** Fault settings: validation (for POST /sim/faults and the CLI) and a seeded random source. */
import type { PlatformFaults } from './types.js';

const RATES = ['errorRate', 'rateLimitRate', 'dropAfterCommitRate'] as const;

/** Checks a PlatformFaults object from outside; returns a Chinese message naming the bad field. */
export function parseFaults(v: unknown): { ok: true; faults: PlatformFaults } | { ok: false; message: string } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, message: '故障设置应为 JSON 对象' };
  const o = v as Record<string, unknown>;
  const known = [...RATES, 'latencyMs', 'retryAfterSeconds', 'clockOffsetMs', 'partitioned'];
  for (const k of Object.keys(o)) if (!known.includes(k)) return { ok: false, message: `未知的故障设置 ${k}` };
  const out: PlatformFaults = {};
  for (const k of RATES) {
    const x = o[k];
    if (x === undefined) continue;
    if (typeof x !== 'number' || !(x >= 0 && x <= 1)) return { ok: false, message: `${k} 应为 0 到 1 之间的数` };
    out[k] = x;
  }
  const ints: [keyof PlatformFaults, number, number][] = [
    ['latencyMs', 0, 600_000],
    ['retryAfterSeconds', 0, 86_400],
    ['clockOffsetMs', -10 * 365 * 86_400_000, 10 * 365 * 86_400_000],
  ];
  for (const [k, min, max] of ints) {
    const x = o[k];
    if (x === undefined) continue;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
      return { ok: false, message: `${k} 应为 ${min} 到 ${max} 之间的整数` };
    }
    (out as Record<string, number>)[k] = x;
  }
  if (o.partitioned !== undefined) {
    if (typeof o.partitioned !== 'boolean') return { ok: false, message: 'partitioned 应为 true 或 false' };
    out.partitioned = o.partitioned;
  }
  return { ok: true, faults: out };
}

/** mulberry32: small, fast, good enough to decide which answers a fault hits, and repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
