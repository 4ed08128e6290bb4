import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { BackendConfig } from './settings';

const LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

type LogFn = (obj: object, msg?: string) => void;
/** The part of a pino (or Fastify) logger kafkajs logs go to. */
export interface KafkaLogSink {
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
}

/** A kafkajs client whose logs go to the service's logger. */
export function createKafka(
  config: Pick<BackendConfig, 'kafkaBrokers'>,
  clientId: string,
  logger?: KafkaLogSink,
  options: { retries?: number } = {},
): Kafka {
  return new Kafka({
    clientId,
    retry: { retries: options.retries ?? 5 },
    brokers: [...config.kafkaBrokers],
    connectionTimeout: 3000,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      if (!logger) return;
      const { message, ...rest } = entry.log;
      logger[LEVEL[entry.level] ?? 'info']({ kafka: entry.namespace, ...rest }, message);
    },
  });
}

/** Ready when the cluster answers a metadata request. */
export async function kafkaReady(kafka: Kafka): Promise<void> {
  // A probe answers now or says no: no retries with backoff.
  const admin = kafka.admin({ retry: { retries: 0 } });
  await admin.connect();
  try {
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}

/** Deletes those of `topics` that exist (tests and benchmarks dropping a throw-away namespace). */
export async function deleteTopicsIfPresent(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = (await admin.listTopics()).filter((t) => topics.includes(t));
    if (existing.length > 0) await admin.deleteTopics({ topics: existing });
  } finally {
    await admin.disconnect();
  }
}

/** Creates those of `topics` that do not exist yet (idempotent; waits for partition leaders). */
export async function ensureTopics(kafka: Kafka, topics: readonly string[], numPartitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // false (not an error) when every topic exists already
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions })), waitForLeaders: true });
  } catch (err) {
    if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
  } finally {
    await admin.disconnect();
  }
}
