/**
 * Which brands' model lines a category sells. A line named after a kind of product ("Steam Mop",
 * "Wall Charger") belongs only in categories of that kind; a line tagged with a category word
 * ("instant", "gaming") is preferred where that word appears. Tags also fix attributes, so a
 * "Gas Dryer" line is never listed with an electric fuel type.
 */
import { contentTokens, stem, tokenise } from '../text';
import type { AttributeOption, AttributeSpec, ModelLine } from './families/define';
import type { LineChoice } from './intent';

/** Kinds of product that, in a line's name or tags, tie the line to categories of that kind. */
const PRODUCT_NOUNS = new Set(
  ['cable', 'charger', 'adapter', 'case', 'cover', 'mount', 'kit', 'harness', 'filter', 'remote', 'antenna', 'stand', 'battery',
    'dryer', 'washer', 'oven', 'cooktop', 'freezer', 'refrigerator', 'fridge', 'blender', 'fryer', 'kettle', 'toaster', 'mixer',
    'mop', 'vacuum', 'hood', 'microwave', 'maker', 'cooker', 'grill', 'speaker', 'soundbar', 'headset', 'keyboard', 'mouse',
    'monitor', 'tripod', 'strap', 'film', 'frame', 'flash', 'bulb', 'plug', 'lock', 'doorbell', 'thermostat', 'sensor',
    'detector', 'reader', 'enclosure', 'hub', 'dock', 'router', 'modem', 'extender', 'microphone', 'printer', 'toner', 'ink',
    'paper', 'label', 'shredder', 'calculator', 'chair', 'desk', 'table', 'safe', 'mattress', 'sofa', 'bag', 'backpack',
    'sleeve', 'pouch', 'band', 'protector', 'pad', 'wheel', 'joystick', 'controller', 'amp', 'fan', 'heater', 'humidifier',
    'dehumidifier', 'purifier', 'fireplace', 'conditioner', 'cleaner', 'detergent', 'pod', 'capsule', 'bean', 'pitcher',
    'corkscrew', 'sealer', 'knife', 'cookware', 'skillet', 'trimmer', 'shaver', 'toothbrush', 'flosser', 'massager',
    'scale', 'mirror', 'straightener', 'drill', 'blower', 'luggage', 'collar', 'feeder', 'fence', 'lantern', 'headlamp',
    'flashlight', 'scooter', 'bike', 'hoverboard', 'pool', 'harmonica', 'accordion', 'ukulele', 'banjo', 'mandolin', 'cymbal',
    'drumstick', 'drumhead', 'pedal', 'tuner', 'capo', 'pick', 'string', 'interface', 'book', 'songbook', 'cajon', 'djembe',
    'tambourine', 'saxophone', 'piano', 'synth', 'guitar', 'bass', 'drum', 'radio', 'turntable', 'receiver', 'amplifier',
    'camera', 'drone', 'gimbal', 'glove', 'bottle', 'cooler', 'ball', 'bench', 'rack', 'notebook', 'binder', 'marker', 'pen',
    'pencil', 'sticky', 'note', 'register', 'terminal', 'card', 'kettlebell', 'dumbbell', 'treadmill', 'elliptical',
    'disposal', 'compactor', 'pedestal', 'hose', 'vent', 'belt', 'tool', 'roller', 'machine', 'fountain', 'frother',
    'grinder', 'dehydrator', 'slicer', 'opener', 'thermometer', 'press', 'pot', 'fondue', 'recliner', 'seating', 'shelving',
    'cabinet', 'clock', 'lamp', 'stool', 'bookcase', 'ottoman', 'robot', 'canister', 'upright', 'coffee', 'espresso', 'juicer', 'rice', 'bread',
    'popcorn', 'soda', 'waffle', 'griddle', 'wine', 'trash', 'soap', 'processor', 'gpu', 'cpu', 'power', 'cooling',
    'motherboard', 'dash', 'smoke', 'leak', 'garage', 'baby', 'pet', 'doorbell', 'lighting', 'strip', 'switch', 'outlet'].map(stem),
);

/** Whether a line's name says what kind of product it is ("Hand Blender"), rather than naming a model ("iPhone"). */
export function namesProductKind(line: ModelLine): boolean {
  return tokensOf(line).name.some((t) => PRODUCT_NOUNS.has(t));
}

/** Per line, the tokens of its name and tags (lines are shared by every category of their family). */
const lineTokens = new WeakMap<ModelLine, { name: string[]; tags: string[][] }>();

function tokensOf(line: ModelLine): { name: string[]; tags: string[][] } {
  let tokens = lineTokens.get(line);
  if (tokens === undefined) {
    tokens = { name: contentTokens(line.name), tags: line.tags.map(categoryWords) };
    lineTokens.set(line, tokens);
  }
  return tokens;
}

/**
 * A line fits a category unless its name says it is another kind of product, its tags name kinds none
 * of which the category sells ("coffee" for a blender category), or its tags contradict what the
 * category name fixes ("nintendo" under "Xbox One Controllers").
 */
export function lineFits(line: ModelLine | undefined, categoryTokens: ReadonlySet<string>, fixed?: ReadonlyMap<string, AttributeOption>, specs?: readonly AttributeSpec[]): boolean {
  if (line === undefined) return true;
  const { name, tags } = tokensOf(line);
  if (!name.every((t) => !PRODUCT_NOUNS.has(t) || categoryTokens.has(t))) return false;
  const kinds = tags.flat().filter((t) => PRODUCT_NOUNS.has(t));
  if (kinds.length > 0 && !kinds.some((t) => categoryTokens.has(t))) return false;
  if (fixed !== undefined && specs !== undefined) {
    for (const tag of tags) {
      for (const spec of specs) {
        const value = fixed.get(spec.name);
        if (value === undefined) continue;
        const meant = optionsForTag(tag, spec);
        if (meant.length > 0 && !meant.includes(value)) return false;
      }
    }
  }
  return true;
}

/** Stems of a category name or tag, short words included ("on-ear" must not read as "ear"). */
export function categoryWords(text: string): string[] {
  return tokenise(text).map(stem);
}

export function tagMatches(line: ModelLine | undefined, categoryTokens: ReadonlySet<string>): boolean {
  return line !== undefined && tokensOf(line).tags.some((tag) => tag.length > 0 && tag.every((t) => categoryTokens.has(t)));
}

/** Head nouns of a category name: "Cases, Covers & Keyboard Folios" → case, cover, folio. */
export function headNouns(name: string): Set<string> {
  const heads = new Set<string>();
  for (const part of name.replace(/\([^)]*\)/g, '').split(/,|&|\band\b/)) {
    const last = categoryWords(part).pop();
    if (last !== undefined) heads.add(last);
  }
  return heads;
}

/**
 * The lines a category sells, most specific first: lines tagged with the category's head noun
 * ("pod" for "Coffee Pods"), else tagged with any of its words, else untagged general lines, else any
 * line that fits (and all of them when nothing fits, so no category is left without brands).
 */
export function linesForCategory(
  choices: readonly LineChoice[],
  category: { tokens: ReadonlySet<string>; heads: ReadonlySet<string> },
  fixed?: ReadonlyMap<string, AttributeOption>,
  specs?: readonly AttributeSpec[],
): LineChoice[] {
  const fitting = choices.filter((c) => lineFits(c.line, category.tokens, fixed, specs));
  const headed = fitting.filter((c) => c.line !== undefined && tokensOf(c.line).tags.some((tag) => tag.length === 1 && category.heads.has(tag[0] as string)));
  if (headed.length > 0) return headed;
  const tagged = fitting.filter((c) => tagMatches(c.line, category.tokens));
  if (tagged.length > 0) return tagged;
  const untagged = fitting.filter((c) => c.line === undefined || c.line.tags.length === 0);
  if (untagged.length > 0) return untagged;
  return fitting.length > 0 ? fitting : [...choices];
}

const optionTokens = new WeakMap<AttributeOption, string[]>();

/** Words of a text option (none for numbers and yes/no). */
function wordsOfOption(option: AttributeOption): string[] {
  let tokens = optionTokens.get(option);
  if (tokens === undefined) {
    tokens = typeof option.value !== 'string' || option.value === 'yes' || option.value === 'no' ? [] : contentTokens(option.value);
    optionTokens.set(option, tokens);
  }
  return tokens;
}

/** Options of a spec a tag can mean: "gas" → fuel_type "Gas", "xbox" → platform "Xbox One" or "Xbox 360". */
function optionsForTag(tagTokens: readonly string[], spec: AttributeSpec): AttributeOption[] {
  if (tagTokens.length === 0) return [];
  return spec.options.filter((o) => {
    const words = wordsOfOption(o);
    return words.length > 0 && (words.every((t) => tagTokens.includes(t)) || tagTokens.every((t) => words.includes(t)));
  });
}

/**
 * Attribute values a line implies: values its name states ("FE 50mm f/1.8" → 50mm, f/1.8; "OLED evo"
 * → OLED), then the first value each of its tags can mean.
 */
export function attributesOfLine(line: ModelLine, specs: readonly AttributeSpec[]): Map<string, AttributeOption> {
  const implied = new Map<string, AttributeOption>();
  const name = ` ${line.name.toLowerCase()} `;
  for (const spec of specs) {
    const stated = spec.options.find((o) => typeof o.value === 'string' && o.value.length > 1 && o.value !== 'yes' && o.value !== 'no' && name.includes(` ${o.value.toLowerCase()} `));
    if (stated !== undefined) implied.set(spec.name, stated);
  }
  for (const tag of tokensOf(line).tags) {
    for (const spec of specs) {
      if (implied.has(spec.name)) continue;
      const option = optionsForTag(tag, spec)[0];
      if (option !== undefined) implied.set(spec.name, option);
    }
  }
  return implied;
}
