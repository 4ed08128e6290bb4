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
import { runNow, type Steps } from './slices';
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
const ENUMERATE_LIMIT = 1500;
/** Typos are looked for when the word as typed is the prefix of fewer postings than this. */
export const FUZZY_BELOW = 8;
const WORD_CACHE_SIZE = 20_000;
export interface MatchWeights {
  /** Factor of a match that does not start at the entry's first word ("galaxy" → "samsung galaxy"). */
  infix: number;
  /** Factor per edit of a typo match. */
  edit: number;
  /** Factor of typed words matched out of order. */
  outOfOrder: number;
}
export const DEFAULT_MATCH_WEIGHTS: MatchWeights = { infix: 0.15, edit: 0.12, outOfOrder: 0.5 };

function inCategory(entry: Entry, category: string): boolean {
  for (const c of entry.foldedCategories) if (c === category || (c.startsWith(category) && c.startsWith(' > ', category.length))) return true;
  return false;
}

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
  /** Scratch per typed word: word id → edits of its best match (255: none), and matched prefix length. */
  private readonly costs: Uint8Array;
  private readonly wordMatches = new Map<string, WordMatch[]>();
  private readonly depths: Uint8Array;

  private readonly weights: MatchWeights;
  private readonly editFactors: number[];

  private constructor(entries: Entry[], vocabulary: string[], root: TrieNode, postings: Int32Array[], weights: MatchWeights) {
    this.weights = weights;
    this.editFactors = [0, 1, 2, 3, 4].map((e) => weights.edit ** e);
    this.entries = entries;
    this.vocabulary = vocabulary;
    this.root = root;
    this.postings = postings;
    this.seen = new Uint32Array(entries.length);
    this.costs = new Uint8Array(MAX_QUERY_WORDS * vocabulary.length);
    this.depths = new Uint8Array(MAX_QUERY_WORDS * vocabulary.length);
  }

  static build(inputs: readonly EntryInput[], weights: MatchWeights = DEFAULT_MATCH_WEIGHTS): SuggestIndex {
    return runNow(SuggestIndex.buildSteps(inputs, weights));
  }

  /** The build as steps that yield between units of work (see `slices.ts`). */
  static *buildSteps(inputs: readonly EntryInput[], weights: MatchWeights = DEFAULT_MATCH_WEIGHTS): Steps<SuggestIndex> {
    const folded: string[][] = [];
    for (const input of inputs) {
      folded.push(words(input.text).map((w) => w.slice(0, MAX_WORD_LENGTH)));
      yield;
    }
    const vocabulary = [...new Set(folded.flat())].sort();
    yield;
    const wordId = new Map(vocabulary.map((w, i) => [w, i]));
    // Entries ranked best first, so an entry id order is a score order.
    const order = inputs.map((_, i) => i).filter((i) => (folded[i] as string[]).length > 0);
    order.sort((a, b) => (inputs[b] as EntryInput).score - (inputs[a] as EntryInput).score || (inputs[a] as EntryInput).text.localeCompare((inputs[b] as EntryInput).text));
    yield;
    const entries: Entry[] = [];
    for (const i of order) {
      const input = inputs[i] as EntryInput;
      const ws = folded[i] as string[];
      entries.push({
        ...input,
        id: entries.length,
        words: Int32Array.from(ws, (w) => wordId.get(w) as number),
        runs: alignRuns(input.text, ws),
        foldedCategories: input.categories.map((c) => c.toLowerCase()),
      });
      yield;
    }
    // Postings with a priority: entries where the word is the first one come before infix ones.
    const lists: Array<Array<{ id: number; priority: number }>> = vocabulary.map(() => []);
    for (const entry of entries) {
      const firstSeen = new Set<number>();
      entry.words.forEach((w, position) => {
        if (firstSeen.has(w)) return;
        firstSeen.add(w);
        (lists[w] as Array<{ id: number; priority: number }>).push({ id: entry.id, priority: entry.score * (position === 0 ? 1 : weights.infix) });
      });
      yield;
    }
    const byPriority = (a: { id: number; priority: number }, b: { id: number; priority: number }) => b.priority - a.priority || a.id - b.id;
    const postings: Int32Array[] = [];
    for (const list of lists) {
      list.sort(byPriority);
      postings.push(Int32Array.from(list, (p) => p.id));
      yield;
    }

    const root = emptyNode(0, 0);
    for (let id = 0; id < vocabulary.length; id++) {
      const word = vocabulary[id] as string;
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
      yield;
    }
    // Top K per node, bottom up: the best of the children's tops and the postings of the word ending here.
    // Iterative (a node listed before its descendants, then walked backwards) so the work can yield per node.
    const preorder: TrieNode[] = [];
    const stack: TrieNode[] = [root];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      preorder.push(node);
      for (const child of node.children.values()) stack.push(child);
    }
    yield;
    const tops = new Map<TrieNode, Map<number, number>>();
    for (let n = preorder.length - 1; n >= 0; n--) {
      const node = preorder[n] as TrieNode;
      const best = new Map<number, number>();
      let count = 0;
      const offer = (id: number, priority: number) => {
        if ((best.get(id) ?? -1) < priority) best.set(id, priority);
      };
      for (const child of node.children.values()) {
        count += child.postings;
        for (const [id, priority] of tops.get(child) as Map<number, number>) offer(id, priority);
        tops.delete(child);
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
      tops.set(node, new Map(top));
      yield;
    }
    return new SuggestIndex(entries, vocabulary, root, postings, weights);
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Trie nodes whose prefix is within the allowed edits of `word`, each only if cheaper than its matched
   * ancestors. Typos are looked for only when the word as typed starts fewer than `FUZZY_BELOW` entries
   * (an exact prefix outranks any typo match but for a far more popular entry). Memoised per index: as
   * the shopper types, every word but the last repeats.
   */
  matchWord(word: string): WordMatch[] {
    const known = this.wordMatches.get(word);
    if (known !== undefined) return known;
    const matches = this.lookUp(word);
    if (this.wordMatches.size >= WORD_CACHE_SIZE) this.wordMatches.clear();
    this.wordMatches.set(word, matches);
    return matches;
  }

  private lookUp(word: string): WordMatch[] {
    let node: TrieNode | undefined = this.root;
    for (let i = 0; i < word.length && node !== undefined; i++) node = node.children.get(word.charCodeAt(i));
    const edits = maxEdits(word.length);
    if (edits === 0 || (node !== undefined && node.postings >= FUZZY_BELOW)) return node === undefined ? [] : [{ node, cost: 0 }];
    const n = word.length;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = word.charCodeAt(i);
    const matches: WordMatch[] = [];
    // One DP row per trie depth, reused: rows[d] is the distance of each prefix of `word` to the path's first d characters.
    const rows: Int32Array[] = Array.from({ length: MAX_WORD_LENGTH + 2 }, () => new Int32Array(n + 1));
    const first = rows[0] as Int32Array;
    for (let i = 0; i <= n; i++) first[i] = i;
    const walk = (node: TrieNode, c: number, prevC: number, depth: number, ancestorCost: number) => {
      const prev = rows[depth - 1] as Int32Array;
      const prevPrev = depth >= 2 ? (rows[depth - 2] as Int32Array) : null;
      const row = rows[depth] as Int32Array;
      row[0] = depth;
      let min = depth;
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
      if (min > edits || depth > MAX_WORD_LENGTH) return;
      for (const [cc, child] of node.children) walk(child, cc, c, depth + 1, nextAncestor);
    };
    for (const [c, child] of this.root.children) walk(child, c, -1, 1, Infinity);
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
    const driverMatches = matched[driver] as WordMatch[];
    // Word id → cost and depth per typed word, so checking a candidate is a table lookup per (typed word, entry word).
    const V = this.vocabulary.length;
    this.costs.fill(255, 0, matched.length * V);
    matched.forEach((matches, t) => {
      for (const { node, cost } of matches) {
        for (let w = node.lo; w < node.hi; w++) {
          const at = t * V + w;
          const known = this.costs[at] as number;
          if (cost < known || (cost === known && node.depth > (this.depths[at] as number))) {
            this.costs[at] = cost;
            this.depths[at] = node.depth;
          }
        }
      }
    });
    const collect = (exhaustive: boolean): Array<{ entry: Entry; score: number }> => {
      const stamp = this.nextStamp();
      const found: Array<{ entry: Entry; score: number }> = [];
      const consider = (id: number) => {
        if (this.seen[id] === stamp) return;
        this.seen[id] = stamp;
        const entry = this.entries[id] as Entry;
        if (options.category !== undefined && !inCategory(entry, options.category)) return;
        const score = this.verify(entry, matched.length, null);
        if (score >= 0 && !(options.exclude?.(entry) ?? false)) found.push({ entry, score });
      };
      if (exhaustive) {
        for (const { node } of driverMatches) for (let w = node.lo; w < node.hi; w++) for (const id of this.postings[w] as Int32Array) consider(id);
      } else {
        for (const { node } of driverMatches) for (const id of node.top) consider(id);
      }
      return found;
    };
    // Each node's top K holds the best entries for one typed word; with more typed words, a category or a
    // blocklist it may hold fewer than `limit` that survive, and then (only then) every posting is checked.
    const topOnly = driverPostings > ENUMERATE_LIMIT || (matched.length === 1 && options.category === undefined);
    let found = collect(!topOnly);
    if (topOnly && found.length < options.limit && driverMatches.some((m) => m.node.postings > m.node.top.length)) found = collect(true);
    found.sort((a, b) => b.score - a.score || a.entry.id - b.entry.id);
    return found.slice(0, options.limit).map(({ entry, score }) => {
      const marks = new Map<number, number>();
      const edits = this.verify(entry, matched.length, marks);
      return { entry, score, marks, edits };
    });
  }

  /**
   * Whether every typed word matches a different word of the entry (as a prefix, within its edits): the
   * score, or -1 when not. With `marks`, records per entry word how many characters matched.
   */
  private verify(entry: Entry, typedWords: number, marks: Map<number, number> | null): number {
    const V = this.vocabulary.length;
    let used = 0;
    let edits = 0;
    let lastPosition = -1;
    let inOrder = true;
    let startsAtFirst = false;
    const length = Math.min(entry.words.length, 30);
    for (let t = 0; t < typedWords; t++) {
      const base = t * V;
      let bestPosition = -1;
      let bestCost = 255;
      for (let p = 0; p < length; p++) {
        if ((used & (1 << p)) !== 0) continue;
        const cost = this.costs[base + (entry.words[p] as number)] as number;
        // Prefer the cheapest match, then the first position after the previous typed word.
        if (cost < bestCost || (cost === bestCost && cost !== 255 && bestPosition < lastPosition && p > lastPosition)) {
          bestCost = cost;
          bestPosition = p;
        }
      }
      if (bestPosition < 0) return -1;
      used |= 1 << bestPosition;
      marks?.set(bestPosition, this.depths[base + (entry.words[bestPosition] as number)] as number);
      if (t === 0 && bestPosition === 0) startsAtFirst = true;
      if (bestPosition < lastPosition) inOrder = false;
      lastPosition = bestPosition;
      edits += bestCost;
    }
    if (marks !== null) return edits;
    return entry.score * (startsAtFirst ? 1 : this.weights.infix) * (inOrder ? 1 : this.weights.outOfOrder) * (this.editFactors[edits] ?? 0);
  }

  private nextStamp(): number {
    this.stamp = this.stamp >= 0xfffffffe ? 1 : this.stamp + 1;
    if (this.stamp === 1) this.seen.fill(0);
    return this.stamp;
  }
}
