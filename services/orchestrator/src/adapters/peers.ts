import { type TSchema, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  AutocompleteResponse,
  type DegradedStage,
  type FacetRenderRequest,
  FacetRenderResponse,
  type FacetSelectRequest,
  FacetSelectResponse,
  QueryPlan,
  type RankRequest,
  RankResponse,
  type SuggestQuerystring,
  type UnderstandRequest,
} from '@search-mesh/contracts';
import type { CallContext, MeshClient, Outcome, PeerError } from '@search-mesh/mesh-client';

/** A compiled contract check, for mesh-client's `validate`. */
function checker<T extends TSchema>(schema: T): (body: unknown) => body is Static<T> {
  const compiled = TypeCompiler.Compile(schema);
  return (body: unknown): body is Static<T> => compiled.Check(body);
}

export const PEERS = {
  queryUnderstanding: 'query-understanding',
  autocomplete: 'autocomplete',
  facet: 'facet',
  ranking: 'ranking',
} as const;

interface PeerCall<T> {
  peer: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  validate: (body: unknown) => body is T;
}

/** What a stage reports when it fell back. */
export function degradedStage(stage: string, outcome: { degraded: true; error: PeerError }, fallback: string): DegradedStage {
  return { stage, peer: outcome.error.peer, reason: outcome.error.code, fallback };
}

const validators = {
  plan: checker(QueryPlan),
  select: checker(FacetSelectResponse),
  render: checker(FacetRenderResponse),
  rank: checker(RankResponse),
  suggest: checker(AutocompleteResponse),
};

/**
 * The orchestrator's calls to its peers, each through mesh-client (pool, breaker, deadline, retry budget)
 * with the contract checked on the way in and the caller's fallback on any failure. All of them are
 * reads without side effects, so they are marked idempotent and may be retried within the deadline.
 */
export class Peers {
  constructor(private readonly mesh: MeshClient) {}

  private call<T>(call: PeerCall<T>, context: CallContext, fallback: (error: PeerError) => T): Promise<Outcome<T>> {
    return this.mesh.peer(call.peer).callWithFallback<T>(
      { method: call.method, path: call.path, body: call.body, context, idempotent: true, validate: call.validate },
      fallback,
    );
  }

  understand(request: UnderstandRequest, context: CallContext, fallback: () => QueryPlan): Promise<Outcome<QueryPlan>> {
    return this.call({ peer: PEERS.queryUnderstanding, method: 'POST', path: '/v1/understand', body: request, validate: validators.plan }, context, fallback);
  }

  selectFacets(request: FacetSelectRequest, context: CallContext, fallback: () => FacetSelectResponse): Promise<Outcome<FacetSelectResponse>> {
    return this.call({ peer: PEERS.facet, method: 'POST', path: '/v1/facets/select', body: request, validate: validators.select }, context, fallback);
  }

  renderFacets(request: FacetRenderRequest, context: CallContext, fallback: () => FacetRenderResponse): Promise<Outcome<FacetRenderResponse>> {
    return this.call({ peer: PEERS.facet, method: 'POST', path: '/v1/facets/render', body: request, validate: validators.render }, context, fallback);
  }

  rank(request: RankRequest, context: CallContext, fallback: () => RankResponse): Promise<Outcome<RankResponse>> {
    return this.call({ peer: PEERS.ranking, method: 'POST', path: '/v1/rank', body: request, validate: validators.rank }, context, fallback);
  }

  suggest(query: SuggestQuerystring, context: CallContext): Promise<Outcome<AutocompleteResponse>> {
    const params = new URLSearchParams({ q: query.q });
    if (query.size !== undefined) params.set('size', String(query.size));
    if (query.category !== undefined) params.set('category', query.category);
    return this.call(
      { peer: PEERS.autocomplete, method: 'GET', path: `/v1/suggest?${params.toString()}`, validate: validators.suggest },
      context,
      () => ({ suggestions: [] }),
    );
  }
}
