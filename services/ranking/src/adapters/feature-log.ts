/**
 * Sends the scored feature vectors to Kafka (`topicNames(ns).featureLog`) off the request path: a request
 * only appends to a bounded buffer; a loop sends what accumulated every `flushMs`. When Kafka is slow or
 * down the buffer keeps the newest `maxBuffered` events and counts the dropped ones: the log is for
 * training, and ranking must not wait for it.
 */
import type { Producer } from 'kafkajs';
import type { FeatureLogEvent } from '@search-mesh/contracts';

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
    this.sending = this.producer
      .send({ topic: this.topic, messages: events.map((e) => ({ key: e.requestId, value: JSON.stringify(e) })) })
      .then(
        () => this.options.count('sent', events.length),
        (err: unknown) => {
          this.options.count('failed', events.length);
          this.options.warn(err);
        },
      );
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
