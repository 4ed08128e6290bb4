import { randomUUID } from 'node:crypto';
import { topicNames } from '@search-mesh/contracts';
import { loadConfig } from '@search-mesh/service-kit';
import { waitFor } from '@search-mesh/testing';
import { backendSettings, createKafka, deleteTopicsIfPresent, followTopic } from '../../src';

const config = loadConfig('test', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: `it_${randomUUID().slice(0, 8)}` });
const kafka = createKafka(config, 'follow-topic-test');
const topic = topicNames(config.namespace).configChanges;

afterAll(async () => {
  await deleteTopicsIfPresent(kafka, [topic]);
});

describe('followTopic', () => {
  it('gives every follower the whole topic, says when it caught up, then follows new messages', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const followers: Array<Awaited<ReturnType<typeof followTopic>>> = [];
    try {
      // Creates the missing topic, and is caught up at once on an empty one.
      const empty = await followTopic(kafka, topic, 'it.follow', () => undefined);
      followers.push(empty);
      await empty.caughtUp;
      await producer.send({ topic, messages: [{ value: 'one' }, { value: 'two' }] });
      const seen: string[][] = [[], []];
      let caughtUpAt = -1;
      for (const list of seen) {
        const follower = await followTopic(kafka, topic, 'it.follow', (m) => void list.push(m.value!.toString()));
        followers.push(follower);
        void follower.caughtUp.then(() => (caughtUpAt = list.length));
      }
      await waitFor('both followers read the backlog', async () => (seen.every((l) => l.length === 2) ? true : undefined), 20_000);
      await waitFor('caught up', async () => (caughtUpAt >= 0 ? true : undefined));
      expect(caughtUpAt).toBe(2);
      await producer.send({ topic, messages: [{ value: 'three' }] });
      await waitFor('both followers read the new message', async () => (seen.every((l) => l.length === 3) ? true : undefined), 10_000);
      expect(seen).toEqual([['one', 'two', 'three'], ['one', 'two', 'three']]);
    } finally {
      await Promise.all(followers.map((f) => f.stop()));
      await producer.disconnect();
    }
  });
});
