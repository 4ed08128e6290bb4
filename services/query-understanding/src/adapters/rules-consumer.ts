/**
 * Follows the config-changes topic and swaps in every `query_rules.changed` rule set (the merchandising
 * service publishes them, issue 9). Every instance reads the whole topic with its own group id, so every
 * replica applies every change; on start it reads from the beginning, so the newest set wins before the
 * service turns ready. Events of other types are skipped; invalid ones are logged and skipped.
 */
import type { Kafka } from 'kafkajs';
import { followTopic, type TopicFollower } from '@search-mesh/backends';
import { QUERY_RULES_CHANGED, QueryRulesChanged, sharedTopicDecoder, topicNames } from '@search-mesh/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { QuMetrics } from './metrics';
import type { RuleStore } from '../domain/rule-store';

/** `caughtUp` resolves once the topic is read up to the end it had at start. */
export type RulesConsumer = TopicFollower;

const decodeEvent = sharedTopicDecoder<QueryRulesChanged>(QUERY_RULES_CHANGED, QueryRulesChanged);

/** Decodes one message: the rule set to apply, null for another event type, or an error message. */
export function decodeRulesChange(value: Buffer | null): { ruleSet: QueryRulesChanged['ruleSet'] } | null | { error: string } {
  const event = decodeEvent(value);
  return event === null || 'error' in event ? event : { ruleSet: event.ruleSet };
}

export async function startRulesConsumer(kafka: Kafka, namespace: string, rules: RuleStore, metrics: QuMetrics, log: FastifyBaseLogger): Promise<RulesConsumer> {
  const topic = topicNames(namespace).configChanges;
  return followTopic(kafka, topic, `${namespace}.query-understanding.rules`, (message, partition) => {
    const decoded = decodeRulesChange(message.value);
    if (decoded !== null && 'error' in decoded) {
      metrics.ruleReloads.inc({ source: 'kafka', outcome: 'rejected' });
      log.warn({ topic, partition, offset: message.offset, reason: decoded.error }, 'skipping invalid rules event');
    } else if (decoded !== null) {
      try {
        const compiled = rules.replace(decoded.ruleSet);
        metrics.ruleReloads.inc({ source: 'kafka', outcome: 'applied' });
        log.info({ version: compiled.version, rules: compiled.ruleCount, offset: message.offset }, 'rule set replaced from kafka');
      } catch (err) {
        metrics.ruleReloads.inc({ source: 'kafka', outcome: 'rejected' });
        log.warn({ offset: message.offset, reason: (err as Error).message }, 'skipping rules event that does not compile');
      }
    }
  });
}
