import { Type } from '@sinclair/typebox';
import { SERVICES } from '@search-mesh/contracts';
import { backendSettings } from '@search-mesh/backends';
import { meshSettings, peerUrlSetting } from '@search-mesh/mesh-client';
import { type ConfigOf, kitSettings, setting } from '@search-mesh/service-kit';
import { type BudgetShares, DEFAULT_SHARES } from './domain/budget';

const Share = Type.Number({ minimum: 0, maximum: 1 });

export const settings = {
  ...kitSettings(SERVICES.orchestrator.port),
  ...meshSettings(),
  ...backendSettings,
  requestBudgetMs: setting('REQUEST_BUDGET_MS', Type.Integer({ minimum: 1, maximum: 3_600_000 }), {
    default: 150,
    doc: 'budget of a storefront request without x-request-budget-ms, divided among the stages of a search',
  }),
  rerankWindow: setting('RERANK_WINDOW', Type.Integer({ minimum: 1, maximum: 1000 }), {
    default: 100,
    doc: 'candidates Elasticsearch retrieves for the ranking service to reorder (relevance order)',
  }),
  understandShare: setting('BUDGET_UNDERSTAND_SHARE', Share, { default: DEFAULT_SHARES.understand, doc: 'most of the budget query understanding and facet selection may take' }),
  retrieveShare: setting('BUDGET_RETRIEVE_SHARE', Share, { default: DEFAULT_SHARES.retrieve, doc: 'least of the budget Elasticsearch is given while time is left' }),
  enrichShare: setting('BUDGET_ENRICH_SHARE', Share, { default: DEFAULT_SHARES.enrich, doc: 'most of the budget ranking and facet rendering may take' }),
  marginShare: setting('BUDGET_MARGIN_SHARE', Share, { default: DEFAULT_SHARES.margin, doc: 'kept for building the answer' }),
  warmupSearches: setting('WARMUP_SEARCHES', Type.Integer({ minimum: 0, maximum: 1000 }), {
    default: 20,
    doc: 'searches the orchestrator sends itself before it reports ready (cold caches and JIT would make the first shoppers wait); 0: none',
  }),
  rateLimitMax: setting('RATE_LIMIT_MAX', Type.Integer({ minimum: 0 }), { default: 200, doc: 'requests per client per window on /v1/search and /v1/suggest; 0 disables' }),
  rateLimitWindowMs: setting('RATE_LIMIT_WINDOW_MS', Type.Integer({ minimum: 1, maximum: 3_600_000 }), { default: 1000 }),
  rateLimitClientHeader: setting('RATE_LIMIT_CLIENT_HEADER', Type.String({ pattern: '^[a-z0-9-]*$' }), {
    default: 'x-client-id',
    doc: 'header that names the client (e.g. set by the API gateway); without it, the client address',
  }),
  queryUnderstandingUrl: peerUrlSetting('query-understanding', SERVICES['query-understanding'].port),
  autocompleteUrl: peerUrlSetting('autocomplete', SERVICES.autocomplete.port),
  facetUrl: peerUrlSetting('facet', SERVICES.facet.port),
  rankingUrl: peerUrlSetting('ranking', SERVICES.ranking.port),
};
export type Config = ConfigOf<typeof settings>;

export function budgetShares(config: Config): BudgetShares {
  return { understand: config.understandShare, retrieve: config.retrieveShare, enrich: config.enrichShare, margin: config.marginShare };
}
