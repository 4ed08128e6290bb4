/**
 * Full reindex with no downtime: builds a new index from the live one and swaps the alias atomically.
 *
 *   npx tsx services/indexer/bin/reindex.ts [--keep 2]
 */
import { parseArgs } from 'node:util';
import { backendSettings, createSearchClient } from '@search-mesh/backends';
import { fullReindex, ProductsIndex } from '@search-mesh/search-index';
import { loadConfig } from '@search-mesh/service-kit';
import { settings } from '../src/config';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { keep: { type: 'string', default: '2' } } });
  const config = loadConfig('indexer', { ...backendSettings, buildingAliasTtlMs: settings.buildingAliasTtlMs });
  const es = createSearchClient(config, { requestTimeoutMs: 120_000 });
  try {
    const result = await fullReindex(es, new ProductsIndex(es, config.namespace), {
      writerNoticeMs: 2 * config.buildingAliasTtlMs,
      keep: Number(values.keep),
      log: (message) => process.stderr.write(`reindex: ${message}\n`),
    });
    process.stderr.write(`reindex: ${result.documents} documents in ${result.to} (${(result.ms / 1000).toFixed(1)} s)\n`);
  } finally {
    await es.close();
  }
}

main().catch((err) => {
  process.stderr.write(`reindex: ${(err as Error).message}\n`);
  process.exit(1);
});
