/** A QR code drawn for a screen: the counter's and the pad's 扫码评价 code. */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR of `text` as a data URL (null while drawing or when there is nothing to draw). */
export function useQrDataUrl(text: string | null): string | null {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    setQr(null);
    if (!text) return;
    let alive = true;
    QRCode.toDataURL(text, { margin: 1, width: 320, errorCorrectionLevel: 'M' }).then(
      (u) => alive && setQr(u),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [text]);
  return qr;
}

/** The phone page of a rating code: the hall's public address (guest Wi-Fi), else this hub's own. */
export const ratingPageUrl = (publicBaseUrl: string | undefined, ratingCode: string): string =>
  `${publicBaseUrl ?? location.origin}/r/${encodeURIComponent(ratingCode)}`;
