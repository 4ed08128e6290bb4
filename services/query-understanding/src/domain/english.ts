/**
 * Common English words (SCOWL, see training/build-english.ts): a word the shopper typed that is common
 * English is taken as meant, even when the catalog never uses it ("this is an ample" is not "apple",
 * "amount" is not "mount", "t shirt" is not "t short"). Only words up to `maxSize` count (10 = the most
 * common words, 60 = rarer ones): the larger the size, the more real typos that happen to be rare English
 * words are left alone.
 */
export const ENGLISH_SIZES = [10, 20, 35, 40, 50, 55, 60] as const;

export interface EnglishData {
  version: string;
  source: string;
  /** SCOWL's copyright and permission notice, which must accompany copies. */
  notice: string;
  /** SCOWL size → words first listed at that size. */
  bySize: Record<string, string[]>;
}

export class EnglishWords {
  readonly version: string;
  private readonly words = new Set<string>();

  constructor(data: EnglishData, readonly maxSize: number) {
    this.version = data.version;
    for (const size of ENGLISH_SIZES) if (size <= maxSize) for (const word of data.bySize[String(size)] ?? []) this.words.add(word);
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  get size(): number {
    return this.words.size;
  }
}
