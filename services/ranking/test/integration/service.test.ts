/**
 * The ranking service as real processes on a real Kafka (feature log) and Cassandra (feature store, empty
 * for this namespace: defaults), two instances sharing one registry directory: scoring over HTTP, bad
 * input, the lifecycle (register, gate, hot swap under load, canary, shadow, rollback) and the feature log.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { Value } from '@sinclair/typebox/value';
import { createKafka } from '@search-mesh/backends';
import { FEATURE_CHANGES_SCHEMA, type FeatureChangesEvent, FEATURES_CHANGED, FeatureLogEvent, packValues, RANK_DOCUMENT_FEATURES, type RankRequest, topicNames, unpackValues } from '@search-mesh/contracts';
import { freePort, runTs, type RunningProcess, waitFor, waitForHttp } from '@search-mesh/testing';
import type { ModelManifest } from '../../src/domain/manifest';

const namespace = `rank_it_${randomBytes(4).toString('hex')}`;
const TOKEN = 'rank-admin-token';
const registryDir = mkdtempSync(join(tmpdir(), 'ranking-registry-'));
const modelDir = join(__dirname, '../../model');
const builtin = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
const smallDir = join(__dirname, '../fixtures/small-model');
const small = JSON.parse(readFileSync(join(smallDir, 'manifest.json'), 'utf8')) as ModelManifest;
const kafka = createKafka({ kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',') }, 'ranking-integration-test');
const services: RunningProcess[] = [];
let url: string;
let second: string;

async function start(env: Record<string, string> = {}): Promise<string> {
  const port = await freePort();
  const service = runTs('services/ranking/src/server.ts', {
    SEARCH_MESH_NAMESPACE: namespace,
    SEARCH_MESH_RANKING_PORT: String(port),
    SEARCH_MESH_RANKING_LOG_LEVEL: 'info',
    SEARCH_MESH_RANKING_ACCESS_LOG: 'false',
    SEARCH_MESH_RANKING_ADMIN_TOKEN: TOKEN,
    SEARCH_MESH_RANKING_REGISTRY_DIR: registryDir,
    SEARCH_MESH_RANKING_REGISTRY_POLL_MS: '200',
    SEARCH_MESH_RANKING_EXECUTION_PROVIDER: 'cuda',
    ...env,
  });
  services.push(service);
  await waitForHttp(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 60_000 });
  return `http://127.0.0.1:${port}`;
}

/** A rank request like the orchestrator's: the golden rows' request features for `n` candidates. */
function rankRequest(n: number, extra: Partial<RankRequest> = {}): RankRequest {
  const names = builtin.features.map((f) => f.name);
  const candidates = Array.from({ length: n }, (_, i) => {
    const row = builtin.golden.inputs[i % builtin.golden.inputs.length]!;
    const features: Record<string, number> = {};
    names.forEach((name, k) => {
      if ((RANK_DOCUMENT_FEATURES as readonly string[]).includes(name) || name.startsWith('text_') || name.startsWith('exact_') || name.startsWith('category_') || name === 'attr_boost_matches') features[name] = row[k]!;
    });
    features.retrieval_rank = i;
    return { id: `p${i}`, retrievalScore: row[0]!, features };
  });
  return { query: 'samsung tv', categories: [], candidates, explain: false, ...extra };
}

async function post(path: string, body: unknown, base = url, headers: Record<string, string> = {}) {
  const res = await request(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as any };
}
const admin = async (method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown, base = url) => {
  const res = await request(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, body: (await res.body.json()) as any };
};
const registration = (dir: string, manifest: ModelManifest, version = manifest.version) => ({ manifest: { ...manifest, version }, model: readFileSync(join(dir, 'model.onnx')).toString('base64') });

beforeAll(async () => {
  url = await start();
  // A body limit large enough to parse 100,000 candidates (the default 1 MB answers 413 before parsing).
  second = await start({ SEARCH_MESH_RANKING_BODY_LIMIT_BYTES: String(32 * 1024 * 1024) });
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  rmSync(registryDir, { recursive: true, force: true });
});

describe('POST /v1/rank', () => {
  it('scores with the active model, names its version, logs a CUDA fallback warning', async () => {
    const res = await post('/v1/rank', rankRequest(50, { explain: true }));
    expect(res.status).toBe(200);
    expect(res.body.model).toEqual({ name: builtin.name, version: builtin.version });
    expect(res.headers['x-model-version']).toBe(builtin.version);
    expect(res.body.ranked).toHaveLength(50);
    expect(new Set(res.body.ranked.map((r: { id: string }) => r.id)).size).toBe(50);
    const scores = res.body.ranked.map((r: { score: number }) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(Object.keys(res.body.ranked[0].features)).toEqual(builtin.features.map((f) => f.name));
    expect(services[0]!.output()).toContain('the CUDA execution provider is not available: scoring on CPU');
  });

  it('scores the packed form (float32 matrix) like named features, and names what is wrong with it', async () => {
    const named = rankRequest(20);
    const names = Object.keys(named.candidates[0]!.features!);
    const packed = {
      ...named,
      featureNames: names,
      packedValues: packValues(Float32Array.from(named.candidates.flatMap((c) => names.map((n) => c.features![n]!)))),
      candidates: named.candidates.map((c) => ({ id: c.id, retrievalScore: c.retrievalScore })),
    };
    const [byName, byPacked] = [await post('/v1/rank', named), await post('/v1/rank', packed)];
    expect(byPacked.status).toBe(200);
    expect(byPacked.body.ranked.map((r: { id: string }) => r.id)).toEqual(byName.body.ranked.map((r: { id: string }) => r.id));
    byPacked.body.ranked.forEach((r: { score: number }, i: number) => expect(r.score).toBeCloseTo(byName.body.ranked[i].score, 4));
    expect(await post('/v1/rank', { ...packed, packedValues: packed.packedValues.slice(8) })).toMatchObject({ status: 400, body: { error: { field: 'body.packedValues' } } });
    const nan = packValues(Float32Array.from({ length: 20 * names.length }, (_, at) => (at === 7 ? Number.NaN : 1)));
    expect(await post('/v1/rank', { ...packed, packedValues: nan })).toMatchObject({ status: 400, body: { error: { field: 'body.packedValues' } } });
  });

  it('answers bad input with a 4xx naming the field', async () => {
    const unknown = rankRequest(3);
    unknown.candidates[1]!.features!.colour_match = 1;
    expect(await post('/v1/rank', unknown)).toMatchObject({ status: 400, body: { error: { field: 'body.candidates.1.features.colour_match' } } });
    const infinite = JSON.stringify(rankRequest(2)).replace('"retrievalScore":', '"retrievalScore":1e999,"x":');
    expect((await post('/v1/rank', infinite)).status).toBe(400);
    const inf = JSON.stringify(rankRequest(2)).replace(/"price":[-0-9.e]+/, '"price":1e999');
    expect(await post('/v1/rank', inf)).toMatchObject({ status: 400, body: { error: { field: 'body.candidates.0.features.price' } } });
    const doc = Object.fromEntries(RANK_DOCUMENT_FEATURES.map((n) => [n, 1]));
    const hundredThousand = { query: 'tv', categories: [], explain: false, candidates: Array.from({ length: 100_000 }, (_, i) => ({ id: `p${i}`, retrievalScore: 1, features: doc })) };
    expect(await post('/v1/rank', hundredThousand, second)).toMatchObject({ status: 400, body: { error: { field: expect.stringContaining('candidates') } } });
    expect(await post('/v1/rank', rankRequest(3, { modelVersion: 'lgbm-none' }))).toMatchObject({ status: 404, body: { error: { field: 'body.modelVersion' } } });
    expect((await post('/v1/rank', { query: 'tv' })).status).toBe(400);
    // The route's own JSON parser: malformed JSON is a 400 on the body; "__proto__" and "constructor" keys break nothing.
    expect(await post('/v1/rank', '{"query": "tv", "candidates": [')).toMatchObject({ status: 400, body: { error: { field: 'body' } } });
    const poisoned = JSON.stringify(rankRequest(2)).replace('{"query"', '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"query"');
    expect((await post('/v1/rank', poisoned)).status).toBeLessThan(500);
    expect((await post('/v1/rank', rankRequest(2))).status).toBe(200);
  });

  it('logs the exact feature vectors it scored to Kafka', async () => {
    const consumer = kafka.consumer({ groupId: `${namespace}-check` });
    await consumer.connect();
    await consumer.subscribe({ topic: topicNames(namespace).featureLog, fromBeginning: true });
    const events: FeatureLogEvent[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void events.push(JSON.parse(message.value!.toString()) as FeatureLogEvent) });
    const res = await request(`${url}/v1/rank`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'feature-log-check' }, body: JSON.stringify(rankRequest(5, { explain: true })) });
    const body = (await res.body.json()) as any;
    const event = await waitFor('the feature-log event', async () => events.find((e) => e.requestId === 'feature-log-check'), 20_000);
    await consumer.disconnect();
    expect(event.modelVersion).toBe(builtin.version);
    expect(Value.Check(FeatureLogEvent, event)).toBe(true);
    const width = event.featureNames.length;
    const values = unpackValues(event.packedValues, event.candidates.length * width)!;
    expect(values).toBeDefined();
    for (const ranked of body.ranked) {
      const row = event.candidates.findIndex((c) => c.id === ranked.id);
      expect(event.candidates[row]!.score).toBeCloseTo(ranked.score, 6);
      expect(Array.from(values.subarray(row * width, (row + 1) * width))).toEqual(event.featureNames.map((n) => ranked.features[n]));
    }
  });
});

describe('feature changes', () => {
  it("follows the feature pipeline's change announcements into its feature cache", async () => {
    const producer = kafka.producer();
    await producer.connect();
    const changed = async () => {
      const text = await (await request(`${url}/metrics`)).body.text();
      return /^feature_store_changes_total\{kind="queryProduct",cached="false"[^}]*\} [1-9]/m.test(text) ? true : undefined;
    };
    try {
      // Announced until it shows: the service joins its consumer group in the background and follows from then on.
      await waitFor('the announcement counted', async () => {
        if (await changed()) return true;
        const event: FeatureChangesEvent = { schema: FEATURE_CHANGES_SCHEMA, type: FEATURES_CHANGED, products: ['p1'], queryProducts: [{ query: 'samsung tv', productId: 'p1' }] };
        await producer.send({ topic: topicNames(namespace).featureChanges, messages: [{ value: JSON.stringify(event) }] });
        return undefined;
      }, 30_000, 250);
    } finally {
      await producer.disconnect();
    }
  });
});

describe('model lifecycle', () => {
  it('refuses admin calls without the token', async () => {
    const res = await request(`${url}/v1/admin/models`);
    expect(res.statusCode).toBe(401);
    await res.body.dump();
  });

  it('rejects a corrupt or wrong-shape model at the gate; the old one keeps serving', async () => {
    const corrupt = { manifest: small, model: Buffer.from('not an onnx model').toString('base64') };
    expect((await admin('PUT', `/v1/admin/models/${small.version}`, corrupt)).status).toBe(422);
    const wrongShape = { manifest: { ...small, features: small.features.slice(2) }, model: registration(smallDir, small).model };
    expect(await admin('PUT', `/v1/admin/models/${small.version}`, wrongShape)).toMatchObject({ status: 422, body: { error: { message: expect.stringContaining('features') } } });
    expect((await admin('POST', '/v1/admin/active', { version: small.version })).status).toBe(404);
    expect((await post('/v1/rank', rankRequest(10))).body.model.version).toBe(builtin.version);
  });

  it('hot-swaps under load with zero failed requests, canary takes its share, rollback returns', async () => {
    expect((await admin('PUT', `/v1/admin/models/${small.version}`, registration(smallDir, small))).status).toBe(201);
    let stop = false;
    const seen = new Map<string, number>();
    let failures = 0;
    const worker = async () => {
      while (!stop) {
        const res = await post('/v1/rank', rankRequest(200)).catch(() => ({ status: 0, body: undefined as any }));
        if (res.status !== 200) failures++;
        else seen.set(res.body.model.version, (seen.get(res.body.model.version) ?? 0) + 1);
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, worker));
    for (let round = 0; round < 3; round++) {
      expect((await admin('POST', '/v1/admin/active', { version: small.version })).body.active).toBe(small.version);
      await new Promise((r) => setTimeout(r, 150));
      expect((await admin('POST', '/v1/admin/rollback')).body.active).toBe(builtin.version);
      await new Promise((r) => setTimeout(r, 150));
    }
    stop = true;
    await load;
    expect(failures).toBe(0);
    expect(seen.get(small.version)).toBeGreaterThan(0);
    expect(seen.get(builtin.version)).toBeGreaterThan(0);

    await admin('PUT', '/v1/admin/canary', { version: small.version, share: 0.3 });
    const versions = await Promise.all(Array.from({ length: 60 }, async () => (await post('/v1/rank', rankRequest(20))).body.model.version as string));
    const canary = versions.filter((v) => v === small.version).length;
    expect(canary).toBeGreaterThan(3);
    expect(canary).toBeLessThan(40);
    expect((await admin('DELETE', '/v1/admin/canary')).body.canary).toBeUndefined();
  });

  it('scores with the shadow model on the side and never returns its scores', async () => {
    const before = await post('/v1/rank', rankRequest(30));
    expect((await admin('PUT', '/v1/admin/shadow', { version: small.version })).body.shadow).toBe(small.version);
    const pinnedShadow = await post('/v1/rank', rankRequest(30, { modelVersion: small.version }));
    expect(pinnedShadow.body.model.version).toBe(small.version);
    for (let i = 0; i < 5; i++) {
      const during = await post('/v1/rank', rankRequest(30));
      expect(during.body.model.version).toBe(builtin.version);
      expect(during.body.ranked).toEqual(before.body.ranked);
      expect(during.body.ranked).not.toEqual(pinnedShadow.body.ranked);
    }
    const metrics = await waitFor('shadow comparisons', async () => {
      const text = await (await request(`${url}/metrics`)).body.text();
      return /ranking_shadow_score_diff_count\{[^}]*version="[^"]+"[^}]*\} [1-9]/.test(text) ? text : undefined;
    });
    const line = (name: string, labels: string[]) => metrics.split('\n').find((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
    expect(line('ranking_score_count', [`version="${small.version}"`, 'role="shadow"'])).toBeDefined();
    expect(line('ranking_model_info', [`version="${builtin.version}"`, 'role="active"', 'provider="cpu"'])).toBeDefined();
    expect(line('ranking_feature_psi', [`version="${builtin.version}"`, 'feature="price"'])).toBeDefined();
    // The feature log kept up with the load test's 200-candidate requests (~60 KB each) without a failed send.
    expect(Number(line('ranking_feature_log_total', ['outcome="sent"'])!.split(' ').pop())).toBeGreaterThan(100);
    expect(line('ranking_feature_log_total', ['outcome="failed"'])).toBeUndefined();
    await admin('DELETE', '/v1/admin/shadow');
  });

  it('every instance follows the shared registry state', async () => {
    // Waits on the second instance's own state, not on one of its answers: until its next registry poll it
    // may still hold the earlier test's canary (the small model, 30%), whose answers name the small model too.
    const activeOnSecond = async () => (await admin('GET', '/v1/admin/models', undefined, second)).body.loaded.active as string;
    await admin('POST', '/v1/admin/active', { version: small.version });
    await waitFor('the second instance to swap', async () => ((await activeOnSecond()) === small.version ? true : undefined), 10_000);
    const models = await admin('GET', '/v1/admin/models', undefined, second);
    expect(models.body.loaded.active).toBe(small.version);
    expect(models.body.versions).toEqual([builtin.version, small.version].sort());
    expect((await post('/v1/rank', rankRequest(5), second)).body.model.version).toBe(small.version);
    await admin('POST', '/v1/admin/rollback');
    await waitFor('the second instance to roll back', async () => ((await activeOnSecond()) === builtin.version ? true : undefined), 10_000);
    expect((await post('/v1/rank', rankRequest(5), second)).body.model.version).toBe(builtin.version);
  });
});
