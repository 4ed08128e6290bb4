/**
 * Suggestion quality on the held-out TEST queries (the catalog library's fixed split; the index is seeded
 * from TRAIN only): each test query is typed character by character, and at every prefix we look for the
 * full query among the suggestions.
 *
 * - MRR: mean over all (query, prefix) pairs of 1 / rank of the query (0 when absent).
 * - keystrokes saved: per query, the share of its characters the shopper need not type, i.e. the first
 *   prefix at which it is among the suggestions (they would pick it there); 0 when it never appears.
 * - "exact" matches the folded text; "near" also accepts a near-duplicate ("tvs" for "tv", word order).
 *
 * With `--validation`, the seed is four fifths of TRAIN and the evaluation the other fifth (for tuning
 * weights without looking at TEST).
 *
 *   npx tsx services/autocomplete/bench/quality.ts [--size 50000] [--limit 8] [--builtin] [--validation]
 *     [--entity 0.5] [--infix 0.15] [--edit 0.12]   (ranking weights, defaults in the source)
 */
import { parseArgs } from 'node:util';
import { hash32, loadQueries, normaliseQuery, resolveDataDir, splitQueries } from '@search-mesh/catalog';
import { loadSources } from '../src/adapters/catalog-source';
import { Suggester } from '../src/domain/suggester';
import { nearDuplicateKey } from '../src/domain/text';

const { values } = parseArgs({
  options: { size: { type: 'string', default: '50000' }, limit: { type: 'string', default: '8' }, builtin: { type: 'boolean', default: false }, validation: { type: 'boolean', default: false }, entity: { type: 'string' }, infix: { type: 'string' }, edit: { type: 'string' } },
});
/** The validation fifth of TRAIN: its own salt, independent of the TEST split. */
const inValidation = (query: string) => hash32(`autocomplete/validation|${normaliseQuery(query)}`) % 5 === 0;
const limit = Number(values.limit);
const dataDir = values.builtin ? null : resolveDataDir();
const started = performance.now();
const weights = Object.fromEntries((['entity', 'infix', 'edit'] as const).filter((k) => values[k] !== undefined).map((k) => [k, Number(values[k])]));
const sources = loadSources({ seed: 42, size: Number(values.size), dataDir, ...(values.validation ? { seedFilter: (q: string) => !inValidation(q) } : {}) });
const suggester = new Suggester({ ...sources, weights });
console.log(`weights ${JSON.stringify(weights)}; index: ${suggester.current.size} entries, ${suggester.current.vocabulary.length} words, built in ${((performance.now() - started) / 1000).toFixed(1)} s (catalog ${values.size}, ${dataDir === null ? 'built-in data' : dataDir})`);

const split = splitQueries(loadQueries(dataDir));
const test = values.validation ? split.train.filter((q) => inValidation(q.query)) : split.test;
const queries = [...new Map(test.map((q) => [normaliseQuery(q.query), q.popularity])).entries()].filter(([q]) => q !== '');

interface Tally { rr: number; pairs: number; saved: number; found: number; weightedRr: number; weight: number }
const tally = (): Tally => ({ rr: 0, pairs: 0, saved: 0, found: 0, weightedRr: 0, weight: 0 });
const exact = tally();
const near = tally();
let requests = 0;
const t0 = performance.now();
for (const [query, popularity] of queries) {
  const key = nearDuplicateKey(query);
  const firstAt = { exact: -1, near: -1 };
  let rrExact = 0;
  let rrNear = 0;
  for (let n = 1; n <= query.length; n++) {
    const prefix = query.slice(0, n);
    if (prefix.trim() === '') continue;
    requests++;
    const texts = suggester.suggest({ q: prefix, limit }).map((s) => normaliseQuery(s.text));
    const unique = [...new Set(texts)];
    const e = unique.indexOf(query);
    const nr = unique.findIndex((t) => t === query || nearDuplicateKey(t) === key);
    const rrE = e < 0 ? 0 : 1 / (e + 1);
    const rrN = nr < 0 ? 0 : 1 / (nr + 1);
    rrExact += rrE;
    rrNear += rrN;
    exact.pairs++;
    near.pairs++;
    if (e >= 0 && firstAt.exact < 0) firstAt.exact = n;
    if (nr >= 0 && firstAt.near < 0) firstAt.near = n;
  }
  for (const [t, rr, at] of [[exact, rrExact, firstAt.exact], [near, rrNear, firstAt.near]] as const) {
    t.rr += rr;
    t.weightedRr += (rr / query.length) * popularity;
    t.weight += popularity;
    if (at > 0) {
      t.found++;
      t.saved += (query.length - at) / query.length;
    }
  }
}
const ms = performance.now() - t0;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`${values.validation ? 'validation (a fifth of TRAIN)' : 'TEST'} queries: ${queries.length} (held out; never seeded), ${requests} prefixes, top ${limit}, ${(ms / requests).toFixed(3)} ms per prefix in-process`);
for (const [name, t] of [['exact', exact], ['near-duplicate allowed', near]] as const) {
  console.log(
    `${name.padEnd(24)} MRR ${(t.rr / t.pairs).toFixed(3)} (popularity-weighted ${(t.weightedRr / t.weight).toFixed(3)})  ` +
      `suggested at some prefix ${pct(t.found / queries.length)}  keystrokes saved ${pct(t.saved / queries.length)}`,
  );
}
