// The built-in rules are shared with the facet service, which seeds its store with them.
export { DEFAULT_RULES } from '@search-mesh/contracts';
