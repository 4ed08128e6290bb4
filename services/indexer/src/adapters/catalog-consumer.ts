import type { Kafka, KafkaMessage } from 'kafkajs';
import { ChunkConsumer, deadLetterOf } from '@search-mesh/backends';
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

/**
 * The catalog topic's consumer group (on `ChunkConsumer`: commit after apply, retry with backoff). Per
 * chunk: validate, fold to one write per product, write with external versions, dead-letter what cannot
 * apply, and only then commit the chunk's offsets. A failure retries the same chunk (writes are
 * idempotent), so an acknowledged event is never skipped.
 */
export class CatalogConsumer {
  private readonly kafkaConsumer: ChunkConsumer;
  private readonly topics: ReturnType<typeof topicNames>;
  private signal: AbortSignal = new AbortController().signal;

  constructor(
    kafka: Kafka,
    private readonly writer: IndexWriter,
    private readonly metrics: IndexerMetrics,
    private readonly log: FastifyBaseLogger,
    opts: CatalogConsumerOptions,
  ) {
    this.topics = topicNames(opts.namespace);
    this.kafkaConsumer = new ChunkConsumer(
      kafka,
      {
        groupId: `${opts.namespace}.${opts.groupId}`,
        topic: this.topics.catalog,
        ensureTopics: [
          { topic: this.topics.catalog, numPartitions: opts.partitions },
          { topic: this.topics.catalogDeadLetter, numPartitions: 1 },
        ],
        maxWaitMs: opts.batchMaxWaitMs,
        fetchMaxBytes: opts.fetchMaxBytes,
        concurrentPartitions: opts.concurrentPartitions,
        maxBackoffMs: 5000,
      },
      {
        chunks: (messages) => chunks(messages, opts.batchMaxEvents, opts.batchMaxBytes),
        apply: (partition, chunk, signal) => {
          this.signal = signal;
          return this.apply(chunk.map((message) => ({ message, partition })));
        },
        failed: (partition, err, attempt) => {
          this.metrics.failures.inc({ stage: 'apply' });
          this.log.warn({ err, attempt, partition }, 'batch failed, retrying');
        },
        committed: (partition, chunk, lag) => {
          this.metrics.lag.set({ partition: String(partition) }, lag);
          const now = Date.now();
          for (const m of chunk) this.metrics.eventAge.observe((now - Number(m.timestamp)) / 1000);
        },
      },
    );
  }

  /** Creates the catalog and dead-letter topics if missing. */
  ensureTopics(): Promise<void> {
    return this.kafkaConsumer.ensureTopics();
  }

  start(): Promise<void> {
    return this.kafkaConsumer.start();
  }

  stop(): Promise<void> {
    return this.kafkaConsumer.stop();
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

    const outcome = await this.writer.write(plan.writes, this.signal);
    if (outcome.refused.length > 0) {
      const newest = new Map<string, CatalogEvent>();
      for (const e of events) if ((newest.get(e.productId)?.version ?? 0) < e.version) newest.set(e.productId, e);
      for (const { write, reason } of outcome.refused) dead.push(this.deadLetter(sourceOf.get(newest.get(write.id)!)!, `refused by Elasticsearch: ${reason}`));
    }

    if (dead.length > 0) {
      await this.kafkaConsumer.producer.send({
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
    return deadLetterOf('catalog.dead-letter.v1', this.topics.catalog, r.partition, r.message, reason, field);
  }
}
