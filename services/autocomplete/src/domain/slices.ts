/**
 * Long pure computations written as generators that `yield` at safe points, so the same code runs either
 * at once (`runNow`: start-up, tests) or in slices on a serving event loop (`runInSlices`: the rebuild from
 * the query log, which would otherwise hold every request for ~0.2 s). A yield costs tens of nanoseconds;
 * the slicer looks at the clock only every `CHECK_EVERY` yields.
 */
export type Steps<T> = Generator<void, T, void>;

const CHECK_EVERY = 64;

export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export interface SliceReport<T> {
  value: T;
  /** How many times the work gave the event loop back. */
  slices: number;
  /** The longest time the work held the event loop in one go. */
  longestSliceMs: number;
}

/** Runs `steps`, giving the event loop back (setImmediate) whenever a slice has run for `sliceMs`. */
export async function runInSlices<T>(steps: Steps<T>, sliceMs: number, now: () => number = () => performance.now()): Promise<SliceReport<T>> {
  let slices = 1;
  let longest = 0;
  let start = now();
  for (let n = 1; ; n++) {
    const next = steps.next();
    if (next.done) return { value: next.value, slices, longestSliceMs: Math.max(longest, now() - start) };
    if (n % CHECK_EVERY !== 0) continue;
    const elapsed = now() - start;
    if (elapsed < sliceMs) continue;
    longest = Math.max(longest, elapsed);
    await new Promise<void>((resolve) => setImmediate(resolve));
    slices++;
    start = now();
  }
}
