import type { Kafka } from 'kafkajs';
import { RenewingProducer } from '@search-mesh/backends';
import { type CatalogEvent, topicNames } from '@search-mesh/contracts';

/**
 * Publishes catalog events to the catalog topic, keyed by product id (so one product's events stay in
 * order on one partition), idempotently and acknowledged by all in-sync replicas.
 */
export class CatalogPublisher {
  private readonly producer: RenewingProducer;
  readonly topic: string;

  constructor(kafka: Kafka, namespace: string) {
    // Renewed after a failed send, so a batch of unknown outcome never makes the next one a "duplicate".
    this.producer = new RenewingProducer(kafka, { idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    this.topic = topicNames(namespace).catalog;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  /** Sends events in batches; resolves once Kafka acknowledged every one of them. */
  async publish(events: Iterable<CatalogEvent>, batchSize = 1000): Promise<number> {
    let sent = 0;
    let batch: Array<{ key: string; value: string }> = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await this.producer.send({ topic: this.topic, acks: -1, messages: batch });
      sent += batch.length;
      batch = [];
    };
    for (const event of events) {
      batch.push({ key: event.productId, value: JSON.stringify(event) });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    return sent;
  }

  /** Sends raw messages as they are (for tests of what the indexer does with bad input). */
  async publishRaw(messages: Array<{ key: string | null; value: string }>): Promise<void> {
    await this.producer.send({ topic: this.topic, acks: -1, messages });
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}
