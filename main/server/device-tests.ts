/**
 * `POST /api/v1/devices/{id}/test`: the admin's test actions on one device — a test print, a look at
 * the ID card reader, a ping of an evaluation pad or keypad, a fresh status. Each run is audited
 * (`device.test`, with the outcome and never a card's contents). Semantics: docs/devices.md
 * 「设备测试」 and docs/hub-api-extensions.md.
 */
import { z } from 'zod';
import { DEVICE_STATE_TEXT, type DeviceKind, type DeviceState, kindText } from '../../common/device-kinds.js';
import { isoInZone } from '../../common/hall-time.js';
import { sampleTicket } from '../../drivers/printer/ticket-layout.js';
import { TEST_ACTIONS, type TestAction } from '../devices/device-family.js';
import { DEVICE_FAMILIES } from '../devices/device-registry.js';
import type { DeviceService } from '../devices/device-service.js';
import type { CardData, TicketPrint } from '../devices/types.js';
import { ApiError, validate } from './http-kit.js';
import type { Caller, HubContext } from './hub-plugin.js';
import type { PadPresence } from './pad-plugin.js';

export { TEST_ACTIONS, type TestAction };

export const deviceTestBody = z.object({ action: z.enum(TEST_ACTIONS) }).strict();

/** Which tests a kind of device can do: its family's, and a pad's (pads are no configured family). */
export function testActionsOf(kind: string): readonly TestAction[] {
  if (kind === 'pad') return ['ping', 'status'];
  return Object.hasOwn(DEVICE_FAMILIES, kind) ? DEVICE_FAMILIES[kind as DeviceKind].testActions : ['status'];
}

const ACTION_TEXT: Record<TestAction, string> = {
  print: '测试打印',
  read: '读卡',
  ping: '探测',
  status: '刷新状态',
};
const CARD_TYPE_TEXT: Record<CardData['certType'], string> = {
  resident: '居民身份证',
  hk_mo_tw: '港澳台居民居住证',
  foreign_2017: '外国人永久居留身份证（2017 版）',
  foreign_2023: '外国人永久居留身份证（2023 版）',
  other: '其他证件',
};

/** The test page: the layout's sample ticket, marked so nobody takes it for a queue ticket. */
export function testPageTicket(): TicketPrint {
  return { ...sampleTicket(), header: '打印测试页（非排队凭证）' };
}

/** What the plugin knows of a device: configured (rows) or a pad seen on the pad endpoint. */
export interface KnownDevice {
  deviceId: string;
  kind: string;
  terminal: string;
  state: DeviceState;
  detail: string | null;
  since: number | null;
}

export interface DeviceTestDeps {
  ctx: HubContext;
  service: DeviceService | null;
  pads: PadPresence | undefined;
  find(deviceId: string): KnownDevice | null;
  /** Bound on every wait on a device (pad pong, reader poll, printer status); default 3000 ms. */
  timeoutMs?: number;
}

/** A test's answer (HTTP 200): `ok` says whether the device passed, `message` says it in Chinese. */
export interface DeviceTestResult {
  deviceId: string;
  kind: string;
  action: TestAction;
  ok: boolean;
  message: string;
  at: string;
  [field: string]: unknown;
}

type Outcome = { ok: boolean; message: string } & Record<string, unknown>;

/** Runs one test for an admin `caller` (the route checks the role); throws ApiError for refusals. */
export async function runDeviceTest(
  deps: DeviceTestDeps,
  caller: Caller,
  deviceId: string,
  body: unknown,
): Promise<DeviceTestResult> {
  const { ctx } = deps;
  const device = deps.find(deviceId);
  if (!device) throw new ApiError(404, 'UNKNOWN_DEVICE', `大厅配置中没有设备 ${deviceId}，也没有这样的评价器连接过`);
  const { action } = validate(deviceTestBody, body);
  const audit = (result: 'ok' | 'refused', detail: Record<string, unknown>) => {
    try {
      ctx.repo.transaction(() =>
        ctx.repo.appendAudit({
          at: ctx.clock.now(),
          actor: ctx.actorOf(caller),
          action: 'device.test',
          subject: deviceId,
          result,
          detail: { kind: device.kind, ...detail },
        }),
      );
    } catch (err) {
      ctx.log('warn', '设备测试审计记录失败', { deviceId, error: (err as Error).message });
    }
  };
  try {
    const outcome = await perform(deps, device, action);
    audit('ok', { action, ...auditFields(outcome) });
    return { deviceId, kind: device.kind, action, ...outcome, at: isoInZone(ctx.clock.now(), ctx.timeZone()) };
  } catch (err) {
    if (err instanceof ApiError) audit('refused', { action, code: err.code });
    throw err;
  }
}

/** What goes into the audit trail: the verdict and codes, nothing a card holds. */
function auditFields(o: Outcome): Record<string, unknown> {
  const keep = ['ok', 'code', 'warning', 'state', 'cardPresent', 'cardType', 'answered', 'roundTripMs', 'online'];
  return Object.fromEntries(keep.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

async function perform(deps: DeviceTestDeps, d: KnownDevice, action: TestAction): Promise<Outcome> {
  const allowed = testActionsOf(d.kind);
  const kindLabel = kindText(d.kind);
  if (!allowed.includes(action))
    throw new ApiError(
      409,
      'ACTION_NOT_SUPPORTED',
      `${kindLabel}不能做「${ACTION_TEXT[action]}」测试，可用：${allowed.map((a) => `${a}（${ACTION_TEXT[a]}）`).join('、')}`,
    );
  const timeoutMs = deps.timeoutMs ?? 3000;
  if (d.kind === 'pad') return pingPad(deps, d, action, timeoutMs);

  const service = deps.service;
  const local = service?.devices().some((x) => x.device.id === d.deviceId) ?? false;
  if (!local || !service) {
    // A remote terminal runs this device: the hub only has what the terminal last reported.
    if (action === 'status') return reported(d);
    throw new ApiError(
      409,
      'DEVICE_NOT_LOCAL',
      `设备 ${d.deviceId} 由终端 ${d.terminal} 自己运行，中枢不能远程测试；请在该终端上测试，或查看它最近报告的状态`,
    );
  }
  const offline = (detail: string | null) =>
    new ApiError(503, 'DEVICE_OFFLINE', `设备 ${d.deviceId} 离线，无法测试${detail ? `：${detail}` : ''}`);

  if (action === 'print') {
    const before = await service.check(d.deviceId, 0);
    if (!before?.linkUp) throw offline(before?.status.detail ?? null);
    const r = await service.printOn(d.deviceId, testPageTicket());
    if (r.ok)
      return r.warning
        ? { ok: true, warning: r.warning, message: '测试页已打印，但纸将用尽，请准备换纸' }
        : { ok: true, message: '测试页已打印' };
    return { ok: false, code: r.code, message: r.message };
  }

  const c = await service.check(d.deviceId, timeoutMs);
  if (!c) throw offline(null);
  const { state, detail } = c.status;
  const since = new Date(c.status.since).toISOString();
  if (action === 'status')
    return {
      ok: state === 'ok' || state === 'warning',
      state,
      detail,
      since,
      fresh: true,
      message: `${DEVICE_STATE_TEXT[state]}${detail ? `：${detail}` : ''}`,
    };
  if (!c.linkUp || state === 'offline') throw offline(detail);

  if (action === 'read') {
    const samId = c.probe.samId ?? null;
    const cardPresent = c.probe.cardPresent ?? false;
    const cardType = cardPresent ? (c.probe.cardType ?? null) : null;
    const parts = [
      `读卡器${DEVICE_STATE_TEXT[state]}${detail ? `（${detail}）` : ''}`,
      samId ? `SAM 编号 ${samId}` : 'SAM 编号未读到',
      cardPresent ? `读卡区有卡${cardType ? `（${CARD_TYPE_TEXT[cardType]}）` : ''}` : '读卡区无卡',
    ];
    return {
      ok: state === 'ok',
      state,
      detail,
      samId,
      cardPresent,
      ...(cardType ? { cardType } : {}),
      message: parts.join('；'),
    };
  }

  // ping on a keypad: the poller asks it several times a second; its last verdict is the answer.
  const poll = c.poll;
  if (!poll)
    return {
      ok: state === 'ok',
      state,
      online: null,
      message: 'HID 键盘不轮询：端口已连接，按一下键即可确认',
    };
  return {
    ok: poll.online === true,
    state,
    online: poll.online,
    detail: poll.detail,
    since: poll.since === null ? null : new Date(poll.since).toISOString(),
    message:
      poll.online === true
        ? '键盘应答轮询正常'
        : poll.online === false
          ? `键盘没有应答轮询${poll.detail ? `：${poll.detail}` : ''}`
          : '尚未轮询到该键盘，请稍后再试',
  };
}

async function pingPad(deps: DeviceTestDeps, d: KnownDevice, action: TestAction, timeoutMs: number) {
  if (action === 'status') return reported(d);
  const r = (await deps.pads?.ping(d.deviceId, timeoutMs)) ?? { connections: 0, answered: 0, roundTripMs: null };
  if (r.connections === 0)
    throw new ApiError(503, 'DEVICE_OFFLINE', `评价器 ${d.deviceId} 当前没有连接到中枢，无法探测`);
  const ok = r.answered === r.connections;
  return {
    ok,
    answered: r.answered > 0,
    connections: r.connections,
    roundTripMs: r.roundTripMs,
    timeoutMs,
    message: ok
      ? `评价器已应答，往返 ${r.roundTripMs} 毫秒${r.connections > 1 ? `（${r.connections} 个连接）` : ''}`
      : `评价器 ${timeoutMs / 1000} 秒内没有应答（${r.connections} 个连接中 ${r.answered} 个应答）`,
  };
}

/** The last status a remote terminal or pad reported: all the hub can know of it. */
function reported(d: KnownDevice): Outcome {
  return {
    ok: d.state === 'ok' || d.state === 'warning',
    state: d.state,
    detail: d.detail,
    since: d.since === null ? null : new Date(d.since).toISOString(),
    fresh: false,
    message: `最近报告：${DEVICE_STATE_TEXT[d.state]}${d.detail ? `：${d.detail}` : ''}`,
  };
}
