import { TypeCompiler } from '@sinclair/typebox/compiler';
import { CATALOG_EVENT_TYPES, type CatalogEvent } from '@search-mesh/contracts';

const checkers = new Map(Object.entries(CATALOG_EVENT_TYPES).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]));

export type Decoded = { ok: true; event: CatalogEvent } | { ok: false; reason: string; field?: string };

/** Parses and validates one catalog message; a rejection says why and where, for the dead-letter topic. */
export function decodeCatalogEvent(key: string | null, value: Buffer | null): Decoded {
  if (value === null || value.length === 0) return { ok: false, reason: 'empty message (a tombstone is not a catalog event)' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const type = (parsed as { type?: unknown } | null)?.type;
  const check = typeof type === 'string' ? checkers.get(type) : undefined;
  if (check === undefined) {
    return { ok: false, reason: `unknown event type ${JSON.stringify(type)}; expected one of ${[...checkers.keys()].join(', ')}`, field: '/type' };
  }
  if (!check.Check(parsed)) {
    // Errors() walks the value again, slowly: only for the rare invalid event.
    const error = check.Errors(parsed).First();
    const path = error?.path || '/';
    return { ok: false, reason: `invalid ${type}: ${path} ${error?.message ?? 'does not match the schema'}`, field: path };
  }
  const event = parsed as CatalogEvent;
  if (key !== null && key !== event.productId) {
    return { ok: false, reason: `message key "${key}" does not match productId "${event.productId}"`, field: '/productId' };
  }
  return { ok: true, event };
}
