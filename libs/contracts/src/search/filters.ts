import { Type, type Static } from '@sinclair/typebox';
import { KeywordValue } from '../query/text';

/**
 * Fields a shopper (or a merchandiser's facet) may filter, facet and sort on: the products index's own
 * (see `@search-mesh/search-index`). Keyword fields: `brand`, `category.lvl0`…`lvl5`, `attr.<name>`;
 * number fields: `price`, `rating`, `num.<name>_<base unit>`; `in_stock` is a boolean.
 */
export const FILTER_FIELD_PATTERN = '^(brand|price|rating|in_stock|category\\.lvl[0-5]|attr\\.[a-z][a-z0-9_]{0,47}|num\\.[a-z][a-z0-9_]{0,63})$';
export const FilterField = Type.String({ pattern: FILTER_FIELD_PATTERN });

/** Fields holding numbers: filtered with ranges, never with values. */
export function isNumericField(field: string): boolean {
  return field === 'price' || field === 'rating' || field.startsWith('num.');
}

/** A filter as data: the field has one of `values`, or lies in [gte, lte]. */
export const SearchFilter = Type.Union([
  Type.Object(
    { type: Type.Literal('terms'), field: FilterField, values: Type.Array(KeywordValue, { minItems: 1, maxItems: 50 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('range'), field: FilterField, gte: Type.Optional(Type.Number()), lte: Type.Optional(Type.Number()) },
    { additionalProperties: false },
  ),
]);
export type SearchFilter = Static<typeof SearchFilter>;

function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

/** The `filter` parameter value that selects these values of a keyword field (the orchestrator's `filter` parameter syntax). */
export function termsToken(field: string, values: readonly string[]): string {
  return `${field}:${values.map(escapeValue).join('|')}`;
}

/** The `filter` parameter value of a range (either end may be open). */
export function rangeToken(field: string, gte: number | undefined, lte: number | undefined): string {
  return `${field}:${gte ?? ''}..${lte ?? ''}`;
}
