import { Value } from '@sinclair/typebox/value';
import { QueryPlan, type QueryRuleSet } from '@search-mesh/contracts';
import { loadConfig, type ServiceApp } from '@search-mesh/service-kit';
import { buildApp } from '../../src/app';
import { settings } from '../../src/config';
import { createEngine, type Engine } from '../../src/engine';
import { DEFAULT_FEATURE_SPEC } from '../../src/domain/features';

const TOKEN = 'test-admin-token';

describe('query-understanding HTTP app', () => {
  let engine: Engine;
  let app: ServiceApp;
  beforeAll(async () => {
    // onnxruntime-node's output tensors fail jest's realm checks, so the HTTP layer is tested here with a
    // fixed classifier; the real model is tested in onnx-classifier.test.ts and over HTTP in integration.
    engine = await createEngine({
      classifier: {
        version: 'fixed-1',
        featureSpec: DEFAULT_FEATURE_SPEC,
        classify: async () => ({ lvl1: [['TV & Home Theater > TVs', 0.8]], lvl2: [['TV & Home Theater > TVs > OLED TVs', 0.5]] }),
        close: async () => undefined,
      },
    });
  });
  afterAll(() => engine.close());
  beforeEach(async () => {
    const config = loadConfig('query-understanding', settings, {
      SEARCH_MESH_QUERY_UNDERSTANDING_LOG_LEVEL: 'silent',
      SEARCH_MESH_QUERY_UNDERSTANDING_ADMIN_TOKEN: TOKEN,
    });
    app = await buildApp(config, { engine });
  });
  afterEach(async () => {
    await app.close();
  });

  const understand = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/understand', payload: payload as object });

  it('answers a plan that satisfies the contract', async () => {
    const res = await understand({ query: 'LG 65 inch OLED TV under $2000' });
    expect(res.statusCode).toBe(200);
    const plan = res.json();
    expect(Value.Check(QueryPlan, plan)).toBe(true);
    expect(plan.filters).toContainEqual(expect.objectContaining({ field: 'price', lte: 2000 }));
    expect(plan.categories[0].path).toMatch(/TV/);
  });

  it.each([
    ['empty', { query: '' }, 'body.query'],
    ['whitespace', { query: ' \t\n ' }, 'body.query'],
    ['10 KB', { query: 'tv '.repeat(3400) }, 'body.query'],
    ['control characters', { query: 'tv\u0000stand' }, 'body.query'],
    ['escape sequence', { query: '\u001b[31mtv' }, 'body.query'],
    ['lone surrogate', { query: 'tv \ud800' }, 'body.query'],
    ['no query', {}, 'body.query'],
    ['a list', { query: ['tv', 'stand'] }, 'body.query'],
    ['unknown field', { query: 'tv', size: 3 }, 'body.size'],
  ])('answers %s with a 400 naming the field', async (_name, payload, field) => {
    const res = await understand(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'BAD_REQUEST', field: expect.stringContaining(field.split('.')[0]!) });
    if (field !== 'body.size') expect(res.json().error.field).toBe(field);
  });

  it.each(['🔥📺', '"tv" AND title:(x*) OR ~ \\ / ? : ( )', '<script>alert(1)</script>', '\u202e\u200btv'])('answers %j with a safe plan', async (query) => {
    const res = await understand({ query });
    expect(res.statusCode).toBe(200);
    expect(Value.Check(QueryPlan, res.json())).toBe(true);
  });

  it('guards the rules endpoint with the admin token', async () => {
    const noToken = await app.inject({ method: 'GET', url: '/v1/rules' });
    expect(noToken.statusCode).toBe(401);
    expect(noToken.json().error.field).toBe('headers.authorization');
    const wrong = await app.inject({ method: 'GET', url: '/v1/rules', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const ok = await app.inject({ method: 'GET', url: '/v1/rules', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.json()).toEqual({ version: 'builtin-1', rules: expect.any(Number) });
  });

  it('answers a repeated query from the plan cache, byte for byte, and keys it by topCategories too', async () => {
    const cacheCount = async (result: string) => {
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      return Number(new RegExp(`^qu_plan_cache_total\\{[^}]*result="${result}"[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    };
    const first = await understand({ query: 'samsung 65 inch tv' });
    const again = await understand({ query: 'samsung 65 inch tv' });
    expect(again.statusCode).toBe(200);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(again.body).toBe(first.body);
    expect(Value.Check(QueryPlan, again.json())).toBe(true);
    expect([await cacheCount('hit'), await cacheCount('miss')]).toEqual([1, 1]);
    await understand({ query: 'samsung 65 inch tv', topCategories: 1 });
    expect([await cacheCount('hit'), await cacheCount('miss')]).toEqual([1, 2]);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/qu_plans_total\{[^}]*\} 3/); // every answer counted, cached or not
  });

  it('swaps rules at run time: the next request uses them; an invalid set is refused naming the rule', async () => {
    const before = (await understand({ query: 'telly' })).json();
    expect(before.terms.map((t: { text: string }) => t.text)).not.toContain('tv');
    const ruleSet: QueryRuleSet = { version: 'merch-2', rules: [{ id: 'uk-tv', type: 'replace', from: 'telly', to: 'tv' }] };
    const headers = { authorization: `Bearer ${TOKEN}` };
    const bad = await app.inject({ method: 'POST', url: '/v1/rules', headers, payload: { version: 'bad', rules: [{ id: 'x', type: 'delete', terms: ['???'] }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('body.rules.0.terms.0');
    const invalid = await app.inject({ method: 'POST', url: '/v1/rules', headers, payload: { version: 'bad', rules: [{ id: 'x', type: 'teleport' }] } });
    expect(invalid.statusCode).toBe(400);
    const res = await app.inject({ method: 'POST', url: '/v1/rules', headers, payload: ruleSet });
    expect(res.json()).toEqual({ version: 'merch-2', rules: 1 });
    const after = (await understand({ query: 'telly' })).json();
    expect(after.query).toBe('tv');
    expect(after.versions.rules).toBe('merch-2');
    expect(after.rewrites).toContainEqual(expect.objectContaining({ step: 'replace', ruleId: 'uk-tv' }));
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/qu_rules_info\{[^}]*version="merch-2"[^}]*\} 1/);
    expect(metrics.body).toMatch(/qu_rule_reloads_total\{[^}]*source="http",outcome="rejected"[^}]*\} 1/);
    engine.rules.replace((await import('../../src/domain/default-rules')).DEFAULT_RULES);
  });

  it('disables the rules endpoint without a token', async () => {
    const config = loadConfig('query-understanding', settings, { SEARCH_MESH_QUERY_UNDERSTANDING_LOG_LEVEL: 'silent' });
    const closed = await buildApp(config, { engine });
    const res = await closed.inject({ method: 'POST', url: '/v1/rules', payload: { version: 'x', rules: [] } });
    expect(res.statusCode).toBe(403);
    await closed.close();
  });
});
