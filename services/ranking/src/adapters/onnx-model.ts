/**
 * A model served by onnxruntime-node: the session, its manifest, its micro-batcher and the requests in
 * flight on it. The CUDA execution provider is used when configured and it loads; otherwise (no GPU, or
 * the CUDA binaries were not installed) the CPU provider, with a logged warning.
 */
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { MicroBatcher } from '../domain/batcher';
import { FEATURE_COUNT } from '../domain/features';
import { type ModelManifest, manifestProblem } from '../domain/manifest';

export type ExecutionProvider = 'cpu' | 'cuda';

export interface SessionOptions {
  executionProvider: ExecutionProvider;
  intraOpThreads: number;
  maxBatchRows: number;
  maxWaitMs: number;
  onBatch?: (version: string, rows: number, requests: number, seconds: number) => void;
  warn: (message: string, details?: Record<string, unknown>) => void;
}

/** The gate refused a model: the message says why. */
export class ModelRejected extends Error {
  constructor(
    readonly version: string,
    reason: string,
  ) {
    super(`model ${version} rejected: ${reason}`);
    this.name = 'ModelRejected';
  }
}

async function createSession(bytes: Uint8Array, options: SessionOptions): Promise<{ session: ort.InferenceSession; provider: ExecutionProvider }> {
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: options.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Idle pool threads block instead of spinning for the next run: a spinning pool burned ~1.4 ms of CPU per
    // 100-row run on top of the 0.4 ms the run takes, and ~10 ms per search in the mesh on two shared cores.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
  if (options.executionProvider === 'cuda') {
    try {
      return { session: await ort.InferenceSession.create(bytes, { ...base, executionProviders: ['cuda'] }), provider: 'cuda' };
    } catch (err) {
      options.warn('the CUDA execution provider is not available: scoring on CPU', { err: err instanceof Error ? err.message : String(err) });
    }
  }
  return { session: await ort.InferenceSession.create(bytes, { ...base, executionProviders: ['cpu'] }), provider: 'cpu' };
}

export class OnnxModel {
  readonly version: string;
  private readonly batcher: MicroBatcher;
  private inFlight = 0;
  private retired: (() => void) | undefined;
  private released = false;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly manifest: ModelManifest,
    readonly provider: ExecutionProvider,
    options: SessionOptions,
  ) {
    this.version = manifest.version;
    this.batcher = new MicroBatcher((matrix, rows) => this.run(matrix, rows), {
      maxBatchRows: options.maxBatchRows,
      maxWaitMs: options.maxWaitMs,
      width: FEATURE_COUNT,
      onBatch: (rows, requests, seconds) => options.onBatch?.(this.version, rows, requests, seconds),
    });
  }

  /**
   * The validation gate: the manifest fits the features serving computes, the artifact is the one the
   * manifest's checksum names, the session loads with the manifest's input and output, and the golden
   * inputs score finite, within the training score range, one score per row, equal to the Python
   * reference within 1e-5. Anything else rejects the model before it can serve.
   */
  static async load(bytes: Uint8Array, manifest: ModelManifest, options: SessionOptions): Promise<OnnxModel> {
    const version = String(manifest?.version ?? '?');
    const problem = manifestProblem(manifest);
    if (problem !== undefined) throw new ModelRejected(version, problem);
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== manifest.sha256) throw new ModelRejected(version, `artifact sha256 ${sha} is not the manifest's ${manifest.sha256}`);
    let loaded: { session: ort.InferenceSession; provider: ExecutionProvider };
    try {
      loaded = await createSession(bytes, options);
    } catch (err) {
      throw new ModelRejected(version, `onnxruntime cannot load it: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    const model = new OnnxModel(loaded.session, manifest, loaded.provider, options);
    try {
      if (!loaded.session.inputNames.includes(manifest.input) || !loaded.session.outputNames.includes(manifest.output)) {
        throw new Error(`the graph's inputs ${JSON.stringify(loaded.session.inputNames)} and outputs ${JSON.stringify(loaded.session.outputNames)} are not the manifest's ${manifest.input} → ${manifest.output}`);
      }
      const golden = manifest.golden.inputs;
      const matrix = new Float32Array(golden.length * FEATURE_COUNT);
      golden.forEach((row, i) => {
        if (row.length !== FEATURE_COUNT) throw new Error(`golden input ${i} has ${row.length} values, not ${FEATURE_COUNT}`);
        matrix.set(row, i * FEATURE_COUNT);
      });
      const scores = await model.run(matrix, golden.length);
      const [low, high] = manifest.scoreRange;
      scores.forEach((s, i) => {
        if (!Number.isFinite(s)) throw new Error(`golden input ${i} scored ${s}`);
        if (s < low || s > high) throw new Error(`golden input ${i} scored ${s}, outside the training range [${low}, ${high}]`);
        const reference = manifest.golden.onnxruntime[i]!;
        if (Math.abs(s - reference) > 1e-5) throw new Error(`golden input ${i} scored ${s}, the Python reference is ${reference}`);
      });
    } catch (err) {
      await loaded.session.release().catch(() => undefined);
      throw err instanceof ModelRejected ? err : new ModelRejected(version, err instanceof Error ? err.message.split('\n')[0]! : String(err));
    }
    return model;
  }

  /** One inference over `rows` rows; one score per row, or an error naming the shape it got. */
  private async run(matrix: Float32Array, rows: number): Promise<Float32Array> {
    const input = new ort.Tensor('float32', matrix, [rows, FEATURE_COUNT]);
    const output = (await this.session.run({ [this.manifest.input]: input }))[this.manifest.output];
    if (output === undefined || output.data.length !== rows) {
      throw new Error(`model ${this.version} returned ${output?.data.length ?? 'no'} scores for ${rows} rows (dims ${JSON.stringify(output?.dims)})`);
    }
    return output.data as Float32Array;
  }

  /** Scores a request's rows; the model is not released while it runs (see retire). */
  async score(matrix: Float32Array, rows: number): Promise<Float32Array> {
    if (this.released) throw new Error(`model ${this.version} was released`);
    this.inFlight++;
    try {
      return await this.batcher.score(matrix, rows);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.retired?.();
    }
  }

  /** Releases the session once the requests in flight on it have finished (hot swap without failures). */
  async retire(): Promise<void> {
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.retired = resolve));
    this.released = true;
    await this.session.release();
  }
}
