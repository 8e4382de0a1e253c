/** OpenAPI 3.1 description of the hub API; request schemas come from the same zod schemas. */
import { z } from 'zod';
import { configChangeBody } from './admin-config-routes.js';
import {
  callBody,
  createTokenBody,
  evaluationBody,
  finishBody,
  issueTicketBody,
  pauseBody,
  skipBody,
  staffSessionBody,
  transferBody,
} from './api-schemas.js';
import { deviceTestBody } from './device-tests.js';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
const error = { $ref: '#/components/schemas/Error' };
const ticket = { $ref: '#/components/schemas/Ticket' };

function op(
  summary: string,
  opts: { body?: z.ZodType; ok?: [number, unknown]; errors?: number[]; auth?: boolean; params?: string[] } = {},
) {
  const responses: Record<string, unknown> = {};
  const [code, schema] = opts.ok ?? [200, { type: 'object' }];
  responses[String(code)] =
    code === 204 ? { description: '无内容' } : { description: '成功', content: { 'application/json': { schema } } };
  for (const e of [...(opts.auth === false ? [] : [401, 403]), ...(opts.errors ?? [])]) {
    responses[String(e)] = { description: '错误', content: { 'application/json': { schema: error } } };
  }
  return {
    summary,
    ...(opts.auth === false ? { security: [] } : {}),
    ...(opts.params
      ? { parameters: opts.params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })) }
      : {}),
    ...(opts.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: json(opts.body) } } } }
      : {}),
    responses,
  };
}

export function buildOpenApi(version: string): Record<string, unknown> {
  const w = ['no'];
  return {
    openapi: '3.1.0',
    info: {
      title: 'govhall 大厅中枢接口 / hall hub API',
      version,
      description: '核心契约见 hub-api.md；扩展见 docs/hub-api-extensions.md',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: { code: { type: 'string' }, message: { type: 'string' } },
        },
        Ticket: {
          type: 'object',
          required: [
            'id',
            'number',
            'serviceCode',
            'status',
            'priority',
            'ahead',
            'estimatedWaitSeconds',
            'issuedAt',
            'businessDay',
          ],
          properties: {
            id: { type: 'string' },
            number: { type: 'string', examples: ['A012'] },
            serviceCode: { type: 'string' },
            status: { enum: ['waiting', 'called', 'serving', 'done', 'skipped', 'transferred', 'cancelled'] },
            priority: { enum: [null, 'elderly', 'disabled', 'pregnant', 'military', 'other'] },
            ahead: { type: 'integer' },
            estimatedWaitSeconds: { type: 'integer' },
            issuedAt: { type: 'string', format: 'date-time' },
            businessDay: { type: 'string', format: 'date' },
            applicant: {
              type: 'object',
              properties: { name: { type: 'string' }, certType: { type: 'string' }, certNo: { type: 'string' } },
            },
            windowNo: { type: ['integer', 'null'] },
            calledAt: { type: ['string', 'null'] },
            recallCount: { type: 'integer' },
            closedReason: { enum: [null, 'expired', 'cancelled_by_staff'] },
            transferredFrom: { type: ['string', 'null'] },
            transferredTo: { type: ['string', 'null'] },
          },
        },
      },
    },
    paths: {
      '/health': { get: op('健康检查', { auth: false }) },
      '/hall': { get: op('大厅、业务与窗口状态') },
      '/services': { get: op('业务列表及等候人数') },
      '/windows': { get: op('窗口列表') },
      '/windows/{no}': { get: op('单个窗口', { params: w, errors: [404] }) },
      '/queue': { get: op('等候中的票（脱敏）') },
      '/tickets': { post: op('取号', { body: issueTicketBody, ok: [201, ticket], errors: [400, 409, 429] }) },
      '/tickets/{id}': { get: op('查询票号', { params: ['id'], ok: [200, ticket], errors: [404] }) },
      '/tickets/{id}/cancel': { post: op('取消等候中的票', { params: ['id'], ok: [200, ticket], errors: [404, 409] }) },
      '/staff/sessions': {
        post: op('窗口工作人员登录', {
          body: staffSessionBody,
          ok: [201, { type: 'object' }],
          errors: [400, 401, 403, 404, 429],
          auth: false,
        }),
      },
      '/staff/sessions/current': { delete: op('签退（关闭窗口）', { ok: [204, null] }) },
      '/windows/{no}/call-next': {
        post: op('叫下一个号（无人等候时 204）', { params: w, ok: [200, ticket], errors: [409] }),
      },
      '/windows/{no}/recall': { post: op('重呼', { params: w, ok: [200, ticket], errors: [409] }) },
      '/windows/{no}/call': {
        post: op('叫指定的号', { params: w, body: callBody, ok: [200, ticket], errors: [404, 409] }),
      },
      '/windows/{no}/skip': {
        post: op('过号（可重新排队一次）', { params: w, body: skipBody, ok: [200, ticket], errors: [409] }),
      },
      '/windows/{no}/transfer': {
        post: op('转移到其他业务或窗口', { params: w, body: transferBody, ok: [200, ticket], errors: [400, 409] }),
      },
      '/windows/{no}/pause': { post: op('暂停（需原因）', { params: w, body: pauseBody, errors: [400, 409] }) },
      '/windows/{no}/resume': { post: op('恢复', { params: w, errors: [409] }) },
      '/windows/{no}/start': { post: op('开始办理', { params: w, ok: [200, ticket], errors: [409] }) },
      '/windows/{no}/finish': {
        post: op('办结，生成办件并请求评价', {
          params: w,
          body: finishBody,
          ok: [
            200,
            { type: 'object', properties: { caseId: { type: 'string' }, evaluationRequestId: { type: 'string' } } },
          ],
          errors: [400, 409],
        }),
      },
      '/cases/{id}': { get: op('办件详情', { params: ['id'], errors: [404] }) },
      '/evaluations': {
        post: op('提交评价（首评与一次追评，差评须有原因）', {
          body: evaluationBody,
          ok: [201, { type: 'object', properties: { id: { type: 'string' }, assessNumber: { type: 'integer' } } }],
          errors: [400, 404, 409],
        }),
      },
      '/sync/status': { get: op('平台同步状态：待上报、最早等待秒数、搁置、最近成功与错误（管理员）') },
      '/sync/rejected': { get: op('被平台拒收而搁置的记录（管理员，?after=&limit=）', { errors: [400] }) },
      '/sync/retry': { post: op('把搁置的记录重新排队并立即发送（管理员，{ ids? }）', { errors: [400] }) },
      '/catalog': { get: op('缓存的省级平台事项目录（办事指南、评价原因）', { errors: [503] }) },
      '/cases/lookup': { post: op('办件查询：{ certNo } 或 { caseId } 或 { projectNo }', { errors: [400] }) },
      '/cases': { post: op('不取号受理办件（工作人员会话）', { ok: [201, { type: 'object' }], errors: [400, 403] }) },
      '/cases/{id}/revisions': {
        post: op('修改办件，产生新版本（受理窗口或管理员）', { params: ['id'], errors: [400, 403, 404, 409] }),
      },
      '/stats': { get: op('营业日统计（管理员）', { errors: [400] }) },
      // Admin console (main/server/admin-*.ts; docs/hub-api-extensions.md「管理后台与报表」).
      '/stats/month': { get: op('月度统计（管理员，?month=YYYY-MM）', { errors: [400] }) },
      '/stats/export.csv': { get: op('统计导出 CSV，UTF-8 带 BOM（管理员，?day= 或 ?month=）', { errors: [400] }) },
      '/admin/evaluations': { get: op('满意度分布与差评列表（管理员，?day= 或 ?month=）', { errors: [400] }) },
      '/admin/audit': { get: op('最新审计记录（管理员，?prefix=config.&limit=）', { errors: [400] }) },
      '/admin/config': {
        get: op('运行中的大厅配置（不含 PIN 哈希）'),
        put: op('整段修改配置，校验、写回、立即生效并审计', { body: configChangeBody, errors: [400, 409, 500] }),
      },
      '/admin/config/check': { post: op('只校验配置修改并预览播报', { body: configChangeBody, errors: [400] }) },
      '/hall/settings': { get: op('公告、播报模板与重复次数、各业务事项编码（任何令牌）') },
      '/admin/tokens': {
        get: op('设备令牌列表'),
        post: op('创建设备令牌', { body: createTokenBody, ok: [201, { type: 'object' }], errors: [400] }),
      },
      '/admin/tokens/{id}': { delete: op('吊销设备令牌', { params: ['id'], ok: [204, null], errors: [404] }) },
      // Devices (main/server/devices-plugin.ts, pad-endpoint.ts; docs/devices.md, docs/pad-protocol.md).
      '/devices': { get: op('配置的设备及最近状态（管理员、窗口、取号机）') },
      '/devices/status': {
        post: op('远程终端报告设备状态 { deviceId, state, detail?, terminal? }', {
          ok: [204, null],
          errors: [400, 404],
        }),
      },
      '/devices/bridge': {
        get: op('WebSocket 设备桥（?token=&terminal=）：读卡、打印、设备状态', { ok: [101, null] }),
      },
      '/devices/{id}/press': {
        post: op('在本进程的模拟键盘上按键 { key }（管理员，演示用）', {
          params: ['id'],
          ok: [204, null],
          errors: [400, 404, 409],
        }),
      },
      '/devices/{id}/test': {
        post: op(
          '设备测试（管理员）：print 打印测试页、read 读卡器状态与 SAM 编号（不含证件内容）、ping 探测评价器或键盘、status 刷新状态；结果 { ok, message, … }，均记审计',
          {
            params: ['id'],
            body: deviceTestBody,
            ok: [
              200,
              {
                type: 'object',
                required: ['deviceId', 'kind', 'action', 'ok', 'message', 'at'],
                properties: {
                  deviceId: { type: 'string' },
                  kind: { type: 'string' },
                  action: { enum: ['print', 'read', 'ping', 'status'] },
                  ok: { type: 'boolean' },
                  message: { type: 'string' },
                  at: { type: 'string', format: 'date-time' },
                  code: {
                    type: 'string',
                    description: 'print 失败：PAPER_OUT、COVER_OPEN、OFFLINE、TIMEOUT、BUSY、NO_PRINTER、ERROR',
                  },
                  warning: { enum: ['PAPER_NEAR_END'] },
                  state: { enum: ['ok', 'warning', 'error', 'offline', 'unknown'] },
                  detail: { type: ['string', 'null'] },
                  fresh: { type: 'boolean' },
                  samId: { type: ['string', 'null'] },
                  cardPresent: { type: 'boolean' },
                  cardType: { enum: ['resident', 'hk_mo_tw', 'foreign_2017', 'foreign_2023', 'other'] },
                  answered: { type: 'boolean' },
                  connections: { type: 'integer' },
                  roundTripMs: { type: ['integer', 'null'] },
                  online: { type: ['boolean', 'null'] },
                },
              },
            ],
            errors: [400, 404, 409, 503],
          },
        ),
      },
      '/pads': { get: op('WebSocket 第三方评价器接入（docs/pad-protocol.md）', { ok: [101, null], auth: false }) },
      '/events': {
        get: op('WebSocket 实时事件（?token= 或 Authorization），断线后发送 {"type":"resume","after":seq} 补齐', {
          ok: [101, null],
        }),
      },
    },
  };
}
