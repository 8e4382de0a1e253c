/**
 * Logs: JSON lines to a rotated file for machines, short readable lines on the console for
 * people. Personal data is masked before anything is written, whoever called.
 *
 * Retention: these are the hall's network and security logs (sign-ins, refusals, device and sync
 * failures), which the law requires to be kept at least six months (网络安全法 第二十一条：留存
 * 网络日志不少于六个月). The file rotates daily (UTC) and by size into `govhall.log.YYYYMMDD-HHMMSS`
 * (the time of its last line), and a rotated file is deleted only when that time is more than
 * `retainDays` ago — never fewer than 180 days, whatever the caller asks.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { maskCertNo, maskName } from '../../common/mask.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
// 18-character resident/residence numbers and 2017 foreign cards anywhere in free text.
const CERT_IN_TEXT = /\b(\d{17}[\dXx]|[A-Z]{3}\d{12})\b/g;
const NAME_KEYS = new Set(['name', 'applicantName', 'agentName']);
const CERT_KEYS = new Set(['certNo', 'idNumber', 'agentCertNo', 'applicantCertNo']);

/** Returns a copy with ID numbers and personal names masked, at any depth. */
export function maskPersonalData(value: unknown, key = '', depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'string') {
    if (CERT_KEYS.has(key)) return maskCertNo(value);
    if (NAME_KEYS.has(key)) return maskName(value);
    return value.replace(CERT_IN_TEXT, (m) => maskCertNo(m));
  }
  if (Array.isArray(value)) return value.map((v) => maskPersonalData(v, key, depth + 1));
  if (value instanceof Error) return { error: value.name, message: maskPersonalData(value.message) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskPersonalData(v, k, depth + 1);
    return out;
  }
  return value;
}

export interface FileLoggerOptions {
  /** Folder for `govhall.log` and its rotated siblings; none = console only. */
  dir?: string;
  level?: LogLevel;
  /** Rotate when the file passes this size (default 10 MB); it also rotates when the day changes. */
  maxBytes?: number;
  /** Rotated files are kept this many days after their last line (default and minimum 180). */
  retainDays?: number;
  console?: boolean;
  /** Console output goes to stderr so commands can keep stdout for their answer. */
  stream?: NodeJS.WritableStream;
  now?: () => number;
}

/** Security logs are kept at least this long (six months), whatever a caller asks for. */
export const MIN_LOG_RETAIN_DAYS = 180;
const ROTATED = /^govhall\.log\.(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-\d+)?$/;

const pad = (n: number) => String(n).padStart(2, '0');
const stampOf = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
};

/** Deletes rotated logs whose last line is more than `retainDays` (≥ 180) before `now`. */
export function pruneLogs(dir: string, now: number, retainDays = MIN_LOG_RETAIN_DAYS): string[] {
  const cutoff = now - Math.max(MIN_LOG_RETAIN_DAYS, retainDays) * 86_400_000;
  const deleted: string[] = [];
  for (const f of readdirSync(dir)) {
    const m = ROTATED.exec(f);
    if (!m) continue;
    const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    if (Date.UTC(y, mo - 1, d, h, mi, se) < cutoff) {
      rmSync(join(dir, f), { force: true });
      deleted.push(f);
    }
  }
  return deleted;
}

export function createLogger(opts: FileLoggerOptions = {}): Logger {
  const level = ORDER[opts.level ?? 'info'];
  const maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
  const retainDays = Math.max(MIN_LOG_RETAIN_DAYS, opts.retainDays ?? MIN_LOG_RETAIN_DAYS);
  const now = opts.now ?? (() => Date.now());
  const stream = opts.stream ?? process.stderr;
  const file = opts.dir ? join(opts.dir, 'govhall.log') : null;
  if (opts.dir) mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  /** The UTC day of the lines in the current file. */
  let fileDay: string | null = null;

  const rotate = (path: string, at: number) => {
    const day = new Date(at).toISOString().slice(0, 10);
    if (!existsSync(path)) {
      fileDay = day;
      return;
    }
    const st = statSync(path);
    fileDay ??= new Date(st.mtimeMs).toISOString().slice(0, 10);
    if (st.size < maxBytes && fileDay === day) return;
    let target = `${path}.${stampOf(at)}`;
    for (let n = 1; existsSync(target); n++) target = `${path}.${stampOf(at)}-${n}`;
    renameSync(path, target);
    fileDay = day;
    pruneLogs(opts.dir!, at, retainDays);
  };

  const write = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (ORDER[lvl] < level) return;
    const safeMsg = maskPersonalData(msg) as string;
    const safe = fields ? (maskPersonalData(fields) as LogFields) : undefined;
    const ms = now();
    const at = new Date(ms).toISOString();
    if (file) {
      try {
        rotate(file, ms);
        appendFileSync(file, `${JSON.stringify({ at, level: lvl, msg: safeMsg, ...safe })}\n`);
      } catch {
        // A full disk must not take the hall down; the console line below still goes out.
      }
    }
    if (opts.console !== false) {
      const extra = safe && Object.keys(safe).length ? ` ${JSON.stringify(safe)}` : '';
      stream.write(`${at.slice(11, 19)} ${lvl.toUpperCase().padEnd(5)} ${safeMsg}${extra}\n`);
    }
  };

  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
