/** OpenAPI 3.1 description of the hub API; request schemas come from the same zod schemas. */
import { z } from 'zod';
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
      '/sync/status': { get: op('同步状态（后续版本启用，当前 501）', { errors: [501] }) },
      '/stats': { get: op('营业日统计（管理员）', { errors: [400] }) },
      '/admin/tokens': {
        get: op('设备令牌列表'),
        post: op('创建设备令牌', { body: createTokenBody, ok: [201, { type: 'object' }], errors: [400] }),
      },
      '/admin/tokens/{id}': { delete: op('吊销设备令牌', { params: ['id'], ok: [204, null], errors: [404] }) },
      '/events': {
        get: op('WebSocket 实时事件（?token= 或 Authorization），断线后发送 {"type":"resume","after":seq} 补齐', {
          ok: [101, null],
        }),
      },
    },
  };
}
