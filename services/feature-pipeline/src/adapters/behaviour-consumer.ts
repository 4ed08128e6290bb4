import type { Kafka, KafkaMessage } from 'kafkajs';
import { ChunkConsumer, deadLetterOf } from '@search-mesh/backends';
import type { FastifyBaseLogger } from 'fastify';
import { type BehaviourDeadLetter, topicNames } from '@search-mesh/contracts';
import type { KeyState } from '@search-mesh/feature-store';
import { applyPlan, planChunk, type Positioned } from '../domain/aggregate';
import { changesEvent } from '../domain/changes';
import { decodeBehaviourEvent } from '../domain/decode';
import { queryLogEntries } from '../domain/query-log';
import type { PipelineMetrics } from './metrics';
import type { StateStore } from './state-store';

export interface BehaviourConsumerOptions {
  namespace: string;
  groupId: string;
  chunkMaxEvents: number;
  fetchMaxBytes: number;
  maxWaitMs: number;
  partitions: number;
  concurrentPartitions: number;
  /** States kept in memory per source partition between chunks (saves reading them back). */
  cachedStates: number;
}

/**
 * The behaviour topic's consumer group (on `ChunkConsumer`: commit after apply, retry with backoff). Per
 * chunk of a partition's batch: decode (dead-letter what cannot be counted), load the states of the keys it
 * touches (memory, else Cassandra), fold the events in (an event at or below a state's offset is skipped),
 * write the changed states, publish dead letters, the chunk's query counts (query log) and the keys it changed (feature changes, for readers' caches), and only then
 * commit. A failure drops the partition's cached states and retries the chunk from Cassandra's view while
 * fetching nothing more: the partition pauses until Cassandra answers again, and no event is lost.
 */
export class BehaviourConsumer {
  private readonly kafkaConsumer: ChunkConsumer;
  private readonly topics: ReturnType<typeof topicNames>;
  /** source partition → state id → state, in least-recently-used order. */
  private readonly states = new Map<number, Map<string, KeyState>>();

  constructor(
    kafka: Kafka,
    private readonly store: StateStore,
    private readonly metrics: PipelineMetrics,
    private readonly log: FastifyBaseLogger,
    private readonly opts: BehaviourConsumerOptions,
  ) {
    this.topics = topicNames(opts.namespace);
    this.kafkaConsumer = new ChunkConsumer(
      kafka,
      {
        groupId: `${opts.namespace}.${opts.groupId}`,
        topic: this.topics.behaviour,
        ensureTopics: [
          { topic: this.topics.behaviour, numPartitions: opts.partitions },
          { topic: this.topics.behaviourDeadLetter, numPartitions: 1 },
          { topic: this.topics.queryLog, numPartitions: opts.partitions },
          { topic: this.topics.featureChanges, numPartitions: 1 },
        ],
        maxWaitMs: opts.maxWaitMs,
        fetchMaxBytes: opts.fetchMaxBytes,
        concurrentPartitions: opts.concurrentPartitions,
        maxBackoffMs: 2000,
      },
      {
        chunks: function* (messages) {
          for (let i = 0; i < messages.length; i += opts.chunkMaxEvents) yield messages.slice(i, i + opts.chunkMaxEvents);
        },
        apply: (partition, chunk) => this.apply(partition, chunk),
        failed: (partition, err, attempt) => {
          this.states.delete(partition);
          this.metrics.failures.inc({ stage: 'apply' });
          this.metrics.paused.set(1);
          this.log.warn({ err, attempt, partition }, 'chunk failed; paused, retrying');
        },
        committed: (partition, _chunk, lag) => {
          this.metrics.paused.set(0);
          this.metrics.lag.set({ partition: String(partition) }, lag);
        },
        // A new generation may have moved partitions: states another member advanced must be read again.
        rejoined: () => this.states.clear(),
      },
    );
  }

  start(): Promise<void> {
    return this.kafkaConsumer.start();
  }

  stop(): Promise<void> {
    return this.kafkaConsumer.stop();
  }

  /** Applies one chunk of one partition; throws (and is retried whole) if Cassandra or Kafka fails. */
  private async apply(partition: number, messages: readonly KafkaMessage[]): Promise<void> {
    const end = this.metrics.chunkDuration.startTimer();
    const valid: Positioned[] = [];
    const dead: BehaviourDeadLetter[] = [];
    for (const m of messages) {
      const key = m.key?.toString('utf8') ?? null;
      const decoded = decodeBehaviourEvent(key, m.value);
      if (decoded.ok) valid.push({ offset: Number(m.offset), producedAt: Number(m.timestamp), event: decoded.event });
      else dead.push(deadLetterOf('behaviour.dead-letter.v1', this.topics.behaviour, partition, m, decoded.reason, decoded.field));
    }

    const plan = planChunk(valid);
    let cached = this.states.get(partition);
    if (!cached) this.states.set(partition, (cached = new Map()));
    const missing = new Map([...plan.keys].filter(([id]) => !cached.has(id)));
    if (missing.size > 0) for (const [id, state] of await this.store.load(partition, missing)) cached.set(id, state);
    const states = new Map<string, KeyState>();
    for (const id of plan.keys.keys()) states.set(id, cached.get(id)!);

    const { changed, duplicates } = applyPlan(plan, states);
    try {
      await this.store.write(
        partition,
        [...changed].map((id) => ({ key: plan.keys.get(id)!, state: states.get(id)! })),
      );
    } catch (err) {
      // The cached states are now ahead of Cassandra: the retry must start from what Cassandra holds.
      this.states.delete(partition);
      throw err;
    }
    const queryLog = queryLogEntries(valid.map((v) => v.event));
    const changes = changesEvent([...changed].map((id) => plan.keys.get(id)!));
    const outputs = [];
    // Written first, then announced: a reader that re-reads on the announcement finds the new states.
    if (changes !== undefined) outputs.push({ topic: this.topics.featureChanges, messages: [{ value: JSON.stringify(changes) }] });
    if (dead.length > 0) outputs.push({ topic: this.topics.behaviourDeadLetter, messages: dead.map((d) => ({ key: d.key, value: JSON.stringify(d) })) });
    if (queryLog.length > 0) outputs.push({ topic: this.topics.queryLog, messages: queryLog.map((q) => ({ key: q.normalised, value: JSON.stringify(q) })) });
    // At least once: a retry after Cassandra succeeded but Kafka failed may publish these again.
    if (outputs.length > 0) await this.kafkaConsumer.producer.sendBatch({ topicMessages: outputs, acks: -1 });

    // Most recently used last; forget the oldest beyond the bound.
    for (const id of plan.keys.keys()) {
      const s = cached.get(id)!;
      cached.delete(id);
      cached.set(id, s);
    }
    for (const id of cached.keys()) {
      if (cached.size <= this.opts.cachedStates) break;
      cached.delete(id);
    }

    const noFeatures = plan.steps.filter((s) => s.slots.length === 0).length;
    this.metrics.stateWrites.inc(changed.size);
    this.metrics.events.inc({ outcome: 'counted' }, valid.length - duplicates - noFeatures);
    this.metrics.events.inc({ outcome: 'duplicate' }, duplicates);
    this.metrics.events.inc({ outcome: 'no_features' }, noFeatures);
    this.metrics.events.inc({ outcome: 'dead_lettered' }, dead.length);
    const now = Date.now();
    for (const v of valid) this.metrics.eventAge.observe((now - v.producedAt) / 1000);
    end();
  }
}
