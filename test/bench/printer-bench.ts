/**
 * Ticket printer benchmark: bytes and encoding time per ticket, 58 and 80 mm, native QR and raster
 * fallback, next to a baseline measured in the same run (plain iconv GBK encoding of the same
 * text, no layout, no QR). Also the wire time of those bytes at 9600 baud, the common serial
 * default, because that, not encoding, is what a person at the kiosk waits for.
 *
 * Called from run.ts; also runs alone: node --import tsx test/bench/printer-bench.ts [--quick]
 */
import iconv from 'iconv-lite';
import { decodeEscPos, textLines } from '../../drivers/printer/escpos-decoder.js';
import { layoutTicket, type PaperWidth, sampleTicket } from '../../drivers/printer/ticket-layout.js';
import { type BenchOptions, type BenchRow, isMain, runAlone } from './bench-kit.js';

/** Encoding one ticket must stay far below a person's patience; 2 ms leaves room on slow kiosks. */
const GOAL_MS = 2;

export function printerBenchmarks({ quick, progress }: BenchOptions): BenchRow[] {
  progress('小票编码：58/80 mm，原生与位图二维码');
  const n = quick ? 300 : 2000;
  const rows: BenchRow[] = [];
  const tickets = Array.from({ length: n }, (_, i) => ({
    ...sampleTicket(),
    number: `A${String(i % 1000).padStart(3, '0')}`,
    ahead: i % 50,
    qr: `http://127.0.0.1:8800/t/${i.toString(16).padStart(8, '0')}-5f0a-4f7e-9d0c-1a2b3c4d5e6f`,
  }));
  for (const width of [58, 80] as PaperWidth[]) {
    // Baseline: the same text lines, GBK-encoded with iconv and nothing else.
    const texts = tickets.map((t) => textLines(decodeEscPos(layoutTicket(t, { width }))).join('\n'));
    let sink = 0;
    for (const t of texts.slice(0, 50)) sink += iconv.encode(t, 'gbk').length; // warm-up
    let t0 = performance.now();
    for (const t of texts) sink += iconv.encode(t, 'gbk').length;
    const baseMs = (performance.now() - t0) / n;
    const baseBytes = iconv.encode(texts[0]!, 'gbk').length;
    for (const qrMode of ['native', 'raster'] as const) {
      for (const t of tickets.slice(0, 50)) sink += layoutTicket(t, { width, qrMode }).length; // warm-up
      t0 = performance.now();
      let bytes = 0;
      for (const t of tickets) bytes += layoutTicket(t, { width, qrMode }).length;
      const ms = (performance.now() - t0) / n;
      const perTicket = Math.round(bytes / n);
      const wire9600 = (perTicket * 10) / 9600;
      rows.push({
        id: `printer-${width}-${qrMode}`,
        name: `小票编码 ${width} mm ${qrMode === 'native' ? '原生二维码' : '位图二维码'} / ticket ${width} mm ${qrMode} QR`,
        value: `${ms.toFixed(3)} ms/张，${perTicket} 字节（9600 波特 ${wire9600.toFixed(2)} s）`,
        baseline: `GBK 纯文本 ${baseMs.toFixed(3)} ms，${baseBytes} 字节`,
        ratio: (ms / baseMs).toFixed(1),
        goal: `< ${GOAL_MS} ms/张`,
        pass: ms < GOAL_MS,
      });
    }
    if (sink < 0) console.log(sink); // keeps the work observable
  }
  return rows;
}

if (isMain(import.meta.url)) await runAlone(printerBenchmarks);
