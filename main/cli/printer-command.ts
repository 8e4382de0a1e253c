/**
 * `govhall printer test|status`: a technician's check of a ticket printer on a serial port, a
 * network port (raw TCP 9100) or a Linux USB printer device (/dev/usb/lpN).
 *
 * Exit codes: 0 done (status: the printer is ready), 1 the printer answered but cannot print
 * (paper out, cover open, offline), 2 usage, 3 no connection or no answer (port, cable, power).
 */
import { PrinterError, type PrinterStatus } from '../../drivers/printer/printer-status.js';
import { type PaperWidth, sampleTicket } from '../../drivers/printer/ticket-layout.js';
import { TicketPrinter } from '../../drivers/printer/ticket-printer.js';
import type { ByteLink } from '../../drivers/transport/byte-link.js';
import { openLpLink } from '../../drivers/transport/lp-link.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';
import { openTcpLink, parseHostPort } from '../../drivers/transport/tcp-link.js';
import { intFlag, parseFlags } from './args.js';
import { CliError } from './cli-error.js';

const USAGE = `用法 / usage:
  govhall printer test   (--port PATH [--baud N] | --host HOST[:PORT] | --lp PATH) [--width 58|80] [--raster]
  govhall printer status (--port PATH [--baud N] | --host HOST[:PORT] | --lp PATH) [--json]
  test 打印一张样票，status 查询打印机状态（DLE EOT）
  test prints a sample ticket; status reads the printer's real-time status
  --port PATH        串口打印机，如 /dev/ttyUSB0、COM3 / serial printer
  --baud N           波特率（默认 9600）/ baud rate (default 9600)
  --host HOST[:PORT] 网络打印机（默认端口 9100）/ network printer, raw TCP
  --lp PATH          Linux USB 打印机设备，如 /dev/usb/lp0 / USB printer class device
  --width 58|80      纸宽毫米（默认 80）/ paper width in mm
  --raster           二维码以位图发送（打印机不支持 GS ( k 时）/ QR as a raster image
  --timeout MS       每个状态应答的等待毫秒数（默认 1000）/ wait per status reply
  --json             status 输出 JSON / print JSON
  退出码 / exit: 0 正常 ok，1 打印机缺纸/开盖/脱机 not ready，2 用法错误 usage，
                 3 无法连接或无应答 no connection or no answer`;

export const EXIT_NOT_READY = 1;
export const EXIT_DEVICE = 3;

const FLAGS = {
  port: { type: 'string' },
  baud: { type: 'string' },
  host: { type: 'string' },
  lp: { type: 'string' },
  width: { type: 'string' },
  raster: { type: 'boolean' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
} as const;

interface Target {
  label: string;
  open(): Promise<ByteLink>;
}

function target(values: { port?: string; baud?: string; host?: string; lp?: string }): Target {
  const given = [values.port, values.host, values.lp].filter((v) => v !== undefined);
  if (given.length !== 1) throw new CliError(`需要 --port、--host、--lp 三者之一\n\n${USAGE}`);
  if (values.baud !== undefined && values.port === undefined) throw new CliError(`--baud 只用于 --port\n\n${USAGE}`);
  if (values.port !== undefined) {
    const path = values.port;
    if (!path) throw new CliError(`--port 不能为空\n\n${USAGE}`);
    const baudRate = intFlag(values.baud, 'baud', 1200, 921600) ?? 9600;
    return { label: path, open: () => openSerialLink({ path, baudRate, watchIntervalMs: 0 }) };
  }
  if (values.host !== undefined) {
    const hp = parseHostPort(values.host);
    if (!hp)
      throw new CliError(`选项 --host 应为 主机[:端口]，如 192.168.1.50 或 192.168.1.50:9100，收到「${values.host}」`);
    return { label: `${hp.host}:${hp.port}`, open: () => openTcpLink({ ...hp, connectTimeoutMs: 3000 }) };
  }
  const path = values.lp!;
  if (!path) throw new CliError(`--lp 不能为空\n\n${USAGE}`);
  return { label: path, open: () => openLpLink({ path }) };
}

function statusText(s: PrinterStatus): string {
  const yes = (b: boolean) => (b ? '是' : '否');
  return [
    `在线 / online: ${yes(s.online)}`,
    `纸仓盖打开 / cover open: ${yes(s.coverOpen)}`,
    `纸将尽 / paper near end: ${yes(s.paperNearEnd)}`,
    `缺纸 / paper out: ${yes(s.paperOut)}`,
  ].join('\n');
}

async function withPrinter(
  args: string[],
  run: (printer: TicketPrinter, values: { json?: boolean }, label: string) => Promise<number>,
  extra: { widthAllowed: boolean },
): Promise<number> {
  const { values, positionals } = parseFlags(args, FLAGS, USAGE);
  if (positionals.length) throw new CliError(`多余的参数：${positionals.join(' ')}\n\n${USAGE}`);
  if (!extra.widthAllowed && (values.width !== undefined || values.raster))
    throw new CliError(`--width 与 --raster 只用于 printer test\n\n${USAGE}`);
  if (extra.widthAllowed && values.json) throw new CliError(`--json 只用于 printer status\n\n${USAGE}`);
  if (values.width !== undefined && values.width !== '58' && values.width !== '80')
    throw new CliError(`选项 --width 应为 58 或 80（毫米），收到「${values.width}」`);
  const timeoutMs = intFlag(values.timeout, 'timeout', 50, 60_000) ?? 1000;
  const t = target(values);
  let link: ByteLink;
  try {
    link = await t.open();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    throw new CliError(`错误 ${err.code ?? 'IO'}：${err.message ?? String(e)}`, EXIT_DEVICE);
  }
  const printer = new TicketPrinter(link, {
    width: Number(values.width ?? 80) as PaperWidth,
    qrMode: values.raster ? 'raster' : 'native',
    replyTimeoutMs: timeoutMs,
  });
  try {
    return await run(printer, values, t.label);
  } catch (e) {
    if (e instanceof CliError) throw e;
    const err = e as { code?: string; message?: string };
    process.stderr.write(`错误 ${err.code ?? 'ERROR'}：${err.message ?? String(e)}\n`);
    const refused = e instanceof PrinterError && ['PAPER_OUT', 'COVER_OPEN', 'OFFLINE'].includes(e.code);
    return refused ? EXIT_NOT_READY : EXIT_DEVICE;
  } finally {
    printer.close();
    await link.close().catch(() => undefined);
  }
}

async function testCommand(args: string[]): Promise<number> {
  return withPrinter(
    args,
    async (printer, _values, label) => {
      const r = await printer.printTicket(sampleTicket());
      process.stdout.write(`已打印样票 / sample ticket printed: ${label}，${printer.width} mm，${r.bytes} 字节\n`);
      if (r.warning === 'PAPER_NEAR_END') process.stderr.write('警告：打印纸将尽，请准备换纸 / paper near end\n');
      return 0;
    },
    { widthAllowed: true },
  );
}

async function statusCommand(args: string[]): Promise<number> {
  return withPrinter(
    args,
    async (printer, values) => {
      const s = await printer.status();
      process.stdout.write(values.json ? `${JSON.stringify(s, null, 2)}\n` : `${statusText(s)}\n`);
      return s.online && !s.paperOut && !s.coverOpen ? 0 : EXIT_NOT_READY;
    },
    { widthAllowed: false },
  );
}

export async function printerCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'test') return testCommand(rest);
  if (sub === 'status') return statusCommand(rest);
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return sub ? 0 : 2;
  }
  throw new CliError(`未知的子命令「${sub}」\n\n${USAGE}`);
}
