/**
 * The OpenAPI document is generated from the routes the hub binds: it must pass an independent
 * OpenAPI 3.1 validator, and every route the hub answers must appear in it (none forgotten).
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestHub } from '../support/hub-client.js';

let hub: Awaited<ReturnType<typeof startTestHub>>;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub?.close());

describe('OpenAPI document', () => {
  it('passes the OpenAPI 3.1 schema validator', async () => {
    const doc = (await call(hub.url, 'GET', '/openapi.json')).body;
    const validator = new Validator();
    const res = await validator.validate(doc);
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // The validator does catch what the hand-written document used to have (`schema: null`).
    const broken = structuredClone(doc);
    broken.paths['/events'].get.responses['101'] = {
      description: 'x',
      content: { 'application/json': { schema: null } },
    };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('documents every route the hub answers, with its method', async () => {
    const doc = (await call(hub.url, 'GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const missing = hub.app
      .routes()
      .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/^\/api\/v1/, '') }))
      .filter((r) => !doc.paths[r.path]?.[r.method]);
    expect(missing).toEqual([]);
    // The WebSocket paths are listed too, as upgrades with no JSON schema.
    expect(doc.paths['/events']?.get).toMatchObject({ responses: { 101: { description: expect.any(String) } } });
  });

  it('describes bodies and answers from the same schemas the hub validates with', async () => {
    const doc = (await call(hub.url, 'GET', '/openapi.json')).body;
    const issue = doc.paths['/tickets'].post;
    expect(issue.requestBody.content['application/json'].schema.properties.serviceCode).toBeDefined();
    expect(issue.requestBody.content['application/json'].schema.properties.applicant).toBeDefined();
    expect(issue.responses['201'].content['application/json'].schema.properties.number).toBeDefined();
    expect(doc.paths['/windows/{no}/call-next'].post.parameters[0]).toMatchObject({ name: 'no', in: 'path' });
    expect(doc.paths['/stats'].get.parameters).toEqual([
      expect.objectContaining({ name: 'day', in: 'query', required: false }),
    ]);
  });
});
