/**
 * The autocomplete engine: the current index and blocklist (each swapped in whole with one assignment, a
 * request reads each once), the live query counts from the query log, and the answer to a typed prefix.
 */
import type { Suggestion } from '@search-mesh/contracts';
import { Blocklist } from './blocklist';
import { ENTITY_WEIGHT, type EntityInput, mergeEntrySteps, type PopularQuery, type QueryFacts, queryEntrySteps } from './entries';
import { runInSlices, runNow, type SliceReport, type Steps } from './slices';
import { DEFAULT_MATCH_WEIGHTS, type Entry, type EntryInput, type Hit, type MatchWeights, SuggestIndex } from './suggest-index';
import { highlight } from './text';

export interface SuggestRequest {
  q: string;
  limit: number;
  /** A category path (names joined by " > "): only suggestions with results under it. */
  category?: string;
}

export interface SuggesterSources {
  /** TRAIN queries with their logged popularity. */
  seedQueries: readonly PopularQuery[];
  entities: readonly EntityInput[];
  /** What a query finds in the catalog; null when nothing (such queries are never suggested). */
  facts: (text: string) => QueryFacts | null;
  /** Weight of one live query-log search against one count of the seed popularity. */
  liveWeight?: number;
  /** Ranking weights: entities against queries (`ENTITY_WEIGHT`) and of partial matches. */
  weights?: Partial<MatchWeights & { entity: number }>;
}

/** One query-log observation: a normalised query searched `count` times. */
export interface QueryObservation {
  normalised: string;
  count: number;
}

export class Suggester {
  private index: SuggestIndex;
  private blocklist: Blocklist = Blocklist.EMPTY;
  private readonly live = new Map<string, number>();
  private readonly seed: Map<string, PopularQuery>;
  private pending = 0;
  private changes = 0;
  private readonly sources: SuggesterSources;

  constructor(sources: SuggesterSources) {
    this.sources = sources;
    this.seed = new Map(sources.seedQueries.map((q) => [q.text, q]));
    this.index = this.build();
  }

  private build(): SuggestIndex {
    return runNow(this.buildSteps());
  }

  private *buildSteps(): Steps<SuggestIndex> {
    const entries = yield* this.entrySteps();
    return yield* SuggestIndex.buildSteps(entries, { ...DEFAULT_MATCH_WEIGHTS, ...this.sources.weights });
  }

  get current(): SuggestIndex {
    return this.index;
  }

  /** Observations applied since the last rebuild. */
  get pendingObservations(): number {
    return this.pending;
  }

  /** Changes with every index or blocklist swapped in: answers cached under an older one are stale. */
  get generation(): number {
    return this.changes;
  }

  setBlocklist(blocklist: Blocklist): void {
    this.blocklist = blocklist;
    this.changes++;
  }

  /** Adds query-log counts (cheap); they reach suggestions at the next `rebuild()`. */
  observe(observations: Iterable<QueryObservation>): void {
    for (const o of observations) {
      if (o.normalised === '' || !(o.count > 0)) continue;
      this.live.set(o.normalised, (this.live.get(o.normalised) ?? 0) + o.count);
      this.pending++;
    }
  }

  /** Builds a new index from the seed, the live counts and the entities, then swaps it in with one assignment. */
  rebuild(): SuggestIndex {
    this.pending = 0;
    const next = this.build();
    this.index = next;
    this.changes++;
    return next;
  }

  /**
   * The same rebuild on a serving event loop: in slices of at most about `sliceMs`, so requests keep being
   * answered (from the old index) meanwhile. Observations arriving during it wait for the next rebuild.
   */
  async rebuildInSlices(sliceMs: number): Promise<SliceReport<SuggestIndex>> {
    this.pending = 0;
    const report = await runInSlices(this.buildSteps(), sliceMs);
    this.index = report.value;
    this.changes++;
    return report;
  }

  private *entrySteps(): Steps<EntryInput[]> {
    const weight = this.sources.liveWeight ?? 1;
    const popular = new Map([...this.seed].map(([text, q]) => [text, { ...q }]));
    for (const [text, count] of this.live) {
      const known = popular.get(text);
      if (known === undefined) popular.set(text, { text, popularity: count * weight });
      else known.popularity += count * weight;
    }
    yield;
    const queries = yield* queryEntrySteps([...popular.values()], this.sources.facts);
    return yield* mergeEntrySteps(queries, this.sources.entities, this.sources.weights?.entity ?? ENTITY_WEIGHT);
  }

  suggest(request: SuggestRequest): Suggestion[] {
    const index = this.index;
    const blocklist = this.blocklist;
    const vocabulary = index.vocabulary;
    const exclude = blocklist.size === 0 ? undefined : (entry: Entry) => blocklist.blocks(Array.from(entry.words, (w) => vocabulary[w] as string));
    const category = request.category?.toLowerCase();
    const candidates = index.search(request.q, { limit: request.limit * OVERFETCH, ...(category !== undefined ? { category } : {}), ...(exclude !== undefined ? { exclude } : {}) });
    const hits = diversify(candidates, request.limit);
    const suggestions = hits.map(toSuggestion);
    // The top suggestion, scoped to the category where most of what it finds lives.
    // The best suggestion with a dominant category (a query, brand or product line; a category is its own
    // scope), again right after itself, scoped to that category.
    const at = hits.findIndex((h) => h.entry.kind !== 'category');
    const top = hits[at];
    if (top !== undefined && at < SCOPE_WITHIN && request.category === undefined && request.limit > 1 && top.entry.scope !== undefined) {
      suggestions.splice(at + 1, 0, { ...toSuggestion(top), category: top.entry.scope });
      if (suggestions.length > request.limit) suggestions.pop();
    }
    return suggestions;
  }
}

/** The scoped suggestion is made for the best non-category suggestion among this many first ones. */
const SCOPE_WITHIN = 3;
/** Candidates fetched per requested suggestion, so that `diversify` has some to choose from. */
const OVERFETCH = 3;
/** At most this share of a list (rounded up) is of one entity kind; queries are not capped. */
export const MAX_KIND_SHARE = 0.5;

/**
 * The best `limit` hits, in score order, with at most `MAX_KIND_SHARE` of them brands, product lines or
 * categories each (broad categories would otherwise fill whole lists); capped ones fill up what is left.
 */
export function diversify(hits: readonly Hit[], limit: number): Hit[] {
  const cap = Math.ceil(limit * MAX_KIND_SHARE);
  const perKind = new Map<string, number>();
  const chosen: Hit[] = [];
  const skipped: Hit[] = [];
  for (const hit of hits) {
    if (chosen.length === limit) break;
    const kind = hit.entry.kind;
    const count = perKind.get(kind) ?? 0;
    if (kind !== 'query' && count >= cap) {
      skipped.push(hit);
      continue;
    }
    perKind.set(kind, count + 1);
    chosen.push(hit);
  }
  for (const hit of skipped) {
    if (chosen.length === limit) break;
    chosen.push(hit);
  }
  return chosen.sort((a, b) => b.score - a.score || a.entry.id - b.entry.id);
}

function toSuggestion(hit: Hit): Suggestion {
  const { entry } = hit;
  const suggestion: Suggestion = { text: entry.text, kind: entry.kind, highlight: highlight(entry.text, entry.runs, hit.marks) };
  if (entry.kind === 'category' && entry.categories[0] !== undefined) suggestion.category = entry.categories[0];
  return suggestion;
}
