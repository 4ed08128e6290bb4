/**
 * Probabilities over leaf categories, from the two heads of the category model and the catalog:
 *
 *   P(leaf | q) = P_lvl1(A > B | q) · P(A > B > C | A > B, q) · P(leaf | A > B > C, q)
 *
 * where P(A > B > C | A > B, q) is the lvl2 head renormalised within its lvl1 parent (so the leaves of a
 * lvl1 category add up to exactly what the lvl1 head says), and below lvl2, where no real query has a
 * label, P(leaf | lvl2, q) ∝ prior(leaf) · (1 + nameBonus · match(q, leaf name)): prior = the leaf's share
 * of its lvl2 category's products in the catalog, match = the share of the leaf name's (stemmed) content
 * words the query contains. A leaf at lvl1 or lvl2 takes its head's probability directly. The leaf table
 * (`model/leaves.json.gz`, built by training/build-leaves.ts) only holds leaves the catalog has products in.
 */
import { contentTokens, stem } from '@search-mesh/catalog';

export interface LeafData {
  version: string;
  /** [full path "A > B > C > D", products in the catalog], every leaf with products. */
  leaves: Array<[string, number]>;
}

export interface LeafProbability {
  path: string;
  /** Index of the leaf's `category.lvl<level>` field: path depth − 1 (0 = a root). */
  level: number;
  probability: number;
}

interface Leaf {
  path: string;
  level: number;
  /** Stemmed content words of the leaf's own name. */
  name: string[];
  prior: number;
}

/** Leaves grouped under the model's labels: lvl1 label → (lvl2 label index or -1) → leaves. */
interface Group {
  /** Leaves directly at lvl1 (the lvl1 category is itself a leaf). */
  own: Leaf[];
  /** lvl2 label index → leaves at or below it. */
  children: Map<number, Leaf[]>;
  /** Products under lvl2 categories the model has no label for (their leaves get no probability). */
}

export class LeafCategories {
  readonly version: string;
  /** lvl1 label index → its group. */
  private readonly groups = new Map<number, Group>();
  readonly size: number;

  constructor(
    data: LeafData,
    labels: { lvl1: readonly string[]; lvl2: readonly string[] },
    readonly nameBonus = 4,
  ) {
    this.version = data.version;
    const lvl1 = new Map(labels.lvl1.map((l, i) => [l, i]));
    const lvl2 = new Map(labels.lvl2.map((l, i) => [l, i]));
    const totals = new Map<string, number>();
    const parsed = data.leaves.map(([path, count]) => {
      const names = path.split(' > ');
      const key2 = names.slice(0, 3).join(' > ');
      if (names.length > 3) totals.set(key2, (totals.get(key2) ?? 0) + count);
      return { path, names, count, key1: names.slice(0, 2).join(' > '), key2 };
    });
    let size = 0;
    for (const { path, names, count, key1, key2 } of parsed) {
      const i1 = lvl1.get(key1);
      if (i1 === undefined || names.length < 2 || names.length > 6) continue;
      const group = this.groups.get(i1) ?? { own: [], children: new Map<number, Leaf[]>() };
      this.groups.set(i1, group);
      const leaf: Leaf = {
        path,
        level: names.length - 1,
        name: contentTokens(names[names.length - 1]!).map(stem),
        prior: names.length > 3 ? count / totals.get(key2)! : 1,
      };
      if (names.length === 2) group.own.push(leaf);
      else {
        const i2 = lvl2.get(key2);
        if (i2 === undefined) continue;
        const list = group.children.get(i2) ?? [];
        list.push(leaf);
        group.children.set(i2, list);
      }
      size++;
    }
    this.size = size;
  }

  /**
   * The `top` most probable leaves for these head outputs, considering the `consider` most probable lvl1
   * categories (the rest hold too little mass to place a leaf in the top). `tokens`: the query's words.
   */
  top(p1: ArrayLike<number>, p2: ArrayLike<number>, tokens: readonly string[], top: number, consider = 5): LeafProbability[] {
    const stems = new Set(tokens.map(stem));
    const best: LeafProbability[] = [];
    const push = (leaf: Leaf, probability: number) => {
      if (best.length === top && probability <= best[top - 1]!.probability) return;
      let at = best.length;
      while (at > 0 && best[at - 1]!.probability < probability) at--;
      best.splice(at, 0, { path: leaf.path, level: leaf.level, probability });
      if (best.length > top) best.pop();
    };
    // No leaf is more probable than its lvl1 or lvl2 head: whole groups below the current top-`top` floor
    // are skipped (the lvl1 heads come most probable first).
    const floor = () => (best.length === top ? best[top - 1]!.probability : 0);
    for (const i1 of topIndices(p1, consider)) {
      const q1 = p1[i1]!;
      if (q1 <= floor()) break;
      const group = this.groups.get(i1);
      if (group === undefined) continue;
      for (const leaf of group.own) push(leaf, q1);
      let within = 0;
      for (const i2 of group.children.keys()) within += p2[i2]!;
      if (within <= 0) continue;
      for (const [i2, leaves] of group.children) {
        const q2 = (q1 * p2[i2]!) / within;
        if (q2 <= floor()) continue;
        if (leaves.length === 1 && leaves[0]!.level === 2) {
          push(leaves[0]!, q2);
          continue;
        }
        let norm = 0;
        for (const leaf of leaves) norm += this.score(leaf, stems);
        for (const leaf of leaves) push(leaf, (q2 * this.score(leaf, stems)) / norm);
      }
    }
    return best;
  }

  private score(leaf: Leaf, stems: ReadonlySet<string>): number {
    return leaf.prior * (1 + this.nameBonus * nameMatch(leaf.name, stems));
  }
}

function nameMatch(name: readonly string[], stems: ReadonlySet<string>): number {
  if (name.length === 0) return 0;
  let hits = 0;
  for (const word of name) if (stems.has(word)) hits++;
  return hits / name.length;
}

function topIndices(p: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.length; i++) {
    if (out.length === n && p[i]! <= p[out[n - 1]!]!) continue;
    let at = out.length;
    while (at > 0 && p[out[at - 1]!]! < p[i]!) at--;
    out.splice(at, 0, i);
    if (out.length > n) out.pop();
  }
  return out;
}
