import { Type, type Static } from '@sinclair/typebox';

/** A product attribute as the catalog states it; units are normalised when indexed. */
export const ProductAttribute = Type.Object(
  {
    /** snake_case key, e.g. "screen_size", "storage", "color". */
    name: Type.String({ pattern: '^[a-z][a-z0-9_]{0,47}$' }),
    value: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Number()]),
    /** Unit of a numeric value as displayed, e.g. "in", "GB", "TB", "W", "cu ft", "mAh", "Hz". */
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
  },
  { additionalProperties: false },
);
export type ProductAttribute = Static<typeof ProductAttribute>;

export const CategoryRef = Type.Object(
  {
    /** Leaf category id, e.g. "abcat0101001". */
    id: Type.String({ minLength: 1, maxLength: 64 }),
    /** Names from the root to the leaf, e.g. ["TV & Home Theater", "TVs", "4K Ultra HD TVs"]. */
    path: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 12 }),
    /** Ids from the root to the leaf, parallel to `path`. */
    pathIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 12 }),
  },
  { additionalProperties: false },
);
export type CategoryRef = Static<typeof CategoryRef>;

/** A product of the catalog: what the catalog feed publishes and the indexer turns into a document. */
export const Product = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
    title: Type.String({ minLength: 1, maxLength: 500 }),
    brand: Type.String({ minLength: 1, maxLength: 100 }),
    /** Product line within the brand, e.g. "Galaxy S", "Inspiron", "Chef Collection". */
    modelLine: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    modelNumber: Type.String({ minLength: 1, maxLength: 64 }),
    description: Type.String({ maxLength: 10_000 }),
    category: CategoryRef,
    attributes: Type.Array(ProductAttribute, { maxItems: 64 }),
    /**
     * Words shoppers use for the product that its listing would not say (a marketplace's "search terms"):
     * searchable, never shown, never a facet.
     */
    searchTerms: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 30 })),
    /** Price in the store's currency (USD), two decimals. */
    price: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    rating: Type.Number({ minimum: 0, maximum: 5 }),
    reviewCount: Type.Integer({ minimum: 0 }),
    stock: Type.Integer({ minimum: 0 }),
    /** ISO date, e.g. "2024-03-15". */
    releaseDate: Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    /** Relative popularity in [0, 1]. */
    popularity: Type.Number({ minimum: 0, maximum: 1 }),
    image: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false, $id: 'Product' },
);
export type Product = Static<typeof Product>;
