/**
 * Reads a query (or a category name) in the vocabulary of one product family: which brand, model line,
 * compatible device, sizes and attribute values it asks for, and which remaining words a matching
 * product should carry. Products generated from an intent therefore contain the words shoppers typed,
 * placed where a real listing would have them (brand, model line, attribute values, title).
 */
import { contentTokens, stem, STOPWORDS, tokenise } from '../text';
import type { AttributeOption, AttributeSpec, Brand, Device, Family, ModelLine } from './families/define';
import { namesProductKind } from './line-fit';

export interface LineChoice {
  brand: Brand;
  line: ModelLine | undefined;
}

export interface Intent {
  /** Brand/line candidates it asks for; empty when it names none. */
  lines: LineChoice[];
  /** Whether a model line was named (not just a brand, whose lines all qualify). */
  lineNamed: boolean;
  /** Model variant it names, e.g. "8" in "iphone 8". */
  variant?: string;
  /** Devices an accessory must fit; empty when it names none. */
  devices: Device[];
  deviceVariant?: string;
  attributes: Map<string, AttributeOption>;
  /** Product words for the title, e.g. "Backpack". */
  descriptors: string[];
  /** Other words, carried in the product's `searchTerms`. */
  keywords: string[];
  /** Stems taken by brand, line or device (a category name's remaining words make the product noun). */
  consumed: Set<string>;
}

/** Other names shoppers use for brands (matched as whole phrases). */
const BRAND_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'Hamilton Beach': ['hamilton'],
  'Philips Norelco': ['philips', 'norelco'],
  'Philips Sonicare': ['philips', 'sonicare'],
  'Polk Audio': ['polk'],
  'Honeywell Home': ['honeywell'],
  'Logitech G': ['logitech'],
  'Sony Interactive Entertainment': ['sony', 'playstation'],
  'Warner Bros. Games': ['warner'],
  'kate spade new york': ['kate spade'],
  Beats: ['beats by dre'],
  HP: ['hewlett packard'],
  WD: ['western digital'],
  GE: ['general electric'],
  'GE Profile': ['ge'],
  'Pioneer DJ': ['pioneer'],
  'Ultimate Ears': ['ue'],
  'BOSS Audio': ['boss'],
  'Rockford Fosgate': ['rockford'],
  'Definitive Technology': ['definitive'],
  SiriusXM: ['sirius'],
  "De'Longhi": ['delonghi'],
  'Crock-Pot': ['crockpot'],
  GoPro: ['go pro'],
  Fujifilm: ['fuji'],
};

/** Words too common in model-line names to identify one ("Pro", "Series"). */
const COMMON_LINE_WORDS = new Set(
  ['series', 'pro', 'plus', 'smart', 'wireless', 'portable', 'air', 'max', 'mini', 'ultra', 'classic', 'essential', 'premium',
    'basic', 'everyday', 'digital', 'home', 'one', 'go', 'edition', 'standard', 'new', 'high', 'power', 'kit', 'system',
    'electric', 'gas', 'top', 'front', 'load', 'door', 'french', 'side', 'freezer', 'compact', 'countertop', 'built',
    'over', 'range', 'black', 'white', 'color', 'hd', '4k', 'usb', 'c', 'x', 's', 'e', 'cable', 'charger', 'case', 'filter',
    'light', 'tv', 'remote', 'sound', 'speaker', 'camera', 'phone', 'watch', 'bluetooth', 'stand', 'mount', 'full',
    'motion', 'fixed', 'tilt', 'mouse', 'keyboard', 'wired', 'dual', 'slim', 'clear'].map(stem),
);

/** Words that qualify a model: "plus", "pro", "13", "s7". */
const QUALIFIER_WORDS = new Set(['plus', 'pro', 'max', 'mini', 'air', 'ultra', 'se', 'edge', 'note', 'lite', 'xl', 'slim', 'fe']);

/** Units shoppers type, mapped to the units attributes use. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  in: 'in', inch: 'in', inches: 'in', tb: 'TB', gb: 'GB', mp: 'MP', megapixel: 'MP', qt: 'qt', quart: 'qt', quarts: 'qt',
  cup: 'cups', cups: 'cups', oz: 'oz', ounce: 'oz', w: 'W', watt: 'W', watts: 'W', ft: 'ft', foot: 'ft', feet: 'ft',
  mah: 'mAh', hz: 'Hz', btu: 'BTU', mm: 'mm', lb: 'lb', lbs: 'lb', pound: 'lb',
};
const NUMBER = /^\d+(?:\.\d+)?$/;
const GLUED_MEASURE = /^(\d+(?:\.\d+)?)(tb|gb|mp|in|inch|qt|oz|w|ft|mah|hz|btu|mm|lb)$/;

interface Phrase<T> {
  item: T;
  tokens: string[];
}

/** A family's vocabulary, tokenised once. */
export interface FamilyVocabulary {
  brands: Phrase<Brand>[];
  lines: Phrase<LineChoice>[];
  devices: Phrase<Device>[];
  /** First tokens of device names: brands that make the devices accessories fit. */
  deviceMakers: Set<string>;
}

export function familyVocabulary(family: Family): FamilyVocabulary {
  const brands: Phrase<Brand>[] = [];
  const lines: Phrase<LineChoice>[] = [];
  for (const b of family.brands) {
    brands.push({ item: b, tokens: contentTokens(b.name) });
    for (const alias of BRAND_ALIASES[b.name] ?? []) brands.push({ item: b, tokens: contentTokens(alias) });
    // (Short words count in line names: "Galaxy A" is not "Galaxy".)
    for (const line of b.lines) lines.push({ item: { brand: b, line }, tokens: tokenise(line.name).map(stem) });
  }
  const devices = (family.devices ?? []).map((d) => ({ item: d, tokens: contentTokens(d.name) }));
  const deviceMakers = new Set(devices.map((d) => d.tokens[0] ?? ''));
  return { brands, lines, devices, deviceMakers };
}

interface Word {
  raw: string;
  stem: string;
}

export interface ParseContext {
  vocabulary: FamilyVocabulary;
  specs: readonly AttributeSpec[];
  /** Stems of the leaf's category names: words a product already carries through its category. */
  leafTokens: ReadonlySet<string>;
  /** Stems of every category name: words that read naturally in a product title. */
  productWords: ReadonlySet<string>;
  /** Reading the leaf's own name: its words identify devices ("iPhone 6 Cases") though they are category words. */
  isCategoryName?: boolean;
}

export function parseIntent(text: string, ctx: ParseContext): Intent {
  const intent: Intent = { lines: [], lineNamed: false, devices: [], attributes: new Map(), descriptors: [], keywords: [], consumed: new Set() };
  const words = readMeasures(tokenise(text), ctx, intent);

  /** Stems matched to attribute values or placed in the title or keywords. */
  const taken = new Set<string>();
  const remaining = (): Word[] => words.filter((w) => !intent.consumed.has(w.stem) && !taken.has(w.stem));
  // A line is named by a word that is neither common nor a category word ("inspiron", "echo dot"): a
  // category word ("blender", "macbook") names a kind of product, which the category's tags handle.
  const namesLine = (token: string) => !COMMON_LINE_WORDS.has(token) && !ctx.productWords.has(token);
  const namesDevice = (token: string) => !COMMON_LINE_WORDS.has(token) && (ctx.isCategoryName === true || !ctx.leafTokens.has(token));

  // Brand: the longest brand phrase present; with two, the one that is not a device maker makes the product.
  const present = new Set(words.map((w) => w.stem));
  const brandHits = ctx.vocabulary.brands.filter((p) => p.tokens.length > 0 && p.tokens.every((t) => present.has(t)));
  brandHits.sort((a, b) => b.tokens.length - a.tokens.length);
  const maker = brandHits.find((p) => !ctx.vocabulary.deviceMakers.has(p.tokens[0] ?? '')) ?? brandHits[0];
  if (maker !== undefined) for (const t of maker.tokens) intent.consumed.add(t);

  // Model line (of that brand, if one was named).
  const lineCandidates = ctx.vocabulary.lines.filter((p) => maker === undefined || p.item.brand === maker.item);
  // A category name ("iPhone 6 Plus", "MacBook Pro") names a line only by spelling all of it, and
  // never a line named after a kind of product ("Hand Blender" is not what "Hand Blenders" sells).
  const lineHits =
    ctx.isCategoryName === true
      ? fullMatches(lineCandidates.filter((p) => p.item.line !== undefined && !namesProductKind(p.item.line)), remaining())
      : bestOverlap(lineCandidates, remaining(), namesLine);
  if (lineHits.length > 0) {
    intent.lines = lineHits.map((p) => p.item);
    intent.lineNamed = true;
    for (const p of lineHits) for (const t of p.tokens) intent.consumed.add(t);
  } else if (maker !== undefined) {
    const b = maker.item;
    intent.lines = b.lines.length > 0 ? b.lines.map((line) => ({ brand: b, line })) : [{ brand: b, line: undefined }];
  }

  // Compatible device, for accessories ("iphone 7 case" fits an Apple iPhone 7).
  const deviceHits = bestOverlap(ctx.vocabulary.devices, remaining(), namesDevice);
  if (deviceHits.length > 0) {
    intent.devices = deviceHits.map((p) => p.item);
    for (const p of deviceHits) for (const t of p.tokens) intent.consumed.add(t);
  }

  // Qualifiers ("8", "pro", "s7") complete the line or the device that was named.
  const qualifiers = remaining().filter((w) => /\d/.test(w.raw) || QUALIFIER_WORDS.has(w.raw));
  if (qualifiers.length > 0 && (lineHits.length > 0 || deviceHits.length > 0)) {
    const text = qualifiers.map((w) => display(w.raw)).join(' ');
    if (lineHits.length > 0) intent.variant = text;
    else intent.deviceVariant = text;
    for (const w of qualifiers) intent.consumed.add(w.stem);
  }

  // Attribute values named by their words ("stainless", "french", "4k", "wireless").
  for (const spec of ctx.specs) {
    const option = matchOption(spec, remaining());
    if (option === undefined) continue;
    intent.attributes.set(spec.name, option.option);
    for (const t of option.tokens) taken.add(t);
  }

  for (const w of remaining()) {
    if (ctx.leafTokens.has(w.stem)) continue;
    taken.add(w.stem);
    if (ctx.productWords.has(w.stem) && intent.descriptors.length < 3) intent.descriptors.push(display(w.raw));
    else intent.keywords.push(display(w.raw));
  }
  return intent;
}

/** Whether an intent asks for anything beyond what its category already says. */
export function isInformative(intent: Intent): boolean {
  return intent.lines.length > 0 || intent.devices.length > 0 || intent.attributes.size > 0 || intent.descriptors.length > 0 || intent.keywords.length > 0;
}

/** Pulls "40 inch", "1tb", "4 quart" out of the tokens into attributes (or keywords); returns the rest. */
function readMeasures(tokens: string[], ctx: ParseContext, intent: Intent): Word[] {
  const words: Word[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as string;
    const next = tokens[i + 1];
    let measure: { value: number; unit: string; raw: string } | undefined;
    const glued = GLUED_MEASURE.exec(token);
    if (glued !== null) measure = { value: Number(glued[1]), unit: UNIT_WORDS[glued[2] as string] as string, raw: token };
    else if (NUMBER.test(token) && next === 'cu' && tokens[i + 2] === 'ft') {
      measure = { value: Number(token), unit: 'cu ft', raw: `${token} cu ft` };
      i += 2;
    } else if (NUMBER.test(token) && next !== undefined && UNIT_WORDS[next] !== undefined && !isTwoInOne(tokens, i)) {
      measure = { value: Number(token), unit: UNIT_WORDS[next] as string, raw: `${token} ${next}` };
      i += 1;
    }
    if (measure !== undefined) {
      const spec = ctx.specs.find((s) => s.options.some((o) => o.unit === measure.unit));
      if (spec !== undefined) intent.attributes.set(spec.name, { value: measure.value, unit: measure.unit, weight: 1 });
      else intent.keywords.push(measure.raw.replace(/\b\w/g, (c) => c.toUpperCase()));
      continue;
    }
    if (STOPWORDS.has(token)) continue;
    const s = stem(token);
    if (seen.has(s)) continue;
    seen.add(s);
    words.push({ raw: token, stem: s });
  }
  return words;
}

/** Phrases all of whose words are present, longest first (ties all returned). */
function fullMatches<T>(phrases: Phrase<T>[], words: Word[]): Phrase<T>[] {
  const stems = new Set(words.map((w) => w.stem));
  const full = phrases.filter((p) => p.tokens.length > 0 && p.tokens.every((t) => stems.has(t)));
  const longest = Math.max(0, ...full.map((p) => p.tokens.length));
  return full.filter((p) => p.tokens.length === longest);
}

/** "2 in 1" (a kind of laptop), which is not a size in inches. */
function isTwoInOne(tokens: readonly string[], i: number): boolean {
  return tokens[i + 1] === 'in' && /^\d+s?$/.test(tokens[i + 2] ?? '');
}

/** Phrases sharing the most words with `words` (at least one distinctive); ties all returned. */
function bestOverlap<T>(phrases: Phrase<T>[], words: Word[], distinctive: (token: string) => boolean): Phrase<T>[] {
  const stems = new Set(words.map((w) => w.stem));
  let best: Phrase<T>[] = [];
  let bestScore = 0;
  for (const phrase of phrases) {
    let overlap = 0;
    let strong = false;
    for (const t of phrase.tokens) {
      if (!stems.has(t)) continue;
      overlap++;
      if (distinctive(t)) strong = true;
    }
    if (!strong) continue;
    // A phrase fully present beats one that only shares words ("echo dot" over "echo").
    const score = overlap + (overlap === phrase.tokens.length ? 0.5 : 0);
    if (score > bestScore) {
      best = [phrase];
      bestScore = score;
    } else if (score === bestScore) best.push(phrase);
  }
  return best;
}

const optionTokenCache = new WeakMap<AttributeOption, string[]>();

function optionTokens(spec: AttributeSpec, option: AttributeOption): string[] {
  let tokens = optionTokenCache.get(option);
  if (tokens === undefined) {
    const text = option.value === 'yes' ? (spec.titleText?.(option) ?? '') : option.value === 'no' ? '' : typeof option.value === 'string' ? option.value : '';
    tokens = contentTokens(text);
    optionTokenCache.set(option, tokens);
  }
  return tokens;
}

function matchOption(spec: AttributeSpec, words: Word[]): { option: AttributeOption; tokens: string[] } | undefined {
  const stems = new Set(words.map((w) => w.stem));
  let best: { option: AttributeOption; tokens: string[] } | undefined;
  let bestScore = 0;
  for (const option of spec.options) {
    const tokens = optionTokens(spec, option);
    if (tokens.length === 0) continue;
    const shared = tokens.filter((t) => stems.has(t));
    if (shared.length === 0) continue;
    const score = shared.length + shared.length / tokens.length;
    if (score > bestScore) {
      best = { option, tokens: shared };
      bestScore = score;
    }
  }
  return best;
}

/** How a typed word reads in a title: "backpack" → "Backpack", "s7" → "S7". */
export function display(word: string): string {
  if (/\d/.test(word)) return word.toUpperCase();
  return word.charAt(0).toUpperCase() + word.slice(1);
}
