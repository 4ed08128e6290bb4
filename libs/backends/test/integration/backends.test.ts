import { randomUUID } from 'node:crypto';
import { freePort } from '@search-mesh/testing';
import { keyspaceNames, topicNames } from '@search-mesh/contracts';
import { loadConfig } from '@search-mesh/service-kit';
import {
  backendSettings,
  cassandraReady,
  createCassandraClient,
  createKafka,
  createSearchClient,
  kafkaReady,
  searchReady,
} from '../../src';

// The real servers scripts/test.sh started; a fresh namespace per run so runs never collide.
const config = loadConfig('test', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: `it_${randomUUID().slice(0, 8)}` });

describe('Elasticsearch', () => {
  const client = createSearchClient(config);
  const index = `${config.namespace}_roundtrip`;
  afterAll(async () => {
    await client.indices.delete({ index, ignore_unavailable: true });
    await client.close();
  });

  it('writes a document and reads it back, by id and by search', async () => {
    await searchReady(client);
    await client.index({ index, id: 'p1', document: { title: 'Samsung 65" QLED TV', price: 999.99 }, refresh: 'wait_for' });
    expect((await client.get({ index, id: 'p1' }))._source).toEqual({ title: 'Samsung 65" QLED TV', price: 999.99 });
    const found = await client.search({ index, query: { match: { title: 'qled' } } });
    expect(found.hits.hits.map((h) => h._id)).toEqual(['p1']);
  });

  it('is not ready when nothing answers', async () => {
    const dead = createSearchClient({ ...config, esUrl: `http://127.0.0.1:${await freePort()}` });
    await expect(searchReady(dead)).rejects.toThrow();
    await dead.close();
  });
});

describe('Kafka', () => {
  const kafka = createKafka(config, 'backends-test');
  const topic = `${topicNames(config.namespace).catalog}.roundtrip`;

  it('produces keyed messages and consumes them back in order through a consumer group', async () => {
    await kafkaReady(kafka);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const sent = Array.from({ length: 5 }, (_, i) => ({ key: `p${i}`, value: JSON.stringify({ n: i }) }));
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `${config.namespace}.roundtrip` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: Array<{ key: string; value: string }> = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${received.length} of 5 messages arrived`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: message.key!.toString(), value: message.value!.toString() });
          if (received.length === sent.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect(received).toEqual(sent);
  });

  it('is not ready when nothing answers', async () => {
    const dead = createKafka({ kafkaBrokers: [`127.0.0.1:${await freePort()}`] }, 'dead', undefined, { retries: 0 });
    await expect(kafkaReady(dead)).rejects.toThrow();
  });
});

describe('Cassandra', () => {
  const client = createCassandraClient(config);
  const keyspace = keyspaceNames(config.namespace).features;
  afterAll(async () => {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await client.shutdown();
  });

  it('writes rows and reads them back from one partition', async () => {
    await cassandraReady(client);
    await client.execute(`CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
    await client.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.product_counts (product_id text, window text, clicks bigint, PRIMARY KEY (product_id, window))`);
    const insert = `INSERT INTO ${keyspace}.product_counts (product_id, window, clicks) VALUES (?, ?, ?)`;
    await client.execute(insert, ['p1', '1h', 3], { prepare: true });
    await client.execute(insert, ['p1', '24h', 40], { prepare: true });
    const rows = await client.execute(`SELECT window, clicks FROM ${keyspace}.product_counts WHERE product_id = ?`, ['p1'], { prepare: true });
    expect(rows.rows.map((r) => [r.window, Number(r.clicks)])).toEqual([
      ['1h', 3],
      ['24h', 40],
    ]);
  });

  it('is not ready when nothing answers', async () => {
    const dead = createCassandraClient({ ...config, cassandraContactPoints: [`127.0.0.1:${await freePort()}`] });
    await expect(cassandraReady(dead)).rejects.toThrow();
    await dead.shutdown();
  });
});
