import type { Kafka, Producer, ProducerRecord } from 'kafkajs';
import { RenewingProducer } from '../../src/renewing-producer';

/** A stand-in for kafkajs producers: each records its sends and fails those the test asks it to. */
function fakeKafka(failures: Set<number>) {
  const made: Array<{ sent: number; connected: boolean; disconnected: boolean }> = [];
  let sends = 0;
  const kafka = {
    producer: () => {
      const state = { sent: 0, connected: false, disconnected: false };
      made.push(state);
      return {
        connect: async () => void (state.connected = true),
        disconnect: async () => void (state.disconnected = true),
        send: async (_record: ProducerRecord) => {
          if (failures.has(sends++)) throw new Error('request timed out (the broker may have written it)');
          state.sent++;
          return [];
        },
      } as unknown as Producer;
    },
  } as Pick<Kafka, 'producer'>;
  return { kafka, made };
}

const record: ProducerRecord = { topic: 't', acks: -1, messages: [{ value: 'x' }] };

describe('RenewingProducer', () => {
  it('keeps one producer while sends succeed', async () => {
    const { kafka, made } = fakeKafka(new Set());
    const producer = new RenewingProducer(kafka, { idempotent: true });
    for (let i = 0; i < 5; i++) await producer.send(record);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ sent: 5, connected: true });
  });

  it('sends the batch after a failed one through a new producer (a new producer id), and drops the old', async () => {
    const { kafka, made } = fakeKafka(new Set([2]));
    const producer = new RenewingProducer(kafka, { idempotent: true });
    await producer.send(record);
    await producer.send(record);
    await expect(producer.send(record)).rejects.toThrow('timed out');
    await producer.send(record);
    await producer.send(record);
    expect(made).toHaveLength(2);
    expect(made[0]).toMatchObject({ sent: 2, disconnected: true });
    expect(made[1]).toMatchObject({ sent: 2, connected: true, disconnected: false });
    await producer.disconnect();
    expect(made[1]!.disconnected).toBe(true);
  });
});
