/**
 * Micro-batching: concurrent requests' feature rows are scored in one model run. A batch runs when it
 * holds `maxBatchRows` rows or `maxWaitMs` after its first request arrived, whichever is first (0: run at
 * the next turn of the event loop, which still batches requests that arrived together). One run at a
 * time per model; requests arriving meanwhile form the next batch.
 */
export type RunBatch = (matrix: Float32Array, rows: number) => Promise<Float32Array>;

interface Pending {
  matrix: Float32Array;
  rows: number;
  resolve: (scores: Float32Array) => void;
  reject: (err: unknown) => void;
}

export interface BatcherOptions {
  maxBatchRows: number;
  maxWaitMs: number;
  width: number;
  /** Called after each run with its size (metrics). */
  onBatch?: (rows: number, requests: number, seconds: number) => void;
}

export class MicroBatcher {
  private queue: Pending[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private scheduled = false;
  private running = false;

  constructor(
    private readonly run: RunBatch,
    private readonly options: BatcherOptions,
  ) {}

  score(matrix: Float32Array, rows: number): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      this.queue.push({ matrix, rows, resolve, reject });
      this.queuedRows += rows;
      if (this.queuedRows >= this.options.maxBatchRows) this.flushSoon(true);
      else this.flushSoon(false);
    });
  }

  private flushSoon(now: boolean): void {
    if (this.running) return; // the running batch flushes the queue when it ends
    if (now) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
      return;
    }
    if (this.timer || this.scheduled) return;
    if (this.options.maxWaitMs <= 0) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    } else {
      this.timer = setTimeout(() => void this.flush(), this.options.maxWaitMs);
    }
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running || this.queue.length === 0) return;
    // Take whole requests up to the row limit (at least one, however large).
    const batch: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0 && (batch.length === 0 || rows + this.queue[0]!.rows <= this.options.maxBatchRows)) {
      const p = this.queue.shift()!;
      batch.push(p);
      rows += p.rows;
    }
    this.queuedRows -= rows;
    this.running = true;
    const started = process.hrtime.bigint();
    try {
      let matrix: Float32Array;
      if (batch.length === 1) matrix = batch[0]!.matrix;
      else {
        matrix = new Float32Array(rows * this.options.width);
        let offset = 0;
        for (const p of batch) {
          matrix.set(p.matrix, offset);
          offset += p.matrix.length;
        }
      }
      const scores = await this.run(matrix, rows);
      this.options.onBatch?.(rows, batch.length, Number(process.hrtime.bigint() - started) / 1e9);
      let at = 0;
      for (const p of batch) {
        p.resolve(scores.slice(at, at + p.rows));
        at += p.rows;
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.running = false;
      // What queued meanwhile has waited for this run already: it runs next.
      if (this.queue.length > 0) this.flushSoon(true);
    }
  }

  /** Requests waiting for a batch. */
  get waiting(): number {
    return this.queue.length;
  }
}
