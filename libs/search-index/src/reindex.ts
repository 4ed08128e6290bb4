import type { Client } from '@elastic/elasticsearch';
import type { ProductsIndex } from './products-index';

export interface ReindexOptions {
  /** How long writers take to notice the building alias (the indexer's cache of it, twice over). */
  writerNoticeMs: number;
  /** Versioned indices to keep after the swap, the new one included (older ones are deleted). */
  keep?: number;
  log?: (message: string) => void;
}

export interface ReindexResult {
  from: string;
  to: string;
  documents: number;
  ms: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Builds a complete new index and swaps the alias to it atomically, while searches and writes go on.
 *
 * 1. A new versioned index is created from the current template and named by the building alias; the
 *    indexer, once it notices, writes every change to it as well as to the live alias.
 * 2. A scroll over the live index (a point-in-time view) is bulk-copied into it with external versions,
 *    so a change the indexer already wrote there (newer) is never overwritten by the copy (older).
 *    Client-side rather than `_reindex`: it works on any Elasticsearch, including distributions without
 *    the reindex module, and the copy's conflicts are counted here.
 * 3. One `_aliases` call moves the alias and drops the building alias: readers see the old complete
 *    index up to that instant and the new complete index after it, never a half-built one.
 */
export async function fullReindex(es: Client, index: ProductsIndex, opts: ReindexOptions): Promise<ReindexResult> {
  const log = opts.log ?? (() => undefined);
  const started = Date.now();
  const from = await index.ensure();
  const to = await index.createVersionedIndex();
  const building = index.names.productsBuildingAlias;
  log(`building ${to} from ${from}`);

  const stale = (await es.indices.existsAlias({ name: building })) ? Object.keys(await es.indices.getAlias({ name: building })) : [];
  await es.indices.updateAliases({
    actions: [...stale.map((i) => ({ remove: { index: i, alias: building } })), { add: { index: to, alias: building } }],
  });
  await sleep(opts.writerNoticeMs);
  // Writes made before the indexer noticed went to the live index only: a refresh makes them visible to
  // the scroll below (a search sees refreshed segments only); every later write reaches both indices.
  await es.indices.refresh({ index: from });

  const copy = await copyWithVersions(es, from, to);
  log(`copied ${copy.copied} documents (${copy.newer} already newer in ${to})`);
  await es.indices.refresh({ index: to });

  await es.indices.updateAliases({
    actions: [
      { remove: { index: from, alias: index.alias } },
      { add: { index: to, alias: index.alias, is_write_index: true } },
      { remove: { index: to, alias: building } },
    ],
  });
  log(`alias ${index.alias} now points at ${to}`);

  const keep = opts.keep ?? 2;
  const all = await index.versionedIndices();
  const obsolete = all.filter((i) => i !== to).slice(0, Math.max(0, all.length - keep));
  if (obsolete.length > 0) await es.indices.delete({ index: obsolete.join(','), ignore_unavailable: true });

  const documents = (await es.count({ index: to })).count;
  return { from, to, documents, ms: Date.now() - started };
}

/** Copies every document of `from` into `to`, keeping versions; a newer document in `to` wins (409). */
async function copyWithVersions(es: Client, from: string, to: string): Promise<{ copied: number; newer: number }> {
  let copied = 0;
  let newer = 0;
  const pages = es.helpers.scrollSearch<Record<string, unknown>>({ index: from, size: 2000, version: true, sort: ['_doc'], query: { match_all: {} } });
  for await (const page of pages) {
    const hits = page.body.hits.hits;
    if (hits.length === 0) continue;
    const operations: unknown[] = [];
    for (const hit of hits) {
      operations.push({ index: { _index: to, _id: hit._id, version: hit._version, version_type: 'external' } }, hit._source);
    }
    const res = await es.bulk({ operations });
    for (const item of res.items) {
      const status = item.index!.status;
      if (status < 300) copied++;
      else if (status === 409) newer++;
      else throw new Error(`copying into ${to} failed: ${item.index!.error?.type}: ${item.index!.error?.reason}`);
    }
  }
  return { copied, newer };
}
