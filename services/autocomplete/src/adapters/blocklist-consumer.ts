/**
 * Follows the config-changes topic for `suggest_blocklist.changed`, the merchandisers' suggestion blocklist
 * the facet service publishes (its console and admin API). Like query understanding's rules consumer: every
 * replica reads the whole topic with a group of its own, from the beginning, so the newest list is in force
 * before the service turns ready, and every change reaches every replica at once. Events of other types are
 * skipped; invalid ones are logged, counted and skipped.
 */
import type { Kafka } from 'kafkajs';
import { followTopic, type TopicFollower } from '@search-mesh/backends';
import { SUGGEST_BLOCKLIST_CHANGED, SuggestBlocklistChanged, sharedTopicDecoder, topicNames } from '@search-mesh/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { AutocompleteMetrics } from './metrics';

const decodeEvent = sharedTopicDecoder<SuggestBlocklistChanged>(SUGGEST_BLOCKLIST_CHANGED, SuggestBlocklistChanged);

/** Decodes one message: the list to apply, null for another event type, or why it is invalid. */
export function decodeBlocklistChange(value: Buffer | null): { version: number; terms: string[] } | null | { error: string } {
  const event = decodeEvent(value);
  return event === null || 'error' in event ? event : { version: event.version, terms: event.terms };
}

/**
 * `apply` takes a list and says whether it was newer than the one held (an older or repeated announcement
 * changes nothing). `caughtUp` resolves once the topic is read up to the end it had at start.
 */
export function startBlocklistConsumer(
  kafka: Kafka,
  namespace: string,
  apply: (version: number, terms: readonly string[]) => boolean,
  metrics: AutocompleteMetrics,
  log: FastifyBaseLogger,
): Promise<TopicFollower> {
  const topic = topicNames(namespace).configChanges;
  return followTopic(kafka, topic, `${namespace}.autocomplete.blocklist`, (message, partition) => {
    const decoded = decodeBlocklistChange(message.value);
    if (decoded === null) return;
    if ('error' in decoded) {
      metrics.blocklistUpdates.inc({ outcome: 'rejected' });
      log.warn({ topic, partition, offset: message.offset, reason: decoded.error }, 'skipping invalid blocklist event');
      return;
    }
    const applied = apply(decoded.version, decoded.terms);
    metrics.blocklistUpdates.inc({ outcome: applied ? 'applied' : 'stale' });
    if (applied) log.info({ version: decoded.version, terms: decoded.terms.length, offset: message.offset }, 'suggestion blocklist replaced from kafka');
  });
}
