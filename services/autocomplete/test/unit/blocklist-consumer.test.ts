import { SUGGEST_BLOCKLIST_CHANGED } from '@search-mesh/contracts';
import { decodeBlocklistChange } from '../../src/adapters/blocklist-consumer';

const valid = { schema: 'config-changes.v1', type: SUGGEST_BLOCKLIST_CHANGED, occurredAt: '2026-11-22T02:00:00.000Z', version: 3, terms: ['Galaxy', 'hover board'] };
const buf = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('decodeBlocklistChange', () => {
  it('reads a blocklist change and skips the other events of the shared topic', () => {
    expect(decodeBlocklistChange(buf(valid))).toEqual({ version: 3, terms: ['Galaxy', 'hover board'] });
    expect(decodeBlocklistChange(buf({ ...valid, terms: [] }))).toEqual({ version: 3, terms: [] });
    expect(decodeBlocklistChange(buf({ schema: 'config-changes.v1', type: 'query_rules.changed', ruleSet: {} }))).toBeNull();
    expect(decodeBlocklistChange(null)).toBeNull();
  });

  it('names what is wrong with an invalid one', () => {
    expect(decodeBlocklistChange(buf('{'))).toEqual({ error: 'not JSON' });
    expect(decodeBlocklistChange(buf({ ...valid, version: 0 }))).toEqual({ error: expect.stringMatching(/^\/version: /) });
    expect(decodeBlocklistChange(buf({ ...valid, terms: ['ok', 'bad\u0007'] }))).toEqual({ error: expect.stringMatching(/^\/terms\/1: /) });
    expect(decodeBlocklistChange(buf({ ...valid, terms: ['x'.repeat(101)] }))).toEqual({ error: expect.stringMatching(/^\/terms\/0: /) });
  });
});
