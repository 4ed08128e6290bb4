/**
 * Query normalisation: case, Unicode (NFKC, diacritics), punctuation, numbers and units, so every later
 * step (rules, spelling, attributes, the classifier's features) sees one spelling of the same query.
 * Builds on the catalog's `normaliseQuery` (the definition of a token the whole mesh shares) and adds
 * what a query needs beyond it: `65"`, `65in`, `65-inch` and `65 inches` all become `65 in`.
 */
import { normaliseQuery } from '@search-mesh/catalog';

/** Unit spellings shoppers type → the canonical unit token (the spelling `@search-mesh/search-index` knows). */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  in: 'in', inch: 'in', inches: 'in', inchs: 'in',
  ft: 'ft', foot: 'ft', feet: 'ft',
  cm: 'cm', mm: 'mm',
  mb: 'mb', gb: 'gb', tb: 'tb', gig: 'gb', gigs: 'gb', terabyte: 'tb', terabytes: 'tb', gigabyte: 'gb', gigabytes: 'gb',
  w: 'w', watt: 'w', watts: 'w', kw: 'kw',
  mah: 'mah',
  hz: 'hz', khz: 'khz', mhz: 'mhz', ghz: 'ghz', hertz: 'hz',
  mp: 'mp', megapixel: 'mp', megapixels: 'mp',
  lb: 'lb', lbs: 'lb', pound: 'lb', pounds: 'lb', oz: 'oz', ounce: 'oz', ounces: 'oz', kg: 'kg',
  qt: 'qt', quart: 'qt', quarts: 'qt', gal: 'gal', gallon: 'gal', gallons: 'gal',
  btu: 'btu', v: 'v', volt: 'v', volts: 'v', db: 'db',
  hr: 'h', hrs: 'h', hour: 'h', hours: 'h', min: 'min', mins: 'min', minute: 'min', minutes: 'min',
};
/** Two-word units, after normalisation ("cu. ft." → "cu ft"). */
const CUBIC_FEET = new Set(['cu ft', 'cubic ft', 'cubic feet', 'cubic foot', 'cu feet']);

/** No product word is longer; a longer "word" is noise (or an attack) and is dropped. */
export const MAX_TOKEN_LENGTH = 48;
/** Words past this many are dropped: a query that long is not a product search any more. */
export const MAX_TOKENS = 32;

const NUMBER = /^\d+(?:\.\d+)?$/;
const GLUED_UNIT = /^(\d+(?:\.\d+)?)([a-z]+)$/;

export interface NormalisedQuery {
  text: string;
  tokens: string[];
}

/** Marks inches and feet written with quotes, dollars and thousands separators before punctuation goes. */
function rewriteSymbols(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')
    .replace(/(\d)\s*(?:"|''|\u201d|\u2033)/g, '$1 in ')
    .replace(/(\d)\s*(?:'|\u2019|\u2032)(?!\w)/g, '$1 ft ')
    .replace(/\$\s*(\d+(?:\.\d+)?)/g, ' $1 dollars ');
}

/** Every unit spelling the normaliser understands: words the spelling corrector must leave alone. */
export const UNIT_SPELLINGS: ReadonlySet<string> = new Set([...Object.keys(UNIT_WORDS), 'cu', 'cubic']);

export function isNumberToken(token: string): boolean {
  return NUMBER.test(token);
}

/** The canonical unit for a token that follows a number, or undefined. */
export function unitOf(token: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(UNIT_WORDS, token) ? UNIT_WORDS[token] : undefined;
}

export function normaliseText(raw: string): NormalisedQuery {
  const base = normaliseQuery(rewriteSymbols(raw));
  const words = base === '' ? [] : base.split(' ').filter((w) => w.length <= MAX_TOKEN_LENGTH);
  const tokens: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const glued = GLUED_UNIT.exec(word);
    const gluedUnit = glued ? unitOf(glued[2]!) : undefined;
    if (glued && gluedUnit !== undefined) {
      tokens.push(glued[1]!, gluedUnit);
      continue;
    }
    const previous = tokens[tokens.length - 1];
    if (previous !== undefined && isNumberToken(previous)) {
      const pair = `${word} ${words[i + 1] ?? ''}`;
      if (CUBIC_FEET.has(pair)) {
        tokens.push('cu', 'ft');
        i++;
        continue;
      }
      const unit = unitOf(word);
      if (unit !== undefined) {
        tokens.push(unit);
        continue;
      }
    }
    tokens.push(word);
  }
  if (tokens.length > MAX_TOKENS) tokens.length = MAX_TOKENS;
  return { text: tokens.join(' '), tokens };
}
