/**
 * The query-understanding pipeline: text in, `QueryPlan` (contract in `@search-mesh/contracts`) out.
 *
 *   normalise → redirect? → spelling → redirect? → replace/delete rules → attributes → synonyms
 *   → category prediction (the classifier, on the corrected and rewritten words) → filters, boosts, intent
 *
 * Everything here is pure except the classifier call, which `understand` awaits between `prepare` and
 * `finish` (both synchronous), so each step is unit-tested with a fake classifier and the plan logic
 * never depends on I/O. A request reads the rule set once, so a hot swap never mixes two rule sets.
 */
import {
  type CategoryPrediction,
  type LeafCategoryPrediction,
  type PlanBoost,
  type PlanFilter,
  type PlanRewrite,
  type PlanSpelling,
  type PlanTerm,
  QUERY_PLAN_SCHEMA,
  type QueryPlan,
} from '@search-mesh/contracts';
import { contentTokens } from '@search-mesh/catalog';
import { normaliseNumeric } from '@search-mesh/search-index';
import { extractAttributes, type Extraction } from './attributes';
import { featurise, type FeatureSpec, type HashedFeatures } from './features';
import type { LeafCategories } from './leaves';
import { normaliseText, unitOf } from './normalise';
import { applyRewriteRules, type CompiledRules, findRedirect } from './rules';
import type { SpellingCorrector, TokenCorrection } from './spelling';
import type { Vocabulary } from './vocabulary';

export type LabelProbabilities = Array<readonly [string, number]>;

export interface CategoryScores {
  /** Top labels per level, most probable first. */
  lvl1: LabelProbabilities;
  lvl2: LabelProbabilities;
  /** The full rows of both heads (in label order), when the classifier gives them: leaf probabilities need them. */
  probabilities?: { lvl1: ArrayLike<number>; lvl2: ArrayLike<number> };
}

/** The category model behind the pipeline (TypeScript or onnxruntime in the service, a fake in unit tests). */
export interface CategoryClassifier {
  readonly version: string;
  readonly featureSpec: FeatureSpec;
  classify(features: HashedFeatures, top: number): Promise<CategoryScores>;
  /** The same, synchronously, where the runtime can (the TypeScript one): the whole plan is then one call. */
  classifySync?(features: HashedFeatures, top: number): CategoryScores;
}

export interface PlanPolicy {
  /** A category at least this probable becomes a boost (weight grows with the probability). */
  categoryBoostMin: number;
  /**
   * A lvl1 category at least this probable becomes a filter. Off by default (above 1): on the validation
   * split a p ≥ 0.95 prediction was still wrong for one query in five (the labels are where a query's
   * hits were, which is noisy), and a wrong filter hides every right product. Boosts carry the signal.
   */
  categoryFilterMin: number;
  /** Categories at least this probable scope measures and "cheap" to that category. */
  categoryScopeMin: number;
  /** A measure becomes a filter when this share of the unit's measurements is one attribute in scope. */
  measureFilterMinShare: number;
  /**
   * A leaf category (below lvl2) at least this probable becomes a boost. Off by default (above 1): leaf
   * probabilities below lvl2 come from catalog priors and name matches, and no real query is labelled there.
   */
  leafBoostMin: number;
}

export const DEFAULT_POLICY: PlanPolicy = {
  categoryBoostMin: 0.3,
  categoryFilterMin: 1.01,
  categoryScopeMin: 0.5,
  measureFilterMinShare: 0.6,
  leafBoostMin: 1.01,
};

export interface PreparedQuery {
  original: string;
  normalised: string;
  rules: CompiledRules;
  redirect: { url: string; ruleId: string } | undefined;
  spelling: PlanSpelling;
  /** Words after spelling and rewrite rules: what the classifier reads. */
  tokens: string[];
  extraction: Extraction;
  terms: PlanTerm[];
  rewrites: PlanRewrite[];
  features: HashedFeatures;
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;
const NO_SCORES: CategoryScores = { lvl1: [], lvl2: [] };

export class QueryUnderstanding {
  constructor(
    private readonly vocabulary: Vocabulary,
    private readonly speller: SpellingCorrector,
    private readonly rules: () => CompiledRules,
    private readonly classifier: CategoryClassifier,
    private readonly policy: PlanPolicy = DEFAULT_POLICY,
    /** Leaf categories from the catalog; without them plans carry no `leafCategories`. */
    private readonly leaves?: LeafCategories,
  ) {}

  /** Whether `understandSync` works (the classifier runs synchronously). */
  get synchronous(): boolean {
    return this.classifier.classifySync !== undefined;
  }

  async understand(raw: string, topCategories = 3): Promise<QueryPlan> {
    if (this.classifier.classifySync !== undefined) return this.understandSync(raw, topCategories);
    const prepared = this.prepare(raw);
    const scores = prepared.tokens.length === 0 ? NO_SCORES : await this.classifier.classify(prepared.features, topCategories);
    return this.finish(prepared, scores, topCategories);
  }

  /** The plan in one synchronous call; only for a classifier with `classifySync`. */
  understandSync(raw: string, topCategories = 3): QueryPlan {
    const prepared = this.prepare(raw);
    const scores = prepared.tokens.length === 0 ? NO_SCORES : this.classifier.classifySync!(prepared.features, topCategories);
    return this.finish(prepared, scores, topCategories);
  }

  prepare(raw: string): PreparedQuery {
    const rules = this.rules();
    const normalised = normaliseText(raw);
    const rewrites: PlanRewrite[] = [];
    if (normalised.text !== raw.trim().toLowerCase()) {
      rewrites.push({ step: 'normalise', from: raw.slice(0, 600), to: normalised.text, detail: 'case, Unicode, punctuation and units' });
    }
    let redirect = findRedirect(normalised.text, rules);
    const { spelling, tokens: spelled } = this.correct(normalised.tokens, rules, rewrites);
    if (redirect === undefined && spelling.action === 'search') redirect = findRedirect(spelled.join(' '), rules);
    if (redirect !== undefined) rewrites.push({ step: 'redirect', from: normalised.text, to: redirect.url, ruleId: redirect.ruleId, detail: 'merchandiser redirect' });
    const rewritten = applyRewriteRules(spelled, rules);
    rewrites.push(...rewritten.rewrites);
    const extraction = extractAttributes(rewritten.tokens, this.vocabulary, unitOf);
    const terms = this.expandSynonyms(extraction, rules, rewrites);
    return {
      original: raw,
      normalised: normalised.text,
      rules,
      redirect,
      spelling,
      tokens: rewritten.tokens,
      extraction,
      terms,
      rewrites,
      features: featurise(rewritten.tokens, this.classifier.featureSpec),
    };
  }

  finish(prepared: PreparedQuery, scores: CategoryScores, topCategories = 3): QueryPlan {
    const { extraction, rewrites } = prepared;
    const filters: PlanFilter[] = [];
    const boosts: PlanBoost[] = [];
    const categories: CategoryPrediction[] = [
      ...scores.lvl1.map(([path, p]): CategoryPrediction => ({ level: 1, path, probability: round(p) })),
      ...scores.lvl2.map(([path, p]): CategoryPrediction => ({ level: 2, path, probability: round(p) })),
    ];
    const top1 = scores.lvl1[0];
    const top2 = scores.lvl2[0];
    const scope = top1 !== undefined && top1[1] >= this.policy.categoryScopeMin ? top1[0] : undefined;

    // Terms the shopper used to say what a product fits ("case for iphone") are words, not its brand.
    const makers = extraction.brands.filter((b) => !b.compatibleWith);
    const terms = prepared.terms.map((t) => (t.role === 'brand' && !makers.some((b) => b.key === t.text) ? { ...t, role: 'word' as const } : t));
    const wordTerms = terms.filter((t) => t.role === 'word' || t.role === 'colour');
    const intent = this.intent(prepared, terms, makers);

    if (extraction.prices.length > 0) {
      let gte: number | undefined;
      let lte: number | undefined;
      for (const p of extraction.prices) {
        if (p.gte !== undefined) gte = gte === undefined ? p.gte : Math.max(gte, p.gte);
        if (p.lte !== undefined) lte = lte === undefined ? p.lte : Math.min(lte, p.lte);
      }
      const phrases = extraction.prices.map((p) => `"${p.phrase}"`).join(', ');
      filters.push({ type: 'range', field: 'price', ...(gte !== undefined ? { gte } : {}), ...(lte !== undefined ? { lte } : {}), reason: `price constraint ${phrases}` });
      rewrites.push({ step: 'attribute', from: extraction.prices.map((p) => p.phrase).join(' '), to: 'filter price', detail: 'price constraint' });
    }
    if (extraction.cheap !== undefined) {
      const { quartiles, scope: priceScope } = this.vocabulary.priceQuartiles(scope);
      boosts.push({ type: 'range', field: 'price', lte: quartiles[0], weight: 2, reason: `"${extraction.cheap}": lowest quarter of prices in ${priceScope === '*' ? 'the catalog' : priceScope}` });
      rewrites.push({ step: 'attribute', from: extraction.cheap, to: 'boost price', detail: 'low price wanted' });
    }
    const unresolved: PlanTerm[] = [];
    for (const measure of extraction.measures) {
      const field = this.vocabulary.measureField(measure.unit, scope);
      if (field === undefined) {
        unresolved.push({ text: measure.phrase.replace(/\s+/g, ' '), alternatives: [], role: 'word' });
        continue;
      }
      const low = normaliseNumeric(field.name, measure.value, measure.unit);
      const high = normaliseNumeric(field.name, measure.to ?? measure.value, measure.unit);
      const range =
        measure.comparator === 'lte' ? { lte: low.value }
        : measure.comparator === 'gte' ? { gte: low.value }
        : measure.comparator === 'between' ? { gte: low.value, lte: high.value }
        : { gte: round(low.value * 0.97, 3), lte: round(low.value * 1.03, 3) };
      const explicit = measure.comparator !== 'eq';
      const where = field.scope === '*' ? 'the catalog' : field.scope;
      const reason = `"${measure.phrase}" is ${field.name} (${Math.round(field.share * 100)}% of ${measure.unit} measures in ${where})`;
      if (explicit || (field.scope !== '*' && field.share >= this.policy.measureFilterMinShare)) {
        filters.push({ type: 'range', field: `num.${low.field}`, ...range, reason });
      } else {
        boosts.push({ type: 'range', field: `num.${low.field}`, ...range, weight: 2, reason });
      }
      rewrites.push({ step: 'attribute', from: measure.phrase, to: `num.${low.field}`, detail: reason.slice(0, 300) });
    }
    if (makers.length > 0) {
      const values = [...new Set(makers.map((b) => b.display))];
      if (intent.type === 'brand') filters.push({ type: 'terms', field: 'brand', values, reason: 'brand navigation: the query names only a brand' });
      else boosts.push({ type: 'terms', field: 'brand', values, weight: 3, reason: 'brand named in the query' });
    }
    for (const colour of extraction.colours) {
      boosts.push({ type: 'terms', field: 'attr.color', values: colour.values, weight: 1.5, reason: `colour "${colour.key}"` });
    }
    if (top2 !== undefined && top2[1] >= this.policy.categoryBoostMin) {
      boosts.push({ type: 'terms', field: 'category.lvl2', values: [top2[0]], weight: round(1 + 4 * top2[1], 2), reason: `predicted category p=${round(top2[1], 3)} ≥ ${this.policy.categoryBoostMin}` });
    }
    if (top1 !== undefined && top1[1] >= this.policy.categoryFilterMin && intent.type !== 'brand') {
      const reason = `predicted category p=${round(top1[1], 3)} ≥ filter threshold ${this.policy.categoryFilterMin}`;
      filters.push({ type: 'terms', field: 'category.lvl1', values: [top1[0]], reason });
      rewrites.push({ step: 'category', from: prepared.tokens.join(' '), to: top1[0], detail: `filter: ${reason}` });
    } else if (top1 !== undefined && top1[1] >= this.policy.categoryBoostMin) {
      boosts.push({ type: 'terms', field: 'category.lvl1', values: [top1[0]], weight: round(1 + 2 * top1[1], 2), reason: `predicted category p=${round(top1[1], 3)} ≥ ${this.policy.categoryBoostMin}` });
    }

    let leafCategories: LeafCategoryPrediction[] | undefined;
    if (this.leaves !== undefined && scores.probabilities !== undefined) {
      const leaves = this.leaves.top(scores.probabilities.lvl1, scores.probabilities.lvl2, prepared.tokens, topCategories);
      leafCategories = leaves.map((l) => ({ level: l.level, path: l.path, probability: round(l.probability) }));
      const leaf = leaves[0];
      if (leaf !== undefined && leaf.level >= 3 && leaf.probability >= this.policy.leafBoostMin) {
        const reason = `predicted leaf category p=${round(leaf.probability, 3)} ≥ ${this.policy.leafBoostMin}`;
        boosts.push({ type: 'terms', field: `category.lvl${leaf.level}`, values: [leaf.path], weight: round(1 + 4 * leaf.probability, 2), reason });
      }
    }

    const allTerms = [...terms, ...unresolved];
    return {
      schema: QUERY_PLAN_SCHEMA,
      original: prepared.original,
      normalised: prepared.normalised,
      query: allTerms.map((t) => t.text).join(' '),
      terms: allTerms,
      filters,
      boosts,
      spelling: prepared.spelling,
      categories,
      ...(leafCategories !== undefined ? { leafCategories } : {}),
      intent: wordTerms.length === 0 && allTerms.length === 0 && filters.length === 0 && intent.type === 'product' ? { type: 'empty' } : intent,
      rewrites,
      versions: { model: this.classifier.version, rules: prepared.rules.version, lexicon: this.vocabulary.version },
    };
  }

  private correct(tokens: string[], rules: CompiledRules, rewrites: PlanRewrite[]): { spelling: PlanSpelling; tokens: string[] } {
    const corrections: TokenCorrection[] = [];
    const corrected: string[] = [];
    const min = this.speller.options.suggestThreshold;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (rules.words.has(token)) {
        corrected.push(token);
        continue;
      }
      // Split words first: "lap top" → "laptop" (a merchandiser's word is never joined away).
      const next = tokens[i + 1];
      if (next !== undefined && !rules.words.has(next)) {
        const joined = this.speller.join(token, next);
        if (joined !== null && joined.confidence >= min) {
          corrections.push(joined);
          corrected.push(joined.to);
          i++;
          continue;
        }
      }
      const c = this.speller.correct(token);
      if (c === null || c.confidence < min) {
        corrected.push(token);
        continue;
      }
      corrections.push(c);
      // A joined-up pair ("airfryer" → "air fryer") becomes two words again.
      if (c.to.includes(' ')) corrected.push(...c.to.split(' '));
      else corrected.push(c.to);
    }
    if (corrections.length === 0) return { spelling: { action: 'none', confidence: 1, corrections: [] }, tokens };
    const confidence = Math.min(...corrections.map((c) => c.confidence));
    const action = confidence >= this.speller.options.searchThreshold ? 'search' : 'suggest';
    for (const c of corrections) {
      rewrites.push({ step: 'spelling', from: c.from, to: c.to, detail: `${action === 'search' ? 'searched' : 'suggested'}: distance ${c.distance}, confidence ${round(c.confidence, 3)}` });
    }
    return {
      spelling: {
        action,
        corrected: corrected.join(' '),
        confidence: round(confidence),
        corrections: corrections.map((c) => ({ from: c.from, to: c.to, distance: c.distance, confidence: round(c.confidence) })),
      },
      tokens: action === 'search' ? corrected : tokens,
    };
  }

  /** Synonym rules over the extracted terms; a phrase spanning several words becomes one term. */
  private expandSynonyms(extraction: Extraction, rules: CompiledRules, rewrites: PlanRewrite[]): PlanTerm[] {
    const terms = extraction.terms;
    const tokens: string[] = [];
    const starts: number[] = [];
    for (const term of terms) {
      starts.push(tokens.length);
      tokens.push(...term.text.split(' '));
    }
    const out: PlanTerm[] = [];
    for (let k = 0; k < terms.length; ) {
      const term = terms[k]!;
      const match = rules.synonyms.matchAt(tokens, starts[k]!);
      const endToken = match === undefined ? -1 : starts[k]! + match.tokens.length;
      const endTerm = starts.indexOf(endToken) === -1 ? (endToken === tokens.length ? terms.length : -1) : starts.indexOf(endToken);
      if (match === undefined || endTerm === -1) {
        out.push({ text: term.text, alternatives: [], role: term.role });
        k++;
        continue;
      }
      const text = match.tokens.join(' ');
      const alternatives = [...match.value.alternatives];
      rewrites.push({ step: 'synonym', from: text, to: alternatives.join(' | '), ruleId: match.value.ruleIds.join(','), detail: 'also matches its synonyms' });
      out.push({ text, alternatives, role: endTerm - k === 1 ? term.role : 'word' });
      k = endTerm;
    }
    return out;
  }

  private intent(prepared: PreparedQuery, terms: PlanTerm[], makers: Extraction['brands']): QueryPlan['intent'] {
    if (prepared.redirect !== undefined) return { type: 'redirect', redirect: prepared.redirect };
    if (terms.length === 0) return { type: prepared.extraction.prices.length + prepared.extraction.measures.length > 0 ? 'product' : 'empty' };
    if (makers.length > 0 && terms.every((t) => t.role === 'brand')) return { type: 'brand', brand: makers[0]!.display };
    if (terms.every((t) => t.role === 'word')) {
      const category = this.vocabulary.categoryNamed(contentTokens(terms.map((t) => t.text).join(' ')).join(' '));
      if (category !== undefined) return { type: 'category', category };
    }
    return { type: 'product' };
  }
}
