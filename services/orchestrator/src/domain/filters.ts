import { FILTER_FIELD_PATTERN, isNumericField, type SearchFilter } from '@search-mesh/contracts';
import { InvalidParameter } from './errors';

/**
 * The `filter` query parameter: `field:value|value` for keyword fields (any of the values; `\|` is a
 * literal bar, `\\` a backslash), `field:min..max` for number fields (inclusive, either end open),
 * `in_stock:true|false`. Several filters on one keyword field merge into one (any of their values);
 * several ranges on one number field intersect.
 */
const FIELD = new RegExp(FILTER_FIELD_PATTERN);
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)$/;
const PARAM = 'querystring.filter';

function splitValues(text: string, raw: string): string[] {
  const values: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== '|' && next !== '\\') throw new InvalidParameter(PARAM, `filter "${raw}": "\\" escapes only "|" and "\\"`);
      current += next;
      i++;
    } else if (c === '|') {
      values.push(current);
      current = '';
    } else current += c;
  }
  values.push(current);
  const trimmed = values.map((v) => v.trim());
  if (trimmed.some((v) => v === '')) throw new InvalidParameter(PARAM, `filter "${raw}" has an empty value`);
  return [...new Set(trimmed)];
}

function parseBound(text: string, raw: string): number | undefined {
  if (text === '') return undefined;
  if (!NUMBER.test(text)) throw new InvalidParameter(PARAM, `filter "${raw}": "${text}" is not a number`);
  return Number(text);
}

/** One `filter` parameter value. */
export function parseFilter(raw: string): SearchFilter {
  const colon = raw.indexOf(':');
  if (colon <= 0) throw new InvalidParameter(PARAM, `filter "${raw}" must look like "field:value", "field:value|value" or "field:min..max"`);
  const field = raw.slice(0, colon).trim();
  const rest = raw.slice(colon + 1).trim();
  if (!FIELD.test(field)) {
    throw new InvalidParameter(PARAM, `filter "${raw}": "${field}" is not a filterable field (brand, price, rating, in_stock, attr.<name>, num.<name>)`);
  }
  if (field.startsWith('category.')) throw new InvalidParameter(PARAM, `filter "${raw}": filter categories with the "category" parameter`);
  if (rest === '') throw new InvalidParameter(PARAM, `filter "${raw}" has no value`);
  if (isNumericField(field)) {
    const dots = rest.indexOf('..');
    if (dots < 0) {
      // A single number means exactly that value.
      const value = parseBound(rest, raw);
      return { type: 'range', field, gte: value, lte: value };
    }
    const gte = parseBound(rest.slice(0, dots).trim(), raw);
    const lte = parseBound(rest.slice(dots + 2).trim(), raw);
    if (gte === undefined && lte === undefined) throw new InvalidParameter(PARAM, `filter "${raw}": a range needs at least one end`);
    if (gte !== undefined && lte !== undefined && gte > lte) throw new InvalidParameter(PARAM, `filter "${raw}": the range's minimum is above its maximum`);
    const range: SearchFilter = { type: 'range', field };
    if (gte !== undefined) range.gte = gte;
    if (lte !== undefined) range.lte = lte;
    return range;
  }
  const values = splitValues(rest, raw);
  if (field === 'in_stock' && values.some((v) => v !== 'true' && v !== 'false')) {
    throw new InvalidParameter(PARAM, `filter "${raw}": in_stock is true or false`);
  }
  if (values.length > 50) throw new InvalidParameter(PARAM, `filter "${raw}" has more than 50 values`);
  return { type: 'terms', field, values };
}

/** Every `filter` parameter, merged per field. */
export function parseFilters(raw: readonly string[] | undefined): SearchFilter[] {
  const byField = new Map<string, SearchFilter>();
  for (const text of raw ?? []) {
    const filter = parseFilter(text);
    const previous = byField.get(filter.field);
    if (previous === undefined) {
      byField.set(filter.field, filter);
    } else if (previous.type === 'terms' && filter.type === 'terms') {
      byField.set(filter.field, { ...previous, values: [...new Set([...previous.values, ...filter.values])] });
    } else if (previous.type === 'range' && filter.type === 'range') {
      const gte = previous.gte === undefined ? filter.gte : filter.gte === undefined ? previous.gte : Math.max(previous.gte, filter.gte);
      const lte = previous.lte === undefined ? filter.lte : filter.lte === undefined ? previous.lte : Math.min(previous.lte, filter.lte);
      const merged: SearchFilter = { type: 'range', field: filter.field };
      if (gte !== undefined) merged.gte = gte;
      if (lte !== undefined) merged.lte = lte;
      byField.set(filter.field, merged);
    }
  }
  return [...byField.values()];
}

// The inverse of parseFilter lives with the filter contract: the facet service writes the same tokens.
export { rangeToken, termsToken } from '@search-mesh/contracts';
