import type { Product } from '@search-mesh/contracts';
import { normaliseNumeric } from './units';

/** Depth of the hierarchical category fields (`category.lvl0` … `category.lvl5`). */
export const CATEGORY_LEVELS = 6;
export const CATEGORY_SEPARATOR = ' > ';

/** The document stored in the products index; field names are the index's, not the catalog's. */
export interface SearchDocument {
  id: string;
  title: string;
  brand: string;
  model_line?: string;
  model_number: string;
  description: string;
  category: {
    id: string;
    leaf: string;
    ids: string[];
    path: string;
    /** "A", "A > B", "A > B > C": one field per depth, for hierarchical facets and filters. */
    [lvl: `lvl${number}`]: string;
  };
  attr: Record<string, string>;
  num: Record<string, number>;
  attr_text: string;
  search_terms?: string;
  price: number;
  rating: number;
  review_count: number;
  stock: number;
  in_stock: boolean;
  release_date: string;
  popularity: number;
  image: string;
  /** The catalog version this document reflects (also its Elasticsearch external version). */
  version: number;
  indexed_at: string;
}

/** Builds the index document of a product at a catalog version. Pure. */
export function toSearchDocument(product: Product, version: number, indexedAt: string): SearchDocument {
  const attr: Record<string, string> = {};
  const num: Record<string, number> = {};
  const attrText: string[] = [];
  for (const a of product.attributes) {
    if (typeof a.value === 'number') {
      const n = normaliseNumeric(a.name, a.value, a.unit);
      num[n.field] = n.value;
      attrText.push(a.unit ? `${a.value} ${a.unit}` : String(a.value));
    } else {
      attr[a.name] = a.value;
      attrText.push(a.value);
    }
  }
  const category: SearchDocument['category'] = {
    id: product.category.id,
    leaf: product.category.path[product.category.path.length - 1]!,
    ids: product.category.pathIds,
    path: product.category.path.join(CATEGORY_SEPARATOR),
  };
  for (let depth = 0; depth < Math.min(CATEGORY_LEVELS, product.category.path.length); depth++) {
    category[`lvl${depth}`] = product.category.path.slice(0, depth + 1).join(CATEGORY_SEPARATOR);
  }
  const doc: SearchDocument = {
    id: product.id,
    title: product.title,
    brand: product.brand,
    model_number: product.modelNumber,
    description: product.description,
    category,
    attr,
    num,
    attr_text: attrText.join(' | '),
    price: product.price,
    rating: product.rating,
    review_count: product.reviewCount,
    stock: product.stock,
    in_stock: product.stock > 0,
    release_date: product.releaseDate,
    popularity: product.popularity,
    image: product.image,
    version,
    indexed_at: indexedAt,
  };
  if (product.modelLine !== undefined) doc.model_line = product.modelLine;
  if (product.searchTerms !== undefined && product.searchTerms.length > 0) doc.search_terms = product.searchTerms.join(' | ');
  return doc;
}
