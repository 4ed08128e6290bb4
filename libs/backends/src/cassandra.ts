import { auth, Client, policies } from 'cassandra-driver';
import { SpanKind, tracingRecording, withSpan } from '@search-mesh/service-kit';
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
  return traced(new Client({
    contactPoints: config.cassandraContactPoints.map((point) => point.split(':')[0]!),
    protocolOptions: { port: Number([...ports][0]) },
    localDataCenter: config.cassandraLocalDc,
    ...(options.keyspace ? { keyspace: options.keyspace } : {}),
    ...(config.cassandraUsername ? { authProvider: new auth.PlainTextAuthProvider(config.cassandraUsername, config.cassandraPassword) } : {}),
    socketOptions: { connectTimeout: 3000, readTimeout: 5000 },
    ...(options.reconnectDelayMs ? { policies: { reconnection: new policies.reconnection.ConstantReconnectionPolicy(options.reconnectDelayMs) } } : {}),
  }));
}

/** The first word of a CQL statement (SELECT, INSERT, ...): a span name that never carries values. */
const operationOf = (cql: string) => /^\s*(\w+)/.exec(cql)?.[1]?.toUpperCase() ?? 'CQL';

/**
 * Every promise-style `execute` and `batch` of the client in a CLIENT span (`db.system` cassandra, the
 * statement text with its `?` placeholders, never the values); callback-style calls pass through untouched.
 */
function traced(client: Client): Client {
  const execute = client.execute.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const batch = client.batch.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const attributes = (statement: string, operation: string) => ({ 'db.system': 'cassandra', 'db.operation.name': operation, 'db.query.text': statement.slice(0, 512), 'db.namespace': client.keyspace ?? '' });
  (client as { execute: unknown }).execute = (...args: unknown[]) => {
    if (!tracingRecording() || typeof args[args.length - 1] === 'function') return execute(...args);
    const cql = String(args[0]);
    const operation = operationOf(cql);
    return withSpan(`cassandra ${operation}`, SpanKind.CLIENT, attributes(cql, operation), () => execute(...args));
  };
  (client as { batch: unknown }).batch = (...args: unknown[]) => {
    if (!tracingRecording() || typeof args[args.length - 1] === 'function') return batch(...args);
    const queries = args[0] as Array<string | { query: string }>;
    const first = queries[0];
    const cql = typeof first === 'string' ? first : (first?.query ?? '');
    return withSpan('cassandra BATCH', SpanKind.CLIENT, { ...attributes(cql, 'BATCH'), 'db.operation.batch.size': queries.length }, () => batch(...args));
  };
  return client;
}

/** Ready when a CQL query answers. */
export async function cassandraReady(client: CassandraClient): Promise<void> {
  await client.execute('SELECT release_version FROM system.local');
}
