/**
 * The `public:` section of a hall config: what citizens reach from their own phones (docs/phone.md).
 * Optional; without it the printed QR has no phone address to point at and the public pages are
 * served only on the hub's own (staff) listener.
 */
import { z } from 'zod';

export interface PublicConfig {
  /**
   * The address phones reach the hub's public pages at (e.g. the guest Wi-Fi address
   * `http://10.8.0.2:8890`); fills `{publicBaseUrl}` of `ticketText.qrUrl`.
   */
  baseUrl: string;
  /**
   * A second listener that serves only the public routes and pages (the guest Wi-Fi side), so the
   * staff API stays on the staff network. Absent = the public routes are served only beside the
   * staff API on the hub's own listener.
   */
  listen?: { host: string; port: number };
  /** Requests per address: a steady rate per minute and a burst (429 with Retry-After beyond). */
  rateLimit: { perMinute: number; burst: number };
  /** Days a rating code (扫码评价) stays valid after 办结. */
  ratingDays: number;
}

const BASE_HINT = '应写成 http(s)://主机[:端口][/路径]，不带 ? 和 #，例如 http://10.8.0.2:8890';

const baseUrl = z
  .string({ error: `应为文字。${BASE_HINT}` })
  .refine((s) => {
    try {
      const u = new URL(s.trim());
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.search && !u.hash && !u.username;
    } catch {
      return false;
    }
  }, BASE_HINT)
  .transform((s) => s.trim().replace(/\/+$/, ''));

export const publicSchema = z
  .object({
    baseUrl,
    listen: z
      .object({
        host: z.string().min(1, '监听地址不能为空（例如 0.0.0.0 或访客网络网卡的地址）'),
        port: z.number().int().min(1, '端口为 1 到 65535').max(65535, '端口为 1 到 65535'),
      })
      .strict()
      .optional(),
    rateLimit: z
      .object({
        perMinute: z.number().int().min(1, '每分钟至少 1 次').max(6000, '每分钟最多 6000 次').default(120),
        burst: z.number().int().min(1, '突发至少 1 次').max(1000, '突发最多 1000 次').default(60),
      })
      .strict()
      .default({ perMinute: 120, burst: 60 }),
    ratingDays: z.number().int().min(1, '评价码有效期至少 1 天').max(90, '评价码有效期最多 90 天').default(7),
  })
  .strict();

type Path = (string | number)[];

/**
 * Checks across sections: a ticket QR that points phones at `{publicBaseUrl}` needs the address,
 * and one that still carries the internal ticket id would make the printed code guessable.
 */
export function publicSemanticChecks(
  c: { public?: PublicConfig; ticketText: { qrUrl?: string } },
  report: (path: Path, message: string) => void,
): void {
  const qr = c.ticketText.qrUrl ?? '';
  if (qr.includes('{publicBaseUrl}') && !c.public)
    report(
      ['ticketText', 'qrUrl'],
      '号票二维码用了 {publicBaseUrl}，但大厅配置没有 public.baseUrl：请填写手机能访问的地址',
    );
  if (qr.includes('{ticketId}'))
    report(
      ['ticketText', 'qrUrl'],
      '号票二维码不要用内部编号 {ticketId}：请改用 {publicBaseUrl}/t/{ticketCode}（手机跟踪排队的页面）',
    );
  const l = c.public?.listen;
  if (l && c.public) {
    try {
      const u = new URL(c.public.baseUrl);
      const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
      // Behind a reverse proxy the ports differ on purpose; a plain set-up names the listener's.
      if (u.protocol === 'http:' && port !== l.port && u.hostname === l.host)
        report(['public', 'baseUrl'], `public.baseUrl 的端口 ${port} 与 public.listen.port ${l.port} 不一致`);
    } catch {
      // baseUrl was already refused by the schema.
    }
  }
}
