/**
 * Which categories the demo store sells. Best Buy's tree mixes product categories with merchandising
 * folders (gift ideas, outlet, brand stores), services (Geek Squad, installation, plans), content
 * pages, test entries and gift cards; none of those get products.
 */
import { type CategoryNode, type Taxonomy } from './taxonomy';

/** Departments that are not product categories, or duplicate others (brand stores, store-in-store). */
const NON_PRODUCT_ROOTS =
  /gift|best buy|name brands|geek squad|customer service|more categories|applecare|magnolia|movies & music|reviews|top-rated|featured|marketplace|buying guides|how it works|test/i;

/** Branches anywhere in the tree that sell no physical product. */
const NON_PRODUCT_BRANCHES = new RegExp(
  [
    'gift ideas', 'gift cards?', '\\btest\\b', 'testing', '\\bservices?\\b', 'service providers', 'protection plans?',
    'geek squad', 'outlet', 'trade-in', 'pre-orders', 'appointment', 'mobile plans', 'cell phone plans', 'delivery',
    'pop-up', 'sow and pricing', 'promotions', 'clearance', 'prepaid (minutes|cards|game cards|service cards)',
    'currency', 'memberships', 'psn cards', 'eshop cards', 'downloads', 'digital games', '\\bevent\\b',
    'furniture assembly', 'sports fan shop', 'e3 best buy', 'nintendo access', 'photo books', 'unique projects',
    'organize & backup', 'directv',
  ].join('|'),
  'i',
);

/** A department needs this many leaves to count as one (single-category roots are landing pages). */
const MIN_DEPARTMENT_LEAVES = 2;

export interface Assortment {
  taxonomy: Taxonomy;
  /** Leaves that get products, in taxonomy order. */
  leaves: CategoryNode[];
  /** Ids of every node with at least one sold leaf below it. */
  nodeIds: ReadonlySet<string>;
}

export function buildAssortment(taxonomy: Taxonomy): Assortment {
  const leaves: CategoryNode[] = [];
  const nodeIds = new Set<string>();
  for (const root of taxonomy.roots) {
    if (NON_PRODUCT_ROOTS.test(root.name)) continue;
    const kept: CategoryNode[] = [];
    collectSold(root, kept);
    if (kept.length < MIN_DEPARTMENT_LEAVES) continue;
    for (const leaf of kept) {
      leaves.push(leaf);
      for (const id of leaf.pathIds) nodeIds.add(id);
    }
  }
  return { taxonomy, leaves, nodeIds };
}

function collectSold(node: CategoryNode, out: CategoryNode[]): void {
  if (NON_PRODUCT_BRANCHES.test(node.name)) return;
  if (node.isLeaf) out.push(node);
  else for (const child of node.children) collectSold(child, out);
}
