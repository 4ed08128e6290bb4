import type { Kafka, Producer } from 'kafkajs';
import { followTopic, type TopicFollower } from '@search-mesh/backends';
import {
  CONFIG_CHANGES_SCHEMA,
  type ConfigDocument,
  MERCHANDISING_CHANGED,
  MerchandisingChanged,
  sharedTopicDecoder,
  QUERY_RULES_CHANGED,
  type QueryRule,
  type QueryRulesChanged,
  SUGGEST_BLOCKLIST_CHANGED,
  type SuggestBlocklist,
  type SuggestBlocklistChanged,
  topicNames,
} from '@search-mesh/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { ConfigState } from '../domain/state';

// Compiled once: every instance checks every event of the topic, the whole topic at start.
const decodeEvent = sharedTopicDecoder<MerchandisingChanged>(MERCHANDISING_CHANGED, MerchandisingChanged);

/** Decodes one config-changes message: the document, null for another event type, or why it is invalid. */
export function decodeChange(value: Buffer | null): { document: ConfigDocument; occurredAt: string } | null | { error: string } {
  const event = decodeEvent(value);
  return event === null || 'error' in event ? event : { document: event.document, occurredAt: event.occurredAt };
}

/**
 * Announces accepted changes on the config-changes topic: `merchandising.changed` for every document
 * (every facet instance applies it), for query rules also the whole rule set as `query_rules.changed`, the
 * event query understanding already follows, and for the suggestion blocklist `suggest_blocklist.changed`,
 * the event autocomplete follows (so neither needs to know the facet service's documents).
 */
export class ChangePublisher {
  private readonly topic: string;

  constructor(
    private readonly producer: Producer,
    namespace: string,
  ) {
    this.topic = topicNames(namespace).configChanges;
  }

  async document(document: ConfigDocument): Promise<void> {
    const event: MerchandisingChanged = { schema: CONFIG_CHANGES_SCHEMA, type: MERCHANDISING_CHANGED, occurredAt: new Date().toISOString(), document };
    await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key: `${document.kind}:${document.id}`, value: JSON.stringify(event) }] });
  }

  /** `version` must grow with every change of the set (the sum of the rules' document versions does). */
  async queryRules(rules: QueryRule[], version: string): Promise<void> {
    const event: QueryRulesChanged = { schema: CONFIG_CHANGES_SCHEMA, type: QUERY_RULES_CHANGED, occurredAt: new Date().toISOString(), ruleSet: { version, rules } };
    await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key: 'query_rules', value: JSON.stringify(event) }] });
  }

  /** The blocklist document as autocomplete takes it: its version, and no terms once deleted. */
  async suggestBlocklist(document: ConfigDocument): Promise<void> {
    const terms = document.body === null ? [] : (document.body as SuggestBlocklist).terms;
    const event: SuggestBlocklistChanged = { schema: CONFIG_CHANGES_SCHEMA, type: SUGGEST_BLOCKLIST_CHANGED, occurredAt: new Date().toISOString(), version: document.version, terms };
    await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key: 'suggest_blocklist', value: JSON.stringify(event) }] });
  }
}

/** Applies every `merchandising.changed` on the topic to this instance's state; `onApplied` hears each newer document. */
export function followChanges(
  kafka: Kafka,
  namespace: string,
  state: ConfigState,
  log: FastifyBaseLogger,
  onApplied: (doc: ConfigDocument, occurredAt: string) => void,
): Promise<TopicFollower> {
  const topic = topicNames(namespace).configChanges;
  return followTopic(kafka, topic, `${namespace}.facet.config`, (message, partition) => {
    const decoded = decodeChange(message.value);
    if (decoded === null) return;
    if ('error' in decoded) {
      log.warn({ topic, partition, offset: message.offset, reason: decoded.error }, 'skipping invalid merchandising event');
      return;
    }
    if (!state.apply(decoded.document)) return;
    log.info({ kind: decoded.document.kind, id: decoded.document.id, version: decoded.document.version }, 'configuration applied from kafka');
    onApplied(decoded.document, decoded.occurredAt);
  });
}
