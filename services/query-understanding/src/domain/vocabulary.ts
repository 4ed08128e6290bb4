/** The lexicon's data made fast to query: word lookups, phrase matchers, per-unit field statistics. */
import { STOPWORDS } from '@search-mesh/catalog';
import { type AttributeVocabulary, GRAMMAR_WORDS } from './attributes';
import { UNIT_SPELLINGS } from './normalise';
import { ALL, type LexiconData } from './lexicon';
import { PhraseMatcher } from './rules';

export interface MeasureField {
  /** Attribute name, e.g. "screen_size". */
  name: string;
  /** Share of the unit's measurements in the scope that are this attribute. */
  share: number;
  /** The scope the statistics came from: a lvl1 path or "*" (the whole catalog). */
  scope: string;
}

export class Vocabulary implements AttributeVocabulary {
  readonly version: string;
  readonly brands = new PhraseMatcher<string>();
  readonly colours = new PhraseMatcher<string[]>();
  readonly modelNumbers = new PhraseMatcher<true>();
  private readonly words = new Map<string, { count: number; kinds: number }>();
  private readonly categoryByName = new Map<string, { path: string; count: number }>();
  private readonly bigrams = new Map<string, number>();
  /** "airfryer" → ["air fryer", count]: the most common bigram written together as this token. */
  private readonly splits = new Map<string, readonly [string, number]>();

  constructor(private readonly data: LexiconData) {
    this.version = data.version;
    for (const [word, count, kinds] of data.words) this.words.set(word, { count, kinds });
    for (const [key, display] of data.brands) this.brands.add(key.split(' '), display);
    for (const [key, values] of data.colours) this.colours.add(key.split(' '), values);
    for (const model of data.modelNumbers) this.modelNumbers.add(model.split(' '), true);
    for (const [phrase, count] of data.bigrams ?? []) {
      this.bigrams.set(phrase, count);
      const joined = phrase.replace(' ', '');
      const current = this.splits.get(joined);
      if (current === undefined || count > current[1]) this.splits.set(joined, [phrase, count]);
    }
    for (const [name, path, count] of data.categoryNames) {
      const current = this.categoryByName.get(name);
      if (current === undefined || count > current.count) this.categoryByName.set(name, { path, count });
    }
  }

  isKnown(word: string): boolean {
    return this.words.has(word) || STOPWORDS.has(word) || GRAMMAR_WORDS.has(word) || UNIT_SPELLINGS.has(word);
  }

  /** How often "a b" occurs in the catalog and queries (0 when never, or fewer than twice). */
  bigramCount(a: string, b: string): number {
    return this.bigrams.get(`${a} ${b}`) ?? 0;
  }

  /** The bigram written together as `token` ("airfryer" → ["air fryer", count]), if the lexicon has one. */
  splitOf(token: string): readonly [string, number] | undefined {
    return this.splits.get(token);
  }

  /** The weighted count of a word (0 when unknown). */
  count(word: string): number {
    return this.words.get(word)?.count ?? 0;
  }

  /** [word, count] of every word, the spelling corrector's targets. */
  *wordCounts(): Iterable<readonly [string, number]> {
    for (const [word, { count }] of this.words) yield [word, count];
  }

  /** The category path whose name is exactly these content tokens ("laptops" → "... > Laptops"), if any. */
  categoryNamed(contentTokens: string): string | undefined {
    return this.categoryByName.get(contentTokens)?.path;
  }

  /** Which attribute a measure in `unit` most likely is, within `lvl1` when the catalog has data there. */
  measureField(unit: string, lvl1: string | undefined): MeasureField | undefined {
    const byScope = this.data.units[unit];
    if (byScope === undefined) return undefined;
    const scope = lvl1 !== undefined && byScope[lvl1] !== undefined ? lvl1 : ALL;
    const fields = byScope[scope]!;
    let best: string | undefined;
    let total = 0;
    for (const [name, count] of Object.entries(fields)) {
      total += count;
      if (best === undefined || count > fields[best]! || (count === fields[best]! && name < best)) best = name;
    }
    return best === undefined ? undefined : { name: best, share: fields[best]! / total, scope };
  }

  /** [p25, p50, p75] of price within `lvl1`, or over the whole catalog. */
  priceQuartiles(lvl1: string | undefined): { quartiles: [number, number, number]; scope: string } {
    const own = lvl1 === undefined ? undefined : this.data.prices[lvl1];
    return own !== undefined ? { quartiles: own, scope: lvl1! } : { quartiles: this.data.prices[ALL] ?? [0, 0, 0], scope: ALL };
  }
}
