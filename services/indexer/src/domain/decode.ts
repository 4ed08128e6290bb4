import { CATALOG_EVENT_TYPES, type CatalogEvent, type Decoded, eventDecoder } from '@search-mesh/contracts';

const decode = eventDecoder<CatalogEvent>(CATALOG_EVENT_TYPES, 'catalog event');

/** Parses and validates one catalog message; a rejection says why and where, for the dead-letter topic. */
export function decodeCatalogEvent(key: string | null, value: Buffer | null): Decoded<CatalogEvent> {
  const decoded = decode(value);
  if (decoded.ok && key !== null && key !== decoded.event.productId) {
    return { ok: false, reason: `message key "${key}" does not match productId "${decoded.event.productId}"`, field: '/productId' };
  }
  return decoded;
}
