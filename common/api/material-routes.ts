/**
 * Case materials (hub-api.md v1.1 "Documents and materials"): the window uploads what it scanned
 * while a ticket is served, `/finish` names the uploads in `case.materials`, and a case lists them.
 */
import { z } from 'zod';
import { ROUTE_ADDRESSES as at } from './addresses.js';
import { roles, route, WINDOW_STAFF } from './route-spec.js';

/** Media types of a material: one PDF per material (the pages scanned), or a single JPEG. */
export const MATERIAL_CONTENT_TYPES = ['application/pdf', 'image/jpeg'] as const;
/** The one body above the hub's 64 KiB limit. */
export const MATERIAL_MAX_BYTES = 10 * 1024 * 1024;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 应为 64 位小写十六进制');

export const materialUploadQuery = z
  .object({ name: z.string().trim().min(1, '请填写材料名称').max(200, '材料名称最多 200 字') })
  .strict();
export const materialUploadAnswer = z.object({ sha256, bytes: z.number().int(), name: z.string() });
export const caseMaterialAnswer = z.object({
  name: z.string(),
  sha256,
  bytes: z.number().int(),
  contentType: z.enum(MATERIAL_CONTENT_TYPES),
  attachedAt: z.string(),
});

export const materialRoutes = {
  uploadMaterial: route({
    ...at.uploadMaterial,
    summary: '上传本窗口正在办理的号所收的一份材料（PDF 或 JPEG，最大 10 MiB），办结时在 case.materials 中列出',
    access: WINDOW_STAFF,
    binary: {
      types: MATERIAL_CONTENT_TYPES,
      maxBytes: MATERIAL_MAX_BYTES,
      tooLarge: '材料文件超过 10 MiB：请降低扫描分辨率或把材料分成几份上传',
    },
    query: materialUploadQuery,
    response: materialUploadAnswer,
    status: 201,
    errors: [400, 409, 413, 415],
  }),
  caseMaterials: route({
    ...at.caseMaterials,
    summary: '办件的材料：名称、SHA-256、大小与类型',
    access: roles(['counter', 'admin'], true),
    response: z.array(caseMaterialAnswer),
    errors: [404],
  }),
  caseMaterialFile: route({
    ...at.caseMaterialFile,
    summary: '下载办件的一份材料（办结窗口的工作人员会话或管理员；每次下载记入审计）',
    access: roles(['admin'], true),
    kind: 'text',
    produces: MATERIAL_CONTENT_TYPES,
    errors: [404],
  }),
} as const;
