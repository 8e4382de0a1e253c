/**
 * Which web pages may call the hub from a browser: its own (the origin of the address the request
 * was sent to, `Host`) and the origins the hall config lists (`hub.allowedOrigins`). Requests
 * without `Origin` (terminal processes, scripts, same-origin GETs) are not a browser page acting
 * for someone else and are not judged here.
 */
import { normaliseOrigin } from '../../kiosk-config/hub-schema.js';

export function originAllowed(origin: string, host: string | undefined, listed: readonly string[]): boolean {
  const o = normaliseOrigin(origin);
  if (!o) return false; // `null` (a file or sandboxed page) and anything malformed
  if (host && (o === normaliseOrigin(`http://${host}`) || o === normaliseOrigin(`https://${host}`))) return true;
  return listed.includes(o);
}
