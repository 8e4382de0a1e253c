/**
 * The service catalogue (办事指南 and 好差评 reason codes) as the platform sends it
 * (platform-api.md `GET /api/v1/catalog`) and as the hub passes it on to the UIs. One schema: the
 * hub checks the platform's answer with it before caching, and the UIs' types come from it.
 * Fields a province leaves out get empty defaults, so a screen never meets `undefined`.
 */
import { z } from 'zod';

export const catalogueItem = z.object({
  taskCode: z.string().min(1),
  taskName: z.string(),
  deptName: z.string().default(''),
  category: z.string().default(''),
  /** 1 即办件, 2 承诺件. */
  caseType: z.coerce.number().int().default(1),
  promiseDays: z.coerce.number().int().min(0).default(0),
  materials: z.array(z.object({ name: z.string(), required: z.boolean().default(true) })).default([]),
  guide: z.string().default(''),
});

export const evaluationReason = z.object({
  code: z.string().min(1),
  text: z.string(),
  /** Platform satisfaction levels (1 = 非常不满意, 2 = 不满意) the reason applies to; absent: all. */
  forLevels: z.array(z.number().int().min(1).max(5)).optional(),
});

export const catalogue = z.object({
  version: z.coerce.string().default(''),
  items: z.array(catalogueItem),
  evaluationReasons: z.array(evaluationReason),
});

/** `GET /api/v1/catalog` of the hub: the cached catalogue and when it was fetched and checked. */
export const catalogueAnswer = catalogue.extend({
  fetchedAt: z.string().nullable(),
  checkedAt: z.string().nullable(),
  /** `local`: only the hall config's catalogue (no platform copy yet); `merged`: both (docs/documents.md). */
  source: z.enum(['platform', 'local', 'merged']).optional(),
});

export type Catalogue = z.output<typeof catalogue>;
export type CatalogueItem = z.output<typeof catalogueItem>;
export type EvaluationReason = z.output<typeof evaluationReason>;
