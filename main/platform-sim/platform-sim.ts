/**
 * `startPlatformSim`: a provincial 一体化政务服务平台 that behaves exactly as platform-api.md says,
 * on real HTTP with its own SQLite file, plus switchable faults (latency, 503, 429, lost answers
 * after commit, clock offset, partition) so the hall's sync can be tested against the bad days too.
 *
 * Request flow for /api/…: partition check → read body (≤ 1 MiB, else 413) → latency → authenticate
 * (sim-auth.ts) → 429 / 503 faults → route. Sim-only endpoints (/, /sim/…) are for testers: no
 * signature, no faults, so a partitioned simulator can still be switched back on.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dayChina, isoChina } from './china-time.js';
import { DEFAULT_CATALOG } from './default-catalog.js';
import { parseFaults, seededRandom } from './faults.js';
import { type NewSimAppointment, type SimAppointment, SimAppointments } from './sim-appointments.js';
import { authenticate, NonceCache } from './sim-auth.js';
import { renderSimPage } from './sim-page.js';
import { type BatchItem, SimStore } from './sim-store.js';
import type { Catalog, PlatformFaults, RecordResult, SimStats, StoredMaterial, StoredRecord } from './types.js';
import { checkRecord } from './validate-record.js';

export type { NewSimAppointment, SimAppointment } from './sim-appointments.js';
export type { Catalog, PlatformFaults, RecordResult, SimStats, StoredMaterial, StoredRecord } from './types.js';

export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 1024 * 1024;
/** v1.1: one material file is at most 10 MiB. */
export const MAX_MATERIAL_BYTES = 10 * 1024 * 1024;
const MATERIAL_TYPES = ['image/jpeg', 'image/png', 'application/pdf'];
/** Bodies beyond this are not even drained: the connection is cut. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
export const DB_FILE = 'platform-sim.db';

export interface PlatformSimOptions {
  port?: number;
  host?: string;
  /** Folder of the SQLite file; a temporary folder (removed on close) when absent. */
  dataDir?: string;
  halls: { hallCode: string; secret: string }[];
  faults?: PlatformFaults;
  /** Seed of the random source that decides which answers a fault rate hits (default 1). */
  seed?: number;
  catalog?: Catalog;
  /** Real clock (ms); the simulator's clock is this plus faults.clockOffsetMs. */
  now?: () => number;
}

export interface PlatformSim {
  url: string;
  port: number;
  setFaults(f: PlatformFaults): void;
  faults(): PlatformFaults;
  records(): StoredRecord[];
  /** Material files held (without their bytes), in the order first stored. */
  materials(): StoredMaterial[];
  materialBytes(sha256: string): Buffer | null;
  stats(): SimStats;
  setCatalog(c: Catalog): void;
  catalog(): Catalog;
  /** The simulator's clock (ms), i.e. real now + clockOffsetMs. */
  now(): number;
  /** Adds a hall or replaces its secret while running. */
  addHall(hallCode: string, secret: string): void;
  /** Books an appointment on the platform (listed by `GET /api/v1/appointments`). */
  addAppointment(a: NewSimAppointment): SimAppointment;
  /** Cancels a platform appointment; false when the hall has no such id. */
  cancelAppointment(hallCode: string, id: string): boolean;
  appointments(): (SimAppointment & { hallCode: string })[];
  close(): Promise<void>;
}

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_DRAIN_BYTES) {
        req.socket.destroy();
        return;
      }
      // Past the limit, keep draining without keeping, so the client can read our 413.
      if (size > limit) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('aborted'));
    });
  });
}

function send(res: ServerResponse, a: HttpAnswer): void {
  if (res.headersSent || res.destroyed) return;
  if (a.status === 304) {
    res.writeHead(304, a.headers);
    res.end();
    return;
  }
  const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
  res.writeHead(a.status, {
    'content-type': typeof a.body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...a.headers,
  });
  res.end(text);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const emptyStats = (): SimStats => ({
  accepted: 0,
  duplicate: 0,
  rejected: 0,
  requests: 0,
  refusedAuth: {},
  rejectedByCode: {},
  materials: { stored: 0, alreadyHeld: 0, refused: 0 },
  faults: { error503: 0, rateLimited429: 0, droppedAfterCommit: 0, partitioned: 0 },
});

export async function startPlatformSim(opts: PlatformSimOptions): Promise<PlatformSim> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'govhall-platform-sim-'));
  mkdirSync(dataDir, { recursive: true });
  const store = new SimStore(join(dataDir, DB_FILE));
  const secrets = new Map(opts.halls.map((h) => [h.hallCode, h.secret]));
  const nonces = new NonceCache();
  const random = seededRandom(opts.seed ?? 1);
  const realNow = opts.now ?? Date.now;
  let faults: PlatformFaults = { ...(opts.faults ?? {}) };
  let stats = emptyStats();
  let closed = false;
  let catalog: Catalog;
  let catalogJson = '';
  let etag = '';
  const setCatalog = (c: Catalog) => {
    catalog = structuredClone(c);
    catalogJson = JSON.stringify(catalog);
    // Strong ETag from the content, so a changed catalogue always gets a new one.
    etag = `"${createHash('sha256').update(catalogJson).digest('hex').slice(0, 24)}"`;
  };
  setCatalog(opts.catalog ?? DEFAULT_CATALOG);
  const simNow = () => realNow() + (faults.clockOffsetMs ?? 0);
  const appointments = new SimAppointments();
  const sockets = new Set<Socket>();
  let url = '';

  const bump = (m: Record<string, number>, k: string) => {
    m[k] = (m[k] ?? 0) + 1;
  };

  const retryAfter = () => ({ 'retry-after': String(faults.retryAfterSeconds ?? 1) });

  function handleBatch(hallCode: string, body: Buffer): HttpAnswer {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return new HttpAnswer(400, { code: 'MALFORMED', message: '请求体不是合法的 JSON' });
    }
    const b = parsed as { batchId?: unknown; records?: unknown };
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return new HttpAnswer(400, { code: 'MALFORMED', message: '请求体应为 JSON 对象' });
    }
    if (typeof b.batchId !== 'string' || b.batchId === '') {
      return new HttpAnswer(400, { code: 'MALFORMED', message: '缺少 batchId' });
    }
    if (!Array.isArray(b.records)) return new HttpAnswer(400, { code: 'MALFORMED', message: 'records 应为数组' });
    if (b.records.length > MAX_BATCH_RECORDS) {
      return new HttpAnswer(413, { code: 'TOO_LARGE', message: `一批最多 ${MAX_BATCH_RECORDS} 条记录` });
    }
    // Without an id a record cannot be answered (results carry the id): the batch is unreadable.
    for (const [i, r] of b.records.entries()) {
      const id = (r as { id?: unknown } | null)?.id;
      if (typeof r !== 'object' || r === null || typeof id !== 'string' || id === '' || id.length > 100) {
        return new HttpAnswer(400, { code: 'MALFORMED', message: `第 ${i + 1} 条记录没有可读的 id` });
      }
    }
    const now = simNow();
    const ctx = { reasonCodes: new Set(catalog.evaluationReasons.map((r) => r.code)), today: dayChina(now) };
    const items: BatchItem[] = (b.records as Record<string, unknown>[]).map((r) => {
      const id = r.id as string;
      return {
        kind: 'pending',
        id,
        check: () => {
          const c = checkRecord(id, r, ctx);
          if (!c.ok) return { result: { id, status: 'rejected', code: c.code, message: c.message } };
          // A check-in or no-show is reported only for an appointment made on the platform.
          if (c.record.parsed.kind === 'appointment' && !appointments.has(hallCode, c.record.parsed.appointmentId)) {
            const message = `平台没有本大厅的预约 ${c.record.parsed.appointmentId}（只上报平台预约的签到与爽约）`;
            return { result: { id, status: 'rejected', code: 'UNKNOWN_APPOINTMENT', message } };
          }
          return { record: c.record };
        },
      };
    });
    const results: RecordResult[] = store.applyBatch(hallCode, b.batchId, items, now);
    for (const r of results) {
      stats[r.status]++;
      if (r.code) bump(stats.rejectedByCode, r.code);
    }
    return new HttpAnswer(200, { results });
  }

  function handleMaterial(hallCode: string, rawHash: string, req: IncomingMessage, body: Buffer): HttpAnswer {
    const refuse = (status: number, code: string, message: string) => {
      stats.materials.refused++;
      bump(stats.rejectedByCode, code);
      return new HttpAnswer(status, { code, message });
    };
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (!MATERIAL_TYPES.includes(type)) {
      return refuse(400, 'SCHEMA', `材料类型应为 ${MATERIAL_TYPES.join('、')} 之一，收到「${type || '无'}」`);
    }
    const rawName = req.headers['x-material-name'];
    let name = '';
    try {
      name = typeof rawName === 'string' ? decodeURIComponent(rawName).trim() : '';
    } catch {
      name = '';
    }
    if (!name) return refuse(400, 'SCHEMA', '缺少 X-Material-Name（URL 编码的材料名称）');
    const sha256 = rawHash.toLowerCase();
    const actual = createHash('sha256').update(body).digest('hex');
    if (actual !== sha256) {
      return refuse(400, 'HASH_MISMATCH', `文件内容的 SHA-256 为 ${actual}，与地址中的 ${rawHash} 不符`);
    }
    const created = store.putMaterial({ sha256, name, contentType: type, bytes: body, hallCode }, simNow());
    if (created) stats.materials.stored++;
    else stats.materials.alreadyHeld++;
    return new HttpAnswer(created ? 201 : 200, { sha256, size: body.length });
  }

  function route(method: string, path: string, hallCode: string, req: IncomingMessage, body: Buffer): HttpAnswer {
    const mm = /^\/api\/v1\/materials\/([^/]+)$/.exec(path);
    if (mm) {
      if (method !== 'PUT') return new HttpAnswer(405, { code: 'METHOD_NOT_ALLOWED', message: '请用 PUT' });
      return handleMaterial(hallCode, mm[1]!, req, body);
    }
    if (path === '/api/v1/records:batch') {
      if (method !== 'POST') return new HttpAnswer(405, { code: 'METHOD_NOT_ALLOWED', message: '请用 POST' });
      return handleBatch(hallCode, body);
    }
    if (path === '/api/v1/catalog') {
      if (method !== 'GET') return new HttpAnswer(405, { code: 'METHOD_NOT_ALLOWED', message: '请用 GET' });
      const inm = req.headers['if-none-match'];
      const tags = (inm ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
      if (inm && (tags.includes(etag) || tags.includes('*'))) return new HttpAnswer(304, null, { etag });
      return new HttpAnswer(200, JSON.parse(catalogJson), { etag });
    }
    if (path === '/api/v1/appointments') {
      if (method !== 'GET') return new HttpAnswer(405, { code: 'METHOD_NOT_ALLOWED', message: '请用 GET' });
      const q = new URL(req.url ?? '/', 'http://sim').searchParams;
      const day = q.get('day') ?? '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
        return new HttpAnswer(400, { code: 'SCHEMA', message: '参数 day 应为 YYYY-MM-DD' });
      }
      if ((q.get('hallCode') ?? hallCode) !== hallCode) {
        return new HttpAnswer(403, { code: 'FORBIDDEN', message: '只能查询本大厅的预约' });
      }
      const { body: list, etag: tag } = appointments.list(hallCode, day);
      const inm = req.headers['if-none-match'];
      const tags = (inm ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
      if (inm && (tags.includes(tag) || tags.includes('*'))) return new HttpAnswer(304, null, { etag: tag });
      return new HttpAnswer(200, list, { etag: tag });
    }
    const m = /^\/api\/v1\/cases\/([^/]+)\/progress$/.exec(path);
    if (m) {
      if (method !== 'GET') return new HttpAnswer(405, { code: 'METHOD_NOT_ALLOWED', message: '请用 GET' });
      let projectNo: string;
      try {
        projectNo = decodeURIComponent(m[1]!);
      } catch {
        return new HttpAnswer(404, { code: 'NOT_FOUND', message: '没有该办件' });
      }
      const p = store.progress(projectNo);
      return p ? new HttpAnswer(200, p) : new HttpAnswer(404, { code: 'NOT_FOUND', message: `没有办件 ${projectNo}` });
    }
    return new HttpAnswer(404, { code: 'NOT_FOUND', message: '没有这个接口' });
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const path = rawUrl.split('?')[0] ?? rawUrl;
    stats.requests++;
    const cut = () => {
      stats.faults.partitioned++;
      req.socket.destroy();
    };
    if (faults.partitioned) return cut();
    const isMaterial = path.startsWith('/api/v1/materials/');
    const { body, tooLarge } = await readBody(req, isMaterial ? MAX_MATERIAL_BYTES : MAX_BATCH_BYTES);
    if (faults.latencyMs) await sleep(faults.latencyMs);
    if (closed) return;
    // The partition may have begun while this request waited.
    if (faults.partitioned) return cut();
    if (tooLarge) {
      if (isMaterial) stats.materials.refused++;
      const message = isMaterial ? '材料文件超过 10 MiB' : '请求体超过 1 MiB';
      send(res, new HttpAnswer(413, { code: 'TOO_LARGE', message }, { connection: 'close' }));
      return;
    }
    const auth = authenticate({
      method,
      pathWithQuery: rawUrl,
      headers: req.headers,
      body,
      secrets,
      nonces,
      now: simNow(),
    });
    if (!auth.ok) {
      bump(stats.refusedAuth, auth.code);
      const { ok: _ok, ...answer } = auth;
      send(res, new HttpAnswer(401, answer));
      return;
    }
    if (faults.rateLimitRate && random() < faults.rateLimitRate) {
      stats.faults.rateLimited429++;
      send(res, new HttpAnswer(429, { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后重试' }, retryAfter()));
      return;
    }
    if (faults.errorRate && random() < faults.errorRate) {
      stats.faults.error503++;
      send(res, new HttpAnswer(503, { code: 'UNAVAILABLE', message: '平台暂时不可用，请稍后重试' }, retryAfter()));
      return;
    }
    const answer = route(method, path, auth.hallCode, req, body);
    if (
      (path === '/api/v1/records:batch' || isMaterial) &&
      (answer.status === 200 || answer.status === 201) &&
      faults.dropAfterCommitRate &&
      random() < faults.dropAfterCommitRate
    ) {
      // Committed above; the answer is lost on the way back.
      stats.faults.droppedAfterCommit++;
      req.socket.destroy();
      return;
    }
    send(res, answer);
  }

  function handleSim(req: IncomingMessage, body: Buffer): HttpAnswer {
    const method = req.method ?? 'GET';
    const u = new URL(req.url ?? '/', 'http://sim');
    const path = u.pathname;
    if (path === '/' && method === 'GET') {
      return new HttpAnswer(
        200,
        renderSimPage({
          url,
          halls: [...secrets.keys()],
          catalogVersion: catalog.version,
          catalogItems: catalog.items.length,
          faults,
          stats,
          total: store.count(),
          materials: store.materials().slice(-100).reverse(),
          cases: store.cases(),
          latest: store.latest(100),
          serverTime: isoChina(simNow()),
        }),
      );
    }
    if (path === '/sim/records' && method === 'GET') {
      const kind = u.searchParams.get('kind');
      const hall = u.searchParams.get('hallCode');
      const records = store.records().filter((r) => (!kind || r.kind === kind) && (!hall || r.hallCode === hall));
      return new HttpAnswer(200, { count: records.length, records });
    }
    if (path === '/sim/appointments') {
      if (method === 'GET') return new HttpAnswer(200, { appointments: appointments.all() });
      if (method !== 'POST') return new HttpAnswer(405, { code: 'METHOD_NOT_ALLOWED', message: '请用 GET 或 POST' });
      try {
        const v = JSON.parse(body.toString('utf8') || '{}') as NewSimAppointment & { cancel?: string };
        if (typeof v.hallCode !== 'string') throw new Error('需要 hallCode');
        if (typeof v.cancel === 'string') {
          return appointments.cancel(v.hallCode, v.cancel)
            ? new HttpAnswer(200, { cancelled: v.cancel })
            : new HttpAnswer(404, { code: 'NOT_FOUND', message: `没有预约 ${v.cancel}` });
        }
        return new HttpAnswer(201, appointments.add(v));
      } catch (e) {
        return new HttpAnswer(400, { code: 'SCHEMA', message: (e as Error).message });
      }
    }
    if (path === '/sim/materials' && method === 'GET') {
      const materials = store.materials();
      return new HttpAnswer(200, { count: materials.length, materials });
    }
    if (path === '/sim/stats' && method === 'GET') {
      return new HttpAnswer(200, { ...stats, stored: store.count(), serverTime: simNow() });
    }
    if (path === '/sim/faults') {
      if (method === 'GET') return new HttpAnswer(200, faults);
      if (method === 'POST') {
        let v: unknown;
        try {
          v = JSON.parse(body.toString('utf8') || '{}');
        } catch {
          return new HttpAnswer(400, { code: 'MALFORMED', message: '请求体不是合法的 JSON' });
        }
        const f = parseFaults(v);
        if (!f.ok) return new HttpAnswer(400, { code: 'SCHEMA', message: f.message });
        setFaults(f.faults);
        return new HttpAnswer(200, faults);
      }
      return new HttpAnswer(405, { code: 'METHOD_NOT_ALLOWED', message: '请用 GET 或 POST' });
    }
    return new HttpAnswer(404, { code: 'NOT_FOUND', message: '没有这个页面' });
  }

  function setFaults(f: PlatformFaults): void {
    faults = { ...f };
    // "Unreachable at once": cut every open connection, including idle keep-alive ones.
    if (faults.partitioned) for (const s of sockets) s.destroy();
  }

  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const work = path.startsWith('/api/')
      ? handleApi(req, res)
      : readBody(req, 64 * 1024).then(({ body, tooLarge }) =>
          send(
            res,
            tooLarge ? new HttpAnswer(413, { code: 'TOO_LARGE', message: '请求体过大' }) : handleSim(req, body),
          ),
        );
    work.catch(() => {
      // An aborted upload or a request cut by close(): nothing to answer.
      if (!res.headersSent && !res.destroyed && !closed) {
        send(res, new HttpAnswer(500, { code: 'INTERNAL', message: '模拟器内部错误' }));
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${addr.port}`;

  return {
    url,
    port: addr.port,
    setFaults,
    faults: () => ({ ...faults }),
    records: () => store.records(),
    materials: () => store.materials(),
    materialBytes: (sha256) => store.materialBytes(sha256.toLowerCase()),
    stats: () => structuredClone(stats),
    setCatalog,
    catalog: () => structuredClone(catalog),
    now: simNow,
    addHall: (hallCode, secret) => {
      secrets.set(hallCode, secret);
    },
    addAppointment: (a) => appointments.add(a),
    cancelAppointment: (hallCode, id) => appointments.cancel(hallCode, id),
    appointments: () => appointments.all(),
    close: async () => {
      if (closed) return;
      closed = true;
      const done = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await done;
      store.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      stats = emptyStats();
    },
  };
}
