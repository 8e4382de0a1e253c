/**
 * What a shell window may reach: only the terminal's own origin (the local server on 127.0.0.1
 * that serves the role pages and forwards their calls to the hub). Every Electron hook that could
 * take a page elsewhere — navigation, redirects, `window.open`, downloads, permission prompts,
 * external links — asks one of these functions, so the rule lives in one place and is tested
 * without Electron. Each answer is "no" unless the rule names the case.
 */

/** The origin an address belongs to (`http://127.0.0.1:8801`), or null for anything not http(s). */
export function originOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  // Credentials in an address are a classic way to disguise where it really goes.
  if (u.username !== '' || u.password !== '') return null;
  return u.origin;
}

/**
 * The terminal's origin as the policy compares it. Throws for anything that is not a bare
 * http(s) origin: a wrong setting must stop the shell, not widen what it allows.
 */
export function ownOrigin(setting: string): string {
  const origin = originOf(setting);
  if (origin === null || new URL(setting).pathname.replace(/\/$/, '') !== '')
    throw new Error(`SHELL_ORIGIN 终端页面地址应为 http://主机:端口（不带路径），现为 ${JSON.stringify(setting)}`);
  return origin;
}

/** Exactly the same scheme, host and port (`localhost` ≠ `127.0.0.1`, `:8801` ≠ `:8802`). */
export function isOwnOrigin(url: string, own: string): boolean {
  return originOf(url) === own;
}

/** `will-navigate`, `will-redirect`, `will-frame-navigate`: only within the own origin. */
export function mayNavigate(url: string, own: string): boolean {
  return isOwnOrigin(url, own);
}

/** `setWindowOpenHandler`: never a new window; a link to elsewhere is not handed to the OS either. */
export function windowOpenAnswer(): { action: 'deny' } {
  return { action: 'deny' };
}

/** `will-download`: a terminal never saves files a page offers. */
export function mayDownload(): false {
  return false;
}

/**
 * `shell.openExternal`: only addresses whose exact origin is listed as trusted (https only). The
 * shell passes an empty list, so it never opens anything; the function exists so that any future
 * caller has to name what it trusts.
 */
export function mayOpenExternal(url: string, trustedOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  if (origin === null) return false;
  return origin.startsWith('https://') && trustedOrigins.includes(origin);
}

export interface PermissionAsk {
  permission: string;
  /** `details.requestingUrl` of a request, or the `requestingOrigin` of a check. */
  requestingUrl: string;
  /** For `media`: what the page wants (`getUserMedia` for the document camera). */
  mediaTypes?: readonly string[];
}

/**
 * `setPermissionRequestHandler` and `setPermissionCheckHandler`: everything is refused except
 * camera and microphone (`media`) for the own origin — the 高拍仪 is a UVC camera the counter
 * page opens with getUserMedia.
 */
export function mayGrantPermission(ask: PermissionAsk, own: string): boolean {
  if (ask.permission !== 'media') return false;
  if (!isOwnOrigin(ask.requestingUrl, own)) return false;
  return (ask.mediaTypes ?? []).every((t) => t === 'video' || t === 'audio');
}

/** Used when a page from the own origin arrives without a policy of its own. */
export const SHELL_DEFAULT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * `session.webRequest.onHeadersReceived` for documents: a page that brings a
 * Content-Security-Policy keeps it (the page server knows its page best); one without gets the
 * shell's deny-by-default policy, so no page in a shell window runs without one.
 */
export function withContentSecurityPolicy(
  headers: Readonly<Record<string, string[]>>,
  resourceType: string,
): Record<string, string[]> {
  const out = { ...headers };
  if (resourceType !== 'mainFrame' && resourceType !== 'subFrame') return out;
  const has = Object.keys(out).some((k) => k.toLowerCase() === 'content-security-policy');
  if (!has) out['Content-Security-Policy'] = [SHELL_DEFAULT_CSP];
  return out;
}
