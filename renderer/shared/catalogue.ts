/**
 * The service catalogue (事项: materials, promise days, guide) and the 差评 reason codes, as the
 * hub relays them from the provincial platform. The hub side arrives with the sync work; until it
 * answers, callers get `null` and fall back (built-in reasons, the hall's own service list).
 */
import type { Catalogue, CatalogueItem, EvaluationReason } from '../../common/api/catalogue.js';
import type { HubClient } from './hub-client.js';

export type { Catalogue, CatalogueItem, EvaluationReason };

let cached: { at: number; value: Promise<Catalogue | null>; ttl: number } | null = null;

/**
 * The catalogue, fetched at most once per 10 minutes per page (it changes rarely); a miss is
 * retried after 30 s, since the hub may fetch it from the platform any moment.
 */
export function loadCatalogue(client: HubClient, now = Date.now()): Promise<Catalogue | null> {
  if (cached && now - cached.at < cached.ttl) return cached.value;
  const entry = { at: now, value: fetchCatalogue(client), ttl: 30_000 };
  cached = entry;
  void entry.value.then((c) => {
    if (c) entry.ttl = 10 * 60_000;
  });
  return entry.value;
}

async function fetchCatalogue(client: HubClient): Promise<Catalogue | null> {
  try {
    return await client.call('catalog');
  } catch {
    // 503 before the first pull from the platform, or the hub unreachable: the caller shows the fallback.
    return null;
  }
}

/**
 * Reasons shown when the platform's codes are not available yet (codes prefixed `L` = local, so
 * the sync can map or pass them as text). Wording from common provincial 好差评 reason lists.
 */
export const BUILT_IN_REASONS: EvaluationReason[] = [
  { code: 'L01', text: '等候时间太长', forLevels: [1, 2] },
  { code: 'L02', text: '服务态度不好', forLevels: [1, 2] },
  { code: 'L03', text: '办理效率低', forLevels: [1, 2] },
  { code: 'L04', text: '一次性告知不清楚', forLevels: [1, 2] },
  { code: 'L05', text: '要求提供不必要的材料', forLevels: [1, 2] },
  { code: 'L06', text: '多次跑腿仍未办成', forLevels: [1, 2] },
  { code: 'L07', text: '窗口环境或设施不便', forLevels: [1, 2] },
  { code: 'L08', text: '其他问题', forLevels: [1, 2] },
];

/** Platform satisfaction number (1 = 非常不满意 … 5 = 非常满意) of a 差评 level. */
export function platformLevel(level: 'dissatisfied' | 'very_dissatisfied'): number {
  return level === 'very_dissatisfied' ? 1 : 2;
}

export function reasonsFor(
  level: 'dissatisfied' | 'very_dissatisfied',
  cat: Pick<Catalogue, 'evaluationReasons'> | null,
): EvaluationReason[] {
  const list = cat?.evaluationReasons.length ? cat.evaluationReasons : BUILT_IN_REASONS;
  const n = platformLevel(level);
  return list.filter((r) => !r.forLevels || r.forLevels.includes(n));
}

/**
 * A 事项 as people read it: the name recorded with the case, else the catalogue's name, else the
 * hall service that lists the code (`社保医保：1133…`), else the bare code.
 */
export function taskLabel(
  code: string | null | undefined,
  recordedName: string | null | undefined,
  known: {
    catalogue?: { items: readonly Pick<CatalogueItem, 'taskCode' | 'taskName'>[] } | null;
    services?: readonly { code: string; name: string }[];
    /** Service code → its 事项 codes (`GET /hall/settings` `tasks`). */
    tasks?: Readonly<Record<string, readonly string[]>>;
  },
): string {
  if (recordedName) return recordedName;
  if (!code) return '—';
  const fromCatalogue = known.catalogue?.items.find((i) => i.taskCode === code)?.taskName;
  if (fromCatalogue) return fromCatalogue;
  const serviceCode = Object.entries(known.tasks ?? {}).find(([, codes]) => codes.includes(code))?.[0];
  const service = serviceCode ? known.services?.find((s) => s.code === serviceCode) : undefined;
  return service ? `${service.name}：${code}` : code;
}
