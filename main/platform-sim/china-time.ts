/**
 * The platform lives in China Standard Time (UTC+8, no daylight saving), so a fixed offset is exact
 * and needs no time-zone database.
 */
const OFFSET_MS = 8 * 3600_000;

/** ISO 8601 with +08:00, e.g. 2026-11-23T09:30:05.123+08:00. */
export function isoChina(ms: number): string {
  return `${new Date(ms + OFFSET_MS).toISOString().slice(0, 23)}+08:00`;
}

/** yyyyMMdd of the China calendar day. */
export function yyyymmddChina(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** YYYY-MM-DD of the China calendar day. */
export function dayChina(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** True for an ISO 8601 date-time with an explicit offset (Z counts) that names a real instant. */
export function isIsoWithOffset(v: unknown): v is string {
  return typeof v === 'string' && ISO_WITH_OFFSET.test(v) && Number.isFinite(Date.parse(v));
}
