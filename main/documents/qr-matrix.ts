/**
 * A QR code as a matrix of dark modules, drawn by the PDF edge as vector squares (sharp at any
 * printer resolution, a few hundred bytes). Error correction M: a receipt may be folded.
 */
import QRCode from 'qrcode';

export interface QrMatrix {
  size: number;
  /** Row-major, `size * size`. */
  dark: boolean[];
  /** What the code holds (for tests and the caption). */
  text: string;
}

export function qrMatrix(text: string): QrMatrix {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const dark: boolean[] = [];
  for (let i = 0; i < size * size; i++) dark.push(qr.modules.data[i] === 1);
  return { size, dark, text };
}
