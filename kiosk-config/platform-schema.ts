/**
 * The `platform:` section of a hall config: where the provincial platform is and how the hall
 * talks to it (docs/sync.md). Optional: without it (and without --platform-url) the hall runs
 * normally and its outbox simply waits. `url` and `secretFile` may also come from the command line.
 */
import { z } from 'zod';

export interface PlatformConfig {
  /** Base URL of the platform, e.g. https://zwfw.example.gov.cn */
  url?: string;
  /** X-Hall-Code when the platform knows the hall by another code than `hall.code`. */
  hallCode?: string;
  /** 行政区划代码 sent with cases; defaults to `hall.areaCode`. */
  areaCode?: string;
  /** File holding the shared secret (one line); relative paths are read from the config's folder. */
  secretFile?: string;
  alg: 'HMAC-SHA256' | 'HMAC-SM3';
  /** Records per request, 1–500. */
  batchSize: number;
  /** Poll interval while the outbox is empty, ms. */
  intervalMs: number;
  requestTimeoutMs: number;
  backoff: { baseMs: number; maxMs: number };
  /** Over either threshold the hub emits `sync.alarm`; back under both, `clear`. */
  alarm: { pending: number; oldestSeconds: number };
  /** How often the service catalogue is checked (ETag), minutes. */
  catalogueRefreshMinutes: number;
}

const int = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what}应为数字` })
    .int(`${what}应为整数`)
    .min(min, `${what}至少为 ${min}`)
    .max(max, `${what}最多为 ${max}`);

export const platformSchema = z
  .object({
    url: z
      .string({ error: '平台地址应为文字' })
      .regex(/^https?:\/\/[^\s]+$/, '平台地址应以 http:// 或 https:// 开头')
      .optional(),
    hallCode: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, '平台大厅编码只能包含字母、数字、下划线和连字符，1 到 32 位')
      .optional(),
    areaCode: z
      .union([z.string(), z.number()])
      .transform(String)
      .pipe(z.string().regex(/^\d{6,9}$/, '行政区划代码应为 6 到 9 位数字'))
      .optional(),
    secretFile: z.string().min(1, '密钥文件路径不能为空').optional(),
    alg: z.enum(['HMAC-SHA256', 'HMAC-SM3'], { error: '签名算法应为 HMAC-SHA256 或 HMAC-SM3' }).default('HMAC-SHA256'),
    batchSize: int('每批记录数', 1, 500).default(200),
    intervalMs: int('轮询间隔（毫秒）', 10, 3_600_000).default(2000),
    requestTimeoutMs: int('请求超时（毫秒）', 100, 600_000).default(30_000),
    backoff: z
      .object({
        baseMs: int('退避起点（毫秒）', 1, 3_600_000).default(1000),
        maxMs: int('退避上限（毫秒）', 1, 86_400_000).default(300_000),
      })
      .strict()
      .default({ baseMs: 1000, maxMs: 300_000 }),
    alarm: z
      .object({
        pending: int('积压告警条数', 1, 100_000_000).default(1000),
        oldestSeconds: int('积压告警时长（秒）', 1, 365 * 86400).default(3600),
      })
      .strict()
      .default({ pending: 1000, oldestSeconds: 3600 }),
    catalogueRefreshMinutes: int('事项目录刷新间隔（分钟）', 1, 10080).default(60),
  })
  .strict();

/** Defaults for a platform given only on the command line. */
export const defaultPlatformConfig = (): PlatformConfig => platformSchema.parse({}) as PlatformConfig;
