import type { Client } from 'cassandra-driver';

/**
 * Splits items into groups of at most `size` whose text partition keys have the same first replica, so one
 * request routed to that replica (routing key: the group's first key) covers the group with local reads.
 * Before the driver knows the ring (not connected yet) everything shares one group per `size`.
 */
export function groupByReplica<T>(client: Client, keyspace: string, items: readonly T[], keyOf: (item: T) => string, size: number): T[][] {
  if (size <= 1) return items.map((item) => [item]);
  const byReplica = new Map<string, T[][]>();
  for (const item of items) {
    let replica = '';
    try {
      replica = client.getReplicas(keyspace, Buffer.from(keyOf(item), 'utf8'))?.[0]?.address ?? '';
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
