import type { Client } from 'cassandra-driver';
import { FEATURE_TABLES, keyspaceNames } from '@search-mesh/contracts';
import type { StoredRow } from '../domain/features';
import { decodeBuckets, type KeyState, newestBucket } from '../domain/state';

/** The value columns of both feature tables (one row per key and source partition). */
export const STATE_COLUMNS = 'src_partition, applied_offset, fine, hourly, trend, trend_at, last_event_at';
/** What the read path needs of a row. */
export const READ_COLUMNS = 'fine, hourly, trend, trend_at, last_event_at';

/** Which table a key lives in, and its partition key columns. */
export type FeatureKind = 'product' | 'queryProduct';
/** The columns naming a key: the product table's partition key, or the query table's partition key and product. */
export const KEY_COLUMNS: Record<FeatureKind, readonly string[]> = { product: ['product_id'], queryProduct: ['query', 'product_id'] };

export function tableOf(namespace: string, kind: keyof typeof FEATURE_TABLES): string {
  return `${keyspaceNames(namespace).features}.${FEATURE_TABLES[kind]}`;
}

/** Creates the keyspace and tables if missing (replication factor from the caller: 1 locally, 3 in production). */
export async function ensureFeatureSchema(client: Client, namespace: string, replicationFactor = 1): Promise<void> {
  const ks = keyspaceNames(namespace).features;
  await client.execute(`CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${replicationFactor}}`);
  const columns = 'src_partition int, applied_offset bigint, fine blob, hourly blob, trend double, trend_at bigint, last_event_at bigint';
  // A product's rows (one per source partition) are one partition.
  await client.execute(`CREATE TABLE IF NOT EXISTS ${tableOf(namespace, 'product')} (product_id text, ${columns}, PRIMARY KEY ((product_id), src_partition))`);
  // A query's rows for every product are one partition: ranking reads a query's features in one read, and the
  // aggregator writes one source partition's slice of it in one single-partition batch.
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${tableOf(namespace, 'queryProduct')} (query text, product_id text, ${columns}, PRIMARY KEY ((query), src_partition, product_id))`,
  );
  // A product's summaries, one map element per source partition: the read path's one small row per product.
  await client.execute(`CREATE TABLE IF NOT EXISTS ${tableOf(namespace, 'productSummary')} (product_id text PRIMARY KEY, parts map<int, blob>)`);
}

/**
 * Sets one source partition's summary of a product (params: write timestamp, partition, `encodeSummary`,
 * product id). Each map element is its own cell with its own timestamp, so partitions never overwrite each
 * other, and the timestamp (applied offset + 1, as for the row) keeps an older summary from replacing a newer.
 * Sent in the same batch as the product's row: one partition key in one keyspace is one mutation, applied
 * whole on each replica, so the row and its summary cannot disagree after a crash.
 */
export function summaryUpdate(namespace: string): string {
  return `UPDATE ${tableOf(namespace, 'productSummary')} USING TIMESTAMP ? SET parts[?] = ? WHERE product_id = ?`;
}

/**
 * A summary row's parts in source partition order, as the per-partition rows are (the trend is a float sum):
 * the driver hands a map<int, blob> as an object, whose integer keys JavaScript enumerates in ascending order.
 */
export function summaryParts(value: unknown): Buffer[] {
  return value ? Object.values(value as Record<string, Buffer>) : [];
}

/** Drops a namespace's features keyspace (tests). */
export async function dropFeatureSchema(client: Client, namespace: string): Promise<void> {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspaceNames(namespace).features}`);
}

interface StateRow {
  get(name: string): unknown;
}

/** Numbers come back as numbers, or as Long for bigint columns. */
const num = (v: unknown): number => {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'object' && typeof (v as { toNumber?: unknown }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return Number(v);
};

/** One row of `STATE_COLUMNS` back into a state. */
export function rowToState(row: StateRow): { partition: number; state: KeyState } {
  const fine = decodeBuckets(row.get('fine') as Buffer | null);
  const hourly = decodeBuckets(row.get('hourly') as Buffer | null);
  return {
    partition: num(row.get('src_partition')),
    state: {
      offset: row.get('applied_offset') === null ? -1 : num(row.get('applied_offset')),
      fine,
      hourly,
      trend: num(row.get('trend')),
      trendAt: num(row.get('trend_at')),
      lastEventAt: num(row.get('last_event_at')),
      newestFine: newestBucket(fine),
      newestHour: newestBucket(hourly),
    },
  };
}

/** One row of `STATE_COLUMNS` with its blobs left encoded (the reader's fast path). */
export function rowToStored(row: StateRow): StoredRow {
  return {
    fine: row.get('fine') as Buffer | null,
    hourly: row.get('hourly') as Buffer | null,
    trend: num(row.get('trend')),
    trendAt: num(row.get('trend_at')),
    lastEventAt: num(row.get('last_event_at')),
  };
}
