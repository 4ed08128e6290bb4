/**
 * A small LRU cache with a time to live: a Map keeps insertion order, so re-inserting on a hit makes the
 * first key the least recently used. Past its TTL an entry is still kept `staleMs` longer for `lookup`
 * (stale-while-revalidate: the caller serves it and re-reads it in the background). The clock is
 * injected so the expiry is unit-tested without waiting.
 */
export class TtlCache<V> {
  private readonly map = new Map<string, { value: V; expires: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly staleMs = 0,
  ) {
    if (maxEntries < 1) throw new Error('maxEntries must be at least 1');
  }

  /** The value and whether it is past its TTL; undefined when absent or past TTL + staleMs. */
  lookup(key: string): { value: V; stale: boolean } | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    this.map.delete(key);
    const now = this.now();
    if (entry.expires + this.staleMs <= now) return undefined;
    this.map.set(key, entry);
    return { value: entry.value, stale: entry.expires <= now };
  }

  /** The value while within its TTL. */
  get(key: string): V | undefined {
    const hit = this.lookup(key);
    return hit && !hit.stale ? hit.value : undefined;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value!);
  }

  /** Marks a key's value past its TTL now (kept for `lookup` as stale, `staleMs` longer); false when absent. */
  expire(key: string): boolean {
    const entry = this.map.get(key);
    if (!entry) return false;
    entry.expires = Math.min(entry.expires, this.now());
    return true;
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}
