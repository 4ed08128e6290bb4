import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

export type Decoded<T> = { ok: true; event: T } | { ok: false; reason: string; field?: string };

/**
 * A decoder for a topic's events: parses JSON and validates against the schema of the event's `type` (so a
 * rejection names the field, for the dead-letter topic). `what` names the events in reasons ("catalog event").
 */
export function eventDecoder<T>(types: Readonly<Record<string, TSchema>>, what: string): (value: Buffer | null) => Decoded<T> {
  const checkers = new Map(Object.entries(types).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]));
  const expected = [...checkers.keys()].join(', ');
  return (value) => {
    if (value === null || value.length === 0) return { ok: false, reason: `empty message (a tombstone is not a ${what})` };
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.toString('utf8'));
    } catch (err) {
      return { ok: false, reason: `not JSON: ${(err as Error).message}` };
    }
    const type = (parsed as { type?: unknown } | null)?.type;
    const check = typeof type === 'string' ? checkers.get(type) : undefined;
    if (check === undefined) return { ok: false, reason: `unknown event type ${JSON.stringify(type)}; expected one of ${expected}`, field: '/type' };
    if (!check.Check(parsed)) {
      // Errors() walks the value again, slowly: only for the rare invalid event.
      const error = check.Errors(parsed).First();
      const path = error?.path || '/';
      return { ok: false, reason: `invalid ${type}: ${path} ${error?.message ?? 'does not match the schema'}`, field: path };
    }
    return { ok: true, event: parsed as T };
  };
}

/**
 * A decoder for one event type on a topic that several share (the config-changes topic): the event, null
 * for a message of another type (another consumer's, skipped), or why it is invalid (the field first).
 */
export function sharedTopicDecoder<T extends { type: string }>(type: T['type'], schema: TSchema): (value: Buffer | null) => T | null | { error: string } {
  const check = TypeCompiler.Compile(schema);
  return (value) => {
    if (value === null) return null;
    let event: unknown;
    try {
      event = JSON.parse(value.toString('utf8'));
    } catch {
      return { error: 'not JSON' };
    }
    if (typeof event !== 'object' || event === null || (event as { type?: unknown }).type !== type) return null;
    if (check.Check(event)) return event as T;
    const problem = check.Errors(event).First();
    return { error: `${problem?.path || '/'}: ${problem?.message ?? 'does not match the schema'}` };
  };
}
