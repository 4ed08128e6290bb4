import type { ConfigDocument, ConfigKind, DraftChange, FacetConfig, MerchRule, QueryRuleEntry } from '@search-mesh/contracts';
import { compileRules, type RuleIndex } from './rules';

const key = (kind: ConfigKind, id: string) => `${kind}\u0000${id}`;

/**
 * Every stored configuration document an instance knows, newest version each. Documents arrive from the
 * Cassandra snapshot, the config-changes topic and this instance's own writes, in any order and possibly
 * twice: a document replaces the one held only when its version is higher, so the outcome is the same.
 */
export class ConfigState {
  private readonly docs = new Map<string, ConfigDocument>();
  /** Grows with every applied change: the version reported to the orchestrator. */
  private versionSum = 0;
  /** Views every request reads, rebuilt only after a change. */
  private views: { facets?: Map<string, FacetConfig>; rules?: RuleIndex } = {};

  /** Applies a document; false when it is not newer than the one held. */
  apply(doc: ConfigDocument): boolean {
    const k = key(doc.kind, doc.id);
    const held = this.docs.get(k);
    if (held !== undefined && held.version >= doc.version) return false;
    this.versionSum += doc.version - (held?.version ?? 0);
    this.docs.set(k, doc);
    this.views = {};
    return true;
  }

  get(kind: ConfigKind, id: string): ConfigDocument | undefined {
    return this.docs.get(key(kind, id));
  }

  /** Live (not deleted) documents of a kind, by id. */
  list(kind: ConfigKind): ConfigDocument[] {
    return [...this.docs.values()].filter((d) => d.kind === kind && d.body !== null).sort((a, b) => a.id.localeCompare(b.id));
  }

  get version(): string {
    return String(this.versionSum);
  }

  facetConfigs(): ReadonlyMap<string, FacetConfig> {
    return (this.views.facets ??= new Map(this.list('facets').map((d) => [d.id, d.body as FacetConfig])));
  }

  /** The merchandising rules, indexed for matching. */
  merchRules(): RuleIndex {
    return (this.views.rules ??= compileRules(this.list('rule').map((d) => d.body as MerchRule)));
  }

  queryRules(): QueryRuleEntry[] {
    return this.list('query_rule').map((d) => d.body as QueryRuleEntry);
  }

  /** Every document of a kind, deleted ones too. */
  all(kind: ConfigKind): ConfigDocument[] {
    return [...this.docs.values()].filter((d) => d.kind === kind);
  }

  /** Whether any document of the kind was ever stored (deleted ones count). */
  hasAny(kind: ConfigKind): boolean {
    return this.all(kind).length > 0;
  }

  /** A copy with drafts applied on top (never touches this state: shoppers keep the live one). */
  withDrafts(changes: readonly DraftChange[]): ConfigState {
    const copy = new ConfigState();
    for (const doc of this.docs.values()) copy.apply(doc);
    for (const change of changes) {
      const held = copy.get(change.kind, change.id);
      copy.apply({ kind: change.kind, id: change.id, version: (held?.version ?? 0) + 1, body: change.body, updatedAt: new Date().toISOString(), updatedBy: 'preview' });
    }
    return copy;
  }
}
