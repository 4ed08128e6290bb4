import type { Kafka, Producer, ProducerConfig, ProducerRecord, RecordMetadata } from 'kafkajs';

/**
 * An idempotent kafkajs producer that is replaced by a new one after a failed send.
 *
 * The broker deduplicates an idempotent producer's batches by (producer id, partition sequence), and kafkajs
 * advances a partition's sequence only when a send succeeds. When a send reached the broker but its answer
 * was lost (a broker stopping under it), the batch is written yet reported failed, and the NEXT batch goes
 * out with the same sequence: the broker takes it for a retry of the written one and acknowledges it
 * without writing it. Acknowledged, and lost (the fault suite saw exactly this: one batch reported failed
 * but counted, the next acknowledged but missing). A new producer gets a new producer id, so no batch is
 * ever deduplicated against one whose outcome is unknown; the failed batch stays "not acknowledged" to the
 * caller, who may send it again (at least once).
 */
export class RenewingProducer {
  private producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(
    private readonly kafka: Pick<Kafka, 'producer'>,
    private readonly config: ProducerConfig,
  ) {
    this.producer = kafka.producer(config);
  }

  connect(): Promise<void> {
    const producer = this.producer;
    this.connected ??= producer.connect().catch((err: unknown) => {
      this.renew(producer);
      throw err;
    });
    return this.connected;
  }

  async send(record: ProducerRecord): Promise<RecordMetadata[]> {
    await this.connect();
    const producer = this.producer;
    try {
      return await producer.send(record);
    } catch (err) {
      this.renew(producer);
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    this.connected = undefined;
    await this.producer.disconnect();
  }

  private renew(failed: Producer): void {
    if (this.producer !== failed) return;
    this.producer = this.kafka.producer(this.config);
    this.connected = undefined;
    void failed.disconnect().catch(() => undefined);
  }
}
