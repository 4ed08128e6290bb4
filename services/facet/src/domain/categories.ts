import type { CategoryNode, Taxonomy } from '@search-mesh/catalog';
import { CATEGORY_SEPARATOR } from '@search-mesh/search-index';

export interface CategoryEntry {
  name: string;
  path: string;
  leaf: boolean;
}

/** The category tree by path, for browsing one level at a time. */
export class CategoryTree {
  private readonly children = new Map<string, CategoryEntry[]>();

  constructor(taxonomy: Taxonomy) {
    const entry = (n: CategoryNode): CategoryEntry => ({ name: n.name, path: n.path.join(CATEGORY_SEPARATOR), leaf: n.isLeaf });
    this.children.set('', taxonomy.roots.map(entry));
    for (const node of taxonomy.byId.values()) if (!node.isLeaf) this.children.set(node.path.join(CATEGORY_SEPARATOR), node.children.map(entry));
  }

  /** The categories right below `parent` (the roots for ''); undefined for a path the tree lacks. */
  below(parent: string): CategoryEntry[] | undefined {
    return this.children.get(parent);
  }
}
