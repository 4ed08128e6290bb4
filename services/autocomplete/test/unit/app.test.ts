import { Value } from '@sinclair/typebox/value';
import { AutocompleteResponse } from '@search-mesh/contracts';
import { loadConfig, type ServiceApp } from '@search-mesh/service-kit';
import { buildApp } from '../../src/app';
import { Blocklist } from '../../src/domain/blocklist';
import { settings } from '../../src/config';
import { suggester } from './fixtures';

const TOKEN = 'test-admin-token';

describe('autocomplete HTTP app', () => {
  let app: ServiceApp;
  beforeEach(async () => {
    const config = loadConfig('autocomplete', settings, {
      SEARCH_MESH_AUTOCOMPLETE_LOG_LEVEL: 'silent',
      SEARCH_MESH_AUTOCOMPLETE_ADMIN_TOKEN: TOKEN,
      SEARCH_MESH_AUTOCOMPLETE_QUERY_LOG_FROM_KAFKA: 'false',
      SEARCH_MESH_AUTOCOMPLETE_BLOCKLIST_FROM_KAFKA: 'false',
    });
    app = await buildApp(config, { suggester: suggester() });
  });
  afterEach(() => app.close());

  const suggest = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/v1/suggest?${query}` });
    return { status: res.statusCode, body: res.json() };
  };

  it('answers contract-valid suggestions, with size or limit', async () => {
    const { status, body } = await suggest('q=sam%20gal&limit=3');
    expect(status).toBe(200);
    expect(Value.Check(AutocompleteResponse, body)).toBe(true);
    expect(body.suggestions).toHaveLength(2); // the query, then the same scoped to its category
    expect(body.suggestions[0]).toEqual({ text: 'samsung galaxy', kind: 'query', highlight: '<mark>sam</mark>sung <mark>gal</mark>axy' });
    expect((await suggest('q=sam&size=1')).body.suggestions).toHaveLength(1);
    expect((await suggest('q=sam')).body.suggestions.length).toBeGreaterThan(1);
    // "samsung tv" finds products in Cell Phones only (the fixture's catalog), so a TV scope leaves it out
    const scoped = await suggest(`q=tv&category=${encodeURIComponent('TV & Home Theater')}`);
    expect(scoped.body.suggestions.map((s: { text: string }) => s.text).sort()).toEqual(['TVs', 'sony tv']);
    expect((await suggest('q=tv')).body.suggestions.map((s: { text: string }) => s.text)).toContain('samsung tv');
  });

  it('refuses bad input with a 400 naming the field, and answers junk with an empty list, never a 500', async () => {
    const bad: Array<[string, string]> = [
      ['', 'querystring.q'],
      ['q=', 'querystring.q'],
      ['q=%20%20', 'querystring.q'],
      [`q=${'a'.repeat(1024)}`, 'querystring.q'],
      ['q=tv%07', 'querystring.q'],
      ['q=tv%00x', 'querystring.q'],
      ['q=tv&limit=0', 'querystring.limit'],
      ['q=tv&limit=1000', 'querystring.limit'],
      ['q=tv&limit=abc', 'querystring.limit'],
      ['q=tv&size=0', 'querystring.size'],
      ['q=tv&category=', 'querystring.category'],
      ['q=tv&foo=1', 'querystring'],
    ];
    for (const [query, field] of bad) {
      const { status, body } = await suggest(query);
      expect([query, status]).toEqual([query, 400]);
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.field ?? 'querystring').toContain(field);
    }
    for (const query of ['q=!!!', 'q=%F0%9F%98%80', `q=${encodeURIComponent('"*?~():\\/')}`, `q=${'sam%20'.repeat(20)}`]) {
      const { status, body } = await suggest(query);
      expect([query, status]).toEqual([query, 200]);
      expect(Value.Check(AutocompleteResponse, body)).toBe(true);
    }
  });

  it('answers a repeated request from the answer cache, and never from before a new index or blocklist', async () => {
    const engine = suggester();
    const config = loadConfig('autocomplete', settings, {
      SEARCH_MESH_AUTOCOMPLETE_LOG_LEVEL: 'silent',
      SEARCH_MESH_AUTOCOMPLETE_QUERY_LOG_FROM_KAFKA: 'false',
      SEARCH_MESH_AUTOCOMPLETE_BLOCKLIST_FROM_KAFKA: 'false',
    });
    const cached = await buildApp(config, { suggester: engine });
    const get = async (url: string) => {
      const res = await cached.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      return res.body;
    };
    const counts = async () => {
      const text = await (await cached.inject({ method: 'GET', url: '/metrics' })).body;
      const of = (result: string) => Number(new RegExp(`^autocomplete_answer_cache_total\\{[^}]*result="${result}"[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
      return { hit: of('hit'), miss: of('miss') };
    };
    const first = await get('/v1/suggest?q=sam&limit=5');
    expect(await get('/v1/suggest?q=sam&limit=5')).toBe(first);
    expect(await counts()).toEqual({ hit: 1, miss: 1 });
    expect(await get('/v1/suggest?q=sam&limit=2')).not.toBe(first); // another limit, another answer
    expect(JSON.parse(first).suggestions.map((s: { text: string }) => s.text)).toContain('samsung galaxy');

    engine.setBlocklist(new Blocklist(['galaxy']));
    const blocked = await get('/v1/suggest?q=sam&limit=5');
    expect(JSON.parse(blocked).suggestions.map((s: { text: string }) => s.text)).not.toContain('samsung galaxy');
    expect(await counts()).toEqual({ hit: 1, miss: 3 });

    engine.observe([{ normalised: 'samsung soundbar', count: 1000 }]);
    engine.rebuild();
    const rebuilt = JSON.parse(await get('/v1/suggest?q=sam&limit=5')).suggestions.map((s: { text: string }) => s.text);
    expect(rebuilt).toEqual(engine.suggest({ q: 'sam', limit: 5 }).map((s) => s.text));
    expect(await counts()).toEqual({ hit: 1, miss: 4 });
    await cached.close();
  });

  it('shows the blocklist in force behind the token; it is changed only in the control plane', async () => {
    const get = (token?: string) => app.inject({ method: 'GET', url: '/v1/blocklist', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
    expect((await get()).statusCode).toBe(401);
    expect((await get('wrong')).statusCode).toBe(401);
    expect((await get(TOKEN)).json()).toEqual({ phrases: [], version: 0 });
    const put = await app.inject({ method: 'PUT', url: '/v1/blocklist', payload: { phrases: ['galaxy'] }, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(put.statusCode).toBe(404);
  });

  it('always blocks the fixed BLOCKLIST phrases', async () => {
    const config = loadConfig('autocomplete', settings, {
      SEARCH_MESH_AUTOCOMPLETE_LOG_LEVEL: 'silent',
      SEARCH_MESH_AUTOCOMPLETE_ADMIN_TOKEN: TOKEN,
      SEARCH_MESH_AUTOCOMPLETE_QUERY_LOG_FROM_KAFKA: 'false',
      SEARCH_MESH_AUTOCOMPLETE_BLOCKLIST_FROM_KAFKA: 'false',
      SEARCH_MESH_AUTOCOMPLETE_BLOCKLIST: 'GALAXY|hover board',
    });
    const fixed = await buildApp(config, { suggester: suggester() });
    const res = await fixed.inject({ method: 'GET', url: '/v1/suggest?q=sam' });
    expect(res.json().suggestions.map((s: { text: string }) => s.text)).not.toContain('samsung galaxy');
    expect((await fixed.inject({ method: 'GET', url: '/v1/blocklist', headers: { authorization: `Bearer ${TOKEN}` } })).json()).toEqual({ phrases: ['galaxy', 'hover board'], version: 0 });
    await fixed.close();
  });

  it('keeps the blocklist endpoint closed without a configured token', async () => {
    const config = loadConfig('autocomplete', settings, { SEARCH_MESH_AUTOCOMPLETE_LOG_LEVEL: 'silent', SEARCH_MESH_AUTOCOMPLETE_QUERY_LOG_FROM_KAFKA: 'false', SEARCH_MESH_AUTOCOMPLETE_BLOCKLIST_FROM_KAFKA: 'false' });
    const closed = await buildApp(config, { suggester: suggester() });
    const res = await closed.inject({ method: 'GET', url: '/v1/blocklist', headers: { authorization: 'Bearer ' } });
    expect(res.statusCode).toBe(403);
    await closed.close();
  });
});
