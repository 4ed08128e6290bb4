/**
 * Maps the query log's category paths ("Smart Home > Smart Lighting > Smart Light Bulbs") onto sold
 * taxonomy nodes. The log comes from an older snapshot of the same store, so many paths are not
 * literal: departments moved ("Smart Home" now lives under "Connected Home & Housewares") and names
 * drifted ("Robot Vacuums and Mops"). Resolution tries, in order: the exact path, the last name with
 * the most other path names among its ancestors, then the closest name by shared words; and when the
 * last name cannot be placed, its parent path.
 */
import type { Assortment } from './assortment';
import type { CategoryNode } from './taxonomy';
import { contentTokens } from './text';

/** Share of words two names must have in common (Jaccard) to count as the same category. */
const MIN_NAME_SIMILARITY = 0.5;

export type CategoryResolver = (value: string) => CategoryNode | undefined;

export function createCategoryResolver(assortment: Assortment): CategoryResolver {
  const nodes = [...assortment.nodeIds].map((id) => assortment.taxonomy.byId.get(id) as CategoryNode);
  const byPath = new Map<string, CategoryNode>();
  const byName = new Map<string, CategoryNode[]>();
  const byToken = new Map<string, CategoryNode[]>();
  const nameTokens = new Map<CategoryNode, Set<string>>();
  for (const node of nodes) {
    byPath.set(key(node.path.join(' > ')), node);
    push(byName, key(node.name), node);
    const tokens = new Set(contentTokens(node.name));
    nameTokens.set(node, tokens);
    for (const token of tokens) push(byToken, token, node);
  }

  const cache = new Map<string, CategoryNode | undefined>();

  function resolveSegments(segments: string[]): CategoryNode | undefined {
    if (segments.length === 0) return undefined;
    const exact = byPath.get(key(segments.join(' > ')));
    if (exact !== undefined) return exact;

    const last = segments[segments.length - 1] as string;
    const others = segments.slice(0, -1).map(key);
    const ancestorsScore = (node: CategoryNode) => {
      const names = new Set(node.path.slice(0, -1).map(key));
      return others.filter((o) => names.has(o)).length;
    };

    const named = byName.get(key(last));
    if (named !== undefined) return best(named, ancestorsScore);

    const wanted = new Set(contentTokens(last));
    const candidates = new Set<CategoryNode>();
    for (const token of wanted) for (const node of byToken.get(token) ?? []) candidates.add(node);
    let chosen: CategoryNode | undefined;
    let chosenScore = 0;
    for (const node of candidates) {
      const similarity = jaccard(wanted, nameTokens.get(node) as Set<string>);
      if (similarity < MIN_NAME_SIMILARITY) continue;
      const score = similarity + 0.1 * ancestorsScore(node) - 0.001 * node.path.length;
      if (score > chosenScore) {
        chosen = node;
        chosenScore = score;
      }
    }
    return chosen ?? resolveSegments(segments.slice(0, -1));
  }

  return (value) => {
    if (!cache.has(value)) cache.set(value, resolveSegments(value.split('>').map((s) => s.trim()).filter((s) => s !== '')));
    return cache.get(value);
  };
}

/** Highest score wins; ties go to the shallower node, then the first in taxonomy order. */
function best(nodes: CategoryNode[], score: (node: CategoryNode) => number): CategoryNode {
  let chosen = nodes[0] as CategoryNode;
  let chosenScore = -Infinity;
  for (const node of nodes) {
    const s = score(node) - 0.001 * node.path.length;
    if (s > chosenScore) {
      chosen = node;
      chosenScore = s;
    }
  }
  return chosen;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const token of a) if (b.has(token)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

function key(name: string): string {
  return name.toLowerCase().replace(/\s+/g, ' ').trim();
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list === undefined) map.set(k, [v]);
  else list.push(v);
}
