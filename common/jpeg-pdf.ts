/**
 * A small PDF writer for scanned pages: each JPEG becomes one A4 page (portrait or landscape, as
 * the image is), embedded as is with DCTDecode — no re-encoding, so a page costs its JPEG's bytes
 * plus a few hundred. Pure and browser-safe: the counter page combines the pages of one material
 * into one PDF before uploading it.
 */

export interface JpegInfo {
  width: number;
  height: number;
  /** 1 gray, 3 YCbCr/RGB, 4 CMYK. */
  components: 1 | 3 | 4;
}

/** Width, height and components from a JPEG's start-of-frame marker; throws on anything else. */
export function jpegInfo(bytes: Uint8Array): JpegInfo {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('不是 JPEG 图片（缺少 SOI 标记）');
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) throw new Error('JPEG 图片已损坏（标记错位）');
    const marker = bytes[i + 1]!;
    // Fill bytes and markers without a length.
    if (marker === 0xff) {
      i++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const len = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = (bytes[i + 5]! << 8) | bytes[i + 6]!;
      const width = (bytes[i + 7]! << 8) | bytes[i + 8]!;
      const components = bytes[i + 9]!;
      if (!width || !height || (components !== 1 && components !== 3 && components !== 4)) {
        throw new Error('JPEG 图片的尺寸或颜色分量无法识别');
      }
      return { width, height, components };
    }
    if (marker === 0xda || marker === 0xd9) break;
    i += 2 + len;
  }
  throw new Error('JPEG 图片已损坏（找不到图像尺寸）');
}

/** A4 in PDF points (1/72 inch). */
export const A4 = { width: 595.28, height: 841.89 } as const;

const COLOR_SPACE = { 1: '/DeviceGray', 3: '/DeviceRGB', 4: '/DeviceCMYK' } as const;

/**
 * One PDF of the given JPEG pages. Each page is A4, turned to the image's orientation, with the
 * image fitted inside a small margin and centred; `title` goes into the document information.
 */
export function jpegsToPdf(pages: readonly Uint8Array[], opts: { title?: string; marginPt?: number } = {}): Uint8Array {
  if (!pages.length) throw new Error('至少需要一页');
  const margin = opts.marginPt ?? 14;
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const offsets: number[] = [];
  let size = 0;
  const push = (p: Uint8Array | string) => {
    const b = typeof p === 'string' ? enc.encode(p) : p;
    parts.push(b);
    size += b.length;
  };
  const object = (id: number, body: string | (() => void)) => {
    offsets[id] = size;
    push(`${id} 0 obj\n`);
    if (typeof body === 'string') push(body);
    else body();
    push('\nendobj\n');
  };

  // 1 catalog, 2 pages, 3 info; then per page: page, content, image.
  const pageIds = pages.map((_, k) => 4 + k * 3);
  // The binary comment tells tools the file holds binary data (PDF 7.5.2).
  push('%PDF-1.4\n%');
  push(new Uint8Array([0xe2, 0xe3, 0xcf, 0xd3, 0x0a]));
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  object(3, `<< /Title ${pdfText(opts.title ?? '')} /Producer (govhall) >>`);
  pages.forEach((jpeg, k) => {
    const info = jpegInfo(jpeg);
    const landscape = info.width > info.height;
    const pw = landscape ? A4.height : A4.width;
    const ph = landscape ? A4.width : A4.height;
    const scale = Math.min((pw - 2 * margin) / info.width, (ph - 2 * margin) / info.height);
    const w = info.width * scale;
    const h = info.height * scale;
    const x = (pw - w) / 2;
    const y = (ph - h) / 2;
    const [pageId, contentId, imageId] = [pageIds[k]!, pageIds[k]! + 1, pageIds[k]! + 2];
    const content = `q ${num(w)} 0 0 ${num(h)} ${num(x)} ${num(y)} cm /Im0 Do Q`;
    object(
      pageId,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(pw)} ${num(ph)}] ` +
        `/Resources << /XObject << /Im0 ${imageId} 0 R >> >> /Contents ${contentId} 0 R >>`,
    );
    object(contentId, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    object(imageId, () => {
      // Adobe writes CMYK JPEGs inverted; the Decode array undoes that.
      const decode = info.components === 4 ? ' /Decode [1 0 1 0 1 0 1 0]' : '';
      push(
        `<< /Type /XObject /Subtype /Image /Width ${info.width} /Height ${info.height} ` +
          `/ColorSpace ${COLOR_SPACE[info.components]} /BitsPerComponent 8 /Filter /DCTDecode${decode} ` +
          `/Length ${jpeg.length} >>\nstream\n`,
      );
      push(jpeg);
      push('\nendstream');
    });
  });
  const count = 4 + pages.length * 3;
  const xref = size;
  push(`xref\n0 ${count}\n0000000000 65535 f \n`);
  for (let id = 1; id < count; id++) push(`${String(offsets[id]).padStart(10, '0')} 00000 n \n`);
  push(`trailer\n<< /Size ${count} /Root 1 0 R /Info 3 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const num = (n: number) => (Math.round(n * 100) / 100).toString();

/** A PDF text string: UTF-16BE with a byte-order mark, as hex (any language, no escaping). */
function pdfText(s: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}
