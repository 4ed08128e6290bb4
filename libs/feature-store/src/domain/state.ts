/**
 * The state one aggregator keeps for one feature key (a product, or a normalised query and a product) and
 * one source partition of the behaviour topic, and the pure maths on it. The state holds absolute values
 * and the offset of the last event applied, so writing it is idempotent and applying an event whose offset
 * is not above `offset` is a no-op: that is what makes redelivery and restarts count every event once.
 */

/** Counts in the order impressions, clicks, add-to-carts, purchases. */
export type Counts = [number, number, number, number];
export const COUNT_NAMES = ['impressions', 'clicks', 'carts', 'purchases'] as const;
export type CountName = (typeof COUNT_NAMES)[number];

export const FINE_BUCKET_MS = 5 * 60_000;
export const HOUR_MS = 3_600_000;
/** Fine buckets kept: the 1 h window needs 12, one more covers the bucket being filled. */
export const FINE_BUCKETS_KEPT = 13;
/** Hourly buckets kept: 7 days plus the hour being filled. */
export const HOURLY_BUCKETS_KEPT = 7 * 24 + 1;
/** Half-life of the trending score. */
export const TREND_HALF_LIFE_MS = 6 * HOUR_MS;
/** What each action adds to the trending score. */
export const TREND_WEIGHTS: Counts = [0, 1, 3, 5];

export interface KeyState {
  /** Offset of the last event of this source partition applied (-1: none). */
  offset: number;
  /** 5-minute bucket index (epoch ms / FINE_BUCKET_MS) → counts. */
  fine: Map<number, Counts>;
  /** Hour index (epoch ms / HOUR_MS) → counts. */
  hourly: Map<number, Counts>;
  /** Trending score as of `trendAt` (epoch ms). */
  trend: number;
  trendAt: number;
  /** Kafka timestamp (produced) of the last event applied, epoch ms. */
  lastEventAt: number;
  /**
   * The newest key of `fine` and of `hourly` (-Infinity: empty), kept beside the maps so applying an event
   * does not scan them (the aggregator's hot loop: a week of hourly buckets per key and event).
   */
  newestFine: number;
  newestHour: number;
}

export function emptyState(): KeyState {
  return { offset: -1, fine: new Map(), hourly: new Map(), trend: 0, trendAt: 0, lastEventAt: 0, newestFine: -Infinity, newestHour: -Infinity };
}

/** The newest key of a bucket map (-Infinity: empty), for a state rebuilt from stored blobs. */
export function newestBucket(map: Map<number, Counts>): number {
  let max = -Infinity;
  for (const k of map.keys()) if (k > max) max = k;
  return max;
}

export interface Increment {
  /** Event time, epoch ms. */
  at: number;
  /** Index into Counts. */
  kind: 0 | 1 | 2 | 3;
}

function bump(map: Map<number, Counts>, bucket: number, kind: number): void {
  let c = map.get(bucket);
  if (!c) map.set(bucket, (c = [0, 0, 0, 0]));
  c[kind]! += 1;
}

function prune(map: Map<number, Counts>, newest: number, kept: number): void {
  for (const k of map.keys()) if (k <= newest - kept) map.delete(k);
}

/** Decays `score` from `from` to `to` (ms); never grows it when `to` is before `from`. */
export function decay(score: number, from: number, to: number, halfLifeMs = TREND_HALF_LIFE_MS): number {
  return score * Math.pow(2, -(to - from) / halfLifeMs);
}

/**
 * Applies one event's increments to `state` if its `offset` is above the state's; returns whether it did.
 * Buckets older than the longest window (relative to the newest event seen) are dropped, so the state is
 * bounded and the result depends only on the events, not on when they were applied.
 */
export function applyEvent(state: KeyState, offset: number, producedAt: number, increments: readonly Increment[]): boolean {
  if (offset <= state.offset) return false;
  const { newestHour, newestFine } = state;
  for (const { at, kind } of increments) {
    const hour = Math.floor(at / HOUR_MS);
    if (hour > state.newestHour - HOURLY_BUCKETS_KEPT) {
      bump(state.hourly, hour, kind);
      if (hour > state.newestHour) state.newestHour = hour;
    }
    const fine = Math.floor(at / FINE_BUCKET_MS);
    if (fine > state.newestFine - FINE_BUCKETS_KEPT) {
      bump(state.fine, fine, kind);
      if (fine > state.newestFine) state.newestFine = fine;
    }
    const weight = TREND_WEIGHTS[kind]!;
    if (weight > 0) {
      if (at >= state.trendAt) {
        state.trend = decay(state.trend, state.trendAt, at) + weight;
        state.trendAt = at;
      } else {
        state.trend += decay(weight, at, state.trendAt);
      }
    }
  }
  // Every bucket was within the kept range of the newest before; only a newer newest can push some out.
  if (state.newestHour > newestHour) prune(state.hourly, state.newestHour, HOURLY_BUCKETS_KEPT);
  if (state.newestFine > newestFine) prune(state.fine, state.newestFine, FINE_BUCKETS_KEPT);
  state.offset = offset;
  state.lastEventAt = Math.max(state.lastEventAt, producedAt);
  return true;
}

/** Whether this machine stores int32s little-endian (as the blobs are): then they are written and read as an Int32Array. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Buckets as a compact blob: int32 little-endian [bucket, impressions, clicks, carts, purchases]… */
export function encodeBuckets(map: Map<number, Counts>): Buffer {
  if (!LITTLE_ENDIAN) return encodeBucketsInto(map, Buffer.allocUnsafe(map.size * 20));
  // One typed-array store per value instead of a bounds-checked Buffer call (the aggregator encodes every
  // changed state), into a slice of Node's shared pool (allocUnsafe below 4 KiB; 8-byte aligned) rather than a
  // new ArrayBuffer per blob, which cost more than the encoding; forEach, not entries(), allocates no pairs.
  const buf = Buffer.allocUnsafe(map.size * 20);
  if (buf.byteOffset % 4 !== 0) return encodeBucketsInto(map, buf);
  const ints = new Int32Array(buf.buffer, buf.byteOffset, map.size * 5);
  let o = 0;
  map.forEach((c, bucket) => {
    ints[o] = bucket;
    ints[o + 1] = c[0];
    ints[o + 2] = c[1];
    ints[o + 3] = c[2];
    ints[o + 4] = c[3];
    o += 5;
  });
  return buf;
}

function encodeBucketsInto(map: Map<number, Counts>, buf: Buffer): Buffer {
  let o = 0;
  for (const [bucket, c] of map) {
    buf.writeInt32LE(bucket, o);
    for (let j = 0; j < 4; j++) buf.writeInt32LE(c[j]!, o + 4 + 4 * j);
    o += 20;
  }
  return buf;
}

export function decodeBuckets(buf: Buffer | null | undefined): Map<number, Counts> {
  const map = new Map<number, Counts>();
  if (!buf) return map;
  if (buf.length % 20 !== 0) throw new Error(`bucket blob of ${buf.length} bytes is not a multiple of 20`);
  for (let o = 0; o < buf.length; o += 20) {
    map.set(buf.readInt32LE(o), [buf.readInt32LE(o + 4), buf.readInt32LE(o + 8), buf.readInt32LE(o + 12), buf.readInt32LE(o + 16)]);
  }
  return map;
}
