/**
 * Forwards the pages' `/api/v1/*` calls and their live-event and pad WebSockets to the hub, adding
 * the terminal's `Authorization` when a page sends none (a counter page's staff session is its
 * own and passes as it is). A token a page puts in the address (`?token=`) is dropped; cookies and
 * the page's origin never reach the hub. A hub that cannot be reached is answered `503
 * HUB_UNREACHABLE` in Chinese; a 401 to a call made with the terminal's token is reported, so the
 * terminal can check whether it was revoked.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';

export interface HubProxyOptions {
  hubUrl: string;
  /** The terminal's token now (null while unpaired). */
  token(): string | null;
  /** A call carrying the terminal's token was answered 401. */
  unauthorized(): void;
  timeoutMs?: number;
}

const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'origin',
  'referer',
  'cookie',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
]);

function forwardHeaders(
  h: IncomingHttpHeaders,
  token: string | null,
): { headers: Record<string, string>; ours: boolean } {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || HOP.has(k) || k.startsWith('sec-fetch-')) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  const ours = !out.authorization && token !== null;
  if (ours) out.authorization = `Bearer ${token}`;
  return { headers: out, ours };
}

/** The hub path of a page's request, without a `?token=` a page may still put there. */
function hubPath(url: string): string {
  const u = new URL(url, 'http://local');
  u.searchParams.delete('token');
  return `${u.pathname}${u.search}`;
}

function unreachable(res: ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ code: 'HUB_UNREACHABLE', message: '暂时无法连接大厅中枢，请稍后再试或咨询工作人员' });
  res.writeHead(503, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'retry-after': '5',
  });
  res.end(body);
}

export function createHubProxy(o: HubProxyOptions) {
  const hub = new URL(o.hubUrl);
  const request = hub.protocol === 'https:' ? httpsRequest : httpRequest;
  const target = (path: string) => ({
    protocol: hub.protocol,
    hostname: hub.hostname,
    port: hub.port || (hub.protocol === 'https:' ? 443 : 80),
    path,
  });

  return {
    /** Forwards one HTTP request; the answer streams back as the hub sends it. */
    http(req: IncomingMessage, res: ServerResponse): void {
      const { headers, ours } = forwardHeaders(req.headers, o.token());
      const up = request({ ...target(hubPath(req.url ?? '/')), method: req.method, headers }, (hubRes) => {
        if (hubRes.statusCode === 401 && ours) o.unauthorized();
        const h: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(hubRes.headers)) {
          if (v !== undefined && !HOP.has(k) && k !== 'access-control-allow-origin') h[k] = v;
        }
        res.writeHead(hubRes.statusCode ?? 502, h);
        hubRes.pipe(res);
      });
      up.setTimeout(o.timeoutMs ?? 30_000, () => up.destroy(new Error('timeout')));
      up.on('error', () => unreachable(res));
      req.pipe(up);
    },

    /** Forwards a WebSocket upgrade byte for byte once the hub has accepted it. */
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const { headers, ours } = forwardHeaders(req.headers, o.token());
      for (const k of [
        'sec-websocket-key',
        'sec-websocket-version',
        'sec-websocket-extensions',
        'sec-websocket-protocol',
      ]) {
        const v = req.headers[k];
        if (typeof v === 'string') headers[k] = v;
      }
      headers.connection = 'Upgrade';
      headers.upgrade = 'websocket';
      const up = request({ ...target(hubPath(req.url ?? '/')), method: 'GET', headers });
      up.setTimeout(o.timeoutMs ?? 30_000, () => up.destroy(new Error('timeout')));
      up.on('upgrade', (hubRes, hubSocket, hubHead) => {
        up.setTimeout(0);
        const lines = [`HTTP/1.1 101 ${hubRes.statusMessage ?? 'Switching Protocols'}`];
        for (let i = 0; i < hubRes.rawHeaders.length; i += 2)
          lines.push(`${hubRes.rawHeaders[i]}: ${hubRes.rawHeaders[i + 1]}`);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (hubHead.length) socket.write(hubHead);
        if (head.length) hubSocket.write(head);
        hubSocket.pipe(socket);
        socket.pipe(hubSocket);
        const end = () => {
          hubSocket.destroy();
          socket.destroy();
        };
        hubSocket.on('error', end);
        socket.on('error', end);
        hubSocket.on('close', end);
        socket.on('close', end);
      });
      up.on('response', (hubRes) => {
        if (hubRes.statusCode === 401 && ours) o.unauthorized();
        socket.end(
          `HTTP/1.1 ${hubRes.statusCode} ${hubRes.statusMessage ?? ''}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`,
        );
        hubRes.resume();
      });
      up.on('error', () => {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      });
      up.end();
    },
  };
}
