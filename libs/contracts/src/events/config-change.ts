import { type TLiteral, type TProperties, Type } from '@sinclair/typebox';

/** The schema every event on the config-changes topic names (`topicNames(ns).configChanges`). */
export const CONFIG_CHANGES_SCHEMA = 'config-changes.v1';

/**
 * An event on the config-changes topic: the envelope every kind shares (schema, `type`, when) and its own
 * payload. Consumers ignore the `type`s they do not follow, so every kind of configuration shares the topic.
 */
export function configChangeEvent<Kind extends string, Payload extends TProperties>(type: Kind, payload: Payload) {
  return Type.Object(
    {
      schema: Type.Literal(CONFIG_CHANGES_SCHEMA),
      type: Type.Literal(type) as TLiteral<Kind>,
      occurredAt: Type.String({ format: 'date-time', minLength: 20, maxLength: 40 }),
      ...payload,
    },
    { additionalProperties: false },
  );
}
