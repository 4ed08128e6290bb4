/** Product descriptions: a family pitch, then sentences built from the product's own attributes. */
import type { ProductAttribute } from '@search-mesh/contracts';
import type { Prng } from '../prng';
import type { Family } from './families/define';

/** Attributes the description does not list as specs (they get their own sentences). */
const NOT_SPECS = new Set(['color', 'features', 'compatible_with']);
const MAX_SPECS = 4;

const CLOSINGS = [
  'Backed by the manufacturer\'s limited warranty.',
  'Free shipping and easy returns.',
  'Available for store pickup or delivery.',
  'Register your product to get support and updates.',
  'A great gift for anyone on your list.',
  '',
];

export interface DescriptionInput {
  family: Family;
  brand: string;
  model: string | undefined;
  noun: string;
  attributes: readonly ProductAttribute[];
  device: string | undefined;
  features: string;
}

export function describe(rng: Prng, input: DescriptionInput): string {
  const sentences = [
    rng
      .pick(input.family.pitches)
      .replace(/\{brand\}/g, input.brand)
      .replace(/\{model\}/g, input.model ?? input.noun)
      .replace(/\{noun\}/g, input.noun)
      .replace(/\{noun_l\}/g, input.noun.toLowerCase()),
  ];
  const specs = input.attributes.filter((a) => !NOT_SPECS.has(a.name) && a.value !== 'no').slice(0, MAX_SPECS);
  if (specs.length > 0) sentences.push(`Key specs: ${specs.map(specText).join(', ')}.`);
  if (input.device !== undefined) sentences.push(`Designed for ${input.device}.`);
  if (input.features !== '') sentences.push(`Highlights: ${input.features}.`);
  const color = input.attributes.find((a) => a.name === 'color');
  if (color !== undefined) sentences.push(`Finish: ${color.value}.`);
  sentences.push(rng.pick(CLOSINGS));
  return sentences.filter((s) => s !== '').join(' ');
}

function specText(attribute: ProductAttribute): string {
  const label = attribute.name.replace(/_/g, ' ');
  if (attribute.value === 'yes') return label;
  return attribute.unit === undefined ? `${label} ${attribute.value}` : `${label} ${attribute.value} ${attribute.unit}`;
}
