/**
 * The catalogue the hub serves and prints from: the platform's cached copy merged with the hall's
 * local catalogue (common/catalogue-merge.ts), so names and materials are there from the first
 * minute and the platform's word wins once it has arrived.
 */
import { type HallCatalogue, mergeCatalogue } from '../../common/catalogue-merge.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import type { CatalogueCache } from './catalogue.js';

export type { HallCatalogue } from '../../common/catalogue-merge.js';

export function hallCatalogue(cache: Pick<CatalogueCache, 'get'> | null, config: HallConfig): HallCatalogue | null {
  return mergeCatalogue(cache?.get()?.catalogue ?? null, config.catalogue ?? null);
}
