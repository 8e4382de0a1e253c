/**
 * A request exactly as written — path bytes, headers, body — with node:http rather than fetch,
 * because fetch normalises what a fuzz test wants to send (`..` segments, percent-encoding, header
 * forms). Transport failures are answers too (`status: 0`), never exceptions.
 */
import { Agent, request } from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent as is: `/api/v1/tickets/%E0%A4%A`. */
  path: string;
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface RawReply {
  /** 0 when the hub answered nothing (connection reset, timeout). */
  status: number;
  contentType: string;
  text: string;
  transportError?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export function rawRequest(base: string, r: RawRequest, timeoutMs = 30_000): Promise<RawReply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    let settled = false;
    const done = (reply: RawReply) => {
      if (settled) return;
      settled = true;
      resolve(reply);
    };
    const headers = { ...r.headers };
    if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
    let req: ReturnType<typeof request>;
    try {
      req = request({ agent, hostname, port, method: r.method, path: r.path, headers, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', (e) => done({ status: 0, contentType: '', text: '', transportError: e.message }));
      });
    } catch (e) {
      // The client itself refused the request (a character node:http will not send): not the hub's doing.
      done({ status: -1, contentType: '', text: '', transportError: (e as Error).message });
      return;
    }
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (e) => done({ status: 0, contentType: '', text: '', transportError: e.message }));
    req.end(r.body);
  });
}

export const closeRawAgent = () => agent.destroy();
