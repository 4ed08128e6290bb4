/**
 * Product nouns from category names: "Cell Phone Cases & Clips" sells a "Cell Phone Case" or a
 * "Cell Phone Clip", "Wireless" under "Microphones" sells a "Wireless Microphone".
 */
import { normaliseQuery, stem } from '../text';

/** Words that stay plural on a single product. */
const PLURAL_PRODUCTS = new Set(['headphones', 'earbuds', 'earphones', 'binoculars', 'glasses', 'batteries', 'supplies', 'electronics', 'scissors', 'series', 'tongs', 'goggles', 'essentials']);
const IRREGULAR: Readonly<Record<string, string>> = {
  mice: 'mouse', knives: 'knife', shelves: 'shelf', lenses: 'lens', movies: 'movie', cookies: 'cookie', accessories: 'accessory',
  selfies: 'selfie', zombies: 'zombie', pies: 'pie', ties: 'tie', boxes: 'box', gps: 'gps', dvds: 'dvd',
};
/** Leaf names that only qualify their parent ("Large" under "Accessory Bags" sells a "Large Accessory Bag"). */
const QUALIFYING_ADJECTIVES = new Set(['large', 'medium', 'small', 'wireless', 'dynamic', 'condenser', 'pre-owned', 'electric', 'acoustic', 'other']);
/** Leaf names that need their parent's name in front ("Radios" under "XM" sells an "XM Radio"). */
const PARENT_QUALIFIED = new Set(['accessory', 'radio', 'game', 'system']);

export function singular(word: string): string {
  const lower = word.toLowerCase();
  if (/^[A-Z0-9]{2,}s$/.test(word)) return word.slice(0, -1); // "TVs", "PCs", "DVDs"
  if (PLURAL_PRODUCTS.has(lower) || lower.length <= 3) return word;
  const irregular = IRREGULAR[lower];
  if (irregular !== undefined) return matchCase(word, irregular);
  if (/[^aeiou]ies$/.test(lower)) return `${word.slice(0, -3)}${word.endsWith('IES') ? 'Y' : 'y'}`;
  if (/(ches|shes|xes|sses|zzes)$/.test(lower)) return word.slice(0, -2);
  if (/s$/.test(lower) && !/(ss|us|is)$/.test(lower)) return word.slice(0, -1);
  return word;
}

function matchCase(original: string, replacement: string): string {
  return original.charAt(0) === original.charAt(0).toUpperCase() ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : replacement;
}

function cleanName(name: string): string {
  return name.replace(/\([^)]*\)/g, '').replace(/^(all|other|more)\s+/i, '').replace(/\s+/g, ' ').trim();
}

/**
 * Singular product nouns a category sells. `consumed` holds stems already said by brand, line or device
 * ("iPhone 6 Cases" with device "iPhone 6" sells a "Case").
 */
export function nounsFor(name: string, parentName: string | undefined, consumed: ReadonlySet<string>, fallback: string): string[] {
  const parts = cleanName(name).split(/\s*(?:,|&|\band\b)\s*/i).filter((p) => p !== '');
  const words = parts.map((p) => p.split(' '));
  // "Cell Phone Cases & Clips": later single words share the first part's modifiers.
  const firstWords = words[0] ?? [];
  const shared = firstWords.slice(0, -1);
  const lastWords = words[words.length - 1] ?? [];
  const nouns: string[] = [];
  words.forEach((w, i) => {
    let phrase = w;
    if (i > 0 && w.length === 1 && shared.length > 0) phrase = [...shared, ...w];
    // "Earbud & In-Ear Headphones": an earlier single word takes the last part's head noun.
    if (i < words.length - 1 && w.length === 1 && shared.length === 0 && lastWords.length > 1) phrase = [...w, lastWords[lastWords.length - 1] as string];
    const kept = phrase.filter((word) => !consumed.has(stem(normaliseQuery(word))));
    if (kept.length === 0) return;
    kept[kept.length - 1] = singular(kept[kept.length - 1] as string);
    nouns.push(kept.join(' '));
  });
  const only = nouns.length === 1 ? (nouns[0] as string) : undefined;
  if (only !== undefined && parentName !== undefined) {
    const parent = () => nounsFor(parentName, undefined, consumed, fallback)[0] ?? fallback;
    if (QUALIFYING_ADJECTIVES.has(only.toLowerCase())) return [`${only} ${parent()}`];
    if (PARENT_QUALIFIED.has(only.toLowerCase())) return [`${parent()} ${only}`];
  }
  return nouns.length > 0 ? nouns : [fallback];
}
