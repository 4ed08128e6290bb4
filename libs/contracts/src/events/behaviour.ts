import { Type, type Static } from '@sinclair/typebox';
import { DeadLetter } from '../catalog/events';

/**
 * Shopper behaviour events on `topicNames(ns).behaviour`, keyed by session id (so one session's events
 * stay in order on one partition). Every event carries its own id (for tracing and dead letters) and the
 * time it happened at the storefront; the aggregator buckets by that event time.
 */
export const BEHAVIOUR_EVENT_SCHEMA = 'behaviour.v1';

const Id = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' });
const envelope = {
  schema: Type.Literal(BEHAVIOUR_EVENT_SCHEMA),
  eventId: Id,
  sessionId: Id,
  /** When it happened at the storefront, epoch milliseconds. */
  occurredAt: Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 }),
};
/** The query the shopper typed, at most 512 characters (normalised by the aggregator). */
const Query = Type.String({ minLength: 1, maxLength: 512 });

export const SearchImpression = Type.Object(
  {
    ...envelope,
    type: Type.Literal('search.impression'),
    requestId: Id,
    query: Query,
    /** The ranking model that ordered the results ("" when none did). */
    modelVersion: Type.String({ maxLength: 64 }),
    /** Products shown, with their 1-based positions. */
    products: Type.Array(Type.Object({ productId: Id, position: Type.Integer({ minimum: 1, maximum: 1000 }) }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 200,
    }),
  },
  { additionalProperties: false },
);

/** Click, add to cart and purchase name the product and, when they came from a search, its query and request. */
const productAction = {
  productId: Id,
  query: Type.Optional(Query),
  requestId: Type.Optional(Id),
  position: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
};
export const ProductClicked = Type.Object({ ...envelope, type: Type.Literal('product.clicked'), ...productAction }, { additionalProperties: false });
export const AddedToCart = Type.Object(
  { ...envelope, type: Type.Literal('cart.added'), ...productAction, quantity: Type.Integer({ minimum: 1, maximum: 1000 }) },
  { additionalProperties: false },
);
export const Purchased = Type.Object(
  {
    ...envelope,
    type: Type.Literal('order.purchased'),
    ...productAction,
    quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
    price: Type.Number({ minimum: 0, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export const QuerySubmitted = Type.Object({ ...envelope, type: Type.Literal('query.submitted'), requestId: Id, query: Query }, { additionalProperties: false });

export const BehaviourEvent = Type.Union([SearchImpression, ProductClicked, AddedToCart, Purchased, QuerySubmitted], { $id: 'BehaviourEvent' });

/** Each type's own schema, for precise validation errors. */
export const BEHAVIOUR_EVENT_TYPES = {
  'search.impression': SearchImpression,
  'product.clicked': ProductClicked,
  'cart.added': AddedToCart,
  'order.purchased': Purchased,
  'query.submitted': QuerySubmitted,
} as const;
export type BehaviourEventType = keyof typeof BEHAVIOUR_EVENT_TYPES;

export type BehaviourEvent = Static<typeof BehaviourEvent>;
export type SearchImpression = Static<typeof SearchImpression>;
export type ProductClicked = Static<typeof ProductClicked>;
export type AddedToCart = Static<typeof AddedToCart>;
export type Purchased = Static<typeof Purchased>;
export type QuerySubmitted = Static<typeof QuerySubmitted>;

/**
 * What the aggregator publishes to `topicNames(ns).behaviourDeadLetter` for an event it cannot count: the
 * catalog dead letter's fields under its own schema name.
 */
export const BehaviourDeadLetter = Type.Object(
  { ...DeadLetter.properties, schema: Type.Literal('behaviour.dead-letter.v1') },
  { additionalProperties: false },
);
export type BehaviourDeadLetter = Static<typeof BehaviourDeadLetter>;
