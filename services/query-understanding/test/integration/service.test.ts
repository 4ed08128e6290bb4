/**
 * The real service as its own process (the real model in the default TypeScript runtime, real HTTP),
 * following a real Kafka config-changes topic: a published rule set changes the next plans without a
 * restart. A second process serves with onnxruntime-node (CLASSIFIER_RUNTIME=onnxruntime) and must make
 * the same plans.
 */
import { randomBytes } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import { request } from 'undici';
import { QueryPlan, type QueryRulesChanged, topicNames } from '@search-mesh/contracts';
import { createKafka } from '@search-mesh/backends';
import { freePort, runTs, type RunningProcess, sleep, waitForHttp } from '@search-mesh/testing';

const namespace = `qu_it_${randomBytes(4).toString('hex')}`;
const kafka = createKafka({ kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',') }, 'qu-integration-test');
let service: RunningProcess;
let url: string;

async function understand(query: unknown): Promise<{ status: number; body: any }> {
  const res = await request(`${url}/v1/understand`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(query) });
  return { status: res.statusCode, body: await res.body.json() };
}

async function publish(event: QueryRulesChanged | object): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: topicNames(namespace).configChanges, messages: [{ key: 'query-rules', value: JSON.stringify(event) }] });
  await producer.disconnect();
}

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: topicNames(namespace).configChanges, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  // A rule set published before the service starts is applied before it turns ready.
  await publish({ schema: 'config-changes.v1', type: 'query_rules.changed', occurredAt: new Date().toISOString(), ruleSet: { version: 'early-1', rules: [{ id: 'r-telly', type: 'replace', from: 'telly', to: 'tv' }] } });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  service = runTs('services/query-understanding/src/server.ts', {
    SEARCH_MESH_NAMESPACE: namespace,
    SEARCH_MESH_QUERY_UNDERSTANDING_PORT: String(port),
    SEARCH_MESH_QUERY_UNDERSTANDING_LOG_LEVEL: 'warn',
    SEARCH_MESH_QUERY_UNDERSTANDING_RULES_FROM_KAFKA: 'true',
  });
  await waitForHttp(`${url}/readyz`, { timeoutMs: 60_000 });
});

afterAll(async () => {
  await service?.stop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topicNames(namespace).configChanges] }).catch(() => undefined);
  await admin.disconnect();
});

describe('query-understanding over HTTP', () => {
  it('answers real queries with contract-valid plans from the model', async () => {
    const { status, body } = await understand({ query: 'Samsung 65" QLED TV under $1,500' });
    expect(status).toBe(200);
    expect(Value.Check(QueryPlan, body)).toBe(true);
    expect(body.categories.find((c: { level: number }) => c.level === 1).path).toMatch(/^TV & Home Theater/);
    expect(body.filters).toContainEqual(expect.objectContaining({ field: 'price', lte: 1500 }));
    expect(body.versions.model).toMatch(/^category-/);
    const misspelled = await understand({ query: 'refrigirator' });
    expect(misspelled.body.spelling).toMatchObject({ action: 'search', corrected: 'refrigerator' });
  });

  it('makes the same plans with onnxruntime-node as with the TypeScript runtime, leaf categories included', async () => {
    const port = await freePort();
    const onnx = runTs('services/query-understanding/src/server.ts', {
      SEARCH_MESH_NAMESPACE: namespace,
      SEARCH_MESH_QUERY_UNDERSTANDING_PORT: String(port),
      SEARCH_MESH_QUERY_UNDERSTANDING_LOG_LEVEL: 'warn',
      SEARCH_MESH_QUERY_UNDERSTANDING_CLASSIFIER_RUNTIME: 'onnxruntime',
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 60_000 });
      for (const query of ['french door refrigerator', 'iphone 6 case', 'gaming laptop under 1000', 'airfryer']) {
        const ts = (await understand({ query })).body;
        const res = await request(`http://127.0.0.1:${port}/v1/understand`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        const ort = (await res.body.json()) as typeof ts;
        expect(res.statusCode).toBe(200);
        expect(ts.leafCategories.length).toBeGreaterThan(0);
        for (const key of ['categories', 'leafCategories'] as const) {
          expect(ort[key].map((c: { path: string }) => c.path)).toEqual(ts[key].map((c: { path: string }) => c.path));
          ort[key].forEach((c: { probability: number }, i: number) => expect(c.probability).toBeCloseTo(ts[key][i].probability, 3));
        }
        expect(ort.boosts).toEqual(ts.boosts);
      }
    } finally {
      await onnx.stop();
    }
  });

  it('refuses bad input with a 400 and makes safe plans of hostile input, never a 500', async () => {
    for (const bad of [{ query: '' }, { query: '   ' }, { query: 'x'.repeat(10_240) }, { query: 'tv\u0007' }]) {
      const { status, body } = await understand(bad);
      expect(status).toBe(400);
      expect(body.error.field).toBe('body.query');
    }
    for (const query of ['"*?~():\\/', '😀 tv 😀', 'tv) OR (1:1']) {
      const { status, body } = await understand({ query });
      expect(status).toBe(200);
      expect(Value.Check(QueryPlan, body)).toBe(true);
    }
  });

  it('applied the rule set published before start, and swaps in a newly published one at run time', async () => {
    expect((await understand({ query: 'telly' })).body).toMatchObject({ query: 'tv', versions: { rules: 'early-1' } });
    await publish({ schema: 'config-changes.v1', type: 'facets.changed', occurredAt: new Date().toISOString() }); // not ours: skipped
    await publish({ schema: 'config-changes.v1', type: 'query_rules.changed', occurredAt: 'garbage' }); // invalid: skipped
    await publish({
      schema: 'config-changes.v1',
      type: 'query_rules.changed',
      occurredAt: new Date().toISOString(),
      ruleSet: { version: 'merch-2', rules: [{ id: 'r-box', type: 'redirect', queries: ['telly'], url: '/tv-deals' }] },
    });
    const deadline = Date.now() + 20_000;
    let plan: any;
    while (Date.now() < deadline) {
      plan = (await understand({ query: 'telly' })).body;
      if (plan.versions.rules === 'merch-2') break;
      await sleep(100);
    }
    expect(plan).toMatchObject({ versions: { rules: 'merch-2' }, intent: { type: 'redirect', redirect: { url: '/tv-deals', ruleId: 'r-box' } } });
    const metrics = await (await request(`${url}/metrics`)).body.text();
    expect(metrics).toMatch(/qu_rule_reloads_total\{[^}]*source="kafka",outcome="applied"[^}]*\} 2/);
    expect(metrics).toMatch(/qu_rule_reloads_total\{[^}]*source="kafka",outcome="rejected"[^}]*\} 1/);
  });
});
