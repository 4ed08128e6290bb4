/**
 * The merchandiser's blocklist: phrases (folded, whole words) that no suggestion may contain. Compiled
 * once per change and swapped in with one assignment; each request reads the current list once.
 */
import { words } from './text';

export const BLOCKLIST_LIMITS = { maxPhrases: 10_000, maxPhraseLength: 200 } as const;

export class Blocklist {
  /** First word → the phrases (as word arrays) starting with it. */
  private readonly byFirstWord: Map<string, string[][]>;
  readonly phrases: readonly string[];

  constructor(phrases: readonly string[]) {
    const folded = [...new Set(phrases.map((p) => words(p).join(' ')).filter((p) => p !== ''))].sort();
    this.phrases = folded;
    this.byFirstWord = new Map();
    for (const phrase of folded) {
      const ws = phrase.split(' ');
      const first = ws[0] as string;
      const list = this.byFirstWord.get(first);
      if (list === undefined) this.byFirstWord.set(first, [ws]);
      else list.push(ws);
    }
  }

  static readonly EMPTY = new Blocklist([]);

  get size(): number {
    return this.phrases.length;
  }

  /** Whether the folded words contain a blocked phrase as consecutive whole words. */
  blocks(textWords: readonly string[]): boolean {
    if (this.byFirstWord.size === 0) return false;
    for (let i = 0; i < textWords.length; i++) {
      const candidates = this.byFirstWord.get(textWords[i] as string);
      if (candidates === undefined) continue;
      for (const phrase of candidates) {
        if (i + phrase.length > textWords.length) continue;
        let all = true;
        for (let j = 1; j < phrase.length && all; j++) all = textWords[i + j] === phrase[j];
        if (all) return true;
      }
    }
    return false;
  }
}
