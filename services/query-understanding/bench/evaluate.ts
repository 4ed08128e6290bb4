/**
 * Evaluation on the fixed held-out split (`splitQueries`, test part; `--split train` for tuning):
 *   - category prediction: top-1 / top-3 accuracy against each query's most frequent lvl1 and lvl2
 *     category, beside a majority-class baseline, and how often the filter threshold fires and is right;
 *   - spelling: misspellings generated from the real queries (1 and 2 random edits: deletion, insertion,
 *     substitution, transposition, in words of 4+ letters), correction accuracy, and the false-correction
 *     rate on the correctly spelled queries.
 * `--lexicon train-catalog` replaces the served lexicon by one built from a catalog generated without the
 * test queries (the honest reading: the served catalog's search terms come from all queries).
 *   - space typos: two words run together ("airfryer") and one word split into two words ("lap top").
 * Usage: npx tsx services/query-understanding/bench/evaluate.ts [--split test|train|validation] [--model-dir DIR] [--lexicon served|train-catalog] [--seed 1]
 *        [--english 0|10|…|60] (common English words up to this SCOWL size are never corrected) [--no-spaces] (no split/join) [--space-penalty 1.5]
 */
import { generateCatalog, loadQueries, loadTaxonomy, Prng, type QueryRecord, resolveDataDir, splitQueries } from '@search-mesh/catalog';
import { createEngine, type Engine } from '../src/engine';
import type { OnnxCategoryClassifier } from '../src/adapters/onnx-classifier';
import { buildLexicon } from '../src/domain/lexicon';
import { normaliseText } from '../src/domain/normalise';
import { DEFAULT_SPELLING_OPTIONS } from '../src/domain/spelling';
import { validationQueries } from '../training/examples';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}% (${n}/${d})`);

function topLabel(counts: QueryRecord['lvl1']): string | undefined {
  let best: QueryRecord['lvl1'][number] | undefined;
  for (const c of counts) if (best === undefined || c.count > best.count) best = c;
  return best?.value;
}

async function evaluateCategories(engine: Engine, train: QueryRecord[], queries: QueryRecord[], filterMins: number[]): Promise<void> {
  const features = queries.map((q) => engine.pipeline.prepare(q.query).features);
  const scores = await (engine.classifier as OnnxCategoryClassifier).classifyBatch(features, 3);
  for (const level of ['lvl1', 'lvl2'] as const) {
    const majority = new Map<string, number>();
    for (const q of train) {
      const label = topLabel(q[level]);
      if (label !== undefined) majority.set(label, (majority.get(label) ?? 0) + 1);
    }
    const baseline = [...majority.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    let n = 0, top1 = 0, top3 = 0, base = 0;
    const fired = filterMins.map(() => 0);
    const firedRight = filterMins.map(() => 0);
    queries.forEach((q, i) => {
      const label = topLabel(q[level]);
      if (label === undefined) return;
      n++;
      const predicted = scores[i]![level];
      if (predicted[0]?.[0] === label) top1++;
      if (predicted.some(([l]) => l === label)) top3++;
      if (baseline === label) base++;
      filterMins.forEach((min, k) => {
        if ((predicted[0]?.[1] ?? 0) < min) return;
        fired[k]!++;
        if (predicted[0]![0] === label) firedRight[k]!++;
      });
    });
    console.log(`category ${level}: top-1 ${pct(top1, n)}, top-3 ${pct(top3, n)}; majority baseline ${pct(base, n)}`);
    filterMins.forEach((min, k) => console.log(`  top-1 p ≥ ${min} (a filter threshold): on ${pct(fired[k]!, n)} of queries, right ${pct(firedRight[k]!, fired[k]!)}`));
  }
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** `edits` random edits to random words of 4+ letters (a word may take both); null if none qualifies. */
export function misspell(query: string, edits: number, rng: Prng): string | null {
  const tokens = normaliseText(query).tokens;
  const eligible = tokens.map((t, i) => (/^[a-z]{4,}$/.test(t) ? i : -1)).filter((i) => i >= 0);
  if (eligible.length === 0) return null;
  for (let e = 0; e < edits; e++) {
    const at = rng.pick(eligible);
    const word = tokens[at]!;
    const pos = rng.int(0, word.length - 1);
    const letter = rng.pick([...LETTERS]);
    const kind = rng.int(0, 3);
    tokens[at] =
      kind === 0 ? word.slice(0, pos) + word.slice(pos + 1)
      : kind === 1 ? word.slice(0, pos) + letter + word.slice(pos)
      : kind === 2 ? word.slice(0, pos) + (letter === word[pos] ? LETTERS[(LETTERS.indexOf(letter) + 1) % 26] : letter) + word.slice(pos + 1)
      : pos < word.length - 1 && word[pos] !== word[pos + 1] ? word.slice(0, pos) + word[pos + 1] + word[pos] + word.slice(pos + 2)
      : word.slice(0, pos) + word.slice(pos + 1);
  }
  return tokens.join(' ');
}

async function evaluateSpelling(engine: Engine, queries: QueryRecord[], seed: number): Promise<void> {
  const known = (t: string) => engine.speller.isProtected(t);
  for (const edits of [1, 2]) {
    const rng = new Prng(`qu-spelling-eval|${seed}|${edits}`);
    let n = 0, searched = 0, suggested = 0, nonWord = 0, nonWordFixed = 0;
    for (const q of queries) {
      const typo = misspell(q.query, edits, rng);
      const target = normaliseText(q.query).text;
      if (typo === null || typo === target) continue;
      n++;
      const plan = await engine.understand(typo);
      const corrected = plan.spelling.corrected ?? plan.normalised;
      const right = corrected === target;
      if (right && plan.spelling.action === 'search') searched++;
      if (right && plan.spelling.action === 'suggest') suggested++;
      // A typo that makes another known word ("case" → "cases") cannot be caught word by word.
      if (!typo.split(' ').every(known)) {
        nonWord++;
        if (right) nonWordFixed++;
      }
    }
    console.log(`spelling, ${edits} edit${edits > 1 ? 's' : ''}: corrected and searched ${pct(searched, n)}, corrected as a suggestion ${pct(suggested, n)}, either ${pct(searched + suggested, n)}`);
    console.log(`  typos that are not known words: ${pct(nonWord, n)} of the misspellings, corrected ${pct(nonWordFixed, nonWord)}`);
  }
  // Space typos: two words run together ("air fryer" → "airfryer"), and one word split where both halves
  // are words ("laptop" → "lap top").
  const rng = new Prng(`qu-spelling-eval|${seed}|spaces`);
  let joinedN = 0, joinedFixed = 0, splitN = 0, splitFixed = 0;
  for (const q of queries) {
    const tokens = normaliseText(q.query).tokens;
    const target = tokens.join(' ');
    const pairs = tokens.map((_, i) => i).filter((i) => i + 1 < tokens.length && /^[a-z]{3,}$/.test(tokens[i]!) && /^[a-z]{3,}$/.test(tokens[i + 1]!));
    if (pairs.length > 0) {
      const at = rng.pick(pairs);
      const typo = [...tokens.slice(0, at), tokens[at]! + tokens[at + 1]!, ...tokens.slice(at + 2)].join(' ');
      const plan = await engine.understand(typo);
      joinedN++;
      if ((plan.spelling.corrected ?? plan.normalised) === target) joinedFixed++;
    }
    const splittable: Array<[number, number]> = [];
    tokens.forEach((t, i) => {
      if (!/^[a-z]{6,}$/.test(t)) return;
      for (let k = 3; k <= t.length - 3; k++) if (engine.vocabulary.isKnown(t.slice(0, k)) && engine.vocabulary.isKnown(t.slice(k))) splittable.push([i, k]);
    });
    if (splittable.length > 0) {
      const [i, k] = rng.pick(splittable);
      const typo = [...tokens.slice(0, i), tokens[i]!.slice(0, k), tokens[i]!.slice(k), ...tokens.slice(i + 1)].join(' ');
      const plan = await engine.understand(typo);
      splitN++;
      if ((plan.spelling.corrected ?? plan.normalised) === target) splitFixed++;
    }
  }
  console.log(`spelling, two words run together ("airfryer"): corrected ${pct(joinedFixed, joinedN)}; one word split into two words ("lap top"): corrected ${pct(splitFixed, splitN)}`);
  let searched = 0, suggested = 0;
  const examples: string[] = [];
  const suggestions: string[] = [];
  for (const q of queries) {
    const plan = await engine.understand(q.query);
    if (plan.spelling.action === 'search') {
      searched++;
      if (examples.length < 8) examples.push(`${plan.normalised} → ${plan.spelling.corrected}`);
    }
    if (plan.spelling.action === 'suggest') {
      suggested++;
      if (suggestions.length < 8) suggestions.push(`${plan.normalised} → ${plan.spelling.corrected}`);
    }
  }
  console.log(`false corrections on correctly spelled queries: searched ${pct(searched, queries.length)} (target ≤ 1%), suggested ${pct(suggested, queries.length)}`);
  if (examples.length > 0) console.log(`  searched, e.g. ${examples.join('; ')}`);
  if (suggestions.length > 0) console.log(`  suggested, e.g. ${suggestions.join('; ')}`);
}

async function main(): Promise<void> {
  const dir = resolveDataDir();
  const queries = loadQueries(dir);
  const { train, test } = splitQueries(queries);
  const split = arg('split', 'test');
  const evaluated = split === 'train' ? train : split === 'validation' ? validationQueries(train) : test;
  const lexiconChoice = arg('lexicon', 'served');
  const lexicon =
    lexiconChoice === 'train-catalog'
      ? buildLexicon(generateCatalog({ seed: 42, size: 50_000, taxonomy: loadTaxonomy(dir), queries: train }), train, 'train-catalog')
      : undefined;
  const modelDir = arg('model-dir', '');
  // Ablations: --english 0 (no English word list), --no-spaces (no split/join correction).
  const noSpaces = process.argv.includes('--no-spaces');
  if (noSpaces && lexicon) delete lexicon.bigrams;
  const spelling = {
    englishMaxSize: Number(arg('english', String(DEFAULT_SPELLING_OPTIONS.englishMaxSize))),
    spacePenalty: Number(arg('space-penalty', String(DEFAULT_SPELLING_OPTIONS.spacePenalty))),
    ...(noSpaces ? { joinMinCount: Infinity } : {}),
  };
  const engine = await createEngine({ ...(lexicon ? { lexicon } : {}), ...(modelDir ? { modelDir } : {}), spelling });
  console.log(
    `data: ${dir ?? 'built-in'}; ${split} split: ${evaluated.length} queries; model ${engine.classifier.version}; lexicon ${engine.vocabulary.version} (${lexiconChoice}); ` +
      `English words up to size ${spelling.englishMaxSize}; split/join ${noSpaces ? 'off' : `on (space penalty ${spelling.spacePenalty})`}`,
  );
  await evaluateCategories(engine, train, evaluated, [0.9, 0.95, 0.99]);
  await evaluateSpelling(engine, evaluated, Number(arg('seed', '1')));
  await engine.close();
}

if (require.main === module) {
  void main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
