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
 * 2. `_reindex` copies the live index into it with external versions and `conflicts: proceed`, so a
 *    change the indexer already wrote there (newer) is never overwritten by the copy (older).
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

  const task = await es.reindex({
    source: { index: from, size: 2000 },
    dest: { index: to, version_type: 'external' },
    conflicts: 'proceed',
    wait_for_completion: false,
    refresh: true,
  });
  const taskId = String(task.task);
  for (;;) {
    const status = await es.tasks.get({ task_id: taskId, wait_for_completion: true, timeout: '30s' });
    if (status.completed) {
      const response = status.response as { failures?: unknown[]; created?: number; version_conflicts?: number } | undefined;
      if (response?.failures && response.failures.length > 0) {
        throw new Error(`reindex into ${to} failed: ${JSON.stringify(response.failures.slice(0, 3))}`);
      }
      log(`copied ${response?.created ?? 0} documents (${response?.version_conflicts ?? 0} already newer)`);
      break;
    }
  }
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
