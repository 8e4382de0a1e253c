/**
 * Wall-clock arithmetic in the hall's time zone, with Intl only (no tz database of our own).
 * The business day is the local calendar date; it rolls over at local midnight.
 */

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

// Intl formatting costs microseconds per call and every command asks for the local time several
// times: remember the last answer per zone for the same wall-clock second.
const lastParts = new Map<string, { second: number; parts: LocalParts }>();

export function localParts(ms: number, timeZone: string): LocalParts {
  const second = Math.floor(ms / 1000);
  const hit = lastParts.get(timeZone);
  if (hit && hit.second === second) return hit.parts;
  const parts = computeLocalParts(ms, timeZone);
  lastParts.set(timeZone, { second, parts });
  return parts;
}

function computeLocalParts(ms: number, timeZone: string): LocalParts {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS[out.weekday ?? 'Mon'] ?? 1,
  };
}

/** Offset of the zone from UTC at that instant, in minutes (Asia/Shanghai: +480). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "YYYY-MM-DD" of the local date. */
export function businessDayOf(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** Instant of local midnight that starts the given business day. */
export function startOfDay(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  // Guess with the offset at UTC midnight, then correct once for a DST change around it.
  let guess = Date.UTC(y, m - 1, d) - offsetMinutes(Date.UTC(y, m - 1, d), timeZone) * 60000;
  guess = Date.UTC(y, m - 1, d) - offsetMinutes(guess, timeZone) * 60000;
  return guess;
}

/** The next local midnight strictly after `ms`. */
export function nextMidnight(ms: number, timeZone: string): number {
  const day = businessDayOf(ms, timeZone);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return startOfDay(next.toISOString().slice(0, 10), timeZone);
}

/** ISO 8601 with the hall's offset, e.g. "2026-11-23T09:30:00.000+08:00". */
export function isoInZone(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  const off = offsetMinutes(ms, timeZone);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const millis = pad(((ms % 1000) + 1000) % 1000, 3);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${millis}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** Minutes since local midnight and ISO weekday: what opening hours are checked against. */
export function localTimeOfDay(ms: number, timeZone: string): { weekday: number; minutes: number; hour: number } {
  const p = localParts(ms, timeZone);
  return { weekday: p.weekday, minutes: p.hour * 60 + p.minute, hour: p.hour };
}

/** "HH:MM" → minutes since midnight. */
export function parseTimeOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Days between two business days (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}
