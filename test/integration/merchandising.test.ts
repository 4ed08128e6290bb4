import type { SearchResponse } from '@search-mesh/contracts';
import { freePort, noLoadShedding, sleep, waitFor, waitForHttp } from '@search-mesh/testing';
import { request } from 'undici';
import { dropMerchandising } from '../../services/facet/test/support/cleanup';
import { type IndexedCatalog, indexCatalog } from '../../services/orchestrator/test/support/catalog-index';
import { type ServiceProcess, startService } from '../../services/orchestrator/test/support/mesh';

/**
 * The merchandisers' control plane end to end, on the real Cassandra, Kafka and Elasticsearch: two facet
 * instances and two query-understanding instances (following the rules topic), each pair behind its own
 * orchestrator. A change made through one facet instance's admin API must show in both orchestrators'
 * answers within 2 s.
 */
const TOKENS = {
  merchandiser: 'merch-token-0123456789abcdef',
  viewer: 'viewer-token-0123456789abcdef',
  admin: 'admin-token-0123456789abcdef',
};
const ADMIN_TOKENS = `mia:merchandiser:${TOKENS.merchandiser},val:viewer:${TOKENS.viewer},ada:admin:${TOKENS.admin}`;
const PROPAGATION_MS = 2000;

let catalog: IndexedCatalog;
let facets: ServiceProcess[] = [];
let orchestrators: ServiceProcess[] = [];
let qus: ServiceProcess[] = [];
const ports: number[] = [];

type Json = Record<string, unknown>;

async function call(method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, token?: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.statusCode, body: (await res.body.json()) as Json };
}

const admin = (path: string, i = 0) => `${facets[i]!.url}/v1/admin/${path}`;
const enc = encodeURIComponent;

async function put(path: string, version: number, config: unknown, i = 0): Promise<number> {
  const res = await call('PUT', admin(path, i), TOKENS.merchandiser, { version, config });
  if (res.status !== 200) throw new Error(`PUT ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.version as number;
}

async function versionOf(path: string): Promise<number> {
  return (await call('GET', admin(path), TOKENS.viewer)).body.version as number;
}

async function search(orchestrator: ServiceProcess, params: Record<string, string | number>): Promise<SearchResponse> {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
  const res = await request(`${orchestrator.url}/v1/search?${query.toString()}`);
  const body = (await res.body.json()) as SearchResponse;
  if (res.statusCode !== 200) throw new Error(`search answered ${res.statusCode}: ${JSON.stringify(body)}`);
  return body;
}

/** Polls both orchestrators until `holds` is true of their answers; the time it took for the slower one. */
async function untilBoth(params: Record<string, string | number>, holds: (body: SearchResponse) => boolean, timeoutMs = 10_000): Promise<number> {
  const start = Date.now();
  const done = orchestrators.map(() => false);
  let last: SearchResponse | undefined;
  while (Date.now() - start < timeoutMs) {
    await Promise.all(
      orchestrators.map(async (o, i) => {
        if (done[i]) return;
        last = await search(o, params);
        if (holds(last)) done[i] = true;
      }),
    );
    if (done.every(Boolean)) return Date.now() - start;
    await sleep(25);
  }
  throw new Error(`not seen on both orchestrators within ${timeoutMs} ms; last answer: ${JSON.stringify(last).slice(0, 1500)}`);
}

/** Load shedding is off in this test's processes (see noLoadShedding); the orchestrator's chaos test covers it. */
function facetEnv(namespace: string): NodeJS.ProcessEnv {
  return { SEARCH_MESH_NAMESPACE: namespace, SEARCH_MESH_FACET_ADMIN_TOKENS: ADMIN_TOKENS, SEARCH_MESH_FACET_ADMIN_RATE_LIMIT_MAX: '10000', ...noLoadShedding('FACET') };
}

async function startFacet(namespace: string, port: number, orchestratorUrl: string): Promise<ServiceProcess> {
  const facet = await startService('facet', { ...facetEnv(namespace), SEARCH_MESH_FACET_ORCHESTRATOR_URL: orchestratorUrl }, port);
  if (!facet.up) throw new Error(`facet did not start: ${facet.process.output().slice(-3000)}`);
  // Ready: the stored configuration and the announced changes are loaded.
  await waitForHttp(`${facet.url}/readyz`, { timeoutMs: 60_000 }).catch((err: Error) => {
    throw new Error(`${err.message}: ${facet.process.output().slice(-3000)}`);
  });
  // Just started on a loaded machine, it may still shed (503 OVERLOADED) for a moment: wait until it serves.
  await waitFor('the facet service serving', async () => ((await call('GET', `${facet.url}/v1/admin/whoami`, TOKENS.viewer)).status === 200 ? true : undefined), 30_000);
  return facet;
}

beforeAll(async () => {
  catalog = await indexCatalog(6000);
  const ns = catalog.namespace;
  for (let i = 0; i < 4; i++) ports.push(await freePort());
  const [facetA, facetB, orchA, orchB] = ports as [number, number, number, number];
  qus = await Promise.all([0, 1].map(() => startService('query-understanding', { SEARCH_MESH_NAMESPACE: ns, SEARCH_MESH_QUERY_UNDERSTANDING_RULES_FROM_KAFKA: 'true', ...noLoadShedding('QUERY_UNDERSTANDING') })));
  facets = await Promise.all([startFacet(ns, facetA, `http://127.0.0.1:${orchA}`), startFacet(ns, facetB, `http://127.0.0.1:${orchB}`)]);
  const dead = `http://127.0.0.1:${await freePort()}`;
  orchestrators = await Promise.all(
    [orchA, orchB].map((port, i) =>
      startService(
        'orchestrator',
        {
          SEARCH_MESH_NAMESPACE: ns,
          SEARCH_MESH_ORCHESTRATOR_REQUEST_BUDGET_MS: '3000',
          SEARCH_MESH_ORCHESTRATOR_RATE_LIMIT_MAX: '0',
          ...noLoadShedding('ORCHESTRATOR'),
          SEARCH_MESH_ORCHESTRATOR_FACET_URL: facets[i]!.url,
          SEARCH_MESH_ORCHESTRATOR_QUERY_UNDERSTANDING_URL: qus[i]!.url,
          SEARCH_MESH_ORCHESTRATOR_RANKING_URL: dead,
          SEARCH_MESH_ORCHESTRATOR_AUTOCOMPLETE_URL: dead,
        },
        port,
      ),
    ),
  );
}, 240_000);

afterAll(async () => {
  await Promise.all([...orchestrators, ...facets, ...qus].filter(Boolean).map((s) => s.process.stop()));
  await dropMerchandising(catalog.namespace);
  await catalog?.drop();
}, 60_000);

describe('access', () => {
  it('needs a token (401), refuses writes to viewers (403) and deletes to merchandisers, lets viewers read', async () => {
    const body = { version: 0, config: { category: '*', facets: [] } };
    const anonymous = await call('PUT', admin(`facets/${enc('*')}`), undefined, body);
    expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED', field: 'headers.authorization' } } });
    expect((await call('GET', admin('rules'), 'not-a-token')).status).toBe(401);
    expect((await call('PUT', admin(`facets/${enc('*')}`), TOKENS.viewer, body)).status).toBe(403);
    expect((await call('DELETE', admin('rules/x?version=1'), TOKENS.merchandiser)).status).toBe(403);
    expect(await call('GET', admin('whoami'), TOKENS.viewer)).toEqual({ status: 200, body: { name: 'val', role: 'viewer' } });
    expect((await call('GET', admin('rules'), TOKENS.viewer)).status).toBe(200);
  });

  it('keeps the storefront routes public', async () => {
    const res = await call('POST', `${facets[0]!.url}/v1/facets/select`, undefined, { query: 'tv', filters: [] });
    expect(res.status).toBe(200);
  });
});

describe('validation', () => {
  it.each([
    ['a schema violation', { category: '*', facets: [{ field: 'brand', display: 'dropdown', position: 0 }] }, 'body.config.facets.0.display'],
    ['a range facet on keywords', { category: '*', facets: [{ field: 'brand', display: 'range', position: 0, ranges: [{ to: 5 }] }] }, 'body.config.facets.0.display'],
    ['an unknown category', { category: 'No Such Category', facets: [] }, 'body.config.category'],
  ])('answers 400 naming the field for %s', async (_what, config, field) => {
    const id = (config as { category: string }).category;
    const res = await call('PUT', admin(`facets/${enc(id)}`), TOKENS.merchandiser, { version: 0, config });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', field } } });
  });

  it('names the field of an invalid rule', async () => {
    const res = await call('PUT', admin('rules/bad'), TOKENS.merchandiser, { version: 0, config: { id: 'bad', match: {}, actions: [{ type: 'redirect', url: '/x' }] } });
    expect(res).toMatchObject({ status: 400, body: { error: { field: 'body.config.match' } } });
  });
});

describe('facet configuration: propagation, concurrency, audit, restart', () => {
  it('a change through one instance shows on both orchestrators within 2 s; a stale write gets 409; the audit holds the diff', async () => {
    const before = await search(orchestrators[0]!, { q: 'tv' });
    const names = before.facets.map((f) => f.name);
    expect(names.slice(0, 3)).toEqual(['category', 'brand', 'price']);

    const v1 = await put(`facets/${enc('*')}`, 0, {
      category: '*',
      facets: [
        { field: 'price', display: 'price_buckets', position: 0, label: 'Price band' },
        { field: 'brand', display: 'terms', position: 1, size: 3, valueOrder: 'alpha' },
      ],
    });
    const took = await untilBoth({ q: 'tv' }, (b) => b.facets.map((f) => f.name).join() === 'price,brand');
    console.info(`facet change visible on both orchestrators after ${took} ms`);
    expect(took).toBeLessThan(PROPAGATION_MS);
    // Instance B measures it too: announced → applied.
    const metrics = await (await request(`${facets[1]!.url}/metrics`)).body.text();
    expect(Number(/^facet_config_propagation_seconds_count(?:\{[^}]*\})? (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics.split('\n').some((l) => l.startsWith('facet_config_applied_total{') && l.includes('source="kafka"') && l.includes('kind="facets"'))).toBe(true);
    const after = await search(orchestrators[1]!, { q: 'tv' });
    const brand = after.facets.find((f) => f.name === 'brand')!;
    expect(brand.values.map((v) => v.label)).toEqual([...brand.values.map((v) => v.label)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    expect(brand.values).toHaveLength(3);
    expect(after.facets[0]!.label).toBe('Price band');

    // Two merchandisers both read version 1: the second save is refused.
    const both = { category: '*', facets: [{ field: 'brand', display: 'terms', position: 0 }] };
    await put(`facets/${enc('*')}`, v1, both, 1);
    const stale = await call('PUT', admin(`facets/${enc('*')}`), TOKENS.merchandiser, { version: v1, config: { ...both, autoFill: true } });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT', field: 'body.version' } } });

    const audit = await call('GET', admin(`facets/${enc('*')}/audit`), TOKENS.viewer);
    const entries = audit.body.entries as Array<{ version: number; actor: string; role: string; changes: Array<{ path: string; before?: unknown; after?: unknown }> }>;
    expect(entries.map((e) => e.version)).toEqual([2, 1]);
    expect(entries[0]).toMatchObject({ actor: 'mia', role: 'merchandiser' });
    expect(entries[0]!.changes).toEqual(expect.arrayContaining([{ path: 'facets.0.field', before: 'price', after: 'brand' }, { path: 'facets.1', before: expect.objectContaining({ field: 'brand' }) }]));
  });

  it('a category inherits the root configuration and overrides it', async () => {
    const tv = await search(orchestrators[0]!, { q: 'tv' });
    const category = tv.results[0]!.categoryPath.slice(0, 2).join(' > ');
    await put(`facets/${enc(category)}`, await versionOf(`facets/${enc(category)}`), {
      category,
      facets: [{ field: 'in_stock', display: 'boolean', position: 5, label: 'Available' }],
    });
    await untilBoth({ q: 'tv', category }, (b) => b.facets.map((f) => f.name).join() === 'brand,in_stock');
    const outside = await search(orchestrators[1]!, { q: 'tv' });
    expect(outside.facets.map((f) => f.name)).toEqual(['brand']);
  });

  it('a restarted instance loses nothing', async () => {
    const held = (await call('GET', admin(`facets/${enc('*')}`), TOKENS.viewer)).body;
    await facets[0]!.process.stop();
    facets[0] = await startFacet(catalog.namespace, ports[0]!, `http://127.0.0.1:${ports[2]}`);
    const served = await waitFor('the restarted instance answering', async () => {
      const res = await call('GET', admin(`facets/${enc('*')}`), TOKENS.viewer);
      return res.status === 503 ? undefined : res;
    });
    expect(served).toEqual({ status: 200, body: held });
    // The orchestrator's breaker may have opened while the instance was down: it retries after 5 s.
    await untilBoth({ q: 'tv' }, (b) => b.facets[0]?.name === 'brand', 20_000);
  });
});

describe('merchandising rules change real results', () => {
  const q = 'headphones';
  let baseline: SearchResponse;
  beforeAll(async () => {
    baseline = await search(orchestrators[0]!, { q, size: 20 });
    expect(baseline.results.length).toBe(20);
  });

  async function rule(id: string, body: Json): Promise<void> {
    await put(`rules/${id}`, await versionOf(`rules/${id}`), { id, ...body });
  }
  async function drop(id: string): Promise<void> {
    const res = await call('DELETE', admin(`rules/${id}?version=${await versionOf(`rules/${id}`)}`), TOKENS.admin);
    expect(res.status).toBe(200);
  }

  it('pins a product to a position', async () => {
    const pinned = baseline.results[12]!.id;
    await rule('pin-1', { match: { queries: [q] }, actions: [{ type: 'pin', products: [{ id: pinned, position: 2 }] }] });
    const took = await untilBoth({ q, size: 20 }, (b) => b.results[1]?.id === pinned);
    expect(took).toBeLessThan(PROPAGATION_MS);
    await drop('pin-1');
    await untilBoth({ q, size: 20 }, (b) => b.results[1]?.id !== pinned);
  });

  it('buries products of a brand below all others', async () => {
    const brand = baseline.results[0]!.brand;
    await rule('bury-1', { match: { queries: [q] }, actions: [{ type: 'bury', condition: { type: 'terms', field: 'brand', values: [brand] } }] });
    await untilBoth({ q, size: 20 }, (b) => b.results[0]!.brand !== brand);
    const buried = await search(orchestrators[0]!, { q, size: 100 });
    const firstBuried = buried.results.findIndex((r) => r.brand === brand);
    // Either the brand comes only after every other result, or past the first hundred.
    if (firstBuried === -1) expect(buried.results).toHaveLength(100);
    else expect(buried.results.slice(firstBuried).every((r) => r.brand === brand)).toBe(true);
    expect(buried.total).toBe(baseline.total);
    await drop('bury-1');
  });

  it('buries single products, which still count', async () => {
    const [first, second] = [baseline.results[0]!, baseline.results[1]!];
    await rule('bury-2', { match: { queries: [q] }, actions: [{ type: 'bury', products: [first.id, second.id] }] });
    await untilBoth({ q, size: 20 }, (b) => !b.results.slice(0, 18).some((r) => r.id === first.id || r.id === second.id));
    const page = await search(orchestrators[1]!, { q, size: 20 });
    expect(page.results[0]!.id).toBe(baseline.results[2]!.id);
    expect(page.total).toBe(baseline.total);
    await drop('bury-2');
  });

  it('boosts a brand to the top', async () => {
    const brand = [...baseline.results].reverse().find((r) => r.brand !== baseline.results[0]!.brand)!.brand;
    await rule('boost-1', { match: { queries: [q] }, actions: [{ type: 'boost', condition: { type: 'terms', field: 'brand', values: [brand] }, weight: 100 }] });
    await untilBoth({ q, size: 20 }, (b) => b.results[0]!.brand === brand);
    await drop('boost-1');
  });

  it('filters to an attribute', async () => {
    const brand = baseline.results[0]!.brand;
    await rule('filter-1', { match: { queries: [q] }, actions: [{ type: 'filter', condition: { type: 'terms', field: 'brand', values: [brand] } }] });
    await untilBoth({ q, size: 20 }, (b) => b.total > 0 && b.total < baseline.total && b.results.every((r) => r.brand === brand));
    await drop('filter-1');
    await untilBoth({ q, size: 20 }, (b) => b.total === baseline.total);
  });

  it('redirects a query, for a category too', async () => {
    await rule('redirect-1', { match: { queries: ['Holiday Deals'] }, actions: [{ type: 'redirect', url: '/deals/holiday' }] });
    await untilBoth({ q: 'holiday deals' }, (b) => b.redirect?.url === '/deals/holiday' && b.results.length === 0);
    const category = baseline.results[0]!.categoryPath.slice(0, 2).join(' > ');
    await rule('redirect-2', { match: { categories: [category] }, actions: [{ type: 'redirect', url: '/stores/category-landing' }] });
    await untilBoth({ category }, (b) => b.redirect?.url === '/stores/category-landing');
    expect((await search(orchestrators[0]!, { q })).redirect).toBeUndefined();
    await drop('redirect-2');
  });

  it('applies a rule only within its schedule', async () => {
    const pinned = baseline.results[15]!.id;
    const start = new Date(Date.now() + 3000).toISOString();
    const end = new Date(Date.now() + 6000).toISOString();
    await rule('scheduled-1', { match: { queries: [q] }, schedule: { start, end }, actions: [{ type: 'pin', products: [{ id: pinned, position: 1 }] }] });
    await sleep(500);
    expect((await search(orchestrators[0]!, { q, size: 20 })).results[0]!.id).not.toBe(pinned);
    await untilBoth({ q, size: 20 }, (b) => b.results[0]?.id === pinned, 6000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(start));
    await untilBoth({ q, size: 20 }, (b) => b.results[0]?.id !== pinned, 8000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(end));
  });
});

describe('query rules reach query understanding', () => {
  it('starts from the built-in rules, so an edit keeps the others', async () => {
    const list = await call('GET', admin('query-rules'), TOKENS.viewer);
    expect((list.body.documents as Array<{ id: string }>).map((d) => d.id)).toEqual(expect.arrayContaining(['syn-tv', 'redir-returns']));
  });

  it('a redirect query rule saved through the facet service redirects on both orchestrators within 2 s', async () => {
    await put('query-rules/weekly-ad', 0, { rule: { id: 'weekly-ad', type: 'redirect', queries: ['weekly ad'], url: '/weekly-ad' } });
    const took = await untilBoth({ q: 'weekly ad' }, (b) => b.redirect?.url === '/weekly-ad');
    console.info(`query rule visible on both orchestrators after ${took} ms`);
    expect(took).toBeLessThan(PROPAGATION_MS);
    // A built-in rule still holds.
    expect((await search(orchestrators[0]!, { q: 'return policy' })).redirect?.url).toBe('/help/returns');
  });

  it('two query rules saved at once through the two instances both end up in force', async () => {
    await Promise.all([
      put('query-rules/gift-guide', 0, { rule: { id: 'gift-guide', type: 'redirect', queries: ['gift guide'], url: '/gifts' } }, 0),
      put('query-rules/trade-in', 0, { rule: { id: 'trade-in', type: 'redirect', queries: ['trade in'], url: '/trade-in' } }, 1),
    ]);
    await untilBoth({ q: 'gift guide' }, (b) => b.redirect?.url === '/gifts');
    await untilBoth({ q: 'trade in' }, (b) => b.redirect?.url === '/trade-in');
  });

  it('publishes a scheduled query rule only while its schedule runs', async () => {
    const start = new Date(Date.now() + 2500).toISOString();
    const end = new Date(Date.now() + 5000).toISOString();
    await put('query-rules/flash-sale', 0, { rule: { id: 'flash-sale', type: 'redirect', queries: ['flash sale'], url: '/flash' }, schedule: { start, end } });
    await sleep(500);
    expect((await search(orchestrators[0]!, { q: 'flash sale' })).redirect).toBeUndefined();
    await untilBoth({ q: 'flash sale' }, (b) => b.redirect?.url === '/flash', 6000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(start));
    await untilBoth({ q: 'flash sale' }, (b) => b.redirect === undefined, 8000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(end));
  });
});

describe('preview', () => {
  it('answers before and after a draft side by side, without changing what shoppers see', async () => {
    const draft = { kind: 'facets', id: '*', body: { category: '*', facets: [{ field: 'rating', display: 'range', position: 0, ranges: [{ from: 4 }, { from: 3 }] }] } };
    const created = await call('POST', admin('previews'), TOKENS.viewer, { changes: [draft] });
    expect(created.status).toBe(200);
    const res = await call('GET', admin(`preview-search?q=tv&preview=${created.body.preview as string}`), TOKENS.viewer);
    const { before, after } = res.body as { before: SearchResponse; after: SearchResponse };
    expect(before.facets[0]!.name).toBe('brand');
    expect(after.facets.map((f) => f.name)).toEqual(['rating']);
    expect((await search(orchestrators[0]!, { q: 'tv' })).facets[0]!.name).toBe('brand');
    const invalid = await call('POST', admin('previews'), TOKENS.viewer, { changes: [{ ...draft, body: { category: '*', facets: [{ field: 'brand', display: 'range', position: 0 }] } }] });
    expect(invalid).toMatchObject({ status: 400, body: { error: { field: 'body.changes.0.body.facets.0.display' } } });
  });
});

describe('rate limit', () => {
  it('answers 429 past the admin limit, and never limits the storefront routes', async () => {
    const port = await freePort();
    const limited = await startService('facet', { ...facetEnv(catalog.namespace), SEARCH_MESH_FACET_ADMIN_RATE_LIMIT_MAX: '3' }, port);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await call('GET', `${limited.url}/v1/admin/whoami`, TOKENS.viewer)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      for (let i = 0; i < 5; i++) expect((await call('POST', `${limited.url}/v1/facets/select`, undefined, { query: 'tv', filters: [] })).status).toBe(200);
    } finally {
      await limited.process.stop();
    }
  });
});
