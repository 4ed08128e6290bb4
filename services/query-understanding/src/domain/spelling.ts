/**
 * Spelling correction, SymSpell-style: every vocabulary word's deletions (within `maxDistance`, on its
 * first `prefixLength` characters) index the word, so a misspelling finds its candidates by generating its
 * own deletions, without scanning the vocabulary. Candidates are verified with the Damerau–Levenshtein
 * (optimal string alignment) distance and scored by how common they are, discounted per edit.
 *
 * Only unknown words are ever corrected: a word the lexicon knows (any brand, model, attribute value,
 * category or product word, or a word of a merchandiser rule), its singular, any token with a digit and
 * any word shorter than `minLength` is left as typed. The confidence weighs the best candidate against
 * the others and against the chance that the word is right and merely unknown (`unknownPrior`).
 */
import { stem } from '@search-mesh/catalog';

export interface SpellingOptions {
  maxDistance: number;
  prefixLength: number;
  /** Shortest word corrected at all; words up to `oneEditMaxLength` only with one edit. */
  minLength: number;
  oneEditMaxLength: number;
  /** Score of "the word is right as typed", in the same units as candidate counts. */
  unknownPrior: number;
  /** Each edit divides a candidate's score by e^editPenalty. */
  editPenalty: number;
  /** A typo rarely changes the first letter: candidates that keep it score this many times more. */
  sameFirstLetterBonus: number;
  /** Confidence from which the correction is searched; below it, down to `suggestThreshold`, only suggested. */
  searchThreshold: number;
  suggestThreshold: number;
  /** Joining "a b" into a known word needs the word this common, and the bigram this many times rarer. */
  joinMinCount: number;
  joinRatio: number;
  /** Common English words up to this SCOWL size are never corrected (0: none; see english.ts). */
  englishMaxSize: number;
  /** A missing or extra space divides a candidate's score by e^spacePenalty (every letter was right). */
  spacePenalty: number;
}

export const DEFAULT_SPELLING_OPTIONS: SpellingOptions = {
  maxDistance: 2,
  prefixLength: 7,
  minLength: 4,
  oneEditMaxLength: 5,
  unknownPrior: 2,
  editPenalty: 3,
  sameFirstLetterBonus: 4,
  searchThreshold: 0.75,
  suggestThreshold: 0.5,
  joinMinCount: 50,
  joinRatio: 20,
  englishMaxSize: 35,
  spacePenalty: 1.5,
};

/** Knowledge beyond the word list that makes corrections context- and language-aware. */
export interface SpellingContext {
  /** The bigram written together as this token ("airfryer" → ["air fryer", count]). */
  splitOf?(token: string): readonly [string, number] | undefined;
  /** How often "a b" occurs (joins: "lap top" → "laptop" only when "lap top" is not itself common). */
  bigramCount?(a: string, b: string): number;
  /** The count of a known word (joins). */
  count?(word: string): number;
  /** A common English word: typed on purpose even when the catalog never uses it. */
  isEnglish?(word: string): boolean;
}

export interface TokenCorrection {
  from: string;
  to: string;
  distance: number;
  confidence: number;
}

/** Optimal string alignment distance, or `max + 1` as soon as it must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = b.length;
  let twoBack = new Array<number>(n + 1).fill(0);
  let previous = Array.from({ length: n + 1 }, (_, j) => j);
  let current = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        value = Math.min(value, twoBack[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[n]!;
}

/** Every string made by deleting up to `distance` characters of `word` (the word itself included). */
export function deletions(word: string, distance: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let d = 0; d < distance; d++) {
    const next: string[] = [];
    for (const w of frontier) {
      if (w.length <= 1) continue;
      for (let i = 0; i < w.length; i++) {
        const deleted = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(deleted)) {
          out.add(deleted);
          next.push(deleted);
        }
      }
    }
    frontier = next;
  }
  return out;
}

export class SpellingCorrector {
  private readonly words: string[] = [];
  private readonly counts: number[] = [];
  private readonly index = new Map<string, number | number[]>();

  constructor(
    /** Correction targets: [word, count]; only alphabetic words are used. */
    targets: Iterable<readonly [string, number]>,
    /** True for a word that must never be corrected. */
    private readonly isKnown: (word: string) => boolean,
    readonly options: SpellingOptions = DEFAULT_SPELLING_OPTIONS,
    private readonly context: SpellingContext = {},
  ) {
    for (const [word, count] of targets) {
      if (!/^[a-z]{2,}$/.test(word) || count <= 0) continue;
      const id = this.words.push(word) - 1;
      this.counts.push(count);
      for (const key of deletions(word.slice(0, options.prefixLength), options.maxDistance)) {
        const entry = this.index.get(key);
        if (entry === undefined) this.index.set(key, id);
        else if (typeof entry === 'number') this.index.set(key, [entry, id]);
        else entry.push(id);
      }
    }
  }

  get size(): number {
    return this.words.length;
  }

  /** Whether `token` is left as typed whatever the candidates are. */
  isProtected(token: string): boolean {
    return (
      token.length < this.options.minLength || /[^a-z]/.test(token) || this.isKnown(token) || this.isKnown(stem(token)) || this.context.isEnglish?.(token) === true
    );
  }

  /**
   * "a b" typed apart that the catalog writes as one word ("lap top" → "laptop"): the joined word is
   * common (≥ joinMinCount) and the pair itself is at least joinRatio times rarer, so a pair that is also
   * a real phrase ("smart watch") stays. Confidence: the joined word's count against the pair's and the
   * unknown prior.
   */
  join(a: string, b: string): TokenCorrection | null {
    const o = this.options;
    if (!/^[a-z]+$/.test(a) || !/^[a-z]+$/.test(b) || a.length + b.length < o.minLength) return null;
    const joined = a + b;
    const count = this.context.count?.(joined) ?? 0;
    if (count < o.joinMinCount) return null;
    const pair = this.context.bigramCount?.(a, b) ?? 0;
    if (pair * o.joinRatio > count) return null;
    const score = count * Math.exp(-o.spacePenalty) * o.sameFirstLetterBonus;
    return { from: `${a} ${b}`, to: joined, distance: 1, confidence: score / (score + o.unknownPrior + pair) };
  }

  /** The best correction of one token with its confidence, or null when it is protected or has no candidate. */
  correct(token: string): TokenCorrection | null {
    if (this.isProtected(token)) return null;
    const o = this.options;
    const maxDistance = token.length <= o.oneEditMaxLength ? 1 : o.maxDistance;
    const seen = new Set<number>();
    let total = o.unknownPrior;
    let best: { id: number; distance: number; score: number } | null = null;
    for (const key of deletions(token.slice(0, o.prefixLength), maxDistance)) {
      const entry = this.index.get(key);
      if (entry === undefined) continue;
      for (const id of typeof entry === 'number' ? [entry] : entry) {
        if (seen.has(id)) continue;
        seen.add(id);
        const word = this.words[id]!;
        const distance = editDistance(token, word, maxDistance);
        if (distance > maxDistance) continue;
        const score = this.counts[id]! * Math.exp(-o.editPenalty * distance) * (word[0] === token[0] ? o.sameFirstLetterBonus : 1);
        total += score;
        if (best === null || score > best.score || (score === best.score && word < this.words[best.id]!)) best = { id, distance, score };
      }
    }
    // A space left out ("airfryer"): the bigram written together competes like a one-edit candidate.
    const split = this.context.splitOf?.(token);
    let splitScore = 0;
    if (split !== undefined) {
      splitScore = split[1] * Math.exp(-o.spacePenalty) * o.sameFirstLetterBonus;
      total += splitScore;
    }
    if (split !== undefined && (best === null || splitScore > best.score)) return { from: token, to: split[0], distance: 1, confidence: splitScore / total };
    if (best === null) return null;
    return { from: token, to: this.words[best.id]!, distance: best.distance, confidence: best.score / total };
  }
}
