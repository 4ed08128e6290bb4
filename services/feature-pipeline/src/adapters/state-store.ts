import { type Client, concurrent } from 'cassandra-driver';
import { encodeBuckets, emptyState, type FeatureKind, KEY_COLUMNS, type KeyState, rowToState, STATE_COLUMNS, tableOf } from '@search-mesh/feature-store';
import type { FeatureKey } from '../domain/aggregate';

const KINDS: readonly FeatureKind[] = ['product', 'queryProduct'];

/**
 * Loads and writes the aggregator's per (key, source partition) states. A write replaces the whole row with
 * absolute values and uses the applied offset as the write timestamp, so writing the same state twice is a
 * no-op and an older state (a zombie consumer after a rebalance, a retry overtaken by a newer write) never
 * overwrites a newer one: Cassandra keeps the cell with the highest timestamp.
 */
export class StateStore {
  private readonly selects: Record<FeatureKind, string>;
  private readonly inserts: Record<FeatureKind, string>;

  constructor(
    private readonly client: Client,
    namespace: string,
    private readonly concurrency = 128,
  ) {
    const select = (k: FeatureKind) =>
      `SELECT ${STATE_COLUMNS} FROM ${tableOf(namespace, k)} WHERE ${KEY_COLUMNS[k].map((c) => `${c} = ?`).join(' AND ')} AND src_partition = ?`;
    const insert = (k: FeatureKind) =>
      `INSERT INTO ${tableOf(namespace, k)} (${KEY_COLUMNS[k].join(', ')}, ${STATE_COLUMNS}) VALUES (${KEY_COLUMNS[k].map(() => '?').join(', ')}, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`;
    this.selects = { product: select('product'), queryProduct: select('queryProduct') };
    this.inserts = { product: insert('product'), queryProduct: insert('queryProduct') };
  }

  /** The stored states of `keys` for one source partition (empty states where none is stored). */
  async load(partition: number, keys: ReadonlyMap<string, FeatureKey>): Promise<Map<string, KeyState>> {
    const out = new Map<string, KeyState>();
    await Promise.all(
      KINDS.map(async (kind) => {
        const ids = [...keys].filter(([, k]) => k.kind === kind);
        if (ids.length === 0) return;
        const result = await concurrent.executeConcurrent(this.client, this.selects[kind], ids.map(([, k]) => [...k.key, partition]), {
          concurrencyLevel: this.concurrency,
          collectResults: true,
        });
        result.resultItems.forEach((rs, i) => {
          const row = (rs as { rows?: { get(name: string): unknown }[] }).rows?.[0];
          out.set(ids[i]![0], row ? rowToState(row).state : emptyState());
        });
      }),
    );
    return out;
  }

  /** Writes each state in full (idempotent). */
  async write(partition: number, entries: readonly { key: FeatureKey; state: KeyState }[]): Promise<void> {
    await Promise.all(
      KINDS.map(async (kind) => {
        const rows = entries.filter((e) => e.key.kind === kind);
        if (rows.length === 0) return;
        await concurrent.executeConcurrent(
          this.client,
          this.inserts[kind],
          rows.map(({ key, state: s }) => [
            ...key.key,
            partition,
            s.offset,
            encodeBuckets(s.fine),
            encodeBuckets(s.hourly),
            s.trend,
            s.trendAt,
            s.lastEventAt,
            s.offset + 1,
          ]),
          { concurrencyLevel: this.concurrency },
        );
      }),
    );
  }
}
