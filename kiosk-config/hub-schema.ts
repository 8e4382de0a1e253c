/**
 * The `hub:` section of a hall config: what the hub accepts from outside its own pages. Optional;
 * without it the hub answers browsers only on pages it served itself (its own origin).
 */
import { z } from 'zod';

export interface HubConfig {
  /**
   * Web origins (`http(s)://host[:port]`) besides the hub's own whose pages may call the API from
   * a browser, e.g. a hall's own intranet portal. Requests from any other page are refused (403).
   */
  allowedOrigins: string[];
}

const ORIGIN_HINT = '来源应写成 http(s)://主机[:端口]，不带路径，例如 http://192.168.1.20:8800';

/** An origin as browsers send it in the `Origin` header: scheme, host and port, nothing else. */
export function normaliseOrigin(text: string): string | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.username || u.password || u.search || u.hash || u.pathname !== '/' || /[?#]$/.test(text)) return null;
  // Lower case, no default port, no trailing slash: as a browser writes it.
  return u.origin;
}

const origin = z
  .string({ error: `应为文字。${ORIGIN_HINT}` })
  .refine((s) => s.trim() !== '*', '不能写 *（允许任何网页）：请逐个列出允许的来源')
  .refine((s) => s.trim() === '*' || normaliseOrigin(s.trim()) !== null, ORIGIN_HINT)
  .transform((s) => normaliseOrigin(s.trim()) ?? s);

export const hubSchema = z
  .object({
    allowedOrigins: z.array(origin).max(50, '最多列出 50 个来源').default([]),
  })
  .strict();
