import { randomUUID } from 'node:crypto';
import { backendSettings, createCassandraClient } from '@search-mesh/backends';
import { keyspaceNames } from '@search-mesh/contracts';
import { loadConfig } from '@search-mesh/service-kit';
import { ConfigStore, StaleVersion } from '../../src/adapters/store';

// The real Cassandra; a keyspace of its own, dropped afterwards.
const config = loadConfig('test', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: `it_${randomUUID().slice(0, 8)}` });
const keyspace = keyspaceNames(config.namespace).merchandising;
const client = createCassandraClient(config);
const store = new ConfigStore(client, keyspace);
const who = { name: 'mia', role: 'merchandiser' };
const rule = (n: number) => ({ id: 'r', match: { queries: [`q${n}`] }, actions: [{ type: 'redirect' as const, url: `/p${n}` }] });

beforeAll(async () => {
  await store.ensureSchema(1);
}, 60_000);

afterAll(async () => {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
});

describe('ConfigStore', () => {
  it('of concurrent writers from the same version exactly one wins; the others learn the version now stored', async () => {
    await store.write('rule', 'r', 0, rule(0), who);
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => store.write('rule', 'r', 1, rule(n), { ...who, name: `w${n}` })));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(4);
    for (const err of lost) expect(err).toEqual(expect.objectContaining({ name: 'StaleVersion', current: 2 }));
    const stored = await store.get('rule', 'r');
    expect(stored).toMatchObject({ version: 2, updatedBy: (won[0] as PromiseFulfilledResult<{ document: { updatedBy: string } }>).value.document.updatedBy });
  });

  it('refuses to create what exists, keeps tombstones with their version, audits before and after', async () => {
    await expect(store.write('rule', 'r', 0, rule(9), who)).rejects.toBeInstanceOf(StaleVersion);
    await store.write('rule', 'r', 2, null, { name: 'ada', role: 'admin' });
    expect(await store.get('rule', 'r')).toMatchObject({ version: 3, body: null, updatedBy: 'ada' });
    const audit = await store.audit('rule', 'r', 10);
    expect(audit.map((a) => [a.version, a.actor])).toEqual([
      [3, 'ada'],
      [2, expect.stringMatching(/^w\d$/)],
      [1, 'mia'],
    ]);
    expect(audit[0]).toMatchObject({ before: expect.objectContaining({ id: 'r' }), after: null });
    expect(audit[2]).toMatchObject({ before: null, after: rule(0) });
    expect((await store.loadAll()).map((d) => [d.kind, d.id, d.version])).toEqual([['rule', 'r', 3]]);
  });

  it('keeps previews', async () => {
    const id = await store.savePreview([{ kind: 'facets', id: '*', body: { category: '*', facets: [] } }]);
    expect(await store.loadPreview(id)).toEqual([{ kind: 'facets', id: '*', body: { category: '*', facets: [] } }]);
    expect(await store.loadPreview(randomUUID())).toBeUndefined();
  });
});
