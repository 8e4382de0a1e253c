/**
 * `PUT /terminal/activity` on the terminal's local origin: the role pages say whether a citizen is
 * mid-flow (common/activity.ts), for the updater to install only when nobody is. Only the
 * terminal's own pages reach it (the local origin refuses other hosts and origins first).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ActivityBoard, parseActivityReport } from '../../common/activity.js';

const MAX_BODY = 1024;

function answer(res: ServerResponse, status: number, body?: unknown) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'cache-control': 'no-store',
    ...(text ? { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) } : {}),
  });
  res.end(text);
}

export function receiveActivity(req: IncomingMessage, res: ServerResponse, board: ActivityBoard): void {
  if (req.method !== 'PUT') {
    req.resume();
    res.setHeader('allow', 'PUT');
    answer(res, 405, { code: 'METHOD_NOT_ALLOWED', message: '只支持 PUT' });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.on('end', () => {
    if (size > MAX_BODY) return answer(res, 413, { code: 'BODY_TOO_LARGE', message: '请求体过大' });
    let report = null;
    try {
      report = parseActivityReport(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      report = null;
    }
    if (!report)
      return answer(res, 400, { code: 'INVALID_ACTIVITY', message: '须为 { "page": 页面名, "busy": true|false }' });
    board.report(report);
    answer(res, 204);
  });
}
