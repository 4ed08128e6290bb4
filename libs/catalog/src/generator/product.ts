/**
 * One product from (context, index). Everything random comes from a generator seeded with the catalog
 * seed and the index, so product i is the same whichever range it is generated in.
 */
import type { Product, ProductAttribute } from '@search-mesh/contracts';
import { mixSeed, pickCumulative, Prng } from '../prng';
import type { CatalogContext, LeafPlan } from './context';
import { type AttributeOption, type Brand, type Device, type ModelLine, titleMeasure } from './families/define';
import type { Intent, LineChoice } from './intent';
import { describe } from './description';

const DEFAULT_TITLE = '{brand} - {model} {prefix} {descriptors} {noun}{suffix}';
/** Release dates fall in the six years before this day (fixed, so output never depends on the clock). */
const RELEASE_END_MS = Date.UTC(2025, 5, 30);
const RELEASE_SPAN_DAYS = 6 * 365;
const DAY_MS = 86_400_000;
/** The Product schema's limit for a text attribute value. */
const MAX_SEARCH_TERM_LENGTH = 100;
const MAX_SEARCH_TERMS = 30;
/** Spread around a line's own typical price (a line's models differ less than a family's). */
const LINE_PRICE_SIGMA = 0.25;

export function generateProduct(index: number, ctx: CatalogContext): Product {
  if (!Number.isInteger(index) || index < 0) throw new Error(`product index must be a non-negative integer, got ${index}`);
  const rng = new Prng(mixSeed(ctx.seed, index));
  const leaf = ctx.leaves[pickCumulative(ctx.cumulative, rng.next())] as LeafPlan;
  const intent = leaf.intents.length > 0 && rng.chance(leaf.intentRate) ? rng.weighted(leaf.intents, leaf.intentWeights) : undefined;
  const family = leaf.family;

  const choice = chooseLine(rng, leaf, intent);
  const brand = choice.brand;
  // Lines without a name only carry tags (which categories sell them); such products have no model line.
  const line = choice.line === undefined || choice.line.name === '' ? undefined : choice.line;
  const variant = intent !== undefined && intent.lineNamed ? intent.variant : leaf.base.lineNamed && leaf.base.lines.includes(choice) ? leaf.base.variant : undefined;
  const model = line === undefined ? undefined : modelName(line, variant ?? (line.variants.length > 0 ? rng.pick(line.variants) : undefined));
  const implied = choice.line === undefined ? undefined : leaf.lineAttributes.get(choice.line);
  const device = leaf.devices.length === 0 ? undefined : chooseDevice(rng, leaf, intent, brand);

  const attributes: ProductAttribute[] = [];
  const prefix: string[] = [];
  const descriptors: string[] = [];
  const suffix: string[] = [];
  let priceFactor = 1;
  let size: number | undefined;
  for (const spec of leaf.specs) {
    const option =
      intent?.attributes.get(spec.name) ??
      leaf.base.attributes.get(spec.name) ??
      implied?.get(spec.name) ??
      (rng.chance(spec.presence) ? rng.weighted(spec.options, spec.options.map((o) => o.weight)) : undefined);
    if (option === undefined) continue;
    attributes.push(option.unit === undefined ? { name: spec.name, value: option.value } : { name: spec.name, value: option.value, unit: option.unit });
    if (size === undefined && option.unit === 'in' && typeof option.value === 'number') size = option.value;
    if (spec.priceFactor !== undefined) priceFactor *= spec.priceFactor(option);
    if (spec.title !== undefined) {
      const text = spec.titleText === undefined ? titleText(option) : spec.titleText(option);
      if (text !== undefined) (spec.title === 'prefix' ? prefix : spec.title === 'descriptor' ? descriptors : suffix).push(text);
    }
  }
  if (device !== undefined) attributes.push({ name: 'compatible_with', value: device });
  const features = chooseFeatures(rng, family.features);
  if (features !== '') attributes.push({ name: 'features', value: features });
  // Words shoppers use for this product that a listing would not say (like a marketplace's search terms).
  const searchTerms = (intent?.keywords ?? []).map((k) => k.slice(0, MAX_SEARCH_TERM_LENGTH)).slice(0, MAX_SEARCH_TERMS);

  const noun = rng.pick(leaf.nouns);
  const title = composeTitle(family.titleTemplate ?? DEFAULT_TITLE, {
    brand: brand.name,
    model: model ?? '',
    prefix: prefix.join(' '),
    descriptors: [...descriptors, ...(intent?.descriptors ?? [])],
    noun,
    suffix,
    device,
  });

  const popularity = round(rng.next() ** 5, 4);
  const reviewCount = rng.chance(0.12) ? 0 : Math.min(50_000, Math.floor(4 * (rng.next() ** -0.9 - 1) * (0.3 + 4 * popularity)));
  const id = `p${String(index).padStart(7, '0')}`;
  return {
    id,
    title,
    brand: brand.name,
    ...(line === undefined ? {} : { modelLine: line.name }),
    modelNumber: modelNumber(rng, brand, size),
    description: describe(rng, { family, brand: brand.name, model, noun, attributes, device, features }),
    category: { id: leaf.category.id, path: [...leaf.category.path], pathIds: [...leaf.category.pathIds] },
    attributes,
    ...(searchTerms.length > 0 ? { searchTerms } : {}),
    price: price(rng, (choice.line?.price ?? family.price.median) * priceFactor, choice.line?.price === undefined ? family.price.sigma : LINE_PRICE_SIGMA),
    rating: reviewCount === 0 ? 0 : rating(rng),
    reviewCount,
    stock: rng.chance(0.1) ? 0 : Math.min(999, Math.floor(-Math.log(1 - rng.next()) * 35) + 1),
    releaseDate: new Date(RELEASE_END_MS - Math.floor(rng.next() ** 1.5 * RELEASE_SPAN_DAYS) * DAY_MS).toISOString().slice(0, 10),
    popularity,
    image: `/images/${id}.jpg`,
  };
}

function chooseLine(rng: Prng, leaf: LeafPlan, intent: Intent | undefined): LineChoice {
  if (intent !== undefined && intent.lines.length > 0) return rng.pick(intent.lines);
  return rng.weighted(leaf.pool, leaf.poolWeights);
}

/** "iPhone" + "15 Pro" → "iPhone 15 Pro"; "Galaxy S" + "S7" → "Galaxy S7"; "Galaxy S" + "Galaxy S24" → "Galaxy S24". */
function modelName(line: ModelLine, variant: string | undefined): string {
  if (variant === undefined || variant === '') return line.name;
  const words = line.name.split(' ');
  const first = (words[0] as string).toLowerCase();
  const last = (words[words.length - 1] as string).toLowerCase();
  const v = variant.toLowerCase();
  if (v.startsWith(first)) return variant;
  if (words.length > 1 && last.length <= 2 && /\d/.test(v) && v.startsWith(last)) return [...words.slice(0, -1), variant].join(' ');
  return `${line.name} ${variant}`;
}

/** The device an accessory fits; a device maker's accessories fit its own devices. */
function chooseDevice(rng: Prng, leaf: LeafPlan, intent: Intent | undefined, brand: Brand): string {
  const named = intent !== undefined && intent.devices.length > 0 ? intent : leaf.base.devices.length > 0 ? leaf.base : undefined;
  let candidates: readonly Device[] = named?.devices ?? leaf.devices;
  if (named === undefined) {
    const maker = brand.name.split(' ')[0]?.toLowerCase() ?? '';
    const own = candidates.filter((d) => d.name.toLowerCase().startsWith(`${maker} `));
    if (own.length > 0) candidates = own;
  }
  const device = rng.pick(candidates);
  const variant = named?.deviceVariant ?? (device.variants.length > 0 ? rng.pick(device.variants) : undefined);
  return variant === undefined ? device.name : `${device.name} ${variant}`;
}

function chooseFeatures(rng: Prng, features: readonly string[]): string {
  const chosen: string[] = [];
  const count = rng.int(0, 2);
  for (let i = 0; i < count; i++) {
    const feature = rng.pick(features);
    if (!chosen.includes(feature)) chosen.push(feature);
  }
  return chosen.join(', ');
}

function titleText(option: AttributeOption): string | undefined {
  if (option.value === 'no') return undefined;
  return typeof option.value === 'number' ? titleMeasure(option.value, option.unit) : option.value;
}

interface TitleParts {
  brand: string;
  model: string;
  prefix: string;
  descriptors: string[];
  noun: string;
  suffix: string[];
  device: string | undefined;
}

/** Title words, without the small ones that never decide whether something was already said. */
const TITLE_FILLERS = new Set(['', 'for', 'the', 'and', 'with', 'of', 'a']);
const words = (text: string) => text.toLowerCase().split(/[\s-]+/).filter((w) => !TITLE_FILLERS.has(w));

function composeTitle(template: string, parts: TitleParts): string {
  // The model and the category noun often overlap ("Air Filter" from a "Microwave Air Filters" category,
  // "MacBook" for a "MacBook Air"): the shorter one is left out.
  const modelWords = words(parts.model);
  const nounWords = words(parts.noun);
  const model = modelWords.length > 0 && modelWords.every((w) => nounWords.includes(w)) && nounWords.length > modelWords.length ? '' : parts.model;
  const noun = model !== '' && nounWords.every((w) => modelWords.includes(w)) ? '' : parts.noun;
  // Descriptors and suffixes already said ("QLED" in "QLED Q80D", "for Xbox One" after "Xbox One Controller") are left out.
  const said = new Set(words(`${parts.brand} ${model} ${noun} ${parts.prefix} ${parts.device ?? ''}`));
  const unsaid = (phrases: readonly string[]) => {
    const kept: string[] = [];
    for (const phrase of phrases) {
      const w = words(phrase);
      if (w.every((x) => said.has(x))) continue;
      for (const x of w) said.add(x);
      kept.push(phrase);
    }
    return kept;
  };
  const values: Record<string, string> = {
    brand: parts.brand,
    model,
    prefix: parts.prefix,
    descriptors: unsaid(parts.descriptors).join(' '),
    noun,
    suffix: unsaid(parts.suffix).map((s) => ` - ${s}`).join(''),
    device: parts.device ?? '',
  };
  return template
    .replace(' for {device}', parts.device === undefined ? '' : ' for {device}')
    .replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '')
    .replace(/\s+/g, ' ')
    .replace(/( -)+ -/g, ' -')
    .replace(/^\s*-\s*|\s*-\s*$/g, '')
    .trim()
    .slice(0, 500);
}

const PATTERN_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

function modelNumber(rng: Prng, brand: Brand, size: number | undefined): string {
  let out = '';
  const pattern = brand.modelPattern.replace('{size}', String(Math.round(size ?? rng.int(10, 99))));
  for (const ch of pattern) {
    if (ch === '#') out += String(rng.int(0, 9));
    else if (ch === '@') out += PATTERN_LETTERS.charAt(rng.int(0, PATTERN_LETTERS.length - 1));
    else out += ch;
  }
  return out.slice(0, 64);
}

/** Log-normal around the family median; most prices end in .99, many in 9.99. */
function price(rng: Prng, median: number, sigma: number): number {
  const raw = Math.min(50_000, Math.max(1.5, median * Math.exp(rng.gaussian(0, sigma))));
  const style = rng.next();
  if (raw >= 20 && style < 0.45) return round(Math.floor(raw / 10) * 10 + 9.99, 2);
  if (style < 0.85) return round(Math.floor(raw) + 0.99, 2);
  return round(raw, 2);
}

/** Skewed high like real store ratings: mostly 4–5 stars, a tail of poor ones. */
function rating(rng: Prng): number {
  const value = rng.chance(0.07) ? rng.float(1, 3.5) : 4.8 - Math.abs(rng.gaussian(0, 0.45));
  return round(Math.min(5, Math.max(1, value)), 1);
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
