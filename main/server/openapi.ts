/**
 * OpenAPI 3.1 document of the hub API, generated from the routes actually bound (`RouteTable`):
 * path, query, body and answer schemas come from the same zod schemas that validate requests and
 * type the UIs, so a route cannot be served without being described.
 */
import { z } from 'zod';
import type { RouteSpec } from '../../common/api/route-spec.js';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

const ERROR_TEXT: Record<number, string> = {
  400: '输入未通过校验（说明指出字段）',
  401: '缺少或无效的令牌',
  403: '无权执行此操作',
  404: '不存在',
  409: '与当前状态冲突',
  416: 'Range 超出文件长度',
  413: '请求体超过 64 KiB（上传文件的接口另有上限，见请求体说明）',
  415: '请求体类型不对（JSON 接口须为 application/json；上传文件的接口见请求体说明）',
  429: '请求过于频繁或已锁定',
  503: '暂不可用',
};

function operation(spec: RouteSpec): Json {
  const responses: Json = {};
  // A handler that writes its own answer (CSV, a file) answers 200 unless the route says otherwise.
  const writes = spec.kind === 'text' || spec.kind === 'binary';
  const status = spec.kind === 'websocket' ? 101 : (spec.status ?? (spec.response || writes ? 200 : 204));
  if (spec.kind === 'websocket') responses['101'] = { description: '升级为 WebSocket' };
  else if (spec.kind === 'text')
    responses[String(status)] = {
      description: '成功',
      content: Object.fromEntries(
        (spec.produces ?? ['text/csv']).map((t) => [
          t,
          { schema: t.startsWith('text/') ? { type: 'string' } : { type: 'string', contentMediaType: t } },
        ]),
      ),
    };
  else if (spec.kind === 'binary') {
    const file = { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } };
    responses[String(status)] = { description: '成功：整个文件', content: file };
    responses['206'] = { description: '部分内容：请求头 Range 所指的一段', content: file };
  } else if (!spec.response || status === 204) responses['204'] = { description: '无内容' };
  else
    responses[String(status)] = {
      description: '成功',
      content: { 'application/json': { schema: schemaOf(spec.response, 'output') } },
    };
  if (spec.path.startsWith('/windows/{no}/') && spec.response) responses['204'] ??= { description: '无人等候' };
  const errors = new Set([
    ...(spec.access.kind === 'open' ? [] : spec.access.kind === 'public' ? [429] : [401, 403, 429]),
    ...(spec.errors ?? []),
  ]);
  if (spec.body || spec.binary) errors.add(400).add(413).add(415);
  for (const e of [...errors].sort()) {
    responses[String(e)] = {
      description: ERROR_TEXT[e] ?? '错误',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  }
  const parameters: Json[] = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (spec.query) {
    const q = schemaOf(spec.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {}))
      parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
  }
  return {
    summary: spec.summary,
    ...(spec.access.kind === 'public' || spec.access.kind === 'open' ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body, 'input') } } } }
      : {}),
    ...(spec.binary
      ? {
          requestBody: {
            required: true,
            description: `文件内容，最大 ${spec.binary.maxBytes} 字节`,
            content: Object.fromEntries(
              spec.binary.types.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }]),
            ),
          },
        }
      : {}),
    responses,
  };
}

export function buildOpenApi(version: string, specs: readonly RouteSpec[]): Json {
  const paths: Record<string, Json> = {};
  for (const spec of specs) {
    paths[spec.path] ??= {};
    (paths[spec.path] as Json)[spec.method.toLowerCase()] = operation(spec);
  }
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
          properties: { code: { type: 'string' }, message: { type: 'string', description: '中文说明' } },
        },
      },
    },
    paths,
  };
}
