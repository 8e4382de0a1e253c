/**
 * The hall configuration, changed by the hall manager while the hall runs (docs/hub-api-extensions.md):
 * - `GET  /admin/config`        the running config (PIN hashes never leave the hub);
 * - `POST /admin/config/check`  validate a change and preview the announcement, without applying it;
 * - `PUT  /admin/config`        validate (the same zod schema and semantic checks as `config check`,
 *   plus "not in use" checks against the running queue), write the YAML back atomically when the hub
 *   has a config file of its own, apply to the running engine, audit, and emit `config.changed`.
 * Only whole sections are replaced: services, windows, staff, priority, announcement, ticketText, devices.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { configChangeBody } from '../../common/api/requests.js';
import { adminRoutes as api } from '../../common/api/routes.js';
import { pinProblem } from '../../common/pin-policy.js';
import { isDemoHallFile } from '../../kiosk-config/demo-hall.js';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { checkHallConfigText, semanticChecks } from '../../kiosk-config/load.js';
import { hashPin } from '../../kiosk-config/pin-hash.js';
import { hallSchema, toHallConfig } from '../../kiosk-config/schema.js';
import type { StoredEvent } from '../queue/repository.js';
import type { Actor } from '../queue/types.js';
import {
  type AdminConfigApplied,
  type AdminConfigCheck,
  type AdminConfigProblem,
  type AdminConfigView,
  EDITABLE_SECTIONS,
  type EditableSection,
} from './admin/types.js';
import { ApiError, sendJson } from './http-kit.js';
import type { HubContext, HubPlugin } from './hub-plugin.js';

export interface AdminConfigPluginOptions {
  /** The hall YAML the hub was started from; changes are written back to it when `persist` is true. */
  configPath?: string | null;
  /**
   * False for the built-in demo hall: its file belongs to the installation, changes live until
   * restart. The demo file is never written whatever this says (`isDemoHallFile`, real paths).
   */
  persist?: boolean;
  /** A folder of recorded announcement clips served at `/clips/` (one file per character, see the display). */
  clipsDir?: string | null;
}

const CLIP_EXT = /\.(mp3|ogg|wav|m4a)$/i;
const CLIP_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
};

type ConfigChange = z.output<typeof configChangeBody>;

/** A stand-in hash for a PIN that will be hashed only if the change is applied (scrypt is slow). */
const PLACEHOLDER_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function configVersion(c: HallConfig): string {
  return createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 16);
}

export function configView(c: HallConfig, persisted: boolean): AdminConfigView {
  const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
  return {
    version: configVersion(c),
    persisted,
    hall: { code: c.hall.code, name: c.hall.name, areaCode: c.hall.areaCode, timeZone: c.hall.timeZone },
    services: clone(c.services),
    windows: clone(c.windows),
    staff: c.staff.map((s) => ({ no: s.no, name: s.name, role: s.role, windows: [...s.windows], hasPin: !!s.pinHash })),
    priority: clone(c.priority) as AdminConfigView['priority'],
    announcement: clone(c.announcement),
    ticketText: clone(c.ticketText),
    ...(c.devices ? { devices: clone(c.devices) } : {}),
  };
}

const pathText = (path: PropertyKey[]) =>
  path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');

function zodMessage(issue: z.core.$ZodIssue): string {
  const i = issue as z.core.$ZodIssue & { input?: unknown; keys?: string[] };
  if (i.code === 'unrecognized_keys') return `不认识的字段：${(i.keys ?? []).join('、')}`;
  if (i.code === 'invalid_type' && i.input === undefined) return '必填';
  if (/^(Invalid|Too|Expected)/.test(i.message)) return '取值无效';
  return i.message;
}

export interface PreparedChange {
  sections: EditableSection[];
  problems: AdminConfigProblem[];
  /** Problems caused by the running queue (a window in use, tickets waiting), not by the input. */
  inUse: AdminConfigProblem[];
  /** The new config when there are no problems. */
  config: HallConfig | null;
  /** Staff numbers whose PIN is set by this change. */
  pinChanged: string[];
}

export interface RunningState {
  openWindows: Map<number, { state: string; staffNo: string | null }>;
  waitingByService: Map<string, number>;
}

/**
 * Merges whole sections into the running config and validates the result exactly as a config file
 * is validated. `hashPins` false leaves placeholders (a dry run must not spend scrypt time).
 */
export function prepareChange(
  current: HallConfig,
  change: ConfigChange,
  running: RunningState,
  hashPins: boolean,
): PreparedChange {
  const sections = EDITABLE_SECTIONS.filter((s) => change[s] !== undefined);
  const problems: AdminConfigProblem[] = [];
  const inUse: AdminConfigProblem[] = [];
  const pinChanged: string[] = [];
  // JSON keeps every field of the running config, including those other features added (devices, platform).
  const raw = JSON.parse(JSON.stringify(current)) as Record<string, unknown>;
  for (const s of sections) {
    if (s === 'staff') continue;
    raw[s] = change[s];
  }
  if (change.staff) {
    const oldByNo = new Map(current.staff.map((s) => [s.no, s]));
    raw.staff = change.staff.map((s, i) => {
      let pinHash = oldByNo.get(s.no)?.pinHash;
      const pinRefused = s.pin ? pinProblem(s.pin, { demo: current.hall.demo === true }) : null;
      if (pinRefused) problems.push({ path: `staff[${i}].pin`, message: pinRefused });
      else if (s.pin) {
        pinHash = hashPins ? hashPin(s.pin) : PLACEHOLDER_HASH;
        pinChanged.push(s.no);
      }
      if (!pinHash && !pinRefused)
        problems.push({ path: `staff[${i}].pin`, message: `新工作人员 ${s.no} 需要设置 PIN` });
      return {
        no: s.no,
        name: s.name,
        ...(s.role ? { role: s.role } : {}),
        windows: s.windows,
        pinHash: pinHash ?? PLACEHOLDER_HASH,
      };
    });
  }
  const parsed = hallSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ path: pathText(issue.path), message: zodMessage(issue) });
    return { sections, problems, inUse, config: null, pinChanged };
  }
  const config = toHallConfig(parsed.data);
  semanticChecks(config, (path, message) => problems.push({ path: pathText(path), message }));

  // What the running hall still needs may not disappear under it.
  const windowNos = new Set(config.windows.map((w) => w.no));
  for (const [no, w] of running.openWindows) {
    if (!windowNos.has(no))
      inUse.push({ path: 'windows', message: `${no} 号窗口正在使用（工号 ${w.staffNo ?? '-'}），请先签退再删除` });
  }
  const serviceCodes = new Set(config.services.map((s) => s.code));
  for (const [code, waiting] of running.waitingByService) {
    if (waiting > 0 && !serviceCodes.has(code))
      inUse.push({ path: 'services', message: `业务「${code}」还有 ${waiting} 人等候，不能删除` });
  }
  const staffNos = new Set(config.staff.map((s) => s.no));
  for (const [no, w] of running.openWindows) {
    if (w.staffNo && !staffNos.has(w.staffNo))
      inUse.push({ path: 'staff', message: `工作人员 ${w.staffNo} 正在 ${no} 号窗口登录，请先签退再删除` });
  }
  return { sections, problems, inUse, config: problems.length ? null : config, pinChanged };
}

/** What changed, for the audit log: codes and numbers only, never a PIN hash. */
export function describeChange(before: HallConfig, after: HallConfig, sections: EditableSection[], pins: string[]) {
  const keyed = <T>(a: T[], b: T[], key: (t: T) => string) => {
    const A = new Map(a.map((x) => [key(x), JSON.stringify(x)]));
    const B = new Map(b.map((x) => [key(x), JSON.stringify(x)]));
    return {
      added: [...B.keys()].filter((k) => !A.has(k)),
      removed: [...A.keys()].filter((k) => !B.has(k)),
      changed: [...B.keys()].filter((k) => A.has(k) && A.get(k) !== B.get(k)),
    };
  };
  const out: Record<string, unknown> = {};
  for (const s of sections) {
    if (s === 'services') out.services = keyed(before.services, after.services, (x) => x.code);
    else if (s === 'windows') out.windows = keyed(before.windows, after.windows, (x) => String(x.no));
    else if (s === 'devices')
      out.devices = keyed(before.devices?.terminals ?? [], after.devices?.terminals ?? [], (t) => t.id);
    else if (s === 'staff') {
      const strip = (xs: HallConfig['staff']) => xs.map(({ pinHash: _p, ...rest }) => rest);
      out.staff = { ...keyed(strip(before.staff), strip(after.staff), (x) => x.no), pinChanged: pins };
    } else out[s] = { from: before[s], to: after[s] };
  }
  return out;
}

/** The YAML text with the given sections replaced; comments elsewhere in the file survive. */
export function rewriteYaml(text: string, config: HallConfig, sections: EditableSection[]): string {
  const doc = parseDocument(text);
  for (const s of sections) {
    const value = JSON.parse(JSON.stringify(config[s])) as unknown;
    doc.set(s, doc.createNode(value));
  }
  return doc.toString({ lineWidth: 0 });
}

/** temp file + fsync + rename: a power cut leaves the old file or the new one, never half of one. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function announcementPreview(c: HallConfig | null): string | null {
  if (!c) return null;
  const s = c.services[0];
  const w = c.windows.find((x) => !s || x.services.some((y) => y.code === s.code)) ?? c.windows[0];
  if (!s || !w) return null;
  const number = `${s.prefix}${String(s.numberRange.from).padStart(String(s.numberRange.to).length, '0')}`;
  return c.announcement.template
    .replaceAll('{number}', number)
    .replaceAll('{window}', String(w.no))
    .replaceAll('{windowName}', w.name)
    .replaceAll('{service}', s.name);
}

export function adminConfigPlugin(opts: AdminConfigPluginOptions = {}): HubPlugin {
  const configPath = opts.configPath ?? null;
  // Decided again at every change: what the path names can change while the hub runs (a symlink).
  const persists = (): boolean => !!configPath && opts.persist !== false && !isDemoHallFile(configPath);
  return {
    name: 'admin-config',
    install(ctx: HubContext) {
      const running = (): RunningState => ({
        openWindows: new Map(
          ctx.engine
            .windows()
            .filter((w) => w.state !== 'closed')
            .map((w) => [w.no, { state: w.state, staffNo: w.staffNo }]),
        ),
        waitingByService: new Map(ctx.engine.services().map((s) => [s.code, s.waiting])),
      });
      const audit = (actor: Actor, result: 'ok' | 'refused', detail: Record<string, unknown>) => {
        const at = ctx.clock.now();
        ctx.repo.transaction(() =>
          ctx.repo.appendAudit({ at, actor, action: 'config.change', subject: 'hall-config', result, detail }),
        );
      };

      const clipFiles = (): string[] => {
        if (!opts.clipsDir) return [];
        try {
          return readdirSync(opts.clipsDir).filter((f) => CLIP_EXT.test(f));
        } catch {
          return [];
        }
      };
      const serveClip = (res: ServerResponse, name: string): boolean => {
        // Only names the folder listing has: no path, no traversal, nothing but audio files.
        if (!clipFiles().includes(name) || !opts.clipsDir) return false;
        const body = readFileSync(join(opts.clipsDir, name));
        const ext = name.split('.').pop()!.toLowerCase();
        res.writeHead(200, {
          'content-type': CLIP_TYPES[ext] ?? 'application/octet-stream',
          'content-length': body.length,
          'cache-control': 'public, max-age=3600',
        });
        res.end(body);
        return true;
      };

      // What every screen may know of the config: the notice text, the announcement, the 事项 codes.
      ctx.defineRoute(api.hallSettings, () => {
        const c = ctx.engine.config;
        return {
          version: configVersion(c),
          notice: [c.ticketText.header, c.ticketText.footer].filter((t) => t.trim()),
          announcement: {
            template: c.announcement.template,
            repeat: c.announcement.repeat,
            ...(c.announcement.secondLanguage ? { secondLanguage: c.announcement.secondLanguage } : {}),
          },
          tasks: Object.fromEntries(c.services.map((s) => [s.code, s.taskCodes])),
          clips: clipFiles().length > 0,
          ...(c.public ? { publicBaseUrl: c.public.baseUrl } : {}),
        };
      });

      ctx.defineRoute(api.adminConfig, () => configView(ctx.engine.config, persists()));

      ctx.defineRoute(api.checkConfig, ({ body }) => {
        const p = prepareChange(ctx.engine.config, body, running(), false);
        const problems = [...p.problems, ...p.inUse];
        const answer: AdminConfigCheck = {
          ok: problems.length === 0,
          problems,
          announcementPreview: announcementPreview(p.config),
          sections: p.sections,
        };
        return answer;
      });

      ctx.defineRoute(api.changeConfig, ({ caller, body }) => {
        const actor = ctx.actorOf(caller);
        const before = ctx.engine.config;
        const fromVersion = configVersion(before);
        if (body.expectedVersion !== undefined && body.expectedVersion !== fromVersion) {
          throw new ApiError(409, 'CONFIG_CONFLICT', '配置已被他人修改，请刷新后再改');
        }
        const p = prepareChange(before, body, running(), true);
        if (p.sections.length === 0) throw new ApiError(400, 'INVALID_INPUT', '请求体：没有要修改的配置部分');
        if (p.problems.length || p.inUse.length || !p.config) {
          const status = p.problems.length ? 400 : 409;
          const code = p.problems.length ? 'CONFIG_INVALID' : 'CONFIG_IN_USE';
          const all = [...p.problems, ...p.inUse];
          audit(actor, 'refused', { sections: p.sections, code, problems: all.slice(0, 10) });
          const first = all[0];
          throw new ApiError(
            status,
            code,
            `字段 ${first?.path ?? '请求体'}：${first?.message ?? '配置有误'}${all.length > 1 ? `（共 ${all.length} 处问题）` : ''}`,
            {},
            { problems: all },
          );
        }
        const config = p.config;
        // Written first: a change that could not be saved is not applied, so a restart never undoes it.
        const persist = persists();
        if (persist && configPath) {
          let text: string;
          try {
            // Through a symlink, the file it points to is rewritten; the link itself stays a link.
            const target = realpathSync(configPath);
            text = rewriteYaml(readFileSync(target, 'utf8'), config, p.sections);
            const reread = checkHallConfigText(text, configPath);
            if (!reread.ok) throw new Error(reread.problems.map((x) => x.message).join('；'));
            writeFileAtomic(target, text);
          } catch (e) {
            ctx.log('error', '配置文件写入失败', { path: configPath, error: (e as Error).message });
            audit(actor, 'refused', { sections: p.sections, code: 'CONFIG_WRITE_FAILED' });
            throw new ApiError(500, 'CONFIG_WRITE_FAILED', '配置文件写入失败，修改未生效（详情见中枢日志）');
          }
        }
        ctx.engine.applyConfig(config);
        const version = configVersion(config);
        const at = ctx.clock.now();
        const event = { type: 'config.changed' as const, sections: [...p.sections], version };
        const stored = ctx.repo.transaction((): StoredEvent[] => {
          ctx.repo.appendAudit({
            at,
            actor,
            action: 'config.change',
            subject: 'hall-config',
            result: 'ok',
            detail: {
              sections: p.sections,
              fromVersion,
              toVersion: version,
              persisted: persist,
              changes: describeChange(before, config, p.sections, p.pinChanged),
            },
          });
          return [{ seq: ctx.repo.appendEvent(at, event), at, event }];
        });
        ctx.publish(stored);
        ctx.log('info', '大厅配置已修改', { sections: p.sections, version });
        const answer: AdminConfigApplied = { version, sections: p.sections, persisted: persist };
        return answer;
      });
      return {
        request(req, res, url) {
          if (!url.pathname.startsWith('/clips/') || req.method !== 'GET') return false;
          const rest = url.pathname.slice('/clips/'.length);
          if (rest === 'manifest.json') {
            sendJson(res, 200, { files: clipFiles() });
            return true;
          }
          let name: string;
          try {
            name = decodeURIComponent(rest);
          } catch {
            return false;
          }
          return serveClip(res, name);
        },
      };
    },
  };
}
