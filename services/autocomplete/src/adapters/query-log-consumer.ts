/**
 * Follows the live query-log topic: every replica reads it with its own group from the latest offset (the
 * seed popularity covers the past), validates each event and hands the counts to the suggester in batches.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { Value } from '@sinclair/typebox/value';
import { QueryLogEvent, topicNames } from '@search-mesh/contracts';
import { ensureTopics } from '@search-mesh/backends';
import type { FastifyBaseLogger } from 'fastify';
import type { QueryObservation } from '../domain/suggester';
import type { AutocompleteMetrics } from './metrics';

export function decodeQueryLog(value: Buffer | null): QueryObservation | { error: string } {
  if (value === null) return { error: 'empty message' };
  let event: unknown;
  try {
    event = JSON.parse(value.toString('utf8'));
  } catch {
    return { error: 'not JSON' };
  }
  const problem = Value.Errors(QueryLogEvent, event).First();
  if (problem) return { error: `${problem.path || '/'}: ${problem.message}` };
  const e = event as QueryLogEvent;
  return { normalised: e.normalised, count: e.count };
}

export interface QueryLogConsumer {
  stop(): Promise<void>;
}

export async function startQueryLogConsumer(
  kafka: Kafka,
  namespace: string,
  observe: (batch: QueryObservation[]) => void,
  log: FastifyBaseLogger,
  metrics: AutocompleteMetrics,
): Promise<QueryLogConsumer> {
  const topic = topicNames(namespace).queryLog;
  await ensureTopics(kafka, [topic]);
  const consumer: Consumer = kafka.consumer({ groupId: `${namespace}.autocomplete.${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  let joined: () => void = () => undefined;
  const hasJoined = new Promise<void>((resolve) => (joined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const observations: QueryObservation[] = [];
      for (const message of batch.messages) {
        const decoded = decodeQueryLog(message.value);
        if ('error' in decoded) {
          metrics.queryLogEvents.inc({ outcome: 'invalid' });
          log.warn({ topic, partition: batch.partition, offset: message.offset, reason: decoded.error }, 'skipping invalid query-log event');
        } else {
          metrics.queryLogEvents.inc({ outcome: 'applied' });
          observations.push(decoded);
        }
      }
      if (observations.length > 0) observe(observations);
    },
  });
  await hasJoined;
  return { stop: () => consumer.disconnect() };
}
