import { Client } from '@elastic/elasticsearch';
import type { BackendConfig } from './settings';

export type SearchClient = Client;

export function createSearchClient(config: Pick<BackendConfig, 'esUrl' | 'esUsername' | 'esPassword'>, options: { requestTimeoutMs?: number } = {}): SearchClient {
  return new Client({
    node: config.esUrl,
    ...(config.esUsername ? { auth: { username: config.esUsername, password: config.esPassword } } : {}),
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    maxRetries: 0, // retries belong to the caller, which knows its deadline
  });
}

/** Ready when the cluster answers and is at least yellow. */
export async function searchReady(client: SearchClient): Promise<void> {
  const health = await client.cluster.health({ timeout: '1s' });
  if (health.status === 'red') throw new Error('cluster health is red');
}
