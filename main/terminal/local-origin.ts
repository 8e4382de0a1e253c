/**
 * The terminal's local origin (http://127.0.0.1:PORT): its role pages, its own pages (pairing,
 * hub unreachable, waiting), the device bridge served from this PC's devices, and every other
 * `/api/v1` call and live socket forwarded to the hub with the terminal's credentials. Pages there
 * never hold the terminal's token and their CSP can be `connect-src 'self'`.
 *
 * It answers only requests addressed to itself (the Host is 127.0.0.1 or localhost at its port —
 * no DNS rebinding) and coming from its own pages (a cross-site Origin or Sec-Fetch-Site is
 * refused), so another site open on the same PC cannot use the terminal's credentials.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ACTIVITY_PATH, type ActivityBoard } from '../../common/activity.js';
import { receiveActivity } from './activity-endpoint.js';
import { LOCAL_BRIDGE_PATH } from './local-bridge.js';
import {
  destination,
  NEXT_PATH,
  OFFLINE_PATH,
  offlinePage,
  PAIRING_PATH,
  pairingPage,
  WAITING_PATH,
  waitingPage,
  windowPath,
} from './local-pages.js';
import { DEFAULT_UI_ROOT, findRoleFile, PAGE_HEADERS, sendRoleFile } from './role-pages.js';
import type { TerminalState } from './terminal-types.js';

export interface LocalOriginOptions {
  terminalId: string;
  hubUrl: string;
  name?: string | null;
  /** Default 0 (any free port). */
  port?: number;
  uiRoot?: string;
  state(): TerminalState;
  proxy: {
    http(req: IncomingMessage, res: ServerResponse): void;
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  };
  bridge: { upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void };
  /** Where the pages' busy/idle reports go (the updater waits for idle). */
  activity?: ActivityBoard;
}

export interface LocalOrigin {
  url: string;
  port: number;
  close(): Promise<void>;
}

const FORWARDED_SOCKETS = new Set(['/api/v1/events', '/api/v1/pads']);

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
const redirect = (res: ServerResponse, to: string) =>
  res.writeHead(302, { location: to, 'cache-control': 'no-store' }).end();

export async function startLocalOrigin(o: LocalOriginOptions): Promise<LocalOrigin> {
  const root = o.uiRoot ?? DEFAULT_UI_ROOT;
  let port = 0;

  /** Only requests addressed to this origin, from its own pages (or from no page at all). */
  const foreign = (req: IncomingMessage): string | null => {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return '地址不对 / wrong host';
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`)
      return '来源不对 / foreign origin';
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return '来源不对 / cross-site request';
    return null;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const refused = foreign(req);
    if (refused) return send(res, 403, 'text/plain; charset=utf-8', refused);
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    const state = o.state();
    const to = url.searchParams.get('to');

    if (path === ACTIVITY_PATH && o.activity) return receiveActivity(req, res, o.activity);
    // Recorded announcement clips live on the hub (a display plays them); no credentials needed there.
    if (path.startsWith('/clips/') && state.kind === 'running') return o.proxy.http(req, res);
    if (path.startsWith('/api/')) {
      if (state.kind === 'pairing' || state.kind === 'starting')
        return json(res, 503, {
          code: 'TERMINAL_NOT_PAIRED',
          message: '本终端尚未配对，请在管理后台输入屏幕上的配对码',
        });
      return o.proxy.http(req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain; charset=utf-8', '只支持 GET / only GET', { allow: 'GET, HEAD' });
    const html = (body: string) => send(res, 200, 'text/html; charset=utf-8', body, PAGE_HEADERS);

    switch (path) {
      case '/':
        return redirect(res, destination(state, null));
      case NEXT_PATH:
        return redirect(res, destination(state, to));
      case PAIRING_PATH:
        if (state.kind !== 'pairing' && state.kind !== 'starting') return redirect(res, destination(state, null));
        return html(pairingPage(state, o.terminalId, o.hubUrl, o.name ?? null));
      case OFFLINE_PATH:
        return html(offlinePage(to));
      case WAITING_PATH:
        return html(waitingPage(state.kind === 'waiting' ? state.problem : null, to));
      case '/terminal/state':
        return json(res, 200, {
          kind: state.kind,
          terminalId: o.terminalId,
          ...(state.kind === 'pairing' ? { code: state.code } : {}),
          ...(state.kind === 'running'
            ? { hubReachable: state.hubReachable, pages: state.config.windows.map((w) => windowPath(state.config, w)) }
            : {}),
        });
      case '/favicon.ico':
        return res.writeHead(204, { 'cache-control': 'public, max-age=86400' }).end();
    }

    const roles = state.kind === 'running' ? state.config.windows.map((w) => w.role as string) : [];
    const file = findRoleFile(root, path, roles);
    if (!file) {
      // A role page while paired elsewhere, unpaired or waiting: send the window where it belongs.
      if (/^\/[a-z]+\/?$/.test(path) && path !== '/assets/')
        return redirect(res, destination(state, `${path}${url.search}`));
      return send(res, 404, 'text/plain; charset=utf-8', '页面不存在 / not found');
    }
    if (file.path.endsWith('.html')) {
      const where = destination(state, `${path}${url.search}`);
      if (where !== `${path}${url.search}`) return redirect(res, where);
    }
    if (path.match(/^\/[a-z]+$/)) return redirect(res, `${path}/${url.search}`);
    return sendRoleFile(req, res, file);
  };

  const server = createServer(handle);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const deny = (status: string) => socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    if (foreign(req)) return deny('403 Forbidden');
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    const state = o.state();
    if (state.kind !== 'running' && state.kind !== 'waiting') return deny('503 Service Unavailable');
    if (path === LOCAL_BRIDGE_PATH) return o.bridge.upgrade(req, socket, head);
    if (FORWARDED_SOCKETS.has(path)) return o.proxy.upgrade(req, socket, head);
    deny('404 Not Found');
  });
  server.on('clientError', (_e, socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
