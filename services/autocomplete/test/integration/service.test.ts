/**
 * The real service as its own process, following a real Kafka query-log topic in a throw-away namespace:
 * query-log events change the next suggestions without a restart (a rebuilt index swapped in), invalid
 * events are skipped, queries that find nothing are never suggested; bad input is a 400, never a 500.
 */
import { randomBytes } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import { request } from 'undici';
import { AutocompleteResponse, QUERY_LOG_SCHEMA, type QueryLogEvent, topicNames } from '@search-mesh/contracts';
import { createKafka, deleteTopicsIfPresent, ensureTopics } from '@search-mesh/backends';
import { generateCatalog, loadQueries, loadTaxonomy, normaliseQuery, resolveDataDir, splitQueries } from '@search-mesh/catalog';
import { freePort, runTs, type RunningProcess, waitFor, waitForHttp } from '@search-mesh/testing';
import { CatalogCoverage } from '../../src/domain/entries';

const namespace = `it_ac_${randomBytes(4).toString('hex')}`;
const topic = topicNames(namespace).queryLog;
const kafka = createKafka({ kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',') }, 'autocomplete-integration-test');
const CATALOG_SIZE = 5000;
let service: RunningProcess;
let url: string;

async function suggest(query: string): Promise<{ status: number; body: any }> {
  const res = await request(`${url}/v1/suggest?${query}`);
  return { status: res.statusCode, body: await res.body.json() };
}
const texts = async (q: string) => ((await suggest(`q=${encodeURIComponent(q)}&size=20`)).body.suggestions as Array<{ text: string }>).map((s) => s.text);

async function publish(values: Array<QueryLogEvent | string>): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((v) => ({ key: typeof v === 'string' ? null : v.normalised, value: typeof v === 'string' ? v : JSON.stringify(v) })) });
  await producer.disconnect();
}
const event = (normalised: string, count: number): QueryLogEvent => ({ schema: QUERY_LOG_SCHEMA, type: 'query.submitted', normalised, count, occurredAt: new Date().toISOString() });

beforeAll(async () => {
  await ensureTopics(kafka, [topic]);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  service = runTs('services/autocomplete/src/server.ts', {
    SEARCH_MESH_NAMESPACE: namespace,
    SEARCH_MESH_AUTOCOMPLETE_PORT: String(port),
    SEARCH_MESH_AUTOCOMPLETE_LOG_LEVEL: 'warn',
    SEARCH_MESH_AUTOCOMPLETE_CATALOG_SIZE: String(CATALOG_SIZE),
    SEARCH_MESH_AUTOCOMPLETE_REBUILD_INTERVAL_MS: '100',
  });
  await waitForHttp(`${url}/readyz`, { timeoutMs: 90_000 });
});

afterAll(async () => {
  await service?.stop();
  // The service also followed config-changes (the blocklist), creating it in this namespace.
  await deleteTopicsIfPresent(kafka, [topic, topicNames(namespace).configChanges]);
});

describe('autocomplete over HTTP, fed by Kafka', () => {
  it('answers contract-valid suggestions', async () => {
    const { status, body } = await suggest('q=sam%20gal&size=5');
    expect(status).toBe(200);
    expect(Value.Check(AutocompleteResponse, body)).toBe(true);
    expect(body.suggestions[0].text.toLowerCase()).toMatch(/^samsung galaxy/);
  });

  it('takes live query-log counts in without a restart, skipping invalid events and queries that find nothing', async () => {
    // A held-out TEST query (never seeded) that the served catalog has products for.
    const dir = resolveDataDir();
    const queries = loadQueries(dir);
    const coverage = new CatalogCoverage([...generateCatalog({ seed: 42, size: CATALOG_SIZE, taxonomy: loadTaxonomy(dir), queries })]);
    const candidates = splitQueries(queries).test.map((q) => normaliseQuery(q.query)).filter((q) => q.includes(' ') && coverage.facts(q) !== null);
    let fresh: string | undefined;
    for (const q of candidates) {
      if (!(await texts(q)).includes(q)) {
        fresh = q;
        break;
      }
    }
    expect(fresh).toBeDefined();
    const query = fresh as string;
    const nothing = `zzqx ${randomBytes(3).toString('hex')} nothing`;
    await publish(['not json', JSON.stringify({ schema: QUERY_LOG_SCHEMA, type: 'query.submitted', normalised: query, count: -1 }), event(query, 1_000_000), event(nothing, 1_000_000)]);
    const prefix = query.slice(0, query.indexOf(' ') + 2);
    await waitFor(`"${query}" first for "${prefix}"`, async () => ((await texts(prefix))[0] === query ? true : undefined), 20_000);
    expect(await texts(nothing.slice(0, 6))).not.toContain(nothing);
    const metrics = await (await request(`${url}/metrics`)).body.text();
    expect(metrics).toMatch(/autocomplete_query_log_events_total\{outcome="invalid"[^}]*\} 2/);
    expect(metrics).toMatch(/autocomplete_index_rebuilds_total\{[^}]*\} [1-9]/);
  });

  it('refuses bad input with a 400 naming the field, never a 500', async () => {
    for (const [query, field] of [
      ['q=', 'querystring.q'],
      [`q=${'x'.repeat(1024)}`, 'querystring.q'],
      ['q=tv%1b%5B31m', 'querystring.q'],
      ['q=tv&limit=0', 'querystring.limit'],
      ['q=tv&limit=1000', 'querystring.limit'],
    ] as const) {
      const { status, body } = await suggest(query);
      expect([query, status, body.error?.field]).toEqual([query, 400, field]);
    }
    for (const q of ['😀', '%22*%3F~()%3A%5C%2F', 'a%20'.repeat(40)]) {
      expect((await suggest(`q=${q}`)).status).toBe(200);
    }
  });
});
