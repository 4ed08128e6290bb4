import { familyFor, type Taxonomy } from '@search-mesh/catalog';
import { CATEGORY_SEPARATOR, normaliseNumeric } from '@search-mesh/search-index';

/** An attribute that may become a facet automatically: its index field, and how many leaves carry it. */
export interface CandidateAttribute {
  field: string;
  label: string;
  numeric: boolean;
  /** Share of the category's leaves whose products carry it, times its presence: the coverage to expect. */
  prior: number;
}

/** How many attributes a search asks Elasticsearch to count when facets are chosen automatically. */
export const MAX_CANDIDATES = 10;

const humanName = (name: string) => {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * What the catalog knows about which attributes each category's products carry (from the taxonomy and
 * the product families), by category path: the candidates for automatic facets. Built once at start.
 */
export class AttributeCatalog {
  private readonly byPath = new Map<string, CandidateAttribute[]>();
  private readonly labels = new Map<string, string>();
  readonly paths: ReadonlySet<string>;

  constructor(taxonomy: Taxonomy) {
    const tallies = new Map<string, Map<string, { attr: Omit<CandidateAttribute, 'prior'>; weight: number }>>();
    const leaves = new Map<string, number>();
    for (const leaf of taxonomy.leaves) {
      const family = familyFor(leaf);
      const path = leaf.path.join(' > ').toLowerCase();
      const prefixes = ['', ...leaf.path.map((_, i) => leaf.path.slice(0, i + 1).join(CATEGORY_SEPARATOR))];
      for (const prefix of prefixes) leaves.set(prefix, (leaves.get(prefix) ?? 0) + 1);
      for (const spec of family.attributes) {
        if ((spec.when && !spec.when.test(path)) || (spec.unless && spec.unless.test(path))) continue;
        const first = spec.options[0];
        if (first === undefined) continue;
        const numeric = typeof first.value === 'number';
        const field = numeric ? `num.${normaliseNumeric(spec.name, 1, first.unit).field}` : `attr.${spec.name}`;
        for (const prefix of prefixes) {
          let tally = tallies.get(prefix);
          if (tally === undefined) tallies.set(prefix, (tally = new Map()));
          const held = tally.get(field) ?? { attr: { field, label: humanName(spec.name), numeric }, weight: 0 };
          held.weight += spec.presence;
          tally.set(field, held);
        }
      }
    }
    for (const [prefix, tally] of tallies) {
      const count = leaves.get(prefix) ?? 1;
      const candidates = [...tally.values()]
        .map(({ attr, weight }) => ({ ...attr, prior: weight / count }))
        .sort((a, b) => b.prior - a.prior || a.field.localeCompare(b.field));
      this.byPath.set(prefix, candidates);
      for (const c of candidates) this.labels.set(c.field, c.label);
    }
    this.paths = new Set([...leaves.keys()].filter((p) => p !== ''));
  }

  /** The likeliest attributes of a category (every category when none), best first. */
  candidates(category: string | undefined, limit = MAX_CANDIDATES): CandidateAttribute[] {
    return (this.byPath.get(category ?? '') ?? []).slice(0, limit);
  }

  label(field: string): string | undefined {
    return this.labels.get(field);
  }

  has(category: string): boolean {
    return this.paths.has(category);
  }
}
