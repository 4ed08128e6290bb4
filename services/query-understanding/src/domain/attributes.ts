/**
 * Attribute extraction: reads price constraints, measures with units, brands, colours and model numbers
 * out of a query's tokens. Price and measure phrases are consumed (they become filters or boosts, not
 * words to match); brands, colours and model numbers stay terms, with a role, and add boosts.
 */
import { isNumberToken } from './normalise';
import type { PhraseMatcher } from './rules';

export type Comparator = 'eq' | 'lte' | 'gte' | 'between';

export interface PriceConstraint {
  gte?: number;
  lte?: number;
  phrase: string;
}

export interface Measure {
  value: number;
  /** Upper bound for `between`. */
  to?: number;
  unit: string;
  comparator: Comparator;
  phrase: string;
}

export interface Span<T> {
  start: number;
  end: number;
  value: T;
}

export interface Extraction {
  /** Tokens left to match as text, with their role. */
  terms: Array<{ text: string; role: 'word' | 'brand' | 'model_number' | 'colour' }>;
  prices: PriceConstraint[];
  /** "cheap", "budget": the shopper wants the low end of the price range. */
  cheap: string | undefined;
  measures: Measure[];
  brands: Array<{ key: string; display: string; compatibleWith: boolean }>;
  colours: Array<{ key: string; values: string[] }>;
  modelNumbers: string[];
}

export interface AttributeVocabulary {
  brands: PhraseMatcher<string>;
  colours: PhraseMatcher<string[]>;
  modelNumbers: PhraseMatcher<true>;
}

const LTE = [['under'], ['below'], ['less', 'than'], ['up', 'to'], ['cheaper', 'than'], ['no', 'more', 'than'], ['at', 'most'], ['lower', 'than']];
const GTE = [['over'], ['above'], ['more', 'than'], ['at', 'least'], ['starting', 'at'], ['from']];
const AROUND = [['around'], ['about'], ['approximately'], ['approx']];
const MONEY = new Set(['dollars', 'dollar', 'usd', 'bucks']);
const CHEAP = new Set(['cheap', 'cheapest', 'cheaper', 'inexpensive', 'budget', 'affordable', 'bargain']);
/** Words after which a brand names what a product fits, not who made it ("case for iphone"). */
const COMPATIBLE = new Set(['for', 'compatible', 'fits']);
const MULTI_UNIT = new Set(['cu']);

/** Words of the price and measure grammar: never spelling-corrected. */
export const GRAMMAR_WORDS: ReadonlySet<string> = new Set([...LTE, ...GTE, ...AROUND].flat().concat([...MONEY, ...CHEAP, 'between', 'and', 'to']));

function matchWords(tokens: readonly string[], at: number, phrases: string[][]): number {
  for (const phrase of phrases) if (phrase.every((word, k) => tokens[at + k] === word)) return phrase.length;
  return 0;
}

/** A number at `at`, followed by a unit (one or two tokens) or money: [value, unit | 'money' | undefined, tokens used]. */
function quantity(tokens: readonly string[], at: number, unitOf: (t: string) => string | undefined): [number, string | undefined, number] | null {
  const token = tokens[at];
  if (token === undefined || !isNumberToken(token)) return null;
  const value = Number(token);
  const next = tokens[at + 1];
  if (next !== undefined && MONEY.has(next)) return [value, 'money', 2];
  if (next !== undefined && MULTI_UNIT.has(next) && tokens[at + 2] === 'ft') return [value, 'cu ft', 3];
  // "2 in 1" is a kind of laptop, not two inches.
  const unit = next === undefined ? undefined : unitOf(next);
  if (unit !== undefined && !(tokens[at + 2] !== undefined && isNumberToken(tokens[at + 2]!))) return [value, unit, 2];
  return [value, undefined, 1];
}

export function extractAttributes(tokens: readonly string[], vocabulary: AttributeVocabulary, unitOf: (t: string) => string | undefined): Extraction {
  const out: Extraction = { terms: [], prices: [], cheap: undefined, measures: [], brands: [], colours: [], modelNumbers: [] };
  const moneyOrBare = (unit: string | undefined) => unit === 'money' || unit === undefined;
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i]!;
    // between N and|to M
    if (token === 'between') {
      const low = quantity(tokens, i + 1, unitOf);
      const joiner = low ? tokens[i + 1 + low[2]] : undefined;
      if (low && low[1] === undefined && (joiner === 'and' || joiner === 'to')) {
        const high = quantity(tokens, i + 2 + low[2], unitOf);
        if (high) {
          const used = 2 + low[2] + high[2];
          const phrase = tokens.slice(i, i + used).join(' ');
          const [lo, hi] = low[0] <= high[0] ? [low[0], high[0]] : [high[0], low[0]];
          if (moneyOrBare(high[1])) out.prices.push({ gte: lo, lte: hi, phrase });
          else out.measures.push({ value: lo, to: hi, unit: high[1]!, comparator: 'between', phrase });
          i += used;
          continue;
        }
      }
    }
    const lte = matchWords(tokens, i, LTE);
    const gte = lte === 0 ? matchWords(tokens, i, GTE) : 0;
    const around = lte === 0 && gte === 0 ? matchWords(tokens, i, AROUND) : 0;
    const words = lte || gte || around;
    if (words > 0) {
      const q = quantity(tokens, i + words, unitOf);
      // "from" and "around" need money or a unit: "from 2019" is not a price.
      if (q && (lte > 0 || gte > 0 ? token !== 'from' || q[1] !== undefined : q[1] !== undefined)) {
        const used = words + q[2];
        const phrase = tokens.slice(i, i + used).join(' ');
        const [value, unit] = q;
        if (moneyOrBare(unit)) {
          if (lte > 0) out.prices.push({ lte: value, phrase });
          else if (gte > 0) out.prices.push({ gte: value, phrase });
          else out.prices.push({ gte: Math.round(value * 0.8 * 100) / 100, lte: Math.round(value * 1.2 * 100) / 100, phrase });
        } else {
          out.measures.push({ value, unit: unit!, comparator: lte > 0 ? 'lte' : gte > 0 ? 'gte' : 'eq', phrase });
        }
        i += used;
        continue;
      }
    }
    // N to M dollars
    const q = quantity(tokens, i, unitOf);
    if (q && q[1] === undefined && tokens[i + 1] === 'to') {
      const high = quantity(tokens, i + 2, unitOf);
      if (high && high[1] === 'money') {
        out.prices.push({ gte: Math.min(q[0], high[0]), lte: Math.max(q[0], high[0]), phrase: tokens.slice(i, i + 2 + high[2]).join(' ') });
        i += 2 + high[2];
        continue;
      }
    }
    if (q && q[1] === 'money') {
      out.prices.push({ lte: q[0], phrase: tokens.slice(i, i + q[2]).join(' ') });
      i += q[2];
      continue;
    }
    if (q && q[1] !== undefined) {
      out.measures.push({ value: q[0], unit: q[1], comparator: 'eq', phrase: tokens.slice(i, i + q[2]).join(' ') });
      i += q[2];
      continue;
    }
    if (CHEAP.has(token)) {
      out.cheap = token;
      i++;
      continue;
    }
    const model = vocabulary.modelNumbers.matchAt(tokens, i);
    if (model !== undefined && /\d/.test(model.tokens.join(''))) {
      const text = model.tokens.join(' ');
      out.modelNumbers.push(text);
      out.terms.push({ text, role: 'model_number' });
      i += model.tokens.length;
      continue;
    }
    const brand = vocabulary.brands.matchAt(tokens, i);
    if (brand !== undefined) {
      const key = brand.tokens.join(' ');
      const previous = tokens[i - 1];
      out.brands.push({ key, display: brand.value, compatibleWith: previous !== undefined && COMPATIBLE.has(previous) });
      out.terms.push({ text: key, role: 'brand' });
      i += brand.tokens.length;
      continue;
    }
    const colour = vocabulary.colours.matchAt(tokens, i);
    if (colour !== undefined) {
      const key = colour.tokens.join(' ');
      out.colours.push({ key, values: colour.value });
      out.terms.push({ text: key, role: 'colour' });
      i += colour.tokens.length;
      continue;
    }
    out.terms.push({ text: token, role: 'word' });
    i++;
  }
  return out;
}
