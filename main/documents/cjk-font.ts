/**
 * The Chinese font of the hall's documents. Documents are made on the hub, so every terminal
 * prints the same file; the font comes from the hub's system (no font ships with govhall: a CJK
 * font is 15–20 MB and every hub OS has one a package away). Order (docs/documents.md):
 * 1. `documents.fontFile` (+ `boldFontFile`, `fontName`) of the hall config;
 * 2. the search path below: Noto Sans CJK SC from fonts-noto-cjk (Debian/Ubuntu, what
 *    scripts/check-system.mjs installs) and its Fedora/Arch homes, then Windows' 微软雅黑, 宋体
 *    (SimSun) and 黑体;
 * 3. none: `FONT_NOT_FOUND` with what to install or configure.
 * Only the glyphs used are embedded (a subset), so a receipt stays small.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { win32 } from 'node:path';

export interface FontFace {
  path: string;
  /** PostScript name inside a collection (.ttc); undefined for a single-font file. */
  name?: string;
}

export interface FontChoice {
  regular: FontFace;
  bold: FontFace;
  /** Where it was found: the config, or the search path. */
  from: 'config' | 'search';
}

/**
 * One face per candidate: bold text is drawn by stroking the regular face (pdf-render.ts), so a
 * document embeds a single subset; `documents.boldFontFile` adds a real bold face.
 */
interface Candidate {
  regular: FontFace;
}

const noto = (dir: string): Candidate => ({
  regular: { path: `${dir}/NotoSansCJK-Regular.ttc`, name: 'NotoSansCJKsc-Regular' },
});

/** The documented search path, in order; `windir` is `%WINDIR%` (C:\Windows). */
export function fontSearchPath(windir = 'C:\\Windows'): Candidate[] {
  const win = (file: string) => win32.join(windir, 'Fonts', file);
  return [
    noto('/usr/share/fonts/opentype/noto'),
    noto('/usr/share/fonts/google-noto-sans-cjk-fonts'),
    noto('/usr/share/fonts/noto-cjk'),
    noto('/usr/share/fonts/opentype/noto-cjk'),
    { regular: { path: win('msyh.ttc'), name: 'MicrosoftYaHei' } },
    { regular: { path: win('simsun.ttc'), name: 'SimSun' } },
    { regular: { path: win('simhei.ttf') } },
  ];
}

export class FontNotFoundError extends Error {
  readonly code = 'FONT_NOT_FOUND';
}

export const FONT_NOT_FOUND_MESSAGE =
  '找不到中文字体，无法生成 PDF：请在中枢电脑上安装 Noto CJK 字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），' +
  '或在大厅配置的 documents.fontFile 中写一个含中文的字体文件（TTF/OTF/TTC）的路径';

export interface FontSearchOptions {
  fontFile?: string | undefined;
  boldFontFile?: string | undefined;
  fontName?: string | undefined;
  exists: (path: string) => boolean;
  windir?: string | undefined;
}

/** The font to use, or `FontNotFoundError` (a configured file that is missing is an error too). */
export function chooseFont(o: FontSearchOptions): FontChoice {
  if (o.fontFile) {
    for (const f of [o.fontFile, o.boldFontFile].filter((x): x is string => !!x)) {
      if (!o.exists(f))
        throw new FontNotFoundError(`大厅配置 documents 中的字体文件不存在：${f}。${FONT_NOT_FOUND_MESSAGE}`);
    }
    const regular: FontFace = { path: o.fontFile, ...(o.fontName ? { name: o.fontName } : {}) };
    const bold: FontFace = o.boldFontFile ? { path: o.boldFontFile } : regular;
    return { regular, bold, from: 'config' };
  }
  for (const c of fontSearchPath(o.windir)) {
    if (o.exists(c.regular.path)) return { regular: c.regular, bold: c.regular, from: 'search' };
  }
  throw new FontNotFoundError(FONT_NOT_FOUND_MESSAGE);
}

/** Font files read once per process: a CJK collection is tens of megabytes. */
const bytesCache = new Map<string, Buffer>();

export function fontBytes(path: string): Buffer {
  let b = bytesCache.get(path);
  if (!b) {
    try {
      b = readFileSync(path);
    } catch (e) {
      throw new FontNotFoundError(`无法读取字体文件 ${path}（${(e as Error).message}）。${FONT_NOT_FOUND_MESSAGE}`);
    }
    bytesCache.set(path, b);
  }
  return b;
}

/** What pdfkit accepts as a font besides bytes: a parsed fontkit font (anything with `layout`). */
export interface ParsedFont {
  layout: (...args: never[]) => unknown;
}

/**
 * fontkit as pdfkit itself loads it (its own dependency, resolved from pdfkit's folder), so a parsed
 * font can be kept between documents: parsing and the first layout of a CJK collection cost far
 * more than drawing a receipt. Null if it cannot be found; documents then parse the bytes each time.
 */
const fontkit: { create(bytes: Uint8Array, postscriptName?: string): ParsedFont } | null = (() => {
  try {
    const req = createRequire(import.meta.url);
    return createRequire(req.resolve('pdfkit'))('fontkit') as never;
  } catch {
    return null;
  }
})();

const parsedCache = new Map<string, ParsedFont>();

/** The face ready for `registerFont`: parsed once per process when fontkit is at hand, else its bytes. */
export function fontSource(face: FontFace): ParsedFont | Buffer {
  const bytes = fontBytes(face.path);
  if (!fontkit) return bytes;
  const key = `${face.path}#${face.name ?? ''}`;
  let f = parsedCache.get(key);
  if (!f) {
    try {
      f = fontkit.create(bytes, face.name);
    } catch (e) {
      throw new FontNotFoundError(
        `无法读取字体 ${face.path}${face.name ? `（${face.name}）` : ''}：${(e as Error).message}。${FONT_NOT_FOUND_MESSAGE}`,
      );
    }
    parsedCache.set(key, f);
  }
  return f;
}
