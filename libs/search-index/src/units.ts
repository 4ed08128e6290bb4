/**
 * Numeric attributes are indexed in one base unit per dimension, so "1 TB" and "512 GB" compare and
 * range-filter correctly. The base unit becomes part of the field name (`num.storage_gb`), so a
 * reader knows the unit without another lookup.
 */
interface UnitDef {
  base: string;
  factor: number;
}

const UNITS: Record<string, UnitDef> = {};
function dimension(base: string, units: Record<string, number>): void {
  for (const [unit, factor] of Object.entries(units)) UNITS[unit.toLowerCase()] = { base, factor };
}

dimension('in', { in: 1, inch: 1, inches: 1, '"': 1, cm: 1 / 2.54, mm: 1 / 25.4, ft: 12 });
dimension('gb', { mb: 1 / 1024, gb: 1, tb: 1024 });
dimension('w', { w: 1, kw: 1000 });
dimension('cu_ft', { 'cu ft': 1, 'cu. ft.': 1, 'cu.ft.': 1, l: 0.0353147 });
dimension('lb', { lb: 1, lbs: 1, kg: 2.20462, oz: 1 / 16, g: 0.00220462 });
dimension('mah', { mah: 1, ah: 1000 });
dimension('hz', { hz: 1, khz: 1000, mhz: 1_000_000, ghz: 1_000_000_000 });
dimension('h', { h: 1, hr: 1, hrs: 1, hours: 1, min: 1 / 60 });
dimension('mp', { mp: 1 });
dimension('btu', { btu: 1 });
dimension('v', { v: 1 });
dimension('db', { db: 1 });
dimension('qt', { qt: 1, quart: 1, quarts: 1 });
dimension('gal', { gal: 1, gallon: 1, gallons: 1 });
dimension('mm_lens', { 'mm lens': 1 });
dimension('cups', { cups: 1, cup: 1 });
dimension('ports', { ports: 1 });

export interface NormalisedNumber {
  /** Field name under `num.`: the attribute name, plus the base unit when there is one. */
  field: string;
  value: number;
}

/** `(screen_size, 55, "in")` → `{ field: "screen_size_in", value: 55 }`; unknown units keep their own name. */
export function normaliseNumeric(name: string, value: number, unit: string | undefined): NormalisedNumber {
  if (unit === undefined) return { field: name, value };
  const def = UNITS[unit.trim().toLowerCase()];
  if (def === undefined) {
    const suffix = unit.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
    return { field: suffix ? `${name}_${suffix}` : name, value };
  }
  return { field: `${name}_${def.base}`, value: Math.round(value * def.factor * 1000) / 1000 };
}
