/**
 * The `documents:` section of a hall config: where the printed documents' Chinese font is when the
 * hub's search path does not find one, and where the 受理回执's progress QR leads (docs/documents.md).
 * Optional; the defaults suit a hub with the system's Noto CJK (fonts-noto-cjk) or SimSun.
 */
import { z } from 'zod';

export interface DocumentsConfig {
  /** A TTF/OTF/TTC font with Chinese glyphs; relative paths are read from the config's folder. */
  fontFile?: string;
  /** The bold face for titles (defaults to `fontFile`). */
  boldFontFile?: string;
  /** The font's PostScript name inside a collection (.ttc), e.g. `NotoSansCJKsc-Regular`, `SimSun`. */
  fontName?: string;
  /**
   * The 受理回执's progress QR: a URL template with `{code}` (the 办件编号, else the local case id),
   * e.g. the province's public 办件查询 page. Absent: the QR holds the code itself as text.
   */
  progressUrl?: string;
}

export const documentsSchema = z
  .object(
    {
      fontFile: z.string({ error: 'fontFile 应为字体文件路径' }).min(1, '字体文件路径不能为空').optional(),
      boldFontFile: z.string({ error: 'boldFontFile 应为字体文件路径' }).min(1, '字体文件路径不能为空').optional(),
      fontName: z.string({ error: 'fontName 应为字体名称（PostScript 名称）' }).min(1).optional(),
      progressUrl: z
        .string({ error: 'progressUrl 应为网址模板' })
        .regex(/^https?:\/\/\S+$/, '进度查询网址应以 http:// 或 https:// 开头')
        .refine((u) => u.includes('{code}'), '进度查询网址须包含 {code}（办件编号）')
        .optional(),
    },
    { error: 'documents 应为键值表：fontFile、boldFontFile、fontName、progressUrl' },
  )
  .strict();
