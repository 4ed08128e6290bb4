import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { FastifyBaseLogger } from 'fastify';
import { type CatalogEvent, type DeadLetter, topicNames } from '@search-mesh/contracts';
import { decodeCatalogEvent } from '../domain/decode';
import { planWrites, productsNeedingCurrentState } from '../domain/plan';
import type { IndexWriter } from './index-writer';
import type { IndexerMetrics } from './metrics';

export interface CatalogConsumerOptions {
  namespace: string;
  groupId: string;
  batchMaxEvents: number;
  batchMaxBytes: number;
  fetchMaxBytes: number;
  batchMaxWaitMs: number;
  partitions: number;
  concurrentPartitions: number;
}

interface Received {
  message: KafkaMessage;
  partition: number;
}

/** Splits a fetched batch into chunks bounded by event count and bytes. */
export function* chunks(messages: readonly KafkaMessage[], maxEvents: number, maxBytes: number): Generator<KafkaMessage[]> {
  let chunk: KafkaMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = (m.value?.length ?? 0) + (m.key?.length ?? 0);
    if (chunk.length > 0 && (chunk.length >= maxEvents || bytes + size > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The catalog topic's consumer group. Per chunk: validate, fold to one write per product, write with
 * external versions, dead-letter what cannot apply, and only then commit the chunk's offsets. A failure
 * retries the same chunk (writes are idempotent), so an acknowledged event is never skipped.
 */
export class CatalogConsumer {
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly topics: ReturnType<typeof topicNames>;
  private readonly stopping = new AbortController();

  constructor(
    private readonly kafka: Kafka,
    private readonly writer: IndexWriter,
    private readonly metrics: IndexerMetrics,
    private readonly log: FastifyBaseLogger,
    private readonly opts: CatalogConsumerOptions,
  ) {
    this.topics = topicNames(opts.namespace);
    this.consumer = kafka.consumer({
      groupId: `${opts.namespace}.${opts.groupId}`,
      maxWaitTimeInMs: opts.batchMaxWaitMs,
      maxBytesPerPartition: Math.floor(opts.fetchMaxBytes / 2),
      maxBytes: opts.fetchMaxBytes,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
    });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  /** Creates the catalog and dead-letter topics if missing. */
  async ensureTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          { topic: this.topics.catalog, numPartitions: this.opts.partitions },
          { topic: this.topics.catalogDeadLetter, numPartitions: 1 },
        ],
      });
    } finally {
      await admin.disconnect();
    }
  }

  async start(): Promise<void> {
    await this.ensureTopics();
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topics.catalog, fromBeginning: true });
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
    for (const chunk of chunks(batch.messages, this.opts.batchMaxEvents, this.opts.batchMaxBytes)) {
      if (!isRunning() || isStale()) return;
      const received = chunk.map((message) => ({ message, partition: batch.partition }));
      for (let attempt = 0; ; attempt++) {
        try {
          await this.apply(received);
          break;
        } catch (err) {
          this.metrics.failures.inc({ stage: 'apply' });
          this.log.warn({ err, attempt, partition: batch.partition }, 'batch failed, retrying');
          if (!isRunning() || this.stopping.signal.aborted) throw err;
          await heartbeat();
          await sleep(Math.min(5000, 100 * 2 ** attempt));
        }
      }
      const last = chunk[chunk.length - 1]!;
      const next = (BigInt(last.offset) + 1n).toString();
      resolveOffset(last.offset);
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
      this.metrics.lag.set({ partition: String(batch.partition) }, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(next))));
      const now = Date.now();
      for (const m of chunk) this.metrics.eventAge.observe((now - Number(m.timestamp)) / 1000);
      await heartbeat();
    }
  }

  /** Applies one chunk; throws (and is retried whole) if Elasticsearch or Kafka fails. */
  private async apply(received: readonly Received[]): Promise<void> {
    const end = this.metrics.bulkDuration.startTimer();
    const dead: DeadLetter[] = [];
    const events: CatalogEvent[] = [];
    const sourceOf = new Map<CatalogEvent, Received>();
    for (const r of received) {
      const key = r.message.key?.toString('utf8') ?? null;
      const decoded = decodeCatalogEvent(key, r.message.value);
      if (decoded.ok) {
        events.push(decoded.event);
        sourceOf.set(decoded.event, r);
      } else {
        dead.push(this.deadLetter(r, decoded.reason, decoded.field));
      }
    }

    const current = await this.writer.currentState(productsNeedingCurrentState(events));
    const plan = planWrites(events, current, new Date().toISOString());
    for (const { event, reason } of plan.rejected) dead.push(this.deadLetter(sourceOf.get(event)!, reason));

    const outcome = await this.writer.write(plan.writes, this.stopping.signal);
    if (outcome.refused.length > 0) {
      const newest = new Map<string, CatalogEvent>();
      for (const e of events) if ((newest.get(e.productId)?.version ?? 0) < e.version) newest.set(e.productId, e);
      for (const { write, reason } of outcome.refused) dead.push(this.deadLetter(sourceOf.get(newest.get(write.id)!)!, `refused by Elasticsearch: ${reason}`));
    }

    if (dead.length > 0) {
      await this.producer.send({
        topic: this.topics.catalogDeadLetter,
        acks: -1,
        messages: dead.map((d) => ({ key: d.key, value: JSON.stringify(d) })),
      });
    }
    // Events folded into a newer one in this chunk count as indexed with it.
    const indexedEvents = events.length - plan.stale - plan.rejected.length - outcome.stale;
    this.metrics.events.inc({ outcome: 'indexed' }, Math.max(0, indexedEvents - outcome.refused.length));
    this.metrics.events.inc({ outcome: 'stale' }, plan.stale + outcome.stale);
    this.metrics.events.inc({ outcome: 'dead_lettered' }, dead.length);
    end();
  }

  private deadLetter(r: Received, reason: string, field?: string): DeadLetter {
    const d: DeadLetter = {
      schema: 'catalog.dead-letter.v1',
      reason,
      topic: this.topics.catalog,
      partition: r.partition,
      offset: r.message.offset,
      key: r.message.key?.toString('utf8') ?? null,
      value: r.message.value?.toString('utf8') ?? '',
      failedAt: new Date().toISOString(),
    };
    if (field !== undefined) d.field = field;
    return d;
  }
}
