/** A WebSocket test client that queues JSON messages and waits for one of a type (bounded). */
import WebSocket from 'ws';

export interface JsonSocket {
  ws: WebSocket;
  messages: Record<string, any>[];
  send(msg: unknown): void;
  next(type: string, timeoutMs?: number, where?: (m: Record<string, any>) => boolean): Promise<Record<string, any>>;
  closed: Promise<{ code: number }>;
  close(): void;
}

export async function openJsonSocket(url: string): Promise<JsonSocket> {
  const ws = new WebSocket(url);
  const messages: Record<string, any>[] = [];
  let seen = 0;
  const waiters = new Set<() => void>();
  ws.on('message', (d) => {
    messages.push(JSON.parse(d.toString()));
    for (const w of waiters) w();
  });
  const closed = new Promise<{ code: number }>((resolve) => ws.on('close', (code) => resolve({ code })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return {
    ws,
    messages,
    closed,
    send: (m) => ws.send(JSON.stringify(m)),
    close: () => ws.close(),
    // Without `where`: the next message of that type after the last one taken. With `where`: any
    // message so far that matches (order between different types is not guaranteed).
    next: (type, timeoutMs = 15_000, where) =>
      new Promise((resolve, reject) => {
        const check = () => {
          for (let i = where ? 0 : seen; i < messages.length; i++) {
            if (messages[i]!.type === type && (!where || where(messages[i]!))) {
              if (!where) seen = i + 1;
              waiters.delete(check);
              clearTimeout(t);
              resolve(messages[i]!);
              return;
            }
          }
        };
        const t = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} within ${timeoutMs} ms; got ${JSON.stringify(messages.slice(seen))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

/** Opens a pad connection at `url` and signs in with `hello`; resolves once the hub says `welcome`. */
export async function signInPad(
  url: string,
  token: string,
  extra: Record<string, unknown> = {},
): Promise<{ s: JsonSocket; welcome: Record<string, any> }> {
  const s = await openJsonSocket(url);
  s.send({ type: 'hello', token, protocol: 1, vendor: 'TestVendor', model: 'P10', ...extra });
  return { s, welcome: await s.next('welcome') };
}

/** A round trip on the pad's own connection: everything the hub sent before it has arrived. */
export async function pingPong(s: JsonSocket): Promise<Record<string, any>> {
  s.send({ type: 'ping' });
  return s.next('pong');
}
