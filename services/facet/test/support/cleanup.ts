import { backendSettings, createCassandraClient, createKafka, deleteTopicsIfPresent } from '@search-mesh/backends';
import { keyspaceNames, topicNames } from '@search-mesh/contracts';
import { loadConfig } from '@search-mesh/service-kit';

/** Drops what the facet service wrote for a test namespace: its merchandising keyspace and the config-changes topic. */
export async function dropMerchandising(namespace: string): Promise<void> {
  const config = loadConfig('test', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: namespace });
  const cassandra = createCassandraClient(config);
  await cassandra.execute(`DROP KEYSPACE IF EXISTS ${keyspaceNames(namespace).merchandising}`).catch(() => undefined);
  await cassandra.shutdown();
  await deleteTopicsIfPresent(createKafka(config, 'test'), [topicNames(namespace).configChanges]).catch(() => undefined);
}
