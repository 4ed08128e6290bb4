import { QUERY_LOG_SCHEMA } from '@search-mesh/contracts';
import { decodeQueryLog } from '../../src/adapters/query-log-consumer';

const valid = { schema: QUERY_LOG_SCHEMA, type: 'query.submitted', normalised: 'samsung tv', count: 3, occurredAt: '2026-11-21T22:00:00Z' };
const buf = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('decodeQueryLog', () => {
  it('turns a valid event into an observation', () => {
    expect(decodeQueryLog(buf(valid))).toEqual({ normalised: 'samsung tv', count: 3 });
    expect(decodeQueryLog(buf({ ...valid, resultCount: 0 }))).toEqual({ normalised: 'samsung tv', count: 3 });
  });

  it('names what is wrong with an invalid one', () => {
    expect(decodeQueryLog(null)).toEqual({ error: 'empty message' });
    expect(decodeQueryLog(buf('not json'))).toEqual({ error: 'not JSON' });
    expect(decodeQueryLog(buf({ ...valid, count: 0 }))).toEqual({ error: expect.stringMatching(/^\/count: /) });
    expect(decodeQueryLog(buf({ ...valid, normalised: 'tv\u0007' }))).toEqual({ error: expect.stringMatching(/^\/normalised: /) });
    expect(decodeQueryLog(buf({ ...valid, occurredAt: 'yesterday' }))).toEqual({ error: expect.stringMatching(/^\/occurredAt: /) });
    expect(decodeQueryLog(buf({ ...valid, extra: 1 }))).toEqual({ error: expect.any(String) });
    expect(decodeQueryLog(buf({ ...valid, schema: 'query-log.v0' }))).toEqual({ error: expect.stringMatching(/^\/schema: /) });
  });
});
