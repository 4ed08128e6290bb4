/**
 * Sends the scored feature vectors to Kafka (`topicNames(ns).featureLog`) off the request path: a request
 * only appends to a bounded buffer; a loop sends what accumulated every `flushMs`. When Kafka is slow or
 * down the buffer keeps the newest `maxBuffered` events and counts the dropped ones: the log is for
 * training, and ranking must not wait for it.
 */
import type { Producer } from 'kafkajs';
import type { FeatureLogEvent } from '@search-mesh/contracts';

/** Bytes of message values per produce request: below Kafka's default 1 MB `message.max.bytes` per batch. */
const MAX_SEND_BYTES = 512 * 1024;

export class FeatureLog {
  private buffer: FeatureLogEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly options: { maxBuffered: number; flushMs: number; count: (outcome: 'sent' | 'dropped' | 'failed', n: number) => void; warn: (err: unknown) => void },
  ) {}

  push(event: FeatureLogEvent): void {
    this.buffer.push(event);
    if (this.buffer.length > this.options.maxBuffered) this.options.count('dropped', this.buffer.splice(0, this.buffer.length - this.options.maxBuffered).length);
    if (this.timer === undefined && this.sending === undefined) this.timer = setTimeout(() => void this.flush(), this.options.flushMs);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const events = this.buffer;
    this.buffer = [];
    if (events.length === 0) return;
    // A 200-candidate request is ~60 KB of JSON: one produce request per ~512 KB, in order.
    const chunks: Array<Array<{ key: string; value: string }>> = [[]];
    let bytes = 0;
    for (const e of events) {
      const message = { key: e.requestId, value: JSON.stringify(e) };
      if (bytes + message.value.length > MAX_SEND_BYTES && chunks[chunks.length - 1]!.length > 0) {
        chunks.push([]);
        bytes = 0;
      }
      chunks[chunks.length - 1]!.push(message);
      bytes += message.value.length;
    }
    this.sending = (async () => {
      for (const messages of chunks) {
        try {
          await this.producer.send({ topic: this.topic, messages });
          this.options.count('sent', messages.length);
        } catch (err) {
          this.options.count('failed', messages.length);
          this.options.warn(err);
        }
      }
    })();
    await this.sending;
    this.sending = undefined;
    if (this.buffer.length > 0) this.timer = setTimeout(() => void this.flush(), this.options.flushMs);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.sending;
    await this.flush();
    await this.producer.disconnect();
  }
}
