import { normaliseQuery } from '@search-mesh/catalog';
import { SUGGEST_BLOCKLIST_LIMITS } from '@search-mesh/contracts';
import { noLoadShedding, sleep, waitFor, waitForHttp } from '@search-mesh/testing';
import { request } from 'undici';
import { dropMerchandising } from '../../services/facet/test/support/cleanup';
import { testNamespace } from '../../services/orchestrator/test/support/catalog-index';
import { type ServiceProcess, startService } from '../../services/orchestrator/test/support/mesh';

/**
 * The suggestion blocklist end to end, on the real Cassandra and Kafka: saved through the facet service's
 * admin API, it must vanish from the suggestions of two autocomplete instances within 2 s, hold across an
 * autocomplete restart, and come back when the merchandisers remove it.
 */
const TOKENS = {
  merchandiser: 'merch-token-0123456789abcdef',
  viewer: 'viewer-token-0123456789abcdef',
  admin: 'admin-token-0123456789abcdef',
};
const ADMIN_TOKENS = `mia:merchandiser:${TOKENS.merchandiser},val:viewer:${TOKENS.viewer},ada:admin:${TOKENS.admin}`;
const AUTOCOMPLETE_TOKEN = 'autocomplete-admin-token-0123';
const PROPAGATION_MS = 2000;
/** Prefixes whose suggestions hold "galaxy" somewhere (first word, later word, typed in full). */
const PREFIXES = ['sam', 'samsung gal', 'galax'];

const namespace = testNamespace();
let facet: ServiceProcess;
let autocompletes: ServiceProcess[] = [];
const acPorts: number[] = [];

type Json = Record<string, unknown>;

async function call(method: 'GET' | 'PUT' | 'DELETE', url: string, token?: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.statusCode, body: (await res.body.json()) as Json };
}

const admin = (path: string) => `${facet.url}/v1/admin/${path}`;
const save = (version: number, terms: unknown, token = TOKENS.merchandiser, id = 'default') => call('PUT', admin(`suggest-blocklist/${id}`), token, { version, config: { terms } });

/** Whether any suggestion of any prefix holds the (folded) word, on one instance. */
async function suggestsWord(ac: ServiceProcess, word: string): Promise<boolean> {
  for (const q of PREFIXES) {
    const res = await request(`${ac.url}/v1/suggest?q=${encodeURIComponent(q)}&size=20`);
    const body = (await res.body.json()) as { suggestions: Array<{ text: string }> };
    if (res.statusCode !== 200) throw new Error(`suggest answered ${res.statusCode}: ${JSON.stringify(body)}`);
    if (body.suggestions.some((s) => normaliseQuery(s.text).split(' ').includes(word))) return true;
  }
  return false;
}

/** Polls every instance until `suggestsWord` is `expected` on all; the time the slowest took. */
async function untilAll(word: string, expected: boolean, timeoutMs = 10_000): Promise<number> {
  const start = Date.now();
  const done = autocompletes.map(() => false);
  while (Date.now() - start < timeoutMs) {
    await Promise.all(
      autocompletes.map(async (ac, i) => {
        if (!done[i] && (await suggestsWord(ac, word)) === expected) done[i] = true;
      }),
    );
    if (done.every(Boolean)) return Date.now() - start;
    await sleep(20);
  }
  throw new Error(`"${word}" ${expected ? 'not back' : 'still suggested'} on every instance after ${timeoutMs} ms (${done.join(', ')})`);
}

/** Waits until every instance's `GET /v1/blocklist` satisfies `holds`. */
async function untilEveryBlocklist(what: string, holds: (list: { version: number; phrases: string[] }) => boolean): Promise<void> {
  await waitFor(what, async () => {
    const lists = await Promise.all(autocompletes.map((ac) => call('GET', `${ac.url}/v1/blocklist`, AUTOCOMPLETE_TOKEN)));
    return lists.every((l) => holds(l.body as { version: number; phrases: string[] })) ? true : undefined;
  }, 5000);
}

async function startAutocomplete(port?: number): Promise<ServiceProcess> {
  const ac = await startService(
    'autocomplete',
    {
      SEARCH_MESH_NAMESPACE: namespace,
      SEARCH_MESH_AUTOCOMPLETE_CATALOG_SIZE: '5000',
      SEARCH_MESH_AUTOCOMPLETE_QUERY_LOG_FROM_KAFKA: 'false',
      SEARCH_MESH_AUTOCOMPLETE_ADMIN_TOKEN: AUTOCOMPLETE_TOKEN,
      ...noLoadShedding('AUTOCOMPLETE'),
    },
    port,
    undefined,
    90_000,
  );
  if (!ac.up) throw new Error(`autocomplete did not start: ${ac.process.output().slice(-3000)}`);
  // Ready: the blocklist announced so far is in force.
  await waitForHttp(`${ac.url}/readyz`, { timeoutMs: 60_000 });
  return ac;
}

beforeAll(async () => {
  facet = await startService('facet', { SEARCH_MESH_NAMESPACE: namespace, SEARCH_MESH_FACET_ADMIN_TOKENS: ADMIN_TOKENS, SEARCH_MESH_FACET_ADMIN_RATE_LIMIT_MAX: '10000', ...noLoadShedding('FACET') });
  if (!facet.up) throw new Error(`facet did not start: ${facet.process.output().slice(-3000)}`);
  await waitForHttp(`${facet.url}/readyz`, { timeoutMs: 60_000 });
  autocompletes = await Promise.all([startAutocomplete(), startAutocomplete()]);
  for (const ac of autocompletes) acPorts.push(ac.port);
}, 240_000);

afterAll(async () => {
  await Promise.all([facet, ...autocompletes].filter(Boolean).map((s) => s.process.stop()));
  await dropMerchandising(namespace);
}, 60_000);

describe('the suggestion blocklist in the control plane', () => {
  it('needs a token (401) and refuses saves to viewers (403)', async () => {
    expect(await call('PUT', admin('suggest-blocklist/default'), undefined, { version: 0, config: { terms: ['galaxy'] } })).toMatchObject({ status: 401, body: { error: { field: 'headers.authorization' } } });
    expect(await save(0, ['galaxy'], TOKENS.viewer)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect((await call('GET', admin('suggest-blocklist/default'), TOKENS.viewer)).body).toMatchObject({ kind: 'suggest_blocklist', version: 0, body: null });
  });

  it.each([
    ['an empty term', ['ok', ''], 'body.config.terms.1'],
    ['a term that is too long', ['x'.repeat(SUGGEST_BLOCKLIST_LIMITS.maxTermLength + 1)], 'body.config.terms.0'],
    ['control characters', ['bad\u0007term'], 'body.config.terms.0'],
    ['a blank term', ['   '], 'body.config.terms.0'],
    ['too many terms', Array.from({ length: SUGGEST_BLOCKLIST_LIMITS.maxTerms + 1 }, (_, i) => `term ${i}`), 'body.config.terms'],
    ['a term without words', ['!!!'], 'body.config.terms.0'],
    ['a term twice once folded', ['Café', 'CAFE'], 'body.config.terms.1'],
  ])('answers 400 naming the field for %s', async (_what, terms, field) => {
    expect(await save(0, terms)).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', field } } });
  });

  it('is one document', async () => {
    expect(await save(0, ['galaxy'], TOKENS.merchandiser, 'other')).toMatchObject({ status: 400, body: { error: { field: 'params.id' } } });
  });

  it('a saved term vanishes from both instances within 2 s, folded; a stale save gets 409; the audit holds the diff', async () => {
    expect(await untilAll('galaxy', true)).toBeGreaterThanOrEqual(0);
    const saved = await save(0, ['GÁLAXY', 'hover board']);
    expect(saved).toMatchObject({ status: 200, body: { kind: 'suggest_blocklist', id: 'default', version: 1 } });
    const took = await untilAll('galaxy', false);
    console.info(`blocklist change gone from both autocomplete instances after ${took} ms`);
    expect(took).toBeLessThan(PROPAGATION_MS);

    expect(await save(0, ['other'])).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT', field: 'body.version' } } });
    expect((await save(1, ['GÁLAXY', 'hover board', 'nerf gun'])).status).toBe(200);
    const audit = await call('GET', admin('suggest-blocklist/default/audit'), TOKENS.viewer);
    const entries = audit.body.entries as Array<{ version: number; actor: string; changes: unknown[] }>;
    expect(entries.map((e) => e.version)).toEqual([2, 1]);
    expect(entries[0]).toMatchObject({ actor: 'mia', changes: [{ path: 'terms.2', after: 'nerf gun' }] });

    // Each instance applies the save on its own schedule: wait for both before reading their gauges.
    await untilEveryBlocklist('both instances at version 2', (list) => list.version === 2);
    for (const ac of autocompletes) expect(await (await request(`${ac.url}/metrics`)).body.text()).toMatch(/autocomplete_blocklist_version(?:\{[^}]*\})? 2/);
  });

  it('holds across an autocomplete restart', async () => {
    await autocompletes[0]!.process.stop();
    autocompletes[0] = await startAutocomplete(acPorts[0]);
    expect(await suggestsWord(autocompletes[0]!, 'galaxy')).toBe(false);
    expect((await call('GET', `${autocompletes[0]!.url}/v1/blocklist`, AUTOCOMPLETE_TOKEN)).body).toEqual({ phrases: ['galaxy', 'hover board', 'nerf gun'], version: 2 });
  });

  it('a removed term comes back on both instances; deleting the list needs an admin', async () => {
    expect((await save(2, ['hover board', 'nerf gun'])).status).toBe(200);
    await untilAll('galaxy', true);
    expect((await call('DELETE', admin('suggest-blocklist/default?version=3'), TOKENS.merchandiser)).status).toBe(403);
    expect(await call('DELETE', admin('suggest-blocklist/default?version=3'), TOKENS.admin)).toMatchObject({ status: 200, body: { version: 4, body: null } });
    await untilEveryBlocklist('both instances with no managed terms', (list) => list.version === 4 && list.phrases.length === 0);
  });
});
