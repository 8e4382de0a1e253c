/**
 * A ByteLink over raw TCP, as network receipt printers offer on port 9100 (a plain byte pipe, no
 * protocol of its own: ESC/POS in, status bytes out). Errors are `TransportError`s naming
 * `host:port` with what to check; a dropped connection closes the link (`onClose`), so the
 * reconnecting link can dial again.
 */
import { connect, type Socket } from 'node:net';
import type { ByteLink } from './byte-link.js';
import { LinkListeners } from './link-listeners.js';
import { TransportError, type TransportErrorCode, transportError } from './transport-error.js';

export const RAW_PRINT_PORT = 9100;

export interface TcpLinkOptions {
  host: string;
  /** Default 9100. */
  port?: number;
  /** Give up connecting after this long (ms, default 3000). */
  connectTimeoutMs?: number;
  /** TCP keep-alive so a printer switched off is noticed on an idle link (default on). */
  keepAlive?: boolean;
}

export interface TcpLink extends ByteLink {
  /** `host:port`. */
  readonly address: string;
  readonly isOpen: boolean;
  /** Called once when the link closes: `null` when closed by `close()`, else why it was lost. */
  onClose(listener: (reason: TransportError | null) => void): () => void;
}

/** Parses `HOST`, `HOST:PORT` or `[v6]:PORT`; null when malformed. */
export function parseHostPort(text: string, defaultPort = RAW_PRINT_PORT): { host: string; port: number } | null {
  const m = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(text) ?? /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text);
  if (!m?.[1]) return null;
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: m[1], port };
}

function tcpError(err: unknown, address: string): TransportError {
  if (err instanceof TransportError) return err;
  const code = (err as { code?: string } | null)?.code ?? '';
  const make = (c: TransportErrorCode, msg: string) => new TransportError(c, address, msg);
  switch (code) {
    case 'ECONNREFUSED':
      return make('PORT_NOT_FOUND', `${address} 拒绝连接：请检查打印机 IP 地址、端口（通常为 9100）和电源`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make('PORT_NOT_FOUND', `找不到主机 ${address}：请检查打印机的 IP 地址或主机名`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return make('PORT_NOT_FOUND', `无法到达 ${address}：请检查网线、交换机和打印机的网络设置`);
    case 'EACCES':
    case 'EPERM':
      return make('PORT_FORBIDDEN', `不允许连接 ${address}：请检查本机防火墙设置`);
    case 'ECONNRESET':
    case 'EPIPE':
      return transportError('PORT_CLOSED', address);
    case 'ETIMEDOUT':
      return transportError('TIMEOUT', address, '连接超时');
    default:
      return transportError('IO', address, (err as Error)?.message?.split('\n')[0] ?? String(err));
  }
}

export async function openTcpLink(opts: TcpLinkOptions): Promise<TcpLink> {
  const port = opts.port ?? RAW_PRINT_PORT;
  const address = opts.host.includes(':') ? `[${opts.host}]:${port}` : `${opts.host}:${port}`;
  const timeoutMs = opts.connectTimeoutMs ?? 3000;
  const socket: Socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: opts.host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(transportError('TIMEOUT', address, `${timeoutMs} 毫秒内未能建立连接`));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', (err) => {
      clearTimeout(timer);
      s.destroy();
      reject(tcpError(err, address));
    });
  });
  socket.setNoDelay(true);
  if (opts.keepAlive !== false) socket.setKeepAlive(true, 5000);

  const events = new LinkListeners();

  socket.on('data', (b: Buffer) => events.emit(Uint8Array.from(b)));
  socket.on('error', (err) => {
    events.lastError = tcpError(err, address);
  });
  // The printer (or the network) ended the connection: lost, unless we closed it ourselves.
  socket.on('close', () => events.finish(events.lastError ?? transportError('PORT_CLOSED', address)));
  socket.on('end', () => socket.end());

  return {
    address,
    get isOpen() {
      return !events.closed && !socket.destroyed;
    },
    write(data) {
      if (events.closed || socket.destroyed) return Promise.reject(transportError('PORT_CLOSED', address));
      return new Promise<void>((resolve, reject) => {
        socket.write(data, (err) => {
          if (!err) return resolve();
          const e = tcpError(err, address);
          reject(e.code === 'IO' ? transportError('PORT_CLOSED', address) : e);
        });
      });
    },
    onData: events.onData,
    onClose: events.onClose,
    close() {
      if (events.closed) return Promise.resolve();
      events.finish(null);
      events.clearData();
      return new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end();
        // A printer that never acknowledges the FIN must not keep us waiting.
        setTimeout(() => socket.destroy(), 500).unref();
      });
    },
  };
}
