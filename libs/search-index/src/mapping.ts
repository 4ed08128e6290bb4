import type { estypes } from '@elastic/elasticsearch';
import { CATEGORY_LEVELS } from './document';

export interface IndexSettingsOptions {
  shards?: number;
  replicas?: number;
  refreshInterval?: string;
}

const keywordLower = { type: 'keyword', normalizer: 'folded' } as const;
const englishText = { type: 'text', analyzer: 'english_text' } as const;
const prefixText = { type: 'text', analyzer: 'prefix_index', search_analyzer: 'folded_text' } as const;

/**
 * Analyzers: `english_text` (folded, possessives dropped, light English stemming) for recall;
 * `shingle_text` (2–3 word shingles) to reward phrases; `prefix_index` (edge n-grams) for as-you-type
 * matching; `folded` keyword normaliser for case- and accent-insensitive exact matches.
 */
export function indexSettings(opts: IndexSettingsOptions = {}): estypes.IndicesIndexSettings {
  return {
    number_of_shards: opts.shards ?? 1,
    number_of_replicas: opts.replicas ?? 0,
    refresh_interval: opts.refreshInterval ?? '1s',
    // Tombstones of external-versioned deletes live this long, so a stale upsert cannot resurrect a product.
    gc_deletes: '6h',
    max_ngram_diff: 20,
    analysis: {
      filter: {
        english_possessive: { type: 'stemmer', language: 'possessive_english' },
        english_light: { type: 'stemmer', language: 'light_english' },
        shingle_2_3: { type: 'shingle', min_shingle_size: 2, max_shingle_size: 3, output_unigrams: false },
        prefix_edge: { type: 'edge_ngram', min_gram: 1, max_gram: 20 },
      },
      normalizer: {
        folded: { type: 'custom', filter: ['lowercase', 'asciifolding'] },
      },
      analyzer: {
        english_text: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'english_possessive', 'english_light'] },
        folded_text: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
        shingle_text: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'shingle_2_3'] },
        prefix_index: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'prefix_edge'] },
      },
    },
  };
}

/** Explicit mapping: strict at the top, dynamic only under `attr.*` (keywords) and `num.*` (numbers). */
export function indexMappings(): estypes.MappingTypeMapping {
  const levels: Record<string, estypes.MappingProperty> = {};
  for (let depth = 0; depth < CATEGORY_LEVELS; depth++) levels[`lvl${depth}`] = { type: 'keyword' };
  return {
    dynamic: 'strict',
    dynamic_templates: [
      { attributes: { path_match: 'attr.*', mapping: { type: 'keyword', ignore_above: 256, fields: { folded: keywordLower } } } },
      { numbers: { path_match: 'num.*', mapping: { type: 'double' } } },
    ],
    properties: {
      id: { type: 'keyword' },
      title: {
        ...englishText,
        fields: {
          shingles: { type: 'text', analyzer: 'shingle_text' },
          prefix: prefixText,
          exact: keywordLower,
        },
      },
      brand: { type: 'keyword', fields: { text: englishText, prefix: prefixText, folded: keywordLower } },
      model_line: { type: 'keyword', fields: { text: englishText, prefix: prefixText } },
      model_number: { ...keywordLower, fields: { prefix: prefixText } },
      description: englishText,
      category: {
        properties: {
          id: { type: 'keyword' },
          leaf: { type: 'keyword', fields: { text: englishText } },
          ids: { type: 'keyword' },
          path: { type: 'keyword', fields: { text: englishText } },
          ...levels,
        },
      },
      attr: { type: 'object', dynamic: true },
      num: { type: 'object', dynamic: true },
      attr_text: englishText,
      search_terms: englishText,
      price: { type: 'double' },
      rating: { type: 'float' },
      review_count: { type: 'integer' },
      stock: { type: 'integer' },
      in_stock: { type: 'boolean' },
      release_date: { type: 'date', format: 'strict_date' },
      popularity: { type: 'float' },
      image: { type: 'keyword', index: false, doc_values: false },
      version: { type: 'long' },
      indexed_at: { type: 'date' },
    },
  };
}
