/**
 * What every hub answer must be, whatever it was sent: never a server error, never internals
 * (a stack trace, a source file, a path on the hub's disk), every error `{ code, message }` with
 * an UPPER_SNAKE code and a Chinese message, and never a clear name or ID number the caller was
 * not shown for a reason.
 */
import type { RawReply } from './raw-http.js';

export interface Problem {
  /** Stable kind, for grouping: `500`, `stack`, `error-shape`, `leak`, … */
  kind: string;
  detail: string;
}

const STACK = [/\n\s+at\s+\S/, /\bat (?:async )?[\w$.<>]+ \((?:file:|node:|\/)/, /node:internal\//];
const SOURCE = [/node_modules/, /file:\/\//, /\.(?:[cm]?[jt]sx?):\d+/, /[A-Za-z]:\\(?:Users|Windows|Program)/];
const CODE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const CJK = /[\u3400-\u9fff]/;

export interface JudgeOptions {
  /** Absolute paths that must never show up in an answer (the repository, the data directory). */
  privatePaths: readonly string[];
  /** Statuses ≥ 500 the route documents (503 while the catalogue is not fetched yet). */
  documented: readonly number[];
}

/** Problems of one answer's form; empty when it is a proper answer. */
export function judgeReply(reply: RawReply, o: JudgeOptions): Problem[] {
  const out: Problem[] = [];
  if (reply.status === 0) return [{ kind: 'no-answer', detail: `没有回答：${reply.transportError}` }];
  if (reply.status >= 500 && !o.documented.includes(reply.status))
    out.push({ kind: String(reply.status), detail: `服务器错误 ${reply.status}` });
  for (const re of STACK) if (re.test(reply.text)) out.push({ kind: 'stack', detail: `回答中有堆栈（${re}）` });
  for (const re of SOURCE)
    if (re.test(reply.text)) out.push({ kind: 'source', detail: `回答中有源文件或路径（${re}）` });
  for (const p of o.privatePaths)
    if (p && reply.text.includes(p)) out.push({ kind: 'path', detail: `回答中有本机路径 ${p}` });
  if (reply.status >= 400) out.push(...errorShape(reply));
  else if (reply.contentType.startsWith('application/json') && reply.text) {
    try {
      JSON.parse(reply.text);
    } catch {
      out.push({ kind: 'bad-json', detail: '成功回答声明为 JSON 却不是有效的 JSON' });
    }
  }
  return out;
}

function errorShape(reply: RawReply): Problem[] {
  const bad = (detail: string): Problem[] => [{ kind: 'error-shape', detail }];
  if (!reply.contentType.startsWith('application/json'))
    return bad(`错误回答不是 JSON（Content-Type: ${reply.contentType || '无'}）`);
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    return bad('错误回答不是有效的 JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return bad('错误回答不是对象');
  const { code, message } = body as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !CODE.test(code)) return bad(`code 不是大写下划线形式：${JSON.stringify(code)}`);
  if (typeof message !== 'string' || !CJK.test(message)) return bad(`message 没有中文说明：${JSON.stringify(message)}`);
  return [];
}

/** Clear personal data of `secrets` in an answer to a caller who did not send it. */
export function findLeak(reply: RawReply, sent: string, secrets: readonly string[]): string | null {
  const text = reply.text.toUpperCase();
  const request = sent.toUpperCase();
  for (const s of secrets) if (text.includes(s.toUpperCase()) && !request.includes(s.toUpperCase())) return s;
  return null;
}
