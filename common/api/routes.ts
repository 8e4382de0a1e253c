/**
 * The hub's routes (hub-api.md core, docs/hub-api-extensions.md additions) as data. The hub binds
 * a handler to each with `defineRoute`; the OpenAPI document lists what was bound; `HubClient`
 * calls them by name with typed bodies and answers.
 */
import { z } from 'zod';
import { ROUTE_ADDRESSES as at } from './addresses.js';
import { appointmentRoutes } from './appointment-api.js';
import { catalogueAnswer } from './catalogue.js';
import { documentRoutes } from './document-routes.js';
import { materialRoutes } from './material-routes.js';
import { publicRoutes } from './public-routes.js';
import * as rc from './rectification.js';
import * as rq from './requests.js';
import * as rs from './responses.js';
import { ADMIN, ANY_CALLER, NO_TOKEN, type RouteSpec, roles, route, TERMINAL, WINDOW_STAFF } from './route-spec.js';

const ISSUERS = roles(['kiosk', 'counter', 'admin'], true);
/** Any staff session, no device token. */
const STAFF_ONLY = roles([], true);

/** A window action: a staff session of that window, an optional body, a ticket or window answer. */
const windowAction = <
  const A extends { method: 'POST'; path: `/windows/{no}/${string}` },
  const B extends z.ZodType | undefined,
  const R extends z.ZodType,
>(
  address: A,
  summary: string,
  body: B,
  response: R,
  errors: readonly number[] = [409],
) => ({ ...address, summary, access: WINDOW_STAFF, body, response, errors }) as const;

export const coreRoutes = {
  health: route({
    ...at.health,
    summary: '健康检查',
    access: NO_TOKEN,
    response: rs.healthAnswer,
  }),
  openapi: route({
    ...at.openapi,
    summary: '本接口的 OpenAPI 3.1 文档',
    access: NO_TOKEN,
    response: rs.documentAnswer,
  }),
  hall: route({
    ...at.hall,
    summary: '大厅、业务与窗口状态',
    access: ANY_CALLER,
    response: rs.hallAnswer,
  }),
  services: route({
    ...at.services,
    summary: '业务列表及等候人数',
    access: ANY_CALLER,
    response: z.array(rs.serviceAnswer),
  }),
  windows: route({
    ...at.windows,
    summary: '窗口列表',
    access: ANY_CALLER,
    response: z.array(rs.windowAnswer),
  }),
  window: route({
    ...at.window,
    summary: '单个窗口',
    access: ANY_CALLER,
    response: rs.windowAnswer,
    errors: [404],
  }),
  queue: route({
    ...at.queue,
    summary: '等候中的票（脱敏）',
    access: roles(['counter', 'admin'], true),
    query: rq.queueQuery,
    response: z.array(rs.ticketAnswer),
    errors: [400],
  }),
  issueTicket: route({
    ...at.issueTicket,
    summary: '取号',
    access: ISSUERS,
    body: rq.issueTicketBody,
    response: rs.issuedTicketAnswer,
    status: 201,
    errors: [400, 409],
  }),
  ticket: route({
    ...at.ticket,
    summary: '查询票号',
    access: ANY_CALLER,
    response: rs.ticketAnswer,
    errors: [404],
  }),
  cancelTicket: route({
    ...at.cancelTicket,
    summary: '取消等候中的票',
    access: ISSUERS,
    response: rs.ticketAnswer,
    errors: [404, 409],
  }),
  staffSignIn: route({
    ...at.staffSignIn,
    summary: '窗口工作人员登录',
    access: NO_TOKEN,
    body: rq.staffSessionBody,
    response: rs.staffSessionAnswer,
    status: 201,
    errors: [400, 401, 403, 404, 429],
  }),
  staffSignOut: route({
    ...at.staffSignOut,
    summary: '签退（关闭窗口）',
    access: STAFF_ONLY,
    status: 204,
  }),
  adminSignIn: route({
    ...at.adminSignIn,
    summary: '管理后台登录（大厅配置中角色为 manager 的工作人员；无需设备令牌，锁定规则同窗口登录）',
    access: NO_TOKEN,
    body: rq.adminSessionBody,
    response: rs.adminSessionAnswer,
    status: 201,
    errors: [400, 401, 403, 429],
  }),
  adminSignOut: route({
    ...at.adminSignOut,
    summary: '退出管理后台（结束本会话，其实时连接随即关闭）',
    access: ADMIN,
    status: 204,
  }),
  callNext: windowAction(at.callNext, '叫下一个号（无人等候时 204）', undefined, rs.ticketAnswer),
  recall: windowAction(at.recall, '重呼', undefined, rs.ticketAnswer),
  call: windowAction(at.call, '叫指定的号', rq.callBody, rs.ticketAnswer, [400, 404, 409]),
  skip: windowAction(at.skip, '过号（可重新排队一次）', rq.skipBody, rs.ticketAnswer, [400, 409]),
  transfer: windowAction(at.transfer, '转移到其他业务或窗口', rq.transferBody, rs.ticketAnswer, [400, 409]),
  pause: windowAction(at.pause, '暂停（需原因）', rq.pauseBody, rs.windowStatusAnswer, [400, 409]),
  resume: windowAction(at.resume, '恢复', undefined, rs.windowStatusAnswer),
  start: windowAction(at.start, '开始办理', undefined, rs.ticketAnswer),
  finish: windowAction(at.finish, '办结，生成办件并请求评价', rq.finishBody, rs.finishAnswer, [400, 409]),
  getCase: route({
    ...at.getCase,
    summary: '办件详情',
    access: ANY_CALLER,
    response: rs.caseAnswer,
    errors: [404],
  }),
  evaluate: route({
    ...at.evaluate,
    summary: '提交评价（首评与一次追评，差评须有原因）',
    access: roles(['evaluator', 'kiosk']),
    body: rq.evaluationBody,
    response: rs.evaluationCreatedAnswer,
    status: 201,
    errors: [400, 404, 409],
  }),
  stats: route({
    ...at.stats,
    summary: '营业日统计（管理员）',
    access: ADMIN,
    query: rq.dayQuery,
    response: rs.documentAnswer,
    errors: [400],
  }),
  listTokens: route({
    ...at.listTokens,
    summary: '设备令牌列表',
    access: ADMIN,
    response: z.array(rs.deviceTokenAnswer),
  }),
  createToken: route({
    ...at.createToken,
    summary: '创建设备令牌',
    access: ADMIN,
    body: rq.createTokenBody,
    response: rs.createdTokenAnswer,
    status: 201,
    errors: [400],
  }),
  revokeToken: route({
    ...at.revokeToken,
    summary: '吊销设备令牌',
    access: ADMIN,
    status: 204,
    errors: [404],
  }),
  events: route({
    ...at.events,
    summary: 'WebSocket 实时事件（?token= 或 Authorization），断线后发送 {"type":"resume","after":seq} 补齐',
    access: ANY_CALLER,
    kind: 'websocket',
  }),
} as const;

export const syncRoutes = {
  syncStatus: route({
    ...at.syncStatus,
    summary: '平台同步状态：待上报、最早等待秒数、搁置、最近成功与错误（管理员）',
    access: ADMIN,
    response: rs.syncStatusAnswer.loose(),
  }),
  syncRejected: route({
    ...at.syncRejected,
    summary: '被平台拒收而搁置的记录（管理员，?after=&limit=）',
    access: ADMIN,
    query: rq.rejectedQuery,
    response: z.object({ records: z.array(rs.documentAnswer), next: z.number().int().nullable() }),
    errors: [400],
  }),
  syncRetry: route({
    ...at.syncRetry,
    summary: '把搁置的记录重新排队并立即发送（管理员，{ ids? }）',
    access: ADMIN,
    body: rq.retryBody,
    response: z.object({ requeued: z.number().int() }),
    errors: [400],
  }),
  catalog: route({
    ...at.catalog,
    summary: '缓存的省级平台事项目录（办事指南、评价原因）',
    access: ANY_CALLER,
    query: rq.catalogQuery,
    response: catalogueAnswer,
    errors: [400, 503],
  }),
  caseLookup: route({
    ...at.caseLookup,
    summary:
      '办件查询：{ cardRead }（本中枢读卡器读到的身份证）、{ certNo, caseId|projectNo }（证件号码加回执上的办件编号）、{ caseId } 或 { projectNo }；只给 certNo 仅限窗口与管理员',
    access: ISSUERS,
    body: rq.lookupBody,
    response: rs.lookupAnswer,
    errors: [400, 404],
  }),
} as const;

export const caseRoutes = {
  createCase: route({
    ...at.createCase,
    summary: '不取号受理办件（工作人员会话）',
    access: STAFF_ONLY,
    body: rq.createCaseBody,
    response: rs.caseVersionAnswer,
    status: 201,
    errors: [400],
  }),
  reviseCase: route({
    ...at.reviseCase,
    summary: '修改办件，产生新版本（受理窗口或管理员）',
    access: roles(['admin'], true),
    body: rq.reviseCaseBody,
    response: rs.caseVersionAnswer,
    errors: [400, 404, 409],
  }),
} as const;

export const adminRoutes = {
  hallSettings: route({
    ...at.hallSettings,
    summary: '公告、播报模板与重复次数、各业务事项编码（任何令牌）',
    access: ANY_CALLER,
    response: rs.hallSettingsAnswer,
  }),
  adminConfig: route({
    ...at.adminConfig,
    summary: '运行中的大厅配置（不含 PIN 哈希）',
    access: ADMIN,
    response: rs.documentAnswer,
  }),
  checkConfig: route({
    ...at.checkConfig,
    summary: '只校验配置修改并预览播报',
    access: ADMIN,
    body: rq.configChangeBody,
    response: rs.documentAnswer,
    errors: [400],
  }),
  changeConfig: route({
    ...at.changeConfig,
    summary: '整段修改配置，校验、写回、立即生效并审计',
    access: ADMIN,
    body: rq.configChangeBody,
    response: rs.documentAnswer,
    errors: [400, 409],
  }),
  adminEvaluations: route({
    ...at.adminEvaluations,
    summary: '满意度分布与差评列表（管理员，?day= 或 ?month=）',
    access: ADMIN,
    query: rq.periodQuery,
    response: rs.documentAnswer,
    errors: [400],
  }),
  monthStats: route({
    ...at.monthStats,
    summary: '月度统计（管理员，?month=YYYY-MM）',
    access: ADMIN,
    query: z.object({ month: rq.month.optional() }),
    response: rs.documentAnswer,
    errors: [400],
  }),
  statsExport: route({
    ...at.statsExport,
    summary: '统计导出 CSV，UTF-8 带 BOM（管理员，?day= 或 ?month=）',
    access: ADMIN,
    kind: 'text',
    query: rq.periodQuery,
    errors: [400],
  }),
  adminAudit: route({
    ...at.adminAudit,
    summary: '最新审计记录（管理员，?prefix=config.&limit=）',
    access: ADMIN,
    query: rq.auditQuery,
    response: z.array(rs.documentAnswer),
    errors: [400],
  }),
} as const;

export const deviceRoutes = {
  devices: route({
    ...at.devices,
    summary: '配置的设备及最近状态（管理员、窗口、取号机）',
    access: roles(['admin', 'counter', 'kiosk'], true),
    response: z.object({ devices: z.array(rs.deviceStatusAnswer.loose()), local: z.boolean() }),
  }),
  reportDeviceStatus: route({
    ...at.reportDeviceStatus,
    summary: '远程终端报告设备状态 { deviceId, state, detail?, terminal? }',
    access: roles(['kiosk', 'counter', 'evaluator', 'admin']),
    body: rq.deviceStatusBody,
    status: 204,
    errors: [400, 404],
  }),
  pressKey: route({
    ...at.pressKey,
    summary: '在本进程的模拟键盘上按键 { key }（管理员，演示用）',
    access: ADMIN,
    body: rq.pressBody,
    status: 204,
    errors: [400, 404, 409],
  }),
  testDevice: route({
    ...at.testDevice,
    summary:
      '设备测试（管理员）：print 打印测试页、read 读卡器状态与 SAM 编号（不含证件内容）、ping 探测评价器或键盘、status 刷新状态；结果 { ok, message, … }，均记审计',
    access: ADMIN,
    body: rq.deviceTestBody,
    response: rs.deviceTestAnswer,
    errors: [400, 404, 409, 503],
  }),
  deviceBridge: route({
    ...at.deviceBridge,
    summary: 'WebSocket 设备桥（?token=&terminal=）：读卡、打印、设备状态',
    access: roles(['kiosk', 'counter', 'evaluator', 'admin'], true),
    kind: 'websocket',
  }),
  pads: route({
    ...at.pads,
    summary: 'WebSocket 第三方评价器接入（docs/pad-protocol.md）',
    access: NO_TOKEN,
    kind: 'websocket',
  }),
} as const;

/** hub-api.md v1.1 "Terminals and pairing". */
export const terminalRoutes = {
  requestPairing: route({
    ...at.requestPairing,
    summary: '终端发起配对（无需令牌，按来源地址限流）：得到配对凭据与 6 位配对码，10 分钟有效',
    access: NO_TOKEN,
    body: rq.pairingBody,
    response: rs.pairingAnswer,
    status: 201,
    errors: [400, 429],
  }),
  pairingStatus: route({
    ...at.pairingStatus,
    summary: '终端查询配对结果（无需令牌）；批准后第一次查询给出终端令牌，仅此一次',
    access: NO_TOKEN,
    response: rs.pairingStatusAnswer,
    errors: [404, 429],
  }),
  approvePairing: route({
    ...at.approvePairing,
    summary: '管理员输入终端屏幕上的配对码，批准配对；同一终端重新配对时替换其令牌',
    access: ADMIN,
    body: rq.approvePairingBody,
    response: rs.approvedPairingAnswer,
    errors: [400, 404, 409],
  }),
  terminalConfig: route({
    ...at.terminalConfig,
    summary: '终端读取大厅配置中自己的一项（界面、显示器、设备）；修改以 terminal.config 事件推送',
    access: TERMINAL,
    response: rs.terminalConfigAnswer,
  }),
  terminalInventory: route({
    ...at.terminalInventory,
    summary: '终端报告它能看到的串口、HID 设备、摄像头与显示器，供管理员配置',
    access: TERMINAL,
    body: rq.inventoryBody,
    status: 204,
    errors: [400],
  }),
  listTerminals: route({
    ...at.listTerminals,
    summary: '终端列表：角色、地址、最近在线、设备状态与所见设备（管理员）',
    access: ADMIN,
    response: rs.terminalListAnswer,
  }),
  revokeTerminal: route({
    ...at.revokeTerminal,
    summary: '吊销终端令牌并断开它的所有连接（管理员）',
    access: ADMIN,
    status: 204,
    errors: [404],
  }),
  registerCardRead: route({
    ...at.registerCardRead,
    summary:
      '终端登记自己读卡器读到的身份证（仅终端令牌、仅本终端配置中的读卡器）：得到读卡编号 readId，本终端的办件查询凭它 { cardRead } 查询，2 分钟内有效',
    access: TERMINAL,
    body: rq.cardReadBody,
    response: rs.cardReadAnswer,
    status: 201,
    errors: [400, 409],
  }),
  endCardReads: route({
    ...at.endCardReads,
    summary: '终端报告身份证已离开读卡器：本终端的读卡编号随即失效（仅终端令牌）',
    access: TERMINAL,
    status: 204,
  }),
} as const;

/** Terminal updates (docs/deployment.md, 更新): the release files an admin put in the hub's `updates/` folder. */
export const updateRoutes = {
  updateFile: route({
    ...at.updateFile,
    summary:
      '终端更新程序下载发行文件（latest*.yml、安装包、.blockmap）：中枢数据目录 updates/ 中的同名文件，支持 Range（终端令牌）',
    access: TERMINAL,
    kind: 'binary',
    errors: [404, 416],
  }),
} as const;

/** hub-api.md v1.1 "差评整改", and the hall's alarms (docs/rectification.md). */
export const rectificationRoutes = {
  listRectifications: route({
    ...at.listRectifications,
    summary: '差评整改列表，按到期时间排序（管理后台会话，?status=open,verifying）',
    access: ADMIN,
    query: rc.rectificationQuery,
    response: rc.rectificationListAnswer,
    errors: [400],
  }),
  transitionRectification: route({
    ...at.transitionRectification,
    summary: '差评整改推进一步：核实、整改、回访、办结或认定无效（管理后台会话，记录工号并审计）',
    access: ADMIN,
    body: rc.transitionBody,
    response: rc.rectificationAnswer,
    errors: [400, 404, 409],
  }),
  rectificationFigures: route({
    ...at.rectificationFigures,
    summary: '整改率、按期整改率、回访满意率：按窗口、人员、业务，本月与上月（管理后台会话，?month=YYYY-MM）',
    access: ADMIN,
    query: rc.rectificationFiguresQuery,
    response: rc.rectificationFiguresAnswer,
    errors: [400],
  }),
  hallAlarms: route({
    ...at.hallAlarms,
    summary: '首页告警：临期与逾期的整改、临期与超期的承诺件、等候过久的业务（管理员）',
    access: ADMIN,
    response: rc.hallAlarmsAnswer,
  }),
  waitAlarms: route({
    ...at.waitAlarms,
    summary: '当前等候过久的业务及可办理它们的窗口（窗口、管理员）',
    access: roles(['counter', 'admin'], true),
    response: rc.waitAlarmListAnswer,
  }),
} as const;

/** Every route the hub serves, by name (the UIs call them through `HubClient.call`). */
export const API = {
  ...coreRoutes,
  ...syncRoutes,
  ...caseRoutes,
  ...adminRoutes,
  ...deviceRoutes,
  ...terminalRoutes,
  ...updateRoutes,
  ...materialRoutes,
  ...documentRoutes,
  ...rectificationRoutes,
  ...publicRoutes,
  ...appointmentRoutes,
} as const satisfies {
  [K in keyof typeof at]: RouteSpec;
};
export type ApiRoutes = typeof API;

/** Compile-time check that the route table and the address table name the same routes. */
export const ROUTE_NAMES_MATCH: [keyof ApiRoutes] extends [keyof typeof at]
  ? [keyof typeof at] extends [keyof ApiRoutes]
    ? true
    : never
  : never = true;
