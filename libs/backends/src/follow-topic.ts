import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export interface TopicFollower {
  /** Resolves once every partition has been read up to the end it had when following began. */
  caughtUp: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads a whole (small) topic from the beginning and then follows it, in a consumer group of its own, so
 * that every instance of a service sees every message: how configuration changes reach every replica.
 * With `fromBeginning: false` it follows only what arrives from now on (a stream of notices, not a state
 * to rebuild: caught up at once). `onMessage` runs once per message in partition order; it should not
 * throw (log and skip instead).
 */
export async function followTopic(
  kafka: Kafka,
  topic: string,
  groupPrefix: string,
  onMessage: (message: KafkaMessage, partition: number) => Promise<void> | void,
  options: { fromBeginning?: boolean } = {},
): Promise<TopicFollower> {
  const fromBeginning = options.fromBeginning ?? true;
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    // Created when missing (a race with another creator is harmless: false, not an error).
    if (!(await admin.listTopics()).includes(topic)) await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }).catch(() => false);
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  // A fetch returns as soon as a message arrives; the short wait only bounds an idle poll.
  const consumer = kafka.consumer({ groupId: `${groupPrefix}.${randomUUID()}`, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning });
  let markCaughtUp: () => void = () => undefined;
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
  const remaining = new Map(fromBeginning ? [...ends].filter(([, end]) => end > 0n) : []);
  if (remaining.size === 0) markCaughtUp();
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      await onMessage(message, partition);
      if ((remaining.get(partition) ?? 0n) <= BigInt(message.offset) + 1n) remaining.delete(partition);
      if (remaining.size === 0) markCaughtUp();
    },
  });
  return { caughtUp, stop: () => consumer.disconnect() };
}
