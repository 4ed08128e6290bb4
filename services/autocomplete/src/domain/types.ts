import type { Suggestion } from '@search-mesh/contracts';

export type SuggestionKind = Suggestion['kind'];
