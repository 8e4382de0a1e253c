/**
 * The service catalogue (办事指南, evaluation reason codes) pulled from the platform with ETag,
 * at start and periodically. The last good copy lives in SQLite and is served to kiosks while the
 * platform is unreachable; a bad answer never replaces a good copy.
 */
import type Database from 'better-sqlite3';
import { type Catalogue, catalogue } from '../../common/api/catalogue.js';
import type { HallDatabase } from '../store/database.js';
import type { PlatformClient } from './platform-client.js';

export type { Catalogue, CatalogueItem } from '../../common/api/catalogue.js';

export interface CachedCatalogue {
  catalogue: Catalogue;
  etag: string | null;
  fetchedAt: number;
  checkedAt: number;
}

export type PullResult = 'updated' | 'unchanged' | { error: string };

/** The platform's catalogue checked against the contract's schema; null for anything else. */
export function parseCatalogue(text: string): Catalogue | null {
  try {
    const r = catalogue.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export class CatalogueCache {
  private readonly db: Database.Database;
  private memo: CachedCatalogue | null | undefined;

  constructor(handle: HallDatabase) {
    this.db = handle.db;
  }

  private codesOf: { from: CachedCatalogue; codes: Map<string, string> } | null = null;

  /** Reason codes of the cached catalogue with their texts; null when no catalogue is known. */
  reasonCodes(): ReadonlyMap<string, string> | null {
    const c = this.get();
    if (!c) return null;
    if (this.codesOf?.from !== c) {
      this.codesOf = { from: c, codes: new Map(c.catalogue.evaluationReasons.map((r) => [r.code, r.text])) };
    }
    return this.codesOf.codes;
  }

  get(): CachedCatalogue | null {
    if (this.memo !== undefined) return this.memo;
    const r = this.db.prepare('SELECT * FROM catalogue WHERE id = 1').get() as Record<string, unknown> | undefined;
    const parsed = r ? parseCatalogue(r.body as string) : null;
    this.memo =
      r && parsed
        ? {
            catalogue: parsed,
            etag: r.etag as string | null,
            fetchedAt: r.fetched_at as number,
            checkedAt: r.checked_at as number,
          }
        : null;
    return this.memo;
  }

  store(body: string, catalogue: Catalogue, etag: string | null, now: number): void {
    this.db
      .prepare(
        `INSERT INTO catalogue (id, etag, version, body, fetched_at, checked_at) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET etag = excluded.etag, version = excluded.version, body = excluded.body,
           fetched_at = excluded.fetched_at, checked_at = excluded.checked_at`,
      )
      .run(etag, catalogue.version, body, now, now);
    this.memo = { catalogue, etag, fetchedAt: now, checkedAt: now };
  }

  touch(now: number): void {
    this.db.prepare('UPDATE catalogue SET checked_at = ? WHERE id = 1').run(now);
    if (this.memo) this.memo = { ...this.memo, checkedAt: now };
  }

  /** One pull: 304 keeps the copy, 200 replaces it when it parses, anything else keeps it too. */
  async pull(client: PlatformClient, now: () => number): Promise<PullResult> {
    const cur = this.get();
    let out = await client.getCatalog(cur?.etag ?? null);
    if (out.kind === 'skew' || out.kind === 'replay') {
      if (out.kind === 'skew') client.clock.correct(out.serverTime, out.sentAt, out.receivedAt);
      out = await client.getCatalog(cur?.etag ?? null);
    }
    if (out.kind !== 'ok') {
      const why =
        out.kind === 'transient'
          ? out.reason
          : out.kind === 'auth' || out.kind === 'malformed'
            ? `平台拒绝（${out.code}）`
            : out.kind === 'skew'
              ? '时钟偏差（CLOCK_SKEW）'
              : '随机数重复（REPLAY）';
      return { error: `获取事项目录失败：${why}` };
    }
    if (out.value === null) {
      this.touch(now());
      return 'unchanged';
    }
    const parsed = parseCatalogue(out.value.body);
    if (!parsed) return { error: '平台返回的事项目录格式不对，继续使用上一份' };
    this.store(out.value.body, parsed, out.value.etag, now());
    return 'updated';
  }
}
