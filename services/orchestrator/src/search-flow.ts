import { performance } from 'node:perf_hooks';
import type { estypes } from '@elastic/elasticsearch';
import {
  Deadline,
  type DegradedStage,
  type Facet,
  type FacetAggregation,
  type MerchandisingActions,
  type PlanTerm,
  type QueryPlan,
  type RankResponse,
  type SearchDebug,
  type SearchQuerystring,
  type SearchResponse,
  type SortOrder,
  SEARCH_LIMITS,
} from '@search-mesh/contracts';
import type { CallContext, Outcome } from '@search-mesh/mesh-client';
import type { Span } from '@search-mesh/service-kit';
import { degradedStage, type Peers } from './adapters/peers';
import { type ProductSearch, type SearchAnswer, SearchUnavailable } from './adapters/product-search';
import { type BudgetShares, type Stage, stageBudgetMs } from './domain/budget';
import { defaultAggregations, fallbackFacets } from './domain/facets';
import { rawQueryPlan } from './domain/fallback-plan';
import { parseFilters } from './domain/filters';
import { placeMerchandised } from './domain/merchandising';
import { queryOutcome, toSearchResult } from './domain/outcome';
import { applyRanking, type Candidate, candidateFeatures, rankRequest } from './domain/ranking';
import { relaxations, termsAsTyped, termsWithSuggestedCorrections } from './domain/recovery';
import { titleMarker } from './domain/highlight';
import { buildRetrieval, categoryFilter, checkPaging, probeRequest, type Retrieval } from './domain/retrieval';

export interface SearchFlowOptions {
  rerankWindow: number;
  shares: BudgetShares;
}

/** The incoming request as the flow needs it (a Fastify request fits). */
export interface SearchContext {
  id: string;
  deadline: Deadline;
  /** The request's span: peer calls continue its trace, the debug answer names it. */
  span?: Span;
}

interface Trace {
  traceId: string | undefined;
  started: number;
  totalMs: number;
  timings: Record<string, number>;
  degraded: DegradedStage[];
  elasticsearch: SearchDebug['elasticsearch'];
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * One storefront search: query understanding ∥ facet selection → Elasticsearch (with zero-result
 * recovery) → ranking ∥ facet rendering → the page. Every peer has a fallback and its own slice of the
 * request's budget; only Elasticsearch failing fails the search (SearchUnavailable).
 */
export class SearchFlow {
  constructor(
    private readonly products: ProductSearch,
    private readonly peers: Peers,
    private readonly options: SearchFlowOptions,
  ) {}

  private deadline(stage: Stage, context: SearchContext, trace: Trace): Deadline {
    return Deadline.after(stageBudgetMs(stage, context.deadline.remaining(), trace.totalMs, this.options.shares));
  }

  private async timed<T>(trace: Trace, stage: string, work: Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work;
    } finally {
      trace.timings[stage] = round((trace.timings[stage] ?? 0) + performance.now() - start);
    }
  }

  private async retrieve(trace: Trace, context: SearchContext, purpose: string, retrieval: Retrieval, aggregations: readonly FacetAggregation[]): Promise<SearchAnswer> {
    const timeoutMs = stageBudgetMs('retrieve', context.deadline.remaining(), trace.totalMs, this.options.shares);
    const answer = await this.timed(trace, 'retrieve', this.products.search(retrieval.body, aggregations, timeoutMs));
    trace.elasticsearch.push({ purpose, request: retrieval.body, tookMs: answer.tookMs });
    return answer;
  }

  async search(params: SearchQuerystring, context: SearchContext): Promise<SearchResponse> {
    const trace: Trace = { traceId: context.span?.spanContext().traceId, started: performance.now(), totalMs: context.deadline.remaining(), timings: {}, degraded: [], elasticsearch: [] };
    const sort: SortOrder = params.sort ?? 'relevance';
    const page = params.page ?? 1;
    const size = params.size ?? SEARCH_LIMITS.defaultPageSize;
    const spellcheck = params.spellcheck ?? true;
    const category = params.category?.trim() || undefined;
    // Everything about the input is checked before any work: a bad request costs no peer a call.
    const shopperFilters = parseFilters(params.filter);
    checkPaging(page, size);
    if (category !== undefined) categoryFilter(category);
    const query = params.q?.trim() ?? '';
    const preview = params.preview !== undefined ? { preview: params.preview } : {};

    // 1. Query understanding ∥ which aggregations the facet service wants.
    const early = { id: context.id, span: context.span, deadline: this.deadline('understand', context, trace) };
    const [understood, selection] = await Promise.all([
      query === '' ? undefined : this.timed(trace, 'understand', this.peers.understand({ query }, early, () => rawQueryPlan(query))),
      this.timed(trace, 'facet_selection', this.peers.selectFacets({ query, ...(category ? { category } : {}), filters: shopperFilters, ...preview }, early, () => ({ aggregations: defaultAggregations(category) }))),
    ]);
    const plan = understood?.value ?? rawQueryPlan('');
    if (understood?.degraded) trace.degraded.push(degradedStage('understand', understood, 'raw query'));
    if (selection.degraded) {
      trace.degraded.push(degradedStage('facet_selection', selection, 'built-in aggregations'));
      trace.degraded.push(degradedStage('facets', selection, 'built-in facets'));
    }

    const merchandising = selection.value.merchandising;
    const redirect = merchandising?.redirect ?? (plan.intent.type === 'redirect' ? plan.intent.redirect : undefined);
    if (redirect !== undefined) {
      return this.answer(trace, params, { plan, understood: !understood?.degraded, terms: plan.terms, optional: new Set(), spellcheck, correctedForRecovery: false }, {
        redirect,
        answer: undefined,
        page: [],
        facets: [],
        sort,
        pageNumber: page,
        size,
      });
    }

    // 2. Retrieval, with zero-result recovery.
    const aggregations = selection.value.aggregations;
    const base = {
      planFilters: plan.filters,
      planBoosts: plan.boosts,
      category,
      shopperFilters,
      sort,
      page,
      size,
      rerankWindow: this.options.rerankWindow,
      aggregations,
      merchandising,
      rankingFeatures: { categories: plan.categories, leafCategories: plan.leafCategories },
    };
    let terms: PlanTerm[] = spellcheck ? plan.terms : termsAsTyped(plan);
    let optional = new Set<number>();
    let correctedForRecovery = false;
    let retrieval = buildRetrieval({ ...base, terms });
    let answer = await this.retrieve(trace, context, 'search', retrieval, aggregations);
    if (answer.total === 0 && terms.length > 0) {
      try {
        const corrected = spellcheck ? termsWithSuggestedCorrections(plan) : undefined;
        if (corrected !== undefined) {
          const retry = buildRetrieval({ ...base, terms: corrected });
          const retried = await this.retrieve(trace, context, 'recovery: spelling correction', retry, aggregations);
          if (retried.total > 0) [terms, retrieval, answer, correctedForRecovery] = [corrected, retry, retried, true];
        }
        if (answer.total === 0) {
          const relaxed = await this.relax(trace, context, terms, base);
          if (relaxed !== undefined) [optional, retrieval, answer] = [relaxed.optional, relaxed.retrieval, relaxed.answer];
        }
      } catch (err) {
        if (!(err instanceof SearchUnavailable)) throw err;
        trace.degraded.push({ stage: 'recover', peer: 'elasticsearch', reason: err.reason === 'timeout' ? 'DEADLINE_EXCEEDED' : 'CONNECTION', fallback: 'no zero-result recovery' });
      }
    }

    // 3. Ranking ∥ facets.
    const late = { id: context.id, span: context.span, deadline: this.deadline('enrich', context, trace) };
    const searched = terms.filter((_, i) => !optional.has(i)).map((t) => t.text).join(' ');
    const rerank = retrieval.rerank && answer.candidates.length > 1;
    const paging = this.rankAndPage(trace, late, { searched, plan, answer, retrieval, merchandising, rerank, debug: params.debug ?? false });
    const [{ ranked, page: pageOfCandidates, rankDebug }, rendered] = await Promise.all([
      paging,
      selection.degraded
        ? undefined
        : this.timed(trace, 'facets', this.peers.renderFacets({ query: searched, ...(category ? { category } : {}), filters: shopperFilters, total: answer.total, aggregations: answer.aggregations, ...preview }, late, () => ({ facets: fallbackFacets(answer.aggregations, shopperFilters) }))),
    ]);
    if (ranked?.degraded) trace.degraded.push(degradedStage('rank', ranked, 'Elasticsearch order'));
    if (rendered?.degraded) trace.degraded.push(degradedStage('facets', rendered, 'built-in facets'));

    const facets = rendered?.value.facets ?? fallbackFacets(answer.aggregations, shopperFilters);
    return this.answer(trace, params, { plan, understood: understood !== undefined && !understood.degraded, terms, optional, spellcheck, correctedForRecovery }, {
      redirect: undefined,
      answer,
      page: pageOfCandidates,
      facets,
      sort,
      pageNumber: page,
      size,
      rankDebug,
    });
  }

  /** Ranking, the merchandisers' placements, then the page with its titles highlighted. */
  private async rankAndPage(
    trace: Trace,
    late: CallContext,
    input: { searched: string; plan: QueryPlan; answer: SearchAnswer; retrieval: Retrieval; merchandising: MerchandisingActions | undefined; rerank: boolean; debug: boolean },
  ): Promise<{ ranked: Outcome<RankResponse> | undefined; page: Candidate[]; rankDebug: SearchDebug['ranking'] }> {
    const { plan, answer, retrieval } = input;
    const ranked = input.rerank
      ? await this.timed(trace, 'rank', this.peers.rank(rankRequest(input.searched, plan.intent, plan.categories, answer.candidates, input.debug, Date.now()), late, () => ({ model: { name: 'elasticsearch', version: 'retrieval order' }, ranked: [] })))
      : undefined;
    let candidates: Candidate[] = answer.candidates;
    let rankDebug: SearchDebug['ranking'];
    if (ranked !== undefined) {
      const applied = applyRanking(answer.candidates, ranked.value);
      candidates = applied.candidates;
      if (input.debug) {
        const now = Date.now();
        const page = candidates.slice(retrieval.offset, retrieval.offset + retrieval.size);
        rankDebug = {
          features: page.map((c) => {
            const scored = applied.scores.get(c.id);
            return { id: c.id, score: scored?.score ?? c.score, features: scored?.features ?? candidateFeatures(c, answer.candidates.indexOf(c), now) };
          }),
        };
        if (!ranked.degraded) rankDebug.model = ranked.value.model;
      }
    }
    // Merchandisers' buries and pins have the last word over the ranking model's order.
    if (retrieval.rerank) candidates = placeMerchandised(candidates, input.merchandising, answer.buried).slice(retrieval.offset, retrieval.offset + retrieval.size);
    const mark = titleMarker(retrieval.highlighted);
    return { ranked, page: candidates.map((c) => ({ ...c, highlightTitle: mark(c.source.title) })), rankDebug };
  }

  /** Zero-result recovery by relaxing terms: probes every variant in one request, then fetches the first that matches. */
  private async relax(trace: Trace, context: SearchContext, terms: PlanTerm[], base: Omit<Parameters<typeof buildRetrieval>[0], 'terms' | 'optional'>) {
    const variants = relaxations(terms);
    if (variants.length === 0) return undefined;
    const probes = variants.map((v) => probeRequest({ ...base, terms, optional: new Set(v.optional) }));
    const timeoutMs = stageBudgetMs('retrieve', context.deadline.remaining(), trace.totalMs, this.options.shares);
    const counts = await this.timed(trace, 'retrieve', this.products.matchCounts(probes, timeoutMs));
    trace.elasticsearch.push({ purpose: 'recovery: which relaxation matches (msearch)', request: probes as estypes.SearchRequest[] });
    const winner = counts.findIndex((c) => c > 0);
    if (winner < 0) return undefined;
    const optional = new Set(variants[winner]!.optional);
    const retrieval = buildRetrieval({ ...base, terms, optional });
    const answer = await this.retrieve(trace, context, 'recovery: relaxed terms', retrieval, base.aggregations);
    return answer.total > 0 ? { optional, retrieval, answer } : undefined;
  }

  private answer(
    trace: Trace,
    params: SearchQuerystring,
    outcome: Parameters<typeof queryOutcome>[0],
    parts: {
      redirect: { url: string; ruleId: string } | undefined;
      answer: SearchAnswer | undefined;
      page: Candidate[];
      facets: Facet[];
      sort: SortOrder;
      pageNumber: number;
      size: number;
      rankDebug?: SearchDebug['ranking'];
    },
  ): SearchResponse {
    const response: SearchResponse = {
      query: queryOutcome(outcome),
      results: parts.page.map(toSearchResult),
      total: parts.answer?.total ?? 0,
      totalRelation: parts.answer?.totalRelation ?? 'eq',
      page: parts.pageNumber,
      size: parts.size,
      sort: parts.sort,
      facets: parts.facets,
      degraded: trace.degraded,
    };
    if (parts.redirect !== undefined) response.redirect = parts.redirect;
    if (params.debug) {
      trace.timings.total = round(performance.now() - trace.started);
      response.debug = { budgetMs: round(trace.totalMs), timings: trace.timings, plan: outcome.plan, elasticsearch: trace.elasticsearch };
      if (trace.traceId !== undefined) response.debug.traceId = trace.traceId;
      if (parts.rankDebug !== undefined) response.debug.ranking = parts.rankDebug;
    }
    return response;
  }
}

