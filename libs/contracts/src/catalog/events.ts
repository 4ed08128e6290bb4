import { Type, type Static } from '@sinclair/typebox';
import { Product } from './product';

/**
 * Catalog change events on the catalog topic, keyed by product id. `version` increases with every change
 * to a product (whatever its type), so the newest state of a product is the one with the highest
 * version; the indexer uses it as Elasticsearch's external version.
 */
export const CATALOG_EVENT_SCHEMA = 'catalog.v1';

const envelope = {
  schema: Type.Literal(CATALOG_EVENT_SCHEMA),
  productId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  version: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  /** When the change happened at the source, ISO 8601. */
  occurredAt: Type.String({ format: 'date-time', minLength: 20, maxLength: 40 }),
};

export const ProductUpserted = Type.Object(
  { ...envelope, type: Type.Literal('product.upserted'), product: Product },
  { additionalProperties: false },
);
export const ProductDeleted = Type.Object({ ...envelope, type: Type.Literal('product.deleted') }, { additionalProperties: false });
export const PriceChanged = Type.Object(
  { ...envelope, type: Type.Literal('product.price_changed'), price: Type.Number({ minimum: 0, maximum: 1_000_000 }) },
  { additionalProperties: false },
);
export const StockChanged = Type.Object(
  { ...envelope, type: Type.Literal('product.stock_changed'), stock: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);

export const CatalogEvent = Type.Union([ProductUpserted, ProductDeleted, PriceChanged, StockChanged], { $id: 'CatalogEvent' });

/** Each event type's own schema, for precise validation errors (a union only says "no branch matched"). */
export const CATALOG_EVENT_TYPES = {
  'product.upserted': ProductUpserted,
  'product.deleted': ProductDeleted,
  'product.price_changed': PriceChanged,
  'product.stock_changed': StockChanged,
} as const;
export type CatalogEvent = Static<typeof CatalogEvent>;
export type ProductUpserted = Static<typeof ProductUpserted>;
export type ProductDeleted = Static<typeof ProductDeleted>;
export type PriceChanged = Static<typeof PriceChanged>;
export type StockChanged = Static<typeof StockChanged>;

/** What the indexer publishes to the dead-letter topic for an event it could not apply. */
export const DeadLetter = Type.Object(
  {
    schema: Type.Literal('catalog.dead-letter.v1'),
    reason: Type.String(),
    /** The JSON path at fault, when validation found one. */
    field: Type.Optional(Type.String()),
    topic: Type.String(),
    partition: Type.Integer(),
    offset: Type.String(),
    key: Type.Union([Type.String(), Type.Null()]),
    /** The original value as received (UTF-8, possibly not JSON). */
    value: Type.String(),
    failedAt: Type.String(),
  },
  { additionalProperties: false },
);
export type DeadLetter = Static<typeof DeadLetter>;
