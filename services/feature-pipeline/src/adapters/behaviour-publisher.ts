import type { Kafka } from 'kafkajs';
import { RenewingProducer } from '@search-mesh/backends';
import { type BehaviourEvent, topicNames } from '@search-mesh/contracts';

/** Publishes behaviour events keyed by session id, as the storefront would; resolves once Kafka acknowledged them. */
export class BehaviourPublisher {
  private readonly producer: RenewingProducer;
  private readonly topic: string;

  constructor(kafka: Kafka, namespace: string) {
    // Renewed after a failed send, so a batch of unknown outcome never makes the next one a "duplicate".
    this.producer = new RenewingProducer(kafka, { idempotent: true, maxInFlightRequests: 1 });
    this.topic = topicNames(namespace).behaviour;
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Sends in batches of `batchSize`; returns how many events Kafka acknowledged. */
  async publish(events: readonly BehaviourEvent[], batchSize = 2000): Promise<number> {
    let acknowledged = 0;
    for (let i = 0; i < events.length; i += batchSize) {
      const slice = events.slice(i, i + batchSize);
      await this.producer.send({ topic: this.topic, acks: -1, messages: slice.map((e) => ({ key: e.sessionId, value: JSON.stringify(e) })) });
      acknowledged += slice.length;
    }
    return acknowledged;
  }

  /** Raw messages (tests: invalid events for the dead-letter path). */
  async publishRaw(messages: { key: string | null; value: string }[]): Promise<void> {
    await this.producer.send({ topic: this.topic, acks: -1, messages });
  }
}
