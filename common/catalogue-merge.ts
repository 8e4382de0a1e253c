/**
 * The catalogue the hall works with: the platform's (when the sync has fetched one) merged with the
 * hall's local catalogue from its config. The rule (docs/documents.md):
 * - a 事项 the platform lists is taken from the platform as a whole (name, materials, promise days
 *   — the platform is the authority on 办事指南; fields are not mixed from two sources);
 * - a 事项 only the local catalogue lists stays, so a code the province has not published yet, or
 *   a platform that is not reachable, never leaves a screen with a bare 31-character code;
 * - the 好差评 reasons are the platform's (the local catalogue has none).
 * Pure, so the hub, the documents and the tests share one rule.
 */
import type { Catalogue, CatalogueItem } from './api/catalogue.js';

export type CatalogueSource = 'platform' | 'local' | 'merged';

export interface HallCatalogue {
  catalogue: Catalogue;
  /** Where the items came from: only one side, or both. */
  source: CatalogueSource;
  /** Codes whose item came from the local catalogue. */
  localCodes: ReadonlySet<string>;
}

export function mergeCatalogue(
  platform: Catalogue | null,
  local: { version: string; items: readonly CatalogueItem[] } | null | undefined,
): HallCatalogue | null {
  const localItems = local?.items ?? [];
  if (!platform && !local) return null;
  if (!platform) {
    return {
      catalogue: { version: local?.version ?? '', items: [...localItems], evaluationReasons: [] },
      source: 'local',
      localCodes: new Set(localItems.map((i) => i.taskCode)),
    };
  }
  const listed = new Set(platform.items.map((i) => i.taskCode));
  const onlyLocal = localItems.filter((i) => !listed.has(i.taskCode));
  return {
    catalogue: { ...platform, items: [...platform.items, ...onlyLocal] },
    source: onlyLocal.length ? 'merged' : 'platform',
    localCodes: new Set(onlyLocal.map((i) => i.taskCode)),
  };
}

/** One 事项 of the merged catalogue, or null. */
export function catalogueItemOf(c: HallCatalogue | null, taskCode: string): CatalogueItem | null {
  return c?.catalogue.items.find((i) => i.taskCode === taskCode) ?? null;
}
