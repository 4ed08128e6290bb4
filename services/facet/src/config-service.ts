import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import {
  type ConfigDocument,
  type ConfigKind,
  DEFAULT_RULES,
  type DraftChange,
  type FacetConfig,
  type MerchRule,
  type QueryRuleEntry,
  SUGGEST_BLOCKLIST_ID,
  type SuggestBlocklist,
} from '@search-mesh/contracts';
import { HttpError } from '@search-mesh/service-kit';
import type { FastifyBaseLogger } from 'fastify';
import type { ChangePublisher } from './adapters/changes';
import type { FacetMetrics } from './adapters/metrics';
import { type ConfigStore, StaleVersion } from './adapters/store';
import type { Operator } from './config';
import type { AttributeCatalog } from './domain/attributes';
import { activeQueryRules, nextBoundary } from './domain/rules';
import { ConfigState } from './domain/state';
import { ConfigInvalid, validateFacetConfig, validateMerchRule, validateQueryRule, validateSuggestBlocklist } from './domain/validate';

/** Changes heard within this long are announced to query understanding as one set. */
const REPUBLISH_DEBOUNCE_MS = 100;
/** setTimeout's longest delay; a later boundary is re-armed when this one fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The facet service's configuration: the live state every request reads, and the write path — validate,
 * store with the expected version (409 when stale), audit, announce on Kafka, apply here at once (other
 * instances apply it from the topic). Drafts being previewed live in their own states, never the live one.
 */
export class ConfigService {
  readonly state = new ConfigState();
  private readonly previews = new LRUCache<string, ConfigState>({ max: 200, ttl: 60_000 });
  private loaded = false;
  private boundary: NodeJS.Timeout | undefined;
  private republish: NodeJS.Timeout | undefined;
  /** The newest blocklist version this instance announced to autocomplete (0: none yet, e.g. since start). */
  private announcedBlocklist = 0;

  constructor(
    private readonly store: ConfigStore,
    private readonly publisher: ChangePublisher,
    private readonly attributes: AttributeCatalog,
    private readonly metrics: FacetMetrics,
    private readonly log: FastifyBaseLogger,
  ) {}

  private counted(doc: ConfigDocument, source: 'save' | 'kafka' | 'resync'): void {
    this.metrics.applied.inc({ source, kind: doc.kind });
    this.metrics.documents.set({ kind: doc.kind }, this.state.list(doc.kind).length);
  }

  /** A newer document arrived on the topic (already applied to the state). */
  heard(doc: ConfigDocument, occurredAt: string): void {
    this.counted(doc, 'kafka');
    const announced = Date.parse(occurredAt);
    if (!Number.isNaN(announced)) this.metrics.propagation.observe(Math.max(0, Date.now() - announced) / 1000);
    if (doc.kind !== 'query_rule') return;
    this.armSchedules();
    // Two instances saving at once may announce their sets in either order; every instance announcing
    // again once it heard a change makes the last set on the topic one that includes every change.
    clearTimeout(this.republish);
    this.republish = setTimeout(() => {
      this.announceQueryRules().catch((err) => this.log.error({ err }, 'could not publish the query rules'));
    }, REPUBLISH_DEBOUNCE_MS);
    this.republish.unref();
  }

  get ready(): boolean {
    return this.loaded;
  }

  /** Applies every stored document (at start, and periodically to heal a lost event). */
  async resync(): Promise<number> {
    let applied = 0;
    for (const doc of await this.store.loadAll()) {
      if (!this.state.apply(doc)) continue;
      applied++;
      this.counted(doc, 'resync');
    }
    if (applied > 0) this.armSchedules();
    this.loaded = true;
    // At start, and after a save whose announcement failed: autocomplete gets the stored list (its topic is not compacted).
    await this.announceSuggestBlocklist().catch((err) => this.log.error({ err }, 'could not publish the suggestion blocklist; retrying at the next resync'));
    return applied;
  }

  validate(kind: ConfigKind, id: string, body: ConfigDocument['body']): void {
    if (body === null) return;
    const known = (path: string) => this.attributes.has(path);
    if (kind === 'facets') validateFacetConfig(body as FacetConfig, id, known);
    else if (kind === 'rule') validateMerchRule(body as MerchRule, id, known);
    else if (kind === 'query_rule') validateQueryRule(body as QueryRuleEntry, id);
    else validateSuggestBlocklist(body as SuggestBlocklist, id);
  }

  async save(kind: ConfigKind, id: string, expected: number, body: ConfigDocument['body'], operator: Operator): Promise<ConfigDocument> {
    try {
      this.validate(kind, id, body);
    } catch (err) {
      if (err instanceof ConfigInvalid) throw HttpError.badRequest(err.message, err.field);
      throw err;
    }
    let written;
    try {
      written = await this.store.write(kind, id, expected, body, operator);
    } catch (err) {
      if (err instanceof StaleVersion) {
        throw HttpError.conflict(`${kind} "${id}" is at version ${err.current}, not ${expected}: someone saved it in between; reload and apply your change again`, 'body.version');
      }
      throw err;
    }
    if (this.state.apply(written.document)) this.counted(written.document, 'save');
    // Stored is acknowledged: a failed announcement is healed by every instance's periodic resync.
    try {
      await this.publisher.document(written.document);
      if (kind === 'query_rule') {
        await this.publishQueryRules((await this.store.loadAll()).filter((d) => d.kind === 'query_rule'));
        this.armSchedules();
      }
      if (kind === 'suggest_blocklist') await this.announceSuggestBlocklist();
    } catch (err) {
      this.log.error({ err, kind, id, version: written.document.version }, 'change stored but not announced; instances pick it up at their next resync');
    }
    return written.document;
  }

  /**
   * The query rules in force now, as one set for query understanding. The version names the stored
   * versions and which rules are active, so it changes whenever the set does (a change or a schedule).
   */
  private async publishQueryRules(docs: readonly ConfigDocument[]): Promise<void> {
    const stored = docs.reduce((sum, d) => sum + d.version, 0);
    const rules = activeQueryRules(docs.filter((d) => d.body !== null).map((d) => d.body as QueryRuleEntry), Date.now());
    const active = createHash('sha1').update(rules.map((r) => r.id).join('\n')).digest('hex').slice(0, 8);
    await this.publisher.queryRules(rules, `merch-${stored}-${active}`);
  }

  /**
   * Publishes the blocklist as this instance holds it, when newer than what it announced last. Other
   * instances re-announce a version they heard at their next resync: duplicates are harmless, autocomplete
   * keeps the highest version.
   */
  async announceSuggestBlocklist(): Promise<void> {
    const doc = this.state.get('suggest_blocklist', SUGGEST_BLOCKLIST_ID);
    if (doc === undefined || doc.version <= this.announcedBlocklist) return;
    await this.publisher.suggestBlocklist(doc);
    this.announcedBlocklist = Math.max(this.announcedBlocklist, doc.version);
  }

  /** Publishes the query rules as this instance knows them (at start, and when a schedule turns). */
  async announceQueryRules(): Promise<void> {
    if (!this.state.hasAny('query_rule')) return;
    await this.publishQueryRules(this.state.all('query_rule'));
  }

  /**
   * Re-publishes the query rules when the next schedule starts or ends. Every instance does: the sets
   * are the same, and query understanding applying one twice changes nothing.
   */
  armSchedules(): void {
    clearTimeout(this.boundary);
    const now = Date.now();
    const next = nextBoundary(this.state.queryRules().map((e) => e.schedule), now);
    if (next === undefined) return;
    this.boundary = setTimeout(() => {
      this.announceQueryRules()
        .catch((err) => this.log.error({ err }, 'could not publish the query rules at a schedule boundary'))
        .finally(() => this.armSchedules());
    }, Math.min(next - now + 1, MAX_DELAY_MS));
    this.boundary.unref();
  }

  stop(): void {
    clearTimeout(this.boundary);
    clearTimeout(this.republish);
  }

  /**
   * A store that never held query rules starts with query understanding's built-in ones, so that a
   * merchandiser's first edit extends them instead of replacing them all. Racing instances are safe:
   * each rule is created only if absent.
   */
  async seedQueryRules(): Promise<void> {
    if (this.state.hasAny('query_rule')) return;
    for (const rule of DEFAULT_RULES.rules) {
      try {
        const { document } = await this.store.write('query_rule', rule.id, 0, { rule }, { name: 'built-in', role: 'admin' });
        if (this.state.apply(document)) this.counted(document, 'save');
        await this.publisher.document(document);
      } catch (err) {
        if (!(err instanceof StaleVersion)) throw err;
      }
    }
  }

  async createPreview(changes: DraftChange[]): Promise<string> {
    changes.forEach((c, i) => {
      try {
        this.validate(c.kind, c.id, c.body);
      } catch (err) {
        if (err instanceof ConfigInvalid) throw HttpError.badRequest(err.message, err.field.replace('body.config', `body.changes.${i}.body`));
        throw err;
      }
    });
    return this.store.savePreview(changes);
  }

  /** The state a request sees: the live one, or the live one with a preview's drafts on top. */
  async stateFor(preview: string | undefined): Promise<ConfigState> {
    if (preview === undefined) return this.state;
    const cached = this.previews.get(preview);
    if (cached !== undefined) return cached;
    const changes = await this.store.loadPreview(preview);
    if (changes === undefined) throw HttpError.badRequest(`no preview "${preview}" (expired or never made)`, 'body.preview');
    const state = this.state.withDrafts(changes);
    this.previews.set(preview, state);
    return state;
  }
}
