import type { Client } from 'cassandra-driver';

/**
 * Splits items into groups of at most `size` whose text partition keys have the same replicas, so one request
 * routed by the group's first key covers the group with local reads: the driver's token-aware policy picks
 * any (shuffled) replica of that key, so grouping by the whole replica set, not the first replica, is what
 * keeps every key of the group local when the replication factor is above 1.
 * Before the driver knows the ring (not connected yet) everything shares one group per `size`.
 */
export function groupByReplica<T>(client: Client, keyspace: string, items: readonly T[], keyOf: (item: T) => string, size: number): T[][] {
  if (size <= 1) return items.map((item) => [item]);
  const byReplica = new Map<string, T[][]>();
  for (const item of items) {
    let replica = '';
    try {
      replica = (client.getReplicas(keyspace, Buffer.from(keyOf(item), 'utf8')) ?? []).map((host) => host.address).sort().join(',');
    } catch {
      // ring not known yet
    }
    let groups = byReplica.get(replica);
    if (!groups) byReplica.set(replica, (groups = [[]]));
    if (groups.at(-1)!.length >= size) groups.push([]);
    groups.at(-1)!.push(item);
  }
  return [...byReplica.values()].flat();
}
