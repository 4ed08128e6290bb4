/**
 * Publishes the generated demo catalog (and optionally later changes) to the catalog topic.
 *
 *   npx tsx services/indexer/bin/publish-catalog.ts [--size 50000] [--seed 42] [--data-dir DIR] [--changes N]
 *
 * The initial catalog is published at version 1, so publishing it again is harmless (the indexer sees
 * duplicates). Changes get versions from the clock, so they are newer than anything before them.
 */
import { parseArgs } from 'node:util';
import { backendSettings, createKafka } from '@search-mesh/backends';
import { generateCatalog, loadQueries, loadTaxonomy, resolveDataDir } from '@search-mesh/catalog';
import type { CatalogEvent } from '@search-mesh/contracts';
import { loadConfig } from '@search-mesh/service-kit';
import { CatalogPublisher } from '../src/adapters/catalog-publisher';
import { catalogChanges } from '../src/domain/changes';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '50000' },
      seed: { type: 'string', default: '42' },
      'data-dir': { type: 'string' },
      changes: { type: 'string', default: '0' },
      'skip-catalog': { type: 'boolean', default: false },
    },
  });
  const size = Number(values.size);
  const changes = Number(values.changes);
  if (!Number.isInteger(size) || size < 1) throw new Error('--size must be a positive integer');
  if (!Number.isInteger(changes) || changes < 0) throw new Error('--changes must be a non-negative integer');

  const config = loadConfig('indexer', backendSettings);
  const dataDir = values['data-dir'] ?? resolveDataDir();
  const [taxonomy, queries] = [loadTaxonomy(dataDir), loadQueries(dataDir)];
  const publisher = new CatalogPublisher(createKafka(config, 'publish-catalog'), config.namespace);
  await publisher.connect();
  const started = Date.now();
  try {
    if (!values['skip-catalog']) {
      const catalog = generateCatalog({ seed: Number(values.seed), size, taxonomy, queries });
      const upserts = (function* (): Generator<CatalogEvent> {
        const occurredAt = new Date().toISOString();
        for (const product of catalog) yield { schema: 'catalog.v1', type: 'product.upserted', productId: product.id, version: 1, occurredAt, product };
      })();
      const sent = await publisher.publish(upserts);
      const seconds = (Date.now() - started) / 1000;
      process.stderr.write(`published ${sent} products to ${publisher.topic} in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)}/s), data: ${dataDir ?? 'built-in'}\n`);
    }
    if (changes > 0) {
      const sent = await publisher.publish(catalogChanges({ seed: Number(values.seed), size, count: changes }));
      process.stderr.write(`published ${sent} price and stock changes\n`);
    }
  } finally {
    await publisher.disconnect();
  }
}

main().catch((err) => {
  process.stderr.write(`publish-catalog: ${(err as Error).message}\n`);
  process.exit(1);
});
