/**
 * The vocabulary of a product family (TVs, laptops, refrigerators, ...): which brands make it, their
 * model lines, the attributes it carries and how its titles read. Families are written with the small
 * helpers below so that the data files stay readable.
 */

export interface ModelLine {
  name: string;
  /** Concrete models, e.g. "15 Pro" for "iPhone" (shown as "iPhone 15 Pro") or "Galaxy S24". */
  variants: string[];
  /**
   * Words of category names this line belongs in ("instant", "gaming", "robot"): a leaf whose name
   * has such a word only sells the lines tagged with it.
   */
  tags: string[];
  /** Typical price of the line (USD), when the family's median would mislead ("$40" in the spec). */
  price?: number;
}

export interface Brand {
  name: string;
  /** Model-number pattern: '#' a digit, '@' a capital letter, '{size}' the primary size, else literal. */
  modelPattern: string;
  lines: ModelLine[];
  /** Relative share of the brand in its family. */
  weight: number;
}

/** A compatible device or vehicle family, e.g. "Apple iPhone" with models "15 Pro", "14". */
export interface Device {
  name: string;
  variants: string[];
  /** What it is ("phone", "tablet", "watch"...): a category naming a kind gets accessories for it. */
  kind: string;
}

export type TitlePlacement = 'prefix' | 'descriptor' | 'suffix';

export interface AttributeOption {
  value: string | number;
  unit?: string;
  weight: number;
}

export interface AttributeSpec {
  name: string;
  options: AttributeOption[];
  /** Probability that a product carries the attribute. */
  presence: number;
  title?: TitlePlacement;
  /** Title text for a value; defaults to value and unit in title style. */
  titleText?: (option: AttributeOption) => string | undefined;
  /** Price multiplier for a value (bigger screens cost more). */
  priceFactor?: (option: AttributeOption) => number;
  /** Applies only to leaves whose lowercased path matches (e.g. capacity in cups for coffee makers). */
  when?: RegExp;
  /** Does not apply to leaves whose lowercased path matches. */
  unless?: RegExp;
}

export interface FamilyMatcher {
  /** Tested against one category name (the leaf first, then its ancestors). */
  name: RegExp;
  /** Tested against the whole path ("a > b > c", lowercased). */
  within?: RegExp;
}

export interface Family {
  id: string;
  /** Product noun when the category name does not give a better one, e.g. "Laptop". */
  noun: string;
  match: FamilyMatcher[];
  /** Category names this family never takes, e.g. "Camera Bags" for cameras. */
  exclude?: RegExp;
  brands: Brand[];
  /** Median price (USD) and log-normal sigma. */
  price: { median: number; sigma: number };
  attributes: AttributeSpec[];
  /** Devices an accessory fits; products then carry `compatible_with`. */
  devices?: Device[];
  /** Selling points, some of which go to the `features` attribute. */
  features: string[];
  /** Title layout; `{model}` is the line and variant, `{prefix}`/`{descriptors}`/`{suffix}` come from attributes. */
  titleTemplate?: string;
  /** Opening sentences of descriptions; `{brand}`, `{model}`, `{noun}` are filled in. */
  pitches: string[];
}

/**
 * `"Line:variant,variant#tag#tag$price|Line2"` → model lines. A line may have no name (only tags,
 * or nothing at all: the brand's products without a model line).
 */
export function parseLines(spec: string): ModelLine[] {
  if (spec.trim() === '') return [];
  return spec.split('|').map((part) => {
    const [body = '', priceText] = part.split('$');
    const [head = '', ...tags] = body.split('#');
    const colon = head.indexOf(':');
    const name = (colon < 0 ? head : head.slice(0, colon)).trim();
    const variants = colon < 0 ? [] : head.slice(colon + 1).split(',').map((v) => v.trim()).filter((v) => v !== '');
    const line: ModelLine = { name, variants, tags: tags.map((t) => t.trim().toLowerCase()).filter((t) => t !== '') };
    if (priceText !== undefined) line.price = Number(priceText);
    return line;
  });
}

/** `tags` apply to every line of the brand (e.g. its TVs' smart platform). */
export function brand(name: string, modelPattern: string, lines = '', weight = 1, tags: string[] = []): Brand {
  const parsed = parseLines(lines).map((line) => ({ ...line, tags: [...line.tags, ...tags] }));
  return { name, modelPattern, lines: parsed, weight };
}

export function devices(kind: string, ...specs: string[]): Device[] {
  return specs.map((spec) => {
    const [name = '', variants = ''] = spec.split(':');
    return { name: name.trim(), variants: variants.split(',').map((v) => v.trim()).filter((v) => v !== ''), kind };
  });
}

interface SpecOptions {
  presence?: number;
  title?: TitlePlacement;
  titleText?: (option: AttributeOption) => string | undefined;
  priceFactor?: (option: AttributeOption) => number;
  weights?: number[];
  when?: RegExp;
  unless?: RegExp;
}

function spec(name: string, options: AttributeOption[], opts: SpecOptions): AttributeSpec {
  const weights = opts.weights;
  return {
    name,
    options: options.map((o, i) => ({ ...o, weight: weights?.[i] ?? 1 })),
    presence: opts.presence ?? 1,
    ...(opts.title === undefined ? {} : { title: opts.title }),
    ...(opts.titleText === undefined ? {} : { titleText: opts.titleText }),
    ...(opts.priceFactor === undefined ? {} : { priceFactor: opts.priceFactor }),
    ...(opts.when === undefined ? {} : { when: opts.when }),
    ...(opts.unless === undefined ? {} : { unless: opts.unless }),
  };
}

/** A text attribute with a fixed set of values. */
export function pick(name: string, values: string[], opts: SpecOptions = {}): AttributeSpec {
  return spec(name, values.map((value) => ({ value, weight: 1 })), opts);
}

/** A numeric attribute in one unit. */
export function num(name: string, unit: string, values: number[], opts: SpecOptions = {}): AttributeSpec {
  return spec(name, values.map((value) => ({ value, unit, weight: 1 })), opts);
}

/** A numeric attribute whose values carry their own unit, e.g. "512 GB", "1 TB". */
export function measure(name: string, values: string[], opts: SpecOptions = {}): AttributeSpec {
  return spec(
    name,
    values.map((text) => {
      const match = /^([\d.]+)\s*(.+)$/.exec(text);
      if (match === null) throw new Error(`measure ${name}: "${text}" is not "<number> <unit>"`);
      return { value: Number(match[1]), unit: (match[2] as string).trim(), weight: 1 };
    }),
    opts,
  );
}

/** A yes/no attribute; `titleWhenYes` is the title word for "yes" products. */
export function yesNo(name: string, yesShare: number, titleWhenYes?: string, opts: SpecOptions = {}): AttributeSpec {
  return spec(name, [{ value: 'yes', weight: 1 }, { value: 'no', weight: 1 }], {
    ...opts,
    weights: [yesShare, 1 - yesShare],
    ...(titleWhenYes === undefined ? {} : { title: opts.title ?? 'descriptor', titleText: (o: AttributeOption) => (o.value === 'yes' ? titleWhenYes : undefined) }),
  });
}

/** How a measure reads in a title: 65", 16GB, 4.5 Cu. Ft., 1200W. */
export function titleMeasure(value: string | number, unit: string | undefined): string {
  if (unit === undefined) return String(value);
  switch (unit) {
    case 'in':
      return `${value}"`;
    case 'cu ft':
      return `${value} Cu. Ft.`;
    case 'h':
      return `${value}-Hour`;
    case 'min':
      return `${value}-Minute`;
    case 'qt':
      return `${value}-Quart`;
    case 'cups':
      return `${value}-Cup`;
    case 'oz':
      return `${value}-Oz.`;
    case 'ft':
      return `${value}'`;
    case 'BTU':
    case 'lb':
    case 'sq ft':
    case 'lm':
    case 'x':
    case 'dBA':
    case 'ppm':
    case 'pages':
      return `${value} ${unit}`;
    default:
      return `${value}${unit}`;
  }
}

/** Scales price with a number relative to a reference (screen size, capacity), gently. */
export function scaleWith(reference: number, exponent: number): (option: AttributeOption) => number {
  return (option) => (typeof option.value === 'number' && option.value > 0 ? (option.value / reference) ** exponent : 1);
}

/** Common colour sets. */
export const COLORS = {
  device: ['Black', 'Silver', 'White', 'Space Gray', 'Blue', 'Graphite'],
  bright: ['Black', 'White', 'Blue', 'Red', 'Pink', 'Green', 'Yellow', 'Purple', 'Gray', 'Teal'],
  appliance: ['Stainless Steel', 'Black Stainless Steel', 'Fingerprint Resistant Stainless Steel', 'White', 'Black', 'Slate'],
  neutral: ['Black', 'White', 'Gray', 'Silver'],
  furniture: ['Black', 'Espresso', 'Walnut', 'Oak', 'White', 'Gray', 'Natural'],
};

/** Names of accessories and parts, which device families (TVs, cameras, ...) leave to accessory families. */
export const ACCESSORY_WORDS = /accessor|\bbags?\b|\bcases?\b|covers?\b|chargers?|charging|batter|cables?\b|cords?\b|mounts?\b|straps?\b|bands?\b|protectors?|\bparts\b|\bkits?\b|filters?\b|adapters?\b|stands?\b|docks?\b|skins?\b|stylus|screens?$|tools?\b|cleaning|\bamps?\b|tips$|splitters?|extension|hoses?\b|installation|services/;
