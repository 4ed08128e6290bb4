import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { Client } from 'cassandra-driver';
import type { Kafka } from 'kafkajs';
import { backendSettings, deleteTopicsIfPresent, createCassandraClient, createKafka } from '@search-mesh/backends';
import { type BehaviourEvent, topicNames } from '@search-mesh/contracts';
import { dropFeatureSchema, FeatureStoreReader } from '@search-mesh/feature-store';
import { loadConfig } from '@search-mesh/service-kit';
import { freePort, runTs, waitFor as waitForProbe, waitForHttp } from '@search-mesh/testing';
import { BehaviourPublisher } from '../../src/adapters/behaviour-publisher';
import { TrafficSimulator, type SimProduct, type SimQuery } from '../../src/domain/simulator';

export function testNamespace(): string {
  return `it_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

export function backends(namespace: string, contactPoints?: string[]): { cassandra: Client; kafka: Kafka } {
  const config = loadConfig('test', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: namespace });
  return {
    cassandra: createCassandraClient({ ...config, cassandraContactPoints: contactPoints ?? config.cassandraContactPoints }, { reconnectDelayMs: 200 }),
    kafka: createKafka(config, 'feature-pipeline-test'),
  };
}

/** Polls until the probe answers; 60 s by default (the pipeline starts as a process). */
export function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  return waitForProbe(what, probe, timeoutMs, 200);
}

export async function startPipeline(namespace: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const proc = runTs('services/feature-pipeline/src/server.ts', {
    SEARCH_MESH_NAMESPACE: namespace,
    SEARCH_MESH_FEATURE_PIPELINE_PORT: String(port),
    SEARCH_MESH_FEATURE_PIPELINE_LOG_LEVEL: 'warn',
    ...env,
  });
  await waitForHttp(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 60_000 });
  return { proc, metricsUrl: `http://127.0.0.1:${port}/metrics` };
}

/** A value of a Prometheus metric (summing every series whose labels include `labels`). */
export async function metric(url: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(url)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    if (labels && !line.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Small simulated traffic over a small synthetic catalog, timestamps ending now. */
export function traffic(count: number, seed: number): BehaviourEvent[] {
  const products: SimProduct[] = Array.from({ length: 300 }, (_, i) => ({
    id: `p${i}`,
    categoryPath: [`Cat ${i % 3}`, `Sub ${i % 3}`],
    popularity: ((i * 37) % 100) / 100,
    price: 10 + i,
  }));
  const queries: SimQuery[] = [0, 1, 2].map((c) => ({ query: `query ${c}`, popularity: 3 - c, categories: [`Cat ${c} > Sub ${c}`] }));
  const gap = 20;
  return new TrafficSimulator({ products, queries, seed, meanGapMs: gap, startAt: Date.now() - count * gap * 1.5 }).batch(count);
}

/** What the events should add up to, counted directly from them: per product, [impressions, clicks, carts, purchases]. */
export function expectedCounts(events: readonly BehaviourEvent[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const add = (id: string, i: number) => {
    let c = out.get(id);
    if (!c) out.set(id, (c = [0, 0, 0, 0]));
    c[i]!++;
  };
  for (const e of events) {
    if (e.type === 'search.impression') for (const id of new Set(e.products.map((p) => p.productId))) add(id, 0);
    else if (e.type === 'product.clicked') add(e.productId, 1);
    else if (e.type === 'cart.added') add(e.productId, 2);
    else if (e.type === 'order.purchased') add(e.productId, 3);
  }
  return out;
}

/** What the store says, through the read library (no cache), in the same shape. */
export async function storedCounts(reader: FeatureStoreReader, ids: readonly string[]): Promise<Map<string, number[]>> {
  const features = await reader.productFeatures(ids, { cache: false, deadlineMs: 10_000 });
  return new Map([...features].map(([id, f]) => [id, [f.windows['7d'].impressions, f.windows['7d'].clicks, f.windows['7d'].carts, f.windows['7d'].purchases]]));
}

export async function publish(kafka: Kafka, namespace: string, events: readonly BehaviourEvent[]): Promise<number> {
  const pub = new BehaviourPublisher(kafka, namespace);
  await pub.connect();
  try {
    return await pub.publish(events, 1000);
  } finally {
    await pub.disconnect();
  }
}

export async function cleanUp(cassandra: Client, kafka: Kafka, namespace: string): Promise<void> {
  await dropFeatureSchema(cassandra, namespace).catch(() => undefined);
  await cassandra.shutdown();
  await deleteTopicsIfPresent(kafka, Object.values(topicNames(namespace)));
}

/**
 * A TCP proxy in front of Cassandra that a test can cut (close every connection and refuse new ones), turn
 * into a black hole (accept, never answer), and restore.
 */
export class CuttableProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  mode: 'open' | 'blackhole' = 'open';

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    this.mode = 'open';
    if (this.server) return;
    const server = net.createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      if (this.mode === 'blackhole') return; // hold it, answer nothing
      const upstream = net.connect(this.target.port, this.target.host);
      this.sockets.add(upstream);
      upstream.on('close', () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', () => resolve()));
    this.server = server;
  }

  /** Closes every connection and the listener: connecting is refused until `open()`. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Keeps listening but silently swallows every connection (a hung node): only deadlines help. */
  async blackhole(): Promise<void> {
    await this.cut();
    await this.open();
    this.mode = 'blackhole';
  }
}
