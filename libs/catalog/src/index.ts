export { buildAssortment, type Assortment } from './assortment';
export { createCategoryResolver, type CategoryResolver } from './categories';
export { buildCoverageIndex, type CoverageIndex, type CoverageResult, matchAll, measureCoverage, productTokens } from './coverage';
export {
  type CategoryCount,
  DATA_DIR_ENV,
  loadQueries,
  loadTaxonomy,
  parseQueries,
  parseTaxonomy,
  QUERIES_FILE,
  type QueryRecord,
  resolveDataDir,
  TAXONOMY_FILE,
} from './data';
export { generateCatalog, generateRange, type CatalogOptions } from './generator/catalog';
export { type CatalogContext, createCatalogContext, type ContextOptions, type LeafPlan, queryTarget, topCategory } from './generator/context';
export { FAMILIES, familyFor } from './generator/families';
export { generateProduct } from './generator/product';
export { hash32, pickCumulative, Prng } from './prng';
export type { Product, ProductAttribute, CategoryRef } from '@search-mesh/contracts';
export { isTestQuery, normaliseQuery, type QuerySplit, splitQueries, type SplitOptions } from './queries';
export { buildTaxonomy, type CategoryNode, type CategoryPathEntry, leavesUnder, type Taxonomy } from './taxonomy';
export { contentTokens, measureTokens, stem, STOPWORDS, tokenise } from './text';
