/**
 * The orchestrator's topology with none of its work: what any search mesh of this shape costs on this
 * machine before its code does anything. Plain node:http servers and undici pools (no Fastify, schemas,
 * breakers, deadlines, metrics or logs), started by bench:search's `--floor`:
 *
 * - `FLOOR_ROLE=echo` stands in for a peer (query understanding, facets, ranking): it parses each POSTed
 *   JSON body and answers it back.
 * - `FLOOR_ROLE=relay` stands in for the orchestrator: `GET /v1/search?q=…` → query understanding ∥ facet
 *   selection (each POST {query}) → Elasticsearch, with the exact request the orchestrator sent for `q`
 *   (`FLOOR_REQUESTS`, a JSON file of q → { path, body }) → ranking (the window's ids, scores and match
 *   scores) ∥ facet rendering (the aggregations) → the page's sources and the facets as JSON.
 *
 * Same processes, hops, order and concurrency as a real search, and about the same bytes on each hop.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'undici';

interface FloorRequest {
  path: string;
  body: string;
}

interface EsAnswer {
  hits?: { hits?: Array<{ _id: string; _score: number; _source: unknown; matched_queries?: unknown }> };
  aggregations?: unknown;
}

const PAGE_SIZE = 24;

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  req.setEncoding('utf8');
  for await (const chunk of req) body += chunk as string;
  return body;
}

function answer(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const pool = (url: string) => new Pool(url, { connections: 16, pipelining: 1, keepAliveTimeout: 30_000 });

async function post(peer: Pool, path: string, body: string): Promise<unknown> {
  const res = await peer.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
  const parsed = await res.body.json();
  if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}`);
  return parsed;
}

function relay(): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const requests = new Map(Object.entries(JSON.parse(readFileSync(process.env.FLOOR_REQUESTS!, 'utf8')) as Record<string, FloorRequest>));
  const es = pool(process.env.FLOOR_ES_URL!);
  const understanding = pool(process.env.FLOOR_QU_URL!);
  const facets = pool(process.env.FLOOR_FACET_URL!);
  const ranking = pool(process.env.FLOOR_RANKING_URL!);
  return async (req, res) => {
    const q = new URL(req.url ?? '/', 'http://floor').searchParams.get('q') ?? '';
    const search = requests.get(q);
    if (search === undefined) return answer(res, 400, JSON.stringify({ error: `no recorded request for q=${q}` }));
    const asked = JSON.stringify({ query: q });
    await Promise.all([post(understanding, '/v1/understand', asked), post(facets, '/v1/select', asked)]);
    const found = (await post(es, search.path, search.body)) as EsAnswer;
    const hits = found.hits?.hits ?? [];
    const window = JSON.stringify({ query: q, candidates: hits.map((h) => ({ id: h._id, score: h._score, matched: h.matched_queries })) });
    const [, rendered] = await Promise.all([post(ranking, '/v1/rank', window), post(facets, '/v1/render', JSON.stringify({ aggregations: found.aggregations }))]);
    answer(res, 200, JSON.stringify({ results: hits.slice(0, PAGE_SIZE).map((h) => h._source), facets: rendered }));
  };
}

function echo(): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => answer(res, 200, JSON.stringify(JSON.parse(await readBody(req))));
}

const handle = process.env.FLOOR_ROLE === 'relay' ? relay() : echo();
const server = createServer((req, res) => {
  if (req.url === '/healthz') return answer(res, 200, '{"status":"ok"}');
  handle(req, res).catch((err: unknown) => answer(res, 502, JSON.stringify({ error: (err as Error).message })));
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.FLOOR_PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
