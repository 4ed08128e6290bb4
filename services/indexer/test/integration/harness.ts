import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { Kafka } from 'kafkajs';
import { backendSettings, deleteTopicsIfPresent, createKafka, createSearchClient } from '@search-mesh/backends';
import { type CatalogEvent, indexNames, type Product, topicNames } from '@search-mesh/contracts';
import { loadConfig } from '@search-mesh/service-kit';
import { sampleProduct } from '../../../../libs/search-index/test/fixtures';
import { CatalogPublisher } from '../../src/adapters/catalog-publisher';

/** A namespace of its own per test file, so topics, groups and indices never collide between runs. */
export function testNamespace(): string {
  return `it_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

export function backends(namespace: string): { es: Client; kafka: Kafka } {
  const config = loadConfig('test', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: namespace });
  return { es: createSearchClient(config), kafka: createKafka(config, 'indexer-test') };
}

export { waitFor } from '@search-mesh/testing';

const occurredAt = '2026-01-01T00:00:00.000Z';
export const events = {
  upsert: (product: Product, version: number): CatalogEvent => ({ schema: 'catalog.v1', type: 'product.upserted', productId: product.id, version, occurredAt, product }),
  price: (productId: string, version: number, price: number): CatalogEvent => ({ schema: 'catalog.v1', type: 'product.price_changed', productId, version, occurredAt, price }),
  stock: (productId: string, version: number, stock: number): CatalogEvent => ({ schema: 'catalog.v1', type: 'product.stock_changed', productId, version, occurredAt, stock }),
  delete: (productId: string, version: number): CatalogEvent => ({ schema: 'catalog.v1', type: 'product.deleted', productId, version, occurredAt }),
};

export function products(count: number, prefix = 'p'): Product[] {
  return Array.from({ length: count }, (_, i) => sampleProduct({ id: `${prefix}${String(i).padStart(7, '0')}`, title: `Product ${i} QLED TV`, price: 100 + i }));
}

export async function publisher(kafka: Kafka, namespace: string): Promise<CatalogPublisher> {
  const p = new CatalogPublisher(kafka, namespace);
  await p.connect();
  return p;
}

export async function documentCount(es: Client, namespace: string): Promise<number> {
  const alias = indexNames(namespace).productsAlias;
  await es.indices.refresh({ index: alias });
  return (await es.count({ index: alias })).count;
}

/** Deletes everything a test namespace created. */
export async function cleanUp(es: Client, kafka: Kafka, namespace: string): Promise<void> {
  await es.indices.delete({ index: `${indexNames(namespace).productsIndexPrefix}*`, ignore_unavailable: true, allow_no_indices: true });
  await es.indices.deleteIndexTemplate({ name: indexNames(namespace).productsTemplate }).catch(() => undefined);
  await deleteTopicsIfPresent(kafka, Object.values(topicNames(namespace)));
  await es.close();
}
