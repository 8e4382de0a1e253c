/**
 * `govhall idcard read --port PATH [--baud N] [--timeout S] [--json] [--full]`: a technician's check
 * of an ID card reader. Waits for one card (finding every 300 ms), prints it masked unless --full,
 * and exits 0 when read, 2 when no card came within the timeout, 3 on a device or protocol error.
 * The photo is read (it is part of the reply) but never printed or written anywhere.
 */

import { maskCertNo, maskName } from '../../common/mask.js';
import type { CardText } from '../../drivers/idcard/card-text.js';
import { type CardRead, SamReader } from '../../drivers/idcard/sam-reader.js';
import { openSerialLink } from '../../drivers/transport/serial-link.js';
import { intFlag, parseFlags, requireFlag } from './args.js';
import { CliError } from './cli-error.js';

const USAGE = `用法 / usage: govhall idcard read --port PATH [--baud N] [--timeout S] [--json] [--full]
  读一张身份证（或居住证、外国人永久居留身份证）并打印，默认脱敏
  reads one ID card and prints it, masked unless --full
  --port PATH    读卡器串口，如 /dev/ttyUSB0、COM3 / the reader's serial port
  --baud N       波特率（默认 115200）/ baud rate (default 115200)
  --timeout S    等待放卡的秒数（默认 10）/ seconds to wait for a card (default 10)
  --json         输出 JSON / print JSON
  --full         不脱敏（注意保护个人信息）/ do not mask (mind personal data)
  退出码 / exit: 0 已读卡 read，2 超时无卡 no card，3 设备或协议错误 device or protocol error`;

export const EXIT_NO_CARD = 2;
export const EXIT_DEVICE = 3;
const POLL_MS = 300;

const TYPE_NAMES: Record<CardText['cardType'], string> = {
  resident: '居民身份证',
  hk_mo_tw: '港澳台居民居住证',
  foreign_2017: '外国人永久居留身份证（2017版）',
  foreign_2023: '外国人永久居留身份证（2023版）',
};

/** Keeps the first 6 characters (province, city) of an address. */
const maskAddress = (a: string) => {
  const chars = [...a];
  return chars.length <= 6 ? a : `${chars.slice(0, 6).join('')}${'*'.repeat(Math.min(8, chars.length - 6))}`;
};
/** The birth date is inside the masked ID number too: keep the year only. */
const maskDate = (d: string) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d.slice(0, 4)}-**-**` : d);
/** English names: first letter of each word. */
const maskLatin = (n: string) => n.replace(/([A-Za-z])[A-Za-z]*/g, (_, c: string) => `${c}*`);

/** The JSON of one card, fields as documented (docs/devices.md), masked unless `full`. */
export function cardJson(t: CardText, full: boolean): Record<string, string | null> {
  const m = <T extends string | null>(v: T, f: (s: string) => string): T | string => (v === null || full ? v : f(v));
  const out: Record<string, string | null> = {
    cardType: t.cardType,
    name: m(t.name, maskName),
    gender: t.gender,
    nation: t.nation,
    birthDate: m(t.birthDate, maskDate),
    address: m(t.address, maskAddress),
    idNumber: m(t.idNumber, maskCertNo),
    authority: t.authority,
    validFrom: t.validFrom,
    validTo: t.validTo,
  };
  if (t.passNumber !== undefined) out.passNumber = m(t.passNumber, maskCertNo);
  if (t.issueCount !== undefined) out.issueCount = t.issueCount;
  if (t.englishName !== undefined) out.englishName = m(t.englishName, maskLatin);
  if (t.nationality !== undefined) out.nationality = t.nationality;
  return out;
}

const LABELS: Record<string, string> = {
  name: '姓名 / name',
  englishName: '英文姓名 / English name',
  gender: '性别 / gender',
  nation: '民族 / nation',
  nationality: '国籍 / nationality',
  birthDate: '出生日期 / birth date',
  address: '住址 / address',
  idNumber: '证件号码 / ID number',
  passNumber: '通行证号码 / pass number',
  issueCount: '签发次数 / issue count',
  authority: '签发机关 / authority',
  validFrom: '有效期起 / valid from',
  validTo: '有效期止 / valid to',
};

function formatText(t: CardText, json: Record<string, string | null>): string {
  const lines = [`证件类型 / card type: ${TYPE_NAMES[t.cardType]}`];
  for (const [k, label] of Object.entries(LABELS)) {
    const v = json[k];
    if (v !== null && v !== undefined && v !== '') lines.push(`${label}: ${v}`);
  }
  return `${lines.join('\n')}\n`;
}

async function waitForCard(reader: SamReader, deadline: number): Promise<CardRead | null> {
  for (let first = true; ; first = false) {
    const r = await reader.readCard();
    if (r) return r;
    // One find per presentation: a card an earlier run already read is not found again, but select sees it.
    if (first && (await reader.cardInField())) return reader.readFoundCard();
    if (Date.now() + POLL_MS > deadline) return null;
    await new Promise((res) => setTimeout(res, POLL_MS));
  }
}

async function readCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      port: { type: 'string' },
      baud: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      full: { type: 'boolean' },
    },
    USAGE,
  );
  if (positionals.length) throw new CliError(`多余的参数：${positionals.join(' ')}\n\n${USAGE}`);
  const port = requireFlag(values.port, 'port', USAGE);
  const baudRate = intFlag(values.baud, 'baud', 1200, 921600) ?? 115200;
  const timeoutS = intFlag(values.timeout, 'timeout', 1, 3600) ?? 10;
  let link: Awaited<ReturnType<typeof openSerialLink>>;
  try {
    link = await openSerialLink({ path: port, baudRate, watchIntervalMs: 0 });
  } catch (e) {
    const err = e as { code?: string; message: string };
    throw new CliError(`错误 ${err.code ?? 'IO'}：${err.message}`, EXIT_DEVICE);
  }
  // Reply timeouts follow the line speed: a read at 9600 baud takes 1.35 s on the wire alone.
  const reader = new SamReader(link, { timeoutMs: 1000, baudRate });
  try {
    await reader.samStatus();
    const read = await waitForCard(reader, Date.now() + timeoutS * 1000);
    if (!read) {
      process.stderr.write(`${timeoutS} 秒内没有放卡 / no card within ${timeoutS} s\n`);
      return EXIT_NO_CARD;
    }
    const json = cardJson(read.text, values.full === true);
    process.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : formatText(read.text, json));
    if (read.idNumberValid === false) {
      process.stderr.write('警告：证件号码未通过 GB 11643 校验，可能读卡出错或证件异常 / ID number fails its check\n');
    }
    return 0;
  } catch (e) {
    const err = e as { code?: string; message?: string };
    process.stderr.write(`错误 ${err.code ?? 'SAM_ERROR'}：${err.message ?? String(e)}\n`);
    return EXIT_DEVICE;
  } finally {
    reader.close();
    await link.close();
  }
}

export async function idcardCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'read') return readCommand(rest);
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return sub ? 0 : 2;
  }
  throw new CliError(`未知的子命令「${sub}」\n\n${USAGE}`);
}
