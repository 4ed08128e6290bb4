/**
 * The category tree. Best Buy's file lists each category with its full path; `subCategories` are
 * cross-links (many point to ids the file does not hold), so the tree is built from the paths alone:
 * a node's parent is the previous entry of its path, and a leaf is a node nobody names as parent.
 */

export interface CategoryNode {
  id: string;
  name: string;
  /** Names from the root to this node (inclusive). */
  path: string[];
  /** Ids from the root to this node (inclusive), parallel to `path`. */
  pathIds: string[];
  children: CategoryNode[];
  isLeaf: boolean;
}

export interface Taxonomy {
  roots: CategoryNode[];
  byId: ReadonlyMap<string, CategoryNode>;
  /** Every leaf, in file order. */
  leaves: CategoryNode[];
  /** Categories dropped while reading (e.g. a path entry without a name). */
  skipped: number;
}

/** One category as the taxonomy file states it: its id and its path of `{id, name}` from the root. */
export interface CategoryPathEntry {
  id: string;
  name: string;
}

export function buildTaxonomy(paths: readonly (readonly CategoryPathEntry[])[], skipped = 0): Taxonomy {
  const byId = new Map<string, CategoryNode>();
  const roots: CategoryNode[] = [];
  const order: CategoryNode[] = [];

  for (const path of paths) {
    let parent: CategoryNode | undefined;
    for (let depth = 0; depth < path.length; depth++) {
      const entry = path[depth] as CategoryPathEntry;
      let node = byId.get(entry.id);
      if (node === undefined) {
        node = {
          id: entry.id,
          name: entry.name,
          path: path.slice(0, depth + 1).map((p) => p.name),
          pathIds: path.slice(0, depth + 1).map((p) => p.id),
          children: [],
          isLeaf: true,
        };
        byId.set(entry.id, node);
        order.push(node);
        if (parent === undefined) roots.push(node);
        else {
          parent.children.push(node);
          parent.isLeaf = false;
        }
      }
      parent = node;
    }
  }
  return { roots, byId, leaves: order.filter((n) => n.isLeaf), skipped };
}

/** Leaves at or below a node. */
export function leavesUnder(node: CategoryNode): CategoryNode[] {
  if (node.isLeaf) return [node];
  const out: CategoryNode[] = [];
  const stack = [...node.children].reverse();
  while (stack.length > 0) {
    const next = stack.pop() as CategoryNode;
    if (next.isLeaf) out.push(next);
    else for (let i = next.children.length - 1; i >= 0; i--) stack.push(next.children[i] as CategoryNode);
  }
  return out;
}
