import type { Client } from '@elastic/elasticsearch';
import type { ProductsIndex, SearchDocument } from '@search-mesh/search-index';
import type { Current, Write } from '../domain/plan';

export interface WriteOutcome {
  applied: number;
  /** Rejected by Elasticsearch as older than what it has (409): duplicates and stragglers. */
  stale: number;
  /** Permanently refused (e.g. a document the mapping rejects), with Elasticsearch's reason. */
  refused: Array<{ write: Write; reason: string }>;
}

export interface IndexWriterOptions {
  /** How long the building-alias lookup is cached; a reindex waits for twice this before copying. */
  buildingTtlMs: number;
  /** Pause before retrying writes Elasticsearch could not take (429, 5xx), doubling up to 5 s. */
  retryBaseMs?: number;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/**
 * Writes planned changes with external versioning (Elasticsearch keeps the highest version, so duplicates
 * and late events cannot overwrite newer state), to the live alias and to an index a reindex is building.
 * Retries what Elasticsearch could not take until it takes it or `signal` aborts: the caller does not
 * commit offsets before this returns, so nothing is lost, and nothing is fetched meanwhile (backpressure).
 */
export class IndexWriter {
  private building: { index: string | undefined; at: number } = { index: undefined, at: -Infinity };

  constructor(
    private readonly es: Client,
    private readonly index: ProductsIndex,
    private readonly opts: IndexWriterOptions,
  ) {}

  /** What the live index has for these products (document and external version). */
  async currentState(ids: readonly string[]): Promise<Map<string, Current>> {
    const state = new Map<string, Current>();
    if (ids.length === 0) return state;
    const res = await this.es.mget<SearchDocument>({ index: this.index.alias, ids: [...ids], realtime: true });
    for (const d of res.docs) {
      if ('found' in d && d.found) state.set(d._id, { doc: d._source, version: d._version });
      else state.set(d._id, { doc: undefined, version: undefined });
    }
    return state;
  }

  async write(writes: readonly Write[], signal?: AbortSignal): Promise<WriteOutcome> {
    const outcome: WriteOutcome = { applied: 0, stale: 0, refused: [] };
    let pending = [...writes];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await this.pause(attempt, signal);
      const building = await this.buildingIndex();
      const targets = building === undefined ? [this.index.alias] : [this.index.alias, building];
      const operations: string[] = [];
      for (const target of targets) {
        for (const w of pending) {
          const action = { [w.op]: { _index: target, _id: w.id, version: w.version, version_type: 'external' } };
          operations.push(JSON.stringify(action));
          if (w.op === 'index') operations.push(JSON.stringify(w.doc));
        }
      }
      const res = await this.es.bulk({ operations });
      const retry: Write[] = [];
      // Items come back in request order: the live target's first, then the building index's.
      res.items.forEach((item, i) => {
        const write = pending[i % pending.length]!;
        const result = item.index ?? item.delete!;
        const status = result.status;
        const live = i < pending.length;
        if (status < 300 || (write.op === 'delete' && status === 404)) {
          if (live) outcome.applied++;
        } else if (status === 409) {
          if (live) outcome.stale++;
        } else if (RETRYABLE.has(status)) {
          if (live) retry.push(write);
        } else if (live) {
          outcome.refused.push({ write, reason: `${result.error?.type ?? status}: ${result.error?.reason ?? 'refused'}` });
        }
        // A building index that refuses is rebuilt by the next reindex; it never blocks the live one.
      });
      pending = retry;
    }
    return outcome;
  }

  private async buildingIndex(): Promise<string | undefined> {
    const now = Date.now();
    if (now - this.building.at > this.opts.buildingTtlMs) {
      this.building = { index: (await this.index.writeTargets()).building, at: now };
    }
    return this.building.index;
  }

  private async pause(attempt: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new Error('stopped while Elasticsearch was refusing writes');
    const ms = Math.min(5000, (this.opts.retryBaseMs ?? 100) * 2 ** (attempt - 1));
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
}
