import { decodeChange } from '../../src/adapters/changes';

const event = (document: unknown, type = 'merchandising.changed') => Buffer.from(JSON.stringify({ schema: 'config-changes.v1', type, occurredAt: '2026-06-01T12:00:00.000Z', document }));
const doc = { kind: 'facets', id: '*', version: 3, body: { category: '*', facets: [] }, updatedAt: '2026-06-01T12:00:00.000Z', updatedBy: 'mia' };

describe('decodeChange', () => {
  it('reads a merchandising change, skips other events, names what is wrong with a bad one', () => {
    expect(decodeChange(event(doc))).toEqual({ document: doc, occurredAt: '2026-06-01T12:00:00.000Z' });
    expect(decodeChange(event(doc, 'query_rules.changed'))).toBeNull();
    expect(decodeChange(null)).toBeNull();
    expect(decodeChange(Buffer.from('{'))).toEqual({ error: 'not JSON' });
    expect(decodeChange(event({ ...doc, version: -1 }))).toEqual({ error: expect.stringContaining('/document/version') });
  });
});

describe('a blocklist document', () => {
  it('travels in merchandising.changed like every kind', () => {
    const blocklist = { kind: 'suggest_blocklist', id: 'default', version: 2, body: { terms: ['gun'] }, updatedAt: '2026-06-01T12:00:00.000Z', updatedBy: 'mia' };
    expect(decodeChange(event(blocklist))).toEqual({ document: blocklist, occurredAt: '2026-06-01T12:00:00.000Z' });
    expect(decodeChange(event({ ...blocklist, body: { terms: ['bad\u0007'] } }))).toEqual({ error: expect.stringContaining('/document/body') });
  });
});
