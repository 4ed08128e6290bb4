import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { withConsumeSpan } from './kafka';

export interface ChunkConsumerOptions {
  /** Full group id (namespace included). */
  groupId: string;
  /** The topic consumed, from the beginning for a new group. */
  topic: string;
  /** Topics created if missing (the consumed one and the outputs). */
  ensureTopics: { topic: string; numPartitions: number }[];
  maxWaitMs: number;
  fetchMaxBytes: number;
  concurrentPartitions: number;
  /** Longest pause between retries of a failing chunk. */
  maxBackoffMs: number;
}

export interface ChunkHandler {
  /** Splits a fetched batch of one partition into the chunks applied and committed one by one. */
  chunks(messages: KafkaMessage[]): Iterable<KafkaMessage[]>;
  /** Applies a chunk; throwing retries the same chunk (so `apply` must be idempotent). */
  apply(partition: number, chunk: KafkaMessage[], signal: AbortSignal): Promise<void>;
  /** Called after each failed attempt, before the backoff. */
  failed(partition: number, err: unknown, attempt: number): void;
  /** Called once the chunk's offsets are committed, with what is left behind it in the partition. */
  committed(partition: number, chunk: KafkaMessage[], lag: number): void;
  /** A new group generation: partitions may have moved. */
  rejoined?(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A kafkajs consumer group that applies each partition's batches chunk by chunk and commits a chunk's
 * offsets only after `apply` succeeded: a failure retries the same chunk with backoff while nothing more is
 * fetched from that partition (backpressure, not an unbounded buffer), so an acknowledged event is never
 * skipped. The idempotent producer is there for the handler's outputs (dead letters, derived topics).
 */
export class ChunkConsumer {
  readonly producer: Producer;
  private readonly consumer: Consumer;
  private readonly stopping = new AbortController();

  constructor(
    private readonly kafka: Kafka,
    private readonly opts: ChunkConsumerOptions,
    private readonly handler: ChunkHandler,
  ) {
    this.consumer = kafka.consumer({
      groupId: opts.groupId,
      maxWaitTimeInMs: opts.maxWaitMs,
      maxBytesPerPartition: Math.floor(opts.fetchMaxBytes / 2),
      maxBytes: opts.fetchMaxBytes,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
    });
    if (handler.rejoined) this.consumer.on(this.consumer.events.GROUP_JOIN, () => handler.rejoined!());
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  async ensureTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ waitForLeaders: true, topics: this.opts.ensureTopics });
    } finally {
      await admin.disconnect();
    }
  }

  async start(): Promise<void> {
    await this.ensureTopics();
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.opts.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.concurrentPartitions,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    for (const chunk of this.handler.chunks(batch.messages)) {
      if (!isRunning() || isStale()) return;
      for (let attempt = 0; ; attempt++) {
        try {
          await withConsumeSpan(batch.topic, batch.partition, chunk, () => this.handler.apply(batch.partition, chunk, this.stopping.signal));
          break;
        } catch (err) {
          this.handler.failed(batch.partition, err, attempt);
          if (!isRunning() || this.stopping.signal.aborted) throw err;
          await heartbeat().catch(() => undefined);
          await sleep(Math.min(this.opts.maxBackoffMs, 100 * 2 ** attempt));
        }
      }
      const last = chunk[chunk.length - 1]!;
      const next = (BigInt(last.offset) + 1n).toString();
      resolveOffset(last.offset);
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
      this.handler.committed(batch.partition, chunk, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(next))));
      await heartbeat();
    }
  }
}

/** What a consumer publishes for a message it cannot apply: where it was, what it was, and why. */
export function deadLetterOf<S extends string>(
  schema: S,
  topic: string,
  partition: number,
  message: KafkaMessage,
  reason: string,
  field?: string,
): { schema: S; reason: string; field?: string; topic: string; partition: number; offset: string; key: string | null; value: string; failedAt: string } {
  return {
    schema,
    reason,
    ...(field !== undefined ? { field } : {}),
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value: message.value?.toString('utf8') ?? '',
    failedAt: new Date().toISOString(),
  };
}
