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
    'disposal', 'compactor', 'pedestal', 'hose', 'vent', 'belt', 'tool', 'coffee', 'espresso', 'juicer', 'rice', 'bread',
    'popcorn', 'soda', 'waffle', 'griddle', 'wine', 'trash', 'soap', 'processor', 'gpu', 'cpu', 'power', 'cooling',
    'motherboard', 'dash', 'smoke', 'leak', 'garage', 'baby', 'pet', 'doorbell', 'lighting', 'strip', 'switch', 'outlet'].map(stem),
);

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

/**
 * The lines a category sells: those tagged for it if any, else any that fit (and all of them when
 * nothing fits, so no category is left without brands).
 */
export function linesForCategory(
  choices: readonly LineChoice[],
  categoryTokens: ReadonlySet<string>,
  fixed?: ReadonlyMap<string, AttributeOption>,
  specs?: readonly AttributeSpec[],
): LineChoice[] {
  const fitting = choices.filter((c) => lineFits(c.line, categoryTokens, fixed, specs));
  const tagged = fitting.filter((c) => tagMatches(c.line, categoryTokens));
  if (tagged.length > 0) return tagged;
  return fitting.length > 0 ? fitting : [...choices];
}

/** Options of a spec a tag can mean: "gas" → fuel_type "Gas", "xbox" → platform "Xbox One" or "Xbox 360". */
function optionsForTag(tagTokens: readonly string[], spec: AttributeSpec): AttributeOption[] {
  if (tagTokens.length === 0) return [];
  return spec.options.filter((o) => {
    if (typeof o.value !== 'string' || o.value === 'yes' || o.value === 'no') return false;
    const optionTokens = contentTokens(o.value);
    return optionTokens.length > 0 && (optionTokens.every((t) => tagTokens.includes(t)) || tagTokens.every((t) => optionTokens.includes(t)));
  });
}

/** Attribute values a line's tags imply (the first option each tag can mean). */
export function attributesOfLine(line: ModelLine, specs: readonly AttributeSpec[]): Map<string, AttributeOption> {
  const implied = new Map<string, AttributeOption>();
  for (const tag of tokensOf(line).tags) {
    for (const spec of specs) {
      if (implied.has(spec.name)) continue;
      const option = optionsForTag(tag, spec)[0];
      if (option !== undefined) implied.set(spec.name, option);
    }
  }
  return implied;
}
