import { type IHeaders, Kafka, type KafkaMessage, logLevel, type LogEntry, type Message, type Producer, type ProducerBatch, type ProducerRecord } from 'kafkajs';
import { type Link, otelContext, propagation, ROOT_CONTEXT_FOR_REQUESTS, type Span, SpanKind, trace, tracer, tracingRecording, withSpan } from '@search-mesh/service-kit';
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

/** A kafkajs client whose logs go to the service's logger and whose producers are traced. */
export function createKafka(
  config: Pick<BackendConfig, 'kafkaBrokers'>,
  clientId: string,
  logger?: KafkaLogSink,
  options: { retries?: number } = {},
): Kafka {
  const kafka = new Kafka({
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
  const producer = kafka.producer.bind(kafka);
  kafka.producer = (...args: Parameters<Kafka['producer']>) => tracedProducer(producer(...args));
  return kafka;
}

/** Writes the active trace context into each message's headers (W3C `traceparent`), keeping its own headers. */
function withTraceHeaders(messages: Message[]): Message[] {
  const carrier: Record<string, string> = {};
  propagation.inject(otelContext.active(), carrier);
  if (carrier.traceparent === undefined) return messages;
  return messages.map((m) => ({ ...m, headers: { ...(m.headers as IHeaders | undefined), ...carrier } }));
}

/**
 * `send` and `sendBatch` in a PRODUCER span (when recording) whose context every message carries, so a
 * consumer can link what it applies to the request that produced it.
 */
function tracedProducer(producer: Producer): Producer {
  const send = producer.send.bind(producer);
  const sendBatch = producer.sendBatch.bind(producer);
  producer.send = (record: ProducerRecord) => {
    if (!tracingRecording()) return send({ ...record, messages: withTraceHeaders(record.messages) });
    return withSpan(`kafka send ${record.topic}`, SpanKind.PRODUCER, { 'messaging.system': 'kafka', 'messaging.destination.name': record.topic, 'messaging.batch.message_count': record.messages.length }, () =>
      send({ ...record, messages: withTraceHeaders(record.messages) }),
    );
  };
  producer.sendBatch = (batch: ProducerBatch) => {
    const traceAll = () => sendBatch({ ...batch, topicMessages: batch.topicMessages?.map((t) => ({ ...t, messages: withTraceHeaders(t.messages) })) });
    if (!tracingRecording()) return traceAll();
    const topics = batch.topicMessages?.map((t) => t.topic).join(', ') ?? '';
    return withSpan(`kafka send ${topics}`, SpanKind.PRODUCER, { 'messaging.system': 'kafka', 'messaging.destination.name': topics }, traceAll);
  };
  return producer;
}

const MAX_LINKS = 32;

/**
 * Runs `work` (applying consumed messages) in a CONSUMER span linked to the spans that produced them (a batch
 * has many parents, so links, not a parent); not recording, it just runs `work`.
 */
export async function withConsumeSpan<T>(topic: string, partition: number, messages: readonly KafkaMessage[], work: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!tracingRecording()) return work(undefined);
  const links: Link[] = [];
  for (const message of messages) {
    if (links.length >= MAX_LINKS) break;
    const header = message.headers?.traceparent;
    if (header === undefined) continue;
    const producedIn = trace.getSpanContext(propagation.extract(ROOT_CONTEXT_FOR_REQUESTS, { traceparent: header.toString() }));
    if (producedIn !== undefined) links.push({ context: producedIn });
  }
  const span = tracer.startSpan(`kafka process ${topic}`, {
    kind: SpanKind.CONSUMER,
    links,
    attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.destination.partition.id': String(partition), 'messaging.batch.message_count': messages.length },
  }, ROOT_CONTEXT_FOR_REQUESTS);
  try {
    return await otelContext.with(trace.setSpan(ROOT_CONTEXT_FOR_REQUESTS, span), () => work(span));
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: 2 });
    throw err;
  } finally {
    span.end();
  }
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
