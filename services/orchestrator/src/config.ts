import { SERVICES } from '@search-mesh/contracts';
import { backendSettings } from '@search-mesh/backends';
import { meshSettings, peerUrlSetting } from '@search-mesh/mesh-client';
import { type ConfigOf, kitSettings } from '@search-mesh/service-kit';

export const settings = {
  ...kitSettings(SERVICES.orchestrator.port),
  ...meshSettings(),
  ...backendSettings,
  queryUnderstandingUrl: peerUrlSetting('query-understanding', SERVICES['query-understanding'].port),
  autocompleteUrl: peerUrlSetting('autocomplete', SERVICES.autocomplete.port),
  facetUrl: peerUrlSetting('facet', SERVICES.facet.port),
  rankingUrl: peerUrlSetting('ranking', SERVICES.ranking.port),
};
export type Config = ConfigOf<typeof settings>;
