import { FacetRenderRequest, FacetRenderResponse, FacetSelectRequest, FacetSelectResponse } from '@search-mesh/contracts';
import type { ServiceApp } from '@search-mesh/service-kit';
import type { ConfigService } from '../config-service';
import type { AttributeCatalog } from '../domain/attributes';
import { planFacets, renderFacets, selectAggregations } from '../domain/facets';
import { merchandisingFor } from '../domain/rules';

/**
 * The storefront side (public, called by the orchestrator): `POST /v1/facets/select` says which
 * aggregations to compute and which merchandising actions apply; `POST /v1/facets/render` turns the
 * aggregation results into the facets to show.
 */
export function facetRoutes(app: ServiceApp, config: ConfigService, attributes: AttributeCatalog): void {
  app.post('/v1/facets/select', { schema: { body: FacetSelectRequest, response: { 200: FacetSelectResponse } } }, async (request): Promise<FacetSelectResponse> => {
    const { query, category, preview } = request.body;
    const state = await config.stateFor(preview);
    const planned = planFacets(state.facetConfigs(), category, attributes);
    return {
      aggregations: selectAggregations(planned, category),
      version: state.version,
      merchandising: merchandisingFor(state.merchRules(), query, category, Date.now()),
    };
  });

  app.post('/v1/facets/render', { schema: { body: FacetRenderRequest, response: { 200: FacetRenderResponse } } }, async (request): Promise<FacetRenderResponse> => {
    const { category, filters, total, aggregations, preview } = request.body;
    const state = await config.stateFor(preview);
    const planned = planFacets(state.facetConfigs(), category, attributes);
    return { facets: renderFacets(planned, { category, filters, total, aggregations }, attributes) };
  });
}
