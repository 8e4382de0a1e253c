/**
 * The hall's local catalogue (`catalogue:` of a hall config, inline or in a file beside it): the
 * names, materials and promise days of the hall's 事项, so the counter, the kiosk, the admin
 * console and the printed documents show names — never bare 31-character codes — from the first
 * minute, before (and without) the provincial platform's catalogue. How it is merged with the
 * platform's: common/catalogue-merge.ts and docs/documents.md.
 */
import { z } from 'zod';

export interface LocalCatalogueItem {
  taskCode: string;
  taskName: string;
  deptName: string;
  category: string;
  /** 1 即办件, 2 承诺件. */
  caseType: number;
  /** 承诺时限 in working days (0 = 当场办结). */
  promiseDays: number;
  materials: { name: string; required: boolean }[];
  guide: string;
}

export interface LocalCatalogue {
  /** The file the items came from (relative to the hall config, as written); absent when inline. */
  file?: string;
  version: string;
  items: LocalCatalogueItem[];
}

const material = z.union([
  z
    .string({ error: '材料应为名称，或 { name, required }' })
    .min(1, '材料名称不能为空')
    .transform((name) => ({ name, required: true })),
  z
    .object({
      name: z.string({ error: '材料名称必填' }).min(1, '材料名称不能为空'),
      required: z.boolean({ error: 'required 应为 true 或 false' }).default(true),
    })
    .strict(),
]);

export const localCatalogueItem = z
  .object({
    taskCode: z
      .string({ error: '事项编码（实施编码）必填，应为文字（写在引号里）' })
      .min(1, '事项编码不能为空')
      .max(40, '事项编码最多 40 位'),
    taskName: z.string({ error: '事项名称必填' }).min(1, '事项名称不能为空').max(100, '事项名称最多 100 字'),
    deptName: z.string({ error: '实施部门应为文字' }).default(''),
    category: z.string({ error: '类别应为文字' }).default(''),
    caseType: z.union([z.literal(1), z.literal(2)], { error: 'caseType 应为 1（即办件）或 2（承诺件）' }).default(1),
    promiseDays: z
      .number({ error: '承诺时限应为工作日天数' })
      .int('承诺时限应为整数个工作日')
      .min(0, '承诺时限不能为负')
      .max(365, '承诺时限最多 365 个工作日')
      .default(0),
    materials: z.array(material, { error: 'materials 应为材料列表' }).default([]),
    guide: z.string({ error: '办事指南应为文字' }).default(''),
  })
  .strict();

/** A catalogue file: `version` (optional) and `items`. */
export const catalogueFileSchema = z
  .object(
    {
      version: z.union([z.string(), z.number()]).transform(String).default('local'),
      items: z.array(localCatalogueItem, { error: 'items 应为事项列表' }),
    },
    { error: '目录文件应为键值表：version、items' },
  )
  .strict();

/**
 * The `catalogue:` section: `{ file: demo-catalogue.yaml }` (read from the config's folder by the
 * loader, which fills `items`), or `{ version?, items: [...] }` written inline.
 */
export const catalogueSchema = z
  .object(
    {
      file: z.string({ error: 'file 应为目录文件的路径' }).min(1, '目录文件路径不能为空').optional(),
      version: z.union([z.string(), z.number()]).transform(String).default('local'),
      items: z.array(localCatalogueItem, { error: 'items 应为事项列表' }).default([]),
    },
    { error: 'catalogue 应写成 { file: 目录文件.yaml } 或 { items: [...] }' },
  )
  .strict();

/** Checks across the items that a schema alone cannot express. */
export function catalogueSemanticChecks(
  items: readonly LocalCatalogueItem[],
  report: (path: (string | number)[], message: string) => void,
  at: (string | number)[] = ['items'],
): void {
  const seen = new Map<string, number>();
  items.forEach((it, i) => {
    const prev = seen.get(it.taskCode);
    if (prev !== undefined) report([...at, i, 'taskCode'], `事项编码「${it.taskCode}」重复（与第 ${prev + 1} 项相同）`);
    else seen.set(it.taskCode, i);
    const names = new Set<string>();
    it.materials.forEach((m, j) => {
      if (names.has(m.name)) report([...at, i, 'materials', j], `材料「${m.name}」重复`);
      names.add(m.name);
    });
    if (it.caseType === 2 && it.promiseDays === 0)
      report([...at, i, 'promiseDays'], `承诺件「${it.taskName}」应写承诺时限（promiseDays，工作日）`);
  });
}
