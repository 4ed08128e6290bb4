/**
 * Text normalisation shared by the query split, the generator's vocabulary matching and the coverage
 * benchmark, so that all three agree on what a "token" is.
 */

const DIACRITICS = /\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N}.]+/gu;
/** A dot that is not a decimal point ("6.5" stays one token, "vs." does not). */
const NON_DECIMAL_DOT = /(?<!\p{N})\.|\.(?!\p{N})/gu;

/** Lowercase, NFKC, diacritics stripped, punctuation (but decimal points) to spaces, spaces collapsed. */
export function normaliseQuery(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(DIACRITICS, '')
    .normalize('NFC')
    .replace(NON_WORD, ' ')
    .replace(NON_DECIMAL_DOT, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Tokens of normalised text, in order (duplicates kept). */
export function tokenise(text: string): string[] {
  const normalised = normaliseQuery(text);
  return normalised === '' ? [] : normalised.split(' ');
}

/**
 * Plural stemming, nothing more: enough that "washers" finds "Washer" and "batteries" finds "Battery".
 * Both sides of every comparison go through it, so consistency matters more than linguistics.
 */
export function stem(token: string): string {
  if (token.length <= 3 || /\d/.test(token)) return token;
  if (token.endsWith('ies') && token.length > 4) return `${token.slice(0, -3)}y`;
  if (/(?:ches|shes|xes|sses|zzes)$/.test(token)) return token.slice(0, -2);
  if (token.endsWith('s') && !/(?:ss|us|is|ous)$/.test(token)) return token.slice(0, -1);
  return token;
}

/** Function words and storefront filler that carry no product meaning. */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'and', 'or', 'of', 'for', 'with', 'without', 'in', 'on', 'at', 'to', 'by', 'from',
  'is', 'are', 'be', 'it', 'its', 'this', 'that', 'these', 'those', 'my', 'your', 'you', 'me', 'i', 'we',
  'our', 'what', 'how', 'who', 'which', 'do', 'does', 'can', 'will', 'all', 'some', 'any', 'not', 'no',
  'hello', 'hi', 'hey', 'thank', 'thanks', 'please', 'whatever', 'something', 'nothing', 'someone',
  'another', 'test', 'tested', 'testing', 'search',
]);

/** Stemmed content tokens of a text: the unit of every vocabulary comparison in this library. */
export function contentTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const token of tokenise(text)) {
    if (!STOPWORDS.has(token)) tokens.push(stem(token));
  }
  return tokens;
}

/** Units as written in attributes, and the words shoppers type for them. */
const UNIT_ALIASES: Readonly<Record<string, readonly string[]>> = {
  in: ['inch'],
  ft: ['foot', 'feet'],
  'cu ft': ['cubic', 'feet'],
  w: ['watt'],
  h: ['hour'],
  min: ['minute'],
  qt: ['quart'],
  mp: ['megapixel'],
  lb: ['pound'],
  hz: ['hertz'],
};

/**
 * Index tokens of an attribute value with its unit: the value, the unit, the glued form ("1tb") and the
 * spelled-out unit ("inch"), as a search index with unit normalisation would see them.
 */
export function measureTokens(value: string | number, unit: string | undefined): string[] {
  const tokens = contentTokens(String(value));
  if (unit === undefined) return tokens;
  const unitKey = unit.toLowerCase();
  tokens.push(...contentTokens(unit), ...(UNIT_ALIASES[unitKey] ?? []).map(stem));
  if (typeof value === 'number') tokens.push(`${value}${unitKey.replace(/\s+/g, '')}`);
  return tokens;
}
