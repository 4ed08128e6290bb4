import { type ConfigOf, kitSettings } from '@search-mesh/service-kit';
import { SERVICES } from '@search-mesh/contracts';

export const settings = {
  ...kitSettings(SERVICES['autocomplete'].port),
};
export type Config = ConfigOf<typeof settings>;
