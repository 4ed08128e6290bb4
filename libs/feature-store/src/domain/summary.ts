/**
 * A compact summary of one state (one key, one source partition) from which the read path computes the
 * same features as `computeFeatures` without the week of hourly buckets. For each window (1 h over 5-minute
 * buckets, 24 h and 7 d over hourly ones) it keeps, anchored at the state's newest bucket A, the counts
 * summed over (A − L, A] and the oldest buckets of that range individually: as `now` moves past A, buckets
 * leave the window oldest first, so the window at `now` is the total minus the listed buckets already out.
 * When every bucket of the range is listed the summary is exact for any `now` ≥ A; when some are not (a
 * product busy in every hour) it is exact until the first unlisted bucket would leave, and answers
 * `undefined` after that (and before A: events from the future), so the reader falls back to the full rows.
 * A busy key is written often, which moves A and keeps its summary current.
 */
import { type Features, type Priors, summarise, type Windows } from './features';
import { type Counts, type KeyState } from './state';

/** Hourly buckets listed per window: a busy key's summary stays exact for this many hours after its newest event. */
export const SUMMARY_LISTED_HOURS = 12;

interface SectionSpec {
  buckets: (s: KeyState) => Map<number, Counts>;
  newest: (s: KeyState) => number;
  /** Window length in buckets. */
  length: number;
  /** Most buckets listed individually. */
  listed: number;
}
/** The 1 h, 24 h and 7 d windows, in that order (1 h: all twelve 5-minute buckets are always listed). */
const SECTIONS: readonly SectionSpec[] = [
  { buckets: (s) => s.fine, newest: (s) => s.newestFine, length: 12, listed: 12 },
  { buckets: (s) => s.hourly, newest: (s) => s.newestHour, length: 24, listed: SUMMARY_LISTED_HOURS },
  { buckets: (s) => s.hourly, newest: (s) => s.newestHour, length: 168, listed: SUMMARY_LISTED_HOURS },
];

/** Growable byte writer for unsigned LEB128 varints and a few fixed-width fields. */
class Bytes {
  private buf = Buffer.allocUnsafe(256);
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  varint(v: number): void {
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }
  int32(v: number): void {
    this.room(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
  }
  double(v: number): void {
    this.room(8);
    this.buf.writeDoubleLE(v, this.length);
    this.length += 8;
  }
  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
  }
}

/**
 * Layout: trend, trendAt, lastEventAt (float64 LE); then per window: anchor A (int32 LE; INT32_MIN when the
 * state has no buckets of that size), and when there is one: the four totals over (A − L, A], the number of
 * listed buckets n, the offset after A − L of the first bucket not listed (0: all listed), and n × (offset
 * after A − L, four counts), oldest first; every one of those an unsigned varint.
 */
export function encodeSummary(s: KeyState): Buffer {
  const out = new Bytes();
  out.double(s.trend);
  out.double(s.trendAt);
  out.double(s.lastEventAt);
  for (const { buckets, newest, length, listed } of SECTIONS) {
    const map = buckets(s);
    if (map.size === 0) {
      out.int32(EMPTY);
      continue;
    }
    const anchor = newest(s);
    const start = anchor - length;
    const inWindow = [...map.keys()].filter((k) => k > start).sort((a, b) => a - b);
    const totals: Counts = [0, 0, 0, 0];
    for (const k of inWindow) {
      const c = map.get(k)!;
      for (let j = 0; j < 4; j++) totals[j]! += c[j]!;
    }
    out.int32(anchor);
    for (const t of totals) out.varint(t);
    const n = Math.min(listed, inWindow.length);
    out.varint(n);
    out.varint(n < inWindow.length ? inWindow[n]! - start : 0);
    for (let i = 0; i < n; i++) {
      const c = map.get(inWindow[i]!)!;
      out.varint(inWindow[i]! - start);
      for (const v of c) out.varint(v);
    }
  }
  return out.done();
}
const EMPTY = -0x80000000;

/** Reads a summary in place: a cursor over the blob, no intermediate objects. */
class Cursor {
  constructor(
    private readonly buf: Buffer,
    public o: number,
  ) {}
  varint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.o++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
  }
  int32(): number {
    const v = this.buf.readInt32LE(this.o);
    this.o += 4;
    return v;
  }
}

/**
 * Adds one window's counts at `now` (in the window's bucket unit) into `into`; false when this summary
 * cannot say (now before its anchor, or past the point where unlisted buckets leave the window).
 */
function addSection(cur: Cursor, now: number, length: number, into: Counts): boolean {
  const anchor = cur.int32();
  if (anchor === EMPTY) return true;
  if (now < anchor) return false;
  const start = anchor - length;
  const t0 = cur.varint();
  const t1 = cur.varint();
  const t2 = cur.varint();
  const t3 = cur.varint();
  const n = cur.varint();
  const firstUnlisted = cur.varint();
  // Buckets at or before now − L have left the window.
  const gone = now - length - start;
  if (firstUnlisted > 0 && gone >= firstUnlisted) return false;
  let c0 = t0;
  let c1 = t1;
  let c2 = t2;
  let c3 = t3;
  for (let i = 0; i < n; i++) {
    const offset = cur.varint();
    const a = cur.varint();
    const b = cur.varint();
    const c = cur.varint();
    const d = cur.varint();
    if (offset <= gone) {
      c0 -= a;
      c1 -= b;
      c2 -= c;
      c3 -= d;
    }
  }
  into[0] += c0;
  into[1] += c1;
  into[2] += c2;
  into[3] += c3;
  return true;
}

interface SummaryHead {
  buf: Buffer;
  trend: number;
  trendAt: number;
  lastEventAt: number;
}

/**
 * The features of a key from its source partitions' summaries, equal to `computeFeatures` on the states they
 * summarise; `undefined` when one of them cannot answer for `now` (the caller reads the full rows).
 */
export function featuresFromSummaries(summaries: readonly Buffer[], now: number, priors: Priors): Features | undefined {
  const heads: SummaryHead[] = summaries.map((buf) => ({ buf, trend: buf.readDoubleLE(0), trendAt: buf.readDoubleLE(8), lastEventAt: buf.readDoubleLE(16) }));
  let exact = true;
  const features = summarise(heads, now, priors, (h, w: Windows) => {
    if (!exact) return;
    const cur = new Cursor(h.buf, 24);
    exact = addSection(cur, w.nowFine, 12, w.c1) && addSection(cur, w.nowHour, 24, w.c24) && addSection(cur, w.nowHour, 168, w.c7);
  });
  return exact ? features : undefined;
}
