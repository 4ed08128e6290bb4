/**
 * The in-memory suggestion index: immutable once built, so a rebuilt one swaps in with one assignment.
 *
 * - Every distinct folded word of every entry sits in one sorted array (its position is the word id) and
 *   in a character trie over that array: a trie node is a contiguous range of word ids (all words with
 *   that prefix) and keeps the top K entries containing any of them ("top-k per node").
 * - A typed word is looked up as a prefix: exactly (one trie walk), or with typos (Damerau/OSA distance
 *   between the typed word and a trie path, one edit from 4 characters, two from 8), giving a few
 *   (range, cost, depth) matches.
 * - Multi-word input: the most selective typed word supplies the candidates (every entry of its ranges
 *   when they are small, else the top K of its nodes); every other typed word must match a different word
 *   of the candidate, each as a prefix ("sam gal" → "samsung galaxy").
 */
import type { SuggestionKind } from './types';
import { alignRuns, type WordRun } from './text';
import { MAX_QUERY_WORDS, MAX_WORD_LENGTH, maxEdits, words } from './text';

export interface EntryInput {
  /** What to show and put in the search box. */
  text: string;
  kind: SuggestionKind;
  /** Popularity on one scale for all kinds (higher first). */
  score: number;
  /** Category paths (names joined by " > ") the entry's results live in, most relevant first. */
  categories: readonly string[];
  /** Category path of a category-scoped suggestion ("tv in 4K Ultra HD TVs"), when one dominates. */
  scope?: string;
}

export interface Entry extends EntryInput {
  id: number;
  /** Word ids, in order. */
  words: Int32Array;
  runs: WordRun[] | null;
  /** Folded categories, for the `category` filter. */
  foldedCategories: readonly string[];
}

interface TrieNode {
  lo: number;
  hi: number;
  depth: number;
  /** Entries under this prefix, at most `TOP_K`, best first. */
  top: Int32Array;
  /** How many (word, entry) postings lie under this node: the cost of enumerating them all. */
  postings: number;
  children: Map<number, TrieNode>;
}

/** A typed word's match: every word id in [lo, hi) has a prefix of `depth` characters within `cost` edits. */
export interface WordMatch {
  node: TrieNode;
  cost: number;
}

export interface Hit {
  entry: Entry;
  score: number;
  /** Per entry word position, how many characters the shopper's input matched (for highlighting). */
  marks: Map<number, number>;
  edits: number;
}

export interface SearchOptions {
  limit: number;
  /** Only entries whose categories lie under this path (folded). */
  category?: string;
  /** Drop entries for which this returns true (the blocklist). */
  exclude?: (entry: Entry) => boolean;
}

export const TOP_K = 48;
/** Below this many postings the candidates are enumerated exactly; above, the nodes' top K are used. */
const ENUMERATE_LIMIT = 4000;
/** Weight of a match that does not start at the entry's first word ("galaxy" → "samsung galaxy"). */
export const INFIX_WEIGHT = 0.15;
const OUT_OF_ORDER_WEIGHT = 0.5;
const EDIT_WEIGHT = 0.12;

function emptyNode(depth: number, lo: number): TrieNode {
  return { lo, hi: lo, depth, top: new Int32Array(0), postings: 0, children: new Map() };
}

export class SuggestIndex {
  readonly entries: readonly Entry[];
  readonly vocabulary: readonly string[];
  private readonly root: TrieNode;
  /** Word id → entry ids containing it, best first. */
  private readonly postings: Int32Array[];
  /** Scratch for deduplicating candidates without allocating: entry id → stamp of the last search. */
  private readonly seen: Uint32Array;
  private stamp = 0;

  private constructor(entries: Entry[], vocabulary: string[], root: TrieNode, postings: Int32Array[]) {
    this.entries = entries;
    this.vocabulary = vocabulary;
    this.root = root;
    this.postings = postings;
    this.seen = new Uint32Array(entries.length);
  }

  static build(inputs: readonly EntryInput[]): SuggestIndex {
    const folded = inputs.map((input) => words(input.text).map((w) => w.slice(0, MAX_WORD_LENGTH)));
    const vocabulary = [...new Set(folded.flat())].sort();
    const wordId = new Map(vocabulary.map((w, i) => [w, i]));
    // Entries ranked best first, so an entry id order is a score order.
    const order = inputs.map((_, i) => i).filter((i) => (folded[i] as string[]).length > 0);
    order.sort((a, b) => (inputs[b] as EntryInput).score - (inputs[a] as EntryInput).score || (inputs[a] as EntryInput).text.localeCompare((inputs[b] as EntryInput).text));
    const entries: Entry[] = order.map((i, id) => {
      const input = inputs[i] as EntryInput;
      const ws = folded[i] as string[];
      return {
        ...input,
        id,
        words: Int32Array.from(ws, (w) => wordId.get(w) as number),
        runs: alignRuns(input.text, ws),
        foldedCategories: input.categories.map((c) => c.toLowerCase()),
      };
    });
    // Postings with a priority: entries where the word is the first one come before infix ones.
    const lists: Array<Array<{ id: number; priority: number }>> = vocabulary.map(() => []);
    for (const entry of entries) {
      const firstSeen = new Set<number>();
      entry.words.forEach((w, position) => {
        if (firstSeen.has(w)) return;
        firstSeen.add(w);
        (lists[w] as Array<{ id: number; priority: number }>).push({ id: entry.id, priority: entry.score * (position === 0 ? 1 : INFIX_WEIGHT) });
      });
    }
    const byPriority = (a: { id: number; priority: number }, b: { id: number; priority: number }) => b.priority - a.priority || a.id - b.id;
    for (const list of lists) list.sort(byPriority);
    const postings = lists.map((list) => Int32Array.from(list, (p) => p.id));

    const root = emptyNode(0, 0);
    vocabulary.forEach((word, id) => {
      let node = root;
      node.hi = id + 1;
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        let child = node.children.get(c);
        if (child === undefined) {
          child = emptyNode(i + 1, id);
          node.children.set(c, child);
        }
        child.hi = id + 1;
        node = child;
      }
    });
    // Top K per node, bottom up: the best of the children's tops and the postings of the word ending here.
    const fill = (node: TrieNode): Map<number, number> => {
      const best = new Map<number, number>();
      let count = 0;
      const offer = (id: number, priority: number) => {
        if ((best.get(id) ?? -1) < priority) best.set(id, priority);
      };
      for (const child of node.children.values()) {
        const childBest = fill(child);
        count += child.postings;
        for (const [id, priority] of childBest) offer(id, priority);
      }
      const wordHere = vocabulary[node.lo];
      if (node.depth > 0 && wordHere !== undefined && wordHere.length === node.depth) {
        const list = lists[node.lo] as Array<{ id: number; priority: number }>;
        count += list.length;
        for (const p of list.slice(0, TOP_K)) offer(p.id, p.priority);
      }
      const top = [...best].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, TOP_K);
      node.top = Int32Array.from(top, ([id]) => id);
      node.postings = count;
      return new Map(top);
    };
    fill(root);
    return new SuggestIndex(entries, vocabulary, root, postings);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Trie nodes whose prefix is within the allowed edits of `word`, each only if cheaper than its matched ancestors. */
  matchWord(word: string): WordMatch[] {
    const edits = maxEdits(word.length);
    if (edits === 0) {
      let node: TrieNode | undefined = this.root;
      for (let i = 0; i < word.length && node !== undefined; i++) node = node.children.get(word.charCodeAt(i));
      return node === undefined ? [] : [{ node, cost: 0 }];
    }
    const n = word.length;
    const codes = Array.from({ length: n }, (_, i) => word.charCodeAt(i));
    const matches: WordMatch[] = [];
    const first = Array.from({ length: n + 1 }, (_, i) => i);
    const walk = (node: TrieNode, c: number, prevC: number, prev: number[], prevPrev: number[] | null, ancestorCost: number) => {
      const row = new Array<number>(n + 1);
      row[0] = (prev[0] as number) + 1;
      let min = row[0];
      for (let i = 1; i <= n; i++) {
        const sub = (prev[i - 1] as number) + (codes[i - 1] === c ? 0 : 1);
        let v = Math.min((row[i - 1] as number) + 1, (prev[i] as number) + 1, sub);
        if (prevPrev !== null && i > 1 && codes[i - 1] === prevC && codes[i - 2] === c) v = Math.min(v, (prevPrev[i - 2] as number) + 1);
        row[i] = v;
        if (v < min) min = v;
      }
      const cost = row[n] as number;
      let nextAncestor = ancestorCost;
      if (cost <= edits && cost < ancestorCost) {
        matches.push({ node, cost });
        nextAncestor = cost;
        if (cost === 0) return;
      }
      if (min > edits) return;
      for (const [cc, child] of node.children) walk(child, cc, c, row, prev, nextAncestor);
    };
    for (const [c, child] of this.root.children) walk(child, c, -1, first, null, Infinity);
    return matches;
  }

  search(input: string, options: SearchOptions): Hit[] {
    const typed = words(input).slice(0, MAX_QUERY_WORDS).map((w) => w.slice(0, MAX_WORD_LENGTH));
    if (typed.length === 0 || options.limit <= 0) return [];
    const matched = typed.map((w) => this.matchWord(w));
    if (matched.some((m) => m.length === 0)) return [];
    // The most selective typed word drives candidate generation.
    let driver = 0;
    let driverPostings = Infinity;
    matched.forEach((m, i) => {
      const postings = m.reduce((sum, x) => sum + x.node.postings, 0);
      if (postings < driverPostings) {
        driverPostings = postings;
        driver = i;
      }
    });
    const stamp = this.nextStamp();
    const hits: Hit[] = [];
    const consider = (id: number) => {
      if (this.seen[id] === stamp) return;
      this.seen[id] = stamp;
      const entry = this.entries[id] as Entry;
      if (options.category !== undefined && !entry.foldedCategories.some((c) => c === options.category || c.startsWith(`${options.category} > `))) return;
      const hit = this.verify(entry, matched);
      if (hit !== null && !(options.exclude?.(entry) ?? false)) hits.push(hit);
    };
    const driverMatches = matched[driver] as WordMatch[];
    if (driverPostings <= ENUMERATE_LIMIT || options.category !== undefined) {
      for (const { node } of driverMatches) for (let w = node.lo; w < node.hi; w++) for (const id of this.postings[w] as Int32Array) consider(id);
    } else {
      for (const { node } of driverMatches) for (const id of node.top) consider(id);
    }
    hits.sort((a, b) => b.score - a.score || a.entry.id - b.entry.id);
    return hits.slice(0, options.limit);
  }

  /** Whether every typed word matches a different word of the entry, and how well. */
  private verify(entry: Entry, matched: readonly WordMatch[][]): Hit | null {
    const used = new Set<number>();
    const marks = new Map<number, number>();
    let edits = 0;
    let lastPosition = -1;
    let inOrder = true;
    let startsAtFirst = false;
    for (let t = 0; t < matched.length; t++) {
      let bestPosition = -1;
      let bestCost = Infinity;
      let bestDepth = 0;
      for (let p = 0; p < entry.words.length; p++) {
        if (used.has(p)) continue;
        const w = entry.words[p] as number;
        for (const { node, cost } of matched[t] as WordMatch[]) {
          if (w < node.lo || w >= node.hi) continue;
          // Prefer the cheapest match, then the first position after the previous typed word.
          const better = cost < bestCost || (cost === bestCost && bestPosition < lastPosition && p > lastPosition);
          if (better) {
            bestCost = cost;
            bestPosition = p;
            bestDepth = node.depth;
          }
        }
      }
      if (bestPosition < 0) return null;
      used.add(bestPosition);
      marks.set(bestPosition, bestDepth);
      if (t === 0 && bestPosition === 0) startsAtFirst = true;
      if (bestPosition < lastPosition) inOrder = false;
      lastPosition = bestPosition;
      edits += bestCost;
    }
    const score = entry.score * (startsAtFirst ? 1 : INFIX_WEIGHT) * (inOrder ? 1 : OUT_OF_ORDER_WEIGHT) * Math.pow(EDIT_WEIGHT, edits);
    return { entry, score, marks, edits };
  }

  private nextStamp(): number {
    this.stamp = this.stamp >= 0xfffffffe ? 1 : this.stamp + 1;
    if (this.stamp === 1) this.seen.fill(0);
    return this.stamp;
  }
}
