import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { gunzipSync } from 'node:zlib';
import { waitFor } from '@search-mesh/testing';
import { request } from 'undici';
import { type IndexedCatalog, indexCatalog } from '../../services/orchestrator/test/support/catalog-index';
import { type Mesh, startMesh } from '../../services/orchestrator/test/support/mesh';

/** One span as the OTLP/HTTP JSON encoding carries it, with the service that sent it. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

const KIND = { internal: 1, server: 2, client: 3 };

/** An OTLP/HTTP trace receiver on loopback (what a collector is), keeping every span it is sent. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      this.add(JSON.parse(body.toString('utf8')));
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });

  async listen(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  close(): void {
    this.server.close();
  }

  private add(payload: { resourceSpans?: Array<{ resource?: { attributes?: Attr[] }; scopeSpans?: Array<{ spans?: RawSpan[] }> }> }): void {
    for (const rs of payload.resourceSpans ?? []) {
      const service = String(attrs(rs.resource?.attributes)['service.name'] ?? '');
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          this.spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', name: s.name, kind: s.kind, attributes: attrs(s.attributes) });
        }
      }
    }
  }
}
type Attr = { key: string; value: Record<string, unknown> };
type RawSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: Attr[] };
const attrs = (list: Attr[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.key, Object.values(a.value)[0]]));

let receiver: OtlpReceiver;
let catalog: IndexedCatalog;
let mesh: Mesh;
const saved = { ...process.env };

beforeAll(async () => {
  receiver = new OtlpReceiver();
  // Every service process inherits these: export to the receiver, in small, quick batches.
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = await receiver.listen();
  process.env.OTEL_BSP_SCHEDULE_DELAY = '100';
  catalog = await indexCatalog(2000);
  mesh = await startMesh({ namespace: catalog.namespace, catalogSize: catalog.size, orchestratorEnv: { SEARCH_MESH_ORCHESTRATOR_REQUEST_BUDGET_MS: '3000', SEARCH_MESH_ORCHESTRATOR_RATE_LIMIT_MAX: '0' } });
}, 180_000);

afterAll(async () => {
  process.env = saved;
  await mesh?.stop();
  await catalog?.drop();
  receiver?.close();
});

it('one search is one trace: orchestrator → peers → Elasticsearch, each span under its caller', async () => {
  const res = await request(`${mesh.orchestrator.url}/v1/search?q=samsung%20tv&debug=true`);
  const body = (await res.body.json()) as { debug?: { traceId?: string } };
  expect(res.statusCode).toBe(200);
  const traceId = body.debug?.traceId;
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);

  const ofTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
  // Complete once the spans every process exports in its own batches have arrived: query understanding's
  // server span, Elasticsearch's, and the orchestrator's root (it ends only after the response was sent).
  const arrived = (spans: ReceivedSpan[]) =>
    spans.some((s) => s.service === 'query-understanding' && s.kind === KIND.server) &&
    spans.some((s) => s.attributes['db.system'] === 'elasticsearch') &&
    spans.some((s) => s.service === 'orchestrator' && s.kind === KIND.server);
  await waitFor('the spans of the trace', async () => (arrived(ofTrace()) ? true : undefined), 15_000);
  const spans = ofTrace();
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const parentOf = (s: ReceivedSpan) => byId.get(s.parentSpanId);

  const root = spans.find((s) => s.service === 'orchestrator' && s.kind === KIND.server);
  expect(root).toMatchObject({ name: 'GET /v1/search', parentSpanId: '' });
  expect(root!.attributes['http.response.status_code']).toBe(200);

  // orchestrator → query understanding: a client span under the root, the peer's server span under it,
  // the model's inference under that.
  const quClient = spans.find((s) => s.service === 'orchestrator' && s.kind === KIND.client && s.attributes['peer.service'] === 'query-understanding');
  expect(parentOf(quClient!)).toBe(root);
  const quServer = spans.find((s) => s.service === 'query-understanding' && s.kind === KIND.server);
  expect(quServer).toMatchObject({ name: 'POST /v1/understand', parentSpanId: quClient!.spanId });
  const inference = spans.find((s) => s.name === 'category-model inference');
  expect(inference).toMatchObject({ service: 'query-understanding', parentSpanId: quServer!.spanId });

  // Every peer the orchestrator called answered in the same trace, under the call that reached it.
  for (const client of spans.filter((s) => s.service === 'orchestrator' && s.kind === KIND.client && s.attributes['peer.service'] !== undefined)) {
    expect(parentOf(client)).toBe(root);
    await waitFor(`the server span of ${client.name}`, async () => receiver.spans.find((s) => s.parentSpanId === client.spanId && s.kind === KIND.server), 10_000);
    const server = receiver.spans.find((s) => s.parentSpanId === client.spanId && s.kind === KIND.server)!;
    expect(server.service).toBe(client.attributes['peer.service']);
  }

  // Elasticsearch: the client's own spans (retrieval, the page fetch), under the orchestrator's request.
  const es = spans.filter((s) => s.attributes['db.system'] === 'elasticsearch');
  expect(es.length).toBeGreaterThanOrEqual(1);
  for (const s of es) {
    expect(s.service).toBe('orchestrator');
    expect(parentOf(s)).toBe(root);
    expect(s.attributes['db.collection.name']).toContain(catalog.namespace);
  }
}, 60_000);

it('continues the caller\'s trace from its traceparent', async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const callerSpan = '00f067aa0ba902b7';
  const res = await request(`${mesh.orchestrator.url}/v1/search?q=laptop&debug=true`, { headers: { traceparent: `00-${traceId}-${callerSpan}-01` } });
  const body = (await res.body.json()) as { debug?: { traceId?: string } };
  expect(body.debug?.traceId).toBe(traceId);
  const root = await waitFor('the orchestrator span', async () => receiver.spans.find((s) => s.traceId === traceId && s.service === 'orchestrator' && s.kind === KIND.server), 10_000);
  expect(root.parentSpanId).toBe(callerSpan);
}, 30_000);
