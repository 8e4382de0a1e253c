/**
 * Logs: JSON lines to a size-rotated file for machines, short readable lines on the console for
 * people. Personal data is masked before anything is written, whoever called.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
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
  /** Rotate when the file passes this size. */
  maxBytes?: number;
  /** Rotated files kept (govhall.log.1 … .N). */
  keep?: number;
  console?: boolean;
  /** Console output goes to stderr so commands can keep stdout for their answer. */
  stream?: NodeJS.WritableStream;
  now?: () => number;
}

export function createLogger(opts: FileLoggerOptions = {}): Logger {
  const level = ORDER[opts.level ?? 'info'];
  const maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
  const keep = opts.keep ?? 5;
  const now = opts.now ?? (() => Date.now());
  const stream = opts.stream ?? process.stderr;
  const file = opts.dir ? join(opts.dir, 'govhall.log') : null;
  if (opts.dir) mkdirSync(opts.dir, { recursive: true, mode: 0o700 });

  const rotate = (path: string) => {
    if (!existsSync(path) || statSync(path).size < maxBytes) return;
    rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    renameSync(path, `${path}.1`);
  };

  const write = (lvl: LogLevel, msg: string, fields?: LogFields) => {
    if (ORDER[lvl] < level) return;
    const safeMsg = maskPersonalData(msg) as string;
    const safe = fields ? (maskPersonalData(fields) as LogFields) : undefined;
    const at = new Date(now()).toISOString();
    if (file) {
      try {
        rotate(file);
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
