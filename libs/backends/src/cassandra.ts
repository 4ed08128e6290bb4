import { auth, Client, policies } from 'cassandra-driver';
import type { BackendConfig } from './settings';

export type CassandraClient = Client;

type CassandraSettings = Pick<BackendConfig, 'cassandraContactPoints' | 'cassandraLocalDc' | 'cassandraUsername' | 'cassandraPassword'>;

/**
 * A driver client (token-aware by default); contact points may carry their own port. `reconnectDelayMs`
 * retries a lost node at that constant delay instead of the driver's exponential one (up to 10 minutes).
 */
export function createCassandraClient(config: CassandraSettings, options: { keyspace?: string; reconnectDelayMs?: number } = {}): CassandraClient {
  const ports = new Set(config.cassandraContactPoints.map((point) => point.split(':')[1] ?? '9042'));
  if (ports.size > 1) throw new Error('CASSANDRA_CONTACT_POINTS must all use the same port');
  return new Client({
    contactPoints: config.cassandraContactPoints.map((point) => point.split(':')[0]!),
    protocolOptions: { port: Number([...ports][0]) },
    localDataCenter: config.cassandraLocalDc,
    ...(options.keyspace ? { keyspace: options.keyspace } : {}),
    ...(config.cassandraUsername ? { authProvider: new auth.PlainTextAuthProvider(config.cassandraUsername, config.cassandraPassword) } : {}),
    socketOptions: { connectTimeout: 3000, readTimeout: 5000 },
    ...(options.reconnectDelayMs ? { policies: { reconnection: new policies.reconnection.ConstantReconnectionPolicy(options.reconnectDelayMs) } } : {}),
  });
}

/** Ready when a CQL query answers. */
export async function cassandraReady(client: CassandraClient): Promise<void> {
  await client.execute('SELECT release_version FROM system.local');
}
