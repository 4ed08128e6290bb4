/**
 * From the stored states of one key (one per source partition) to the features ranking reads: counts over
 * 1 h, 24 h and 7 d, Beta-smoothed click-through and conversion rates, and the trending score decayed to now.
 */
import { type Counts, decay, FINE_BUCKET_MS, HOUR_MS, type KeyState, LITTLE_ENDIAN } from './state';

/** One stored row as read: the bucket blobs undecoded, so windows are summed straight from the bytes. */
export interface StoredRow {
  fine: Buffer | null;
  hourly: Buffer | null;
  trend: number;
  trendAt: number;
  lastEventAt: number;
}

export const WINDOWS = ['1h', '24h', '7d'] as const;
export type Window = (typeof WINDOWS)[number];

export interface WindowFeatures {
  impressions: number;
  clicks: number;
  carts: number;
  purchases: number;
  /** (clicks + a) / (impressions + a + b), a Beta(a, b) prior with mean `priors.ctr`. */
  ctr: number;
  /** (purchases + a) / (clicks + a + b), a Beta prior with mean `priors.conversion`. */
  conversion: number;
}

export interface Features {
  /** False when the store has nothing for the key (or could not answer): every value is the default. */
  found: boolean;
  windows: Record<Window, WindowFeatures>;
  trending: number;
  /** Kafka timestamp of the newest event counted, epoch ms (0: none). */
  lastEventAt: number;
}

export interface Priors {
  ctr: number;
  conversion: number;
  /** Prior strength a + b, in pseudo-observations. */
  strength: number;
}
export const DEFAULT_PRIORS: Priors = { ctr: 0.05, conversion: 0.02, strength: 20 };

export function smoothedRate(successes: number, trials: number, mean: number, strength: number): number {
  return (successes + mean * strength) / (trials + strength);
}

function windowFeatures(c: Counts, priors: Priors): WindowFeatures {
  return {
    impressions: c[0],
    clicks: c[1],
    carts: c[2],
    purchases: c[3],
    ctr: smoothedRate(c[1], c[0], priors.ctr, priors.strength),
    conversion: smoothedRate(c[3], c[1], priors.conversion, priors.strength),
  };
}

function add(into: Counts, c: Counts): void {
  into[0] += c[0];
  into[1] += c[1];
  into[2] += c[2];
  into[3] += c[3];
}

/** The features every key has before anything is known about it. */
export function defaultFeatures(priors: Priors = DEFAULT_PRIORS): Features {
  const w = windowFeatures([0, 0, 0, 0], priors);
  return { found: false, windows: { '1h': w, '24h': { ...w }, '7d': { ...w } }, trending: 0, lastEventAt: 0 };
}

/** Window sums being built for one key. */
export interface Windows {
  c1: Counts;
  c24: Counts;
  c7: Counts;
  /** The 5-minute bucket and the hour `now` falls in. */
  nowFine: number;
  nowHour: number;
}

/** Sums windows and the decayed trend over a key's rows; `addBuckets` adds one row's buckets. */
export function summarise<T extends { trend: number; trendAt: number; lastEventAt: number }>(
  rows: readonly T[],
  now: number,
  priors: Priors,
  addBuckets: (row: T, w: Windows) => void,
): Features {
  if (rows.length === 0) return defaultFeatures(priors);
  const w: Windows = { c1: [0, 0, 0, 0], c24: [0, 0, 0, 0], c7: [0, 0, 0, 0], nowFine: Math.floor(now / FINE_BUCKET_MS), nowHour: Math.floor(now / HOUR_MS) };
  let trending = 0;
  let lastEventAt = 0;
  for (const r of rows) {
    addBuckets(r, w);
    trending += decay(r.trend, r.trendAt, Math.max(now, r.trendAt));
    lastEventAt = Math.max(lastEventAt, r.lastEventAt);
  }
  return {
    found: true,
    windows: { '1h': windowFeatures(w.c1, priors), '24h': windowFeatures(w.c24, priors), '7d': windowFeatures(w.c7, priors) },
    trending,
    lastEventAt,
  };
}

/**
 * Windows end at `now` and include the bucket `now` falls in: 1 h is the last twelve 5-minute buckets,
 * 24 h and 7 d the last 24 and 168 hourly buckets. Buckets after `now` (events from the future, clock skew)
 * are counted only from the moment they begin.
 */
export function computeFeatures(states: readonly KeyState[], now: number, priors: Priors = DEFAULT_PRIORS): Features {
  return summarise(states, now, priors, (s, w) => {
    for (const [b, c] of s.fine) if (b <= w.nowFine && b > w.nowFine - 12) add(w.c1, c);
    for (const [h, c] of s.hourly) {
      if (h > w.nowHour) continue;
      if (h > w.nowHour - 24) add(w.c24, c);
      if (h > w.nowHour - 168) add(w.c7, c);
    }
  });
}

/** The blob as int32s (little-endian, as encoded): a view when aligned on a little-endian machine, else a copy. */
function int32s(buf: Buffer): Int32Array {
  const n = buf.length >> 2;
  if (LITTLE_ENDIAN) {
    if (buf.byteOffset % 4 === 0) return new Int32Array(buf.buffer, buf.byteOffset, n);
    return new Int32Array(new Uint8Array(buf).buffer, 0, n);
  }
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = buf.readInt32LE(k * 4);
  return out;
}

/**
 * Adds the counts of the buckets in (`after`, `upTo`] of an encoded bucket blob into `into`, and those in
 * (`also.after`, `upTo`] into `also.into` (24 h and 7 d in one pass).
 */
function addBlob(buf: Buffer | null, after: number, upTo: number, into: Counts, also?: { after: number; into: Counts }): void {
  if (!buf || buf.length < 20) return;
  const v = int32s(buf);
  for (let o = 0; o + 5 <= v.length; o += 5) {
    const b = v[o]!;
    if (b > upTo) continue;
    if (b > after) {
      into[0] += v[o + 1]!;
      into[1] += v[o + 2]!;
      into[2] += v[o + 3]!;
      into[3] += v[o + 4]!;
    }
    if (also && b > also.after) {
      also.into[0] += v[o + 1]!;
      also.into[1] += v[o + 2]!;
      also.into[2] += v[o + 3]!;
      also.into[3] += v[o + 4]!;
    }
  }
}

/**
 * The same features as `computeFeatures`, summed straight from stored rows' blobs without decoding them
 * into maps (the read path: a week of hourly buckets for 200 products × partitions is ~100k buckets).
 */
export function featuresFromRows(rows: readonly StoredRow[], now: number, priors: Priors = DEFAULT_PRIORS): Features {
  return summarise(rows, now, priors, (r, w) => {
    addBlob(r.fine, w.nowFine - 12, w.nowFine, w.c1);
    addBlob(r.hourly, w.nowHour - 168, w.nowHour, w.c7, { after: w.nowHour - 24, into: w.c24 });
  });
}
