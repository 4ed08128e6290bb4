import { Value } from '@sinclair/typebox/value';
import { AutocompleteResponse } from '@search-mesh/contracts';
import { loadConfig, type ServiceApp } from '@search-mesh/service-kit';
import { buildApp } from '../../src/app';
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

  it('lets the merchandiser replace the blocklist at run time, behind the token', async () => {
    const put = (phrases: unknown, token?: string) =>
      app.inject({ method: 'PUT', url: '/v1/blocklist', payload: { phrases } as object, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
    expect((await put(['galaxy'])).statusCode).toBe(401);
    expect((await put(['galaxy'], 'wrong')).statusCode).toBe(401);
    const badBody = await put(['ok', 'bad\u0001'], TOKEN);
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json().error.field).toMatch(/^body\.phrases/);
    const ok = await put(['Galaxy'], TOKEN);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ phrases: ['galaxy'] });
    expect((await suggest('q=sam')).body.suggestions.map((s: { text: string }) => s.text)).not.toContain('samsung galaxy');
    const listed = await app.inject({ method: 'GET', url: '/v1/blocklist', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(listed.json()).toEqual({ phrases: ['galaxy'] });
    await put([], TOKEN);
    expect((await suggest('q=sam')).body.suggestions.map((s: { text: string }) => s.text)).toContain('samsung galaxy');
  });

  it('keeps the blocklist endpoint closed without a configured token', async () => {
    const config = loadConfig('autocomplete', settings, { SEARCH_MESH_AUTOCOMPLETE_LOG_LEVEL: 'silent', SEARCH_MESH_AUTOCOMPLETE_QUERY_LOG_FROM_KAFKA: 'false' });
    const closed = await buildApp(config, { suggester: suggester() });
    const res = await closed.inject({ method: 'PUT', url: '/v1/blocklist', payload: { phrases: ['x'] }, headers: { authorization: 'Bearer ' } });
    expect(res.statusCode).toBe(403);
    await closed.close();
  });
});
