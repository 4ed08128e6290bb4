import { SERVICES } from '@search-mesh/contracts';
import { meshSettings, peerUrlSetting } from '@search-mesh/mesh-client';
import { type ConfigOf, kitSettings } from '@search-mesh/service-kit';

/**
 * The kit's settings (`REQUEST_BUDGET_MS`, 1 s by default, is the page's whole answer: the orchestrator gets
 * what is left of it as `x-request-budget-ms` and divides it among its stages), mesh-client's, and the
 * orchestrator's URL.
 */
export const settings = {
  ...kitSettings(SERVICES.storefront.port),
  ...meshSettings(),
  orchestratorUrl: peerUrlSetting('orchestrator', SERVICES.orchestrator.port),
};
export type Config = ConfigOf<typeof settings>;
