/**
 * Where the terminal's updater reads releases: the paired hub's `GET /api/v1/updates/{file}`,
 * with the terminal's token in the `Authorization` header — never in the address, so it is in no
 * URL the updater logs — and one byte range per request (the hub serves single ranges).
 */
import { ROUTE_ADDRESSES } from '../../common/api/addresses.js';

/** The base every release file name is appended to: `http://hub:8800/api/v1/updates/`. */
export function updateFeedUrl(hubUrl: string): string {
  const base = new URL(hubUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`中枢地址不是 http(s)：${hubUrl}`);
  const path = ROUTE_ADDRESSES.updateFile.path.replace('{file}', '');
  return new URL(`/api/v1${path}`, base).href;
}

/** electron-updater's generic provider options for the hub. */
export function updateFeed(hubUrl: string) {
  return { provider: 'generic' as const, url: updateFeedUrl(hubUrl), useMultipleRangeRequest: false };
}

export const authorizationHeader = (token: string) => ({ authorization: `Bearer ${token}` });

/** Text with every secret blanked out (a message of the updater, an error from it). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('***');
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1***');
}

/** A logger for electron-updater that never writes the token, even if a message carried it. */
export function redactingLogger(
  log: (event: string, detail: Record<string, unknown>) => void,
  secrets: () => readonly string[],
) {
  const line = (level: string) => (message?: unknown) =>
    log('updater', { level, message: redact(String(message instanceof Error ? message.message : message), secrets()) });
  return { info: line('info'), warn: line('warn'), error: line('error'), debug: line('debug') };
}
