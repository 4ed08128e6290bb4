import { TypeCompiler } from '@sinclair/typebox/compiler';
import { BEHAVIOUR_EVENT_TYPES, type BehaviourEvent } from '@search-mesh/contracts';

const checkers = new Map(Object.entries(BEHAVIOUR_EVENT_TYPES).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]));

export type Decoded = { ok: true; event: BehaviourEvent } | { ok: false; reason: string; field?: string };

/**
 * Parses and validates one behaviour message against its type's schema (so the reason names the field),
 * and checks that the message key is the event's session id (what keeps a session on one partition).
 */
export function decodeBehaviourEvent(key: string | null, value: Buffer | null): Decoded {
  if (!value || value.length === 0) return { ok: false, reason: 'empty message' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const type = (parsed as { type?: unknown } | null)?.type;
  const check = typeof type === 'string' ? checkers.get(type) : undefined;
  if (!check) return { ok: false, reason: `unknown behaviour event type ${JSON.stringify(type)}`, field: '/type' };
  if (!check.Check(parsed)) {
    const error = check.Errors(parsed).First();
    return { ok: false, reason: `invalid ${type}: ${error?.path || '/'} ${error?.message ?? 'does not match'}`, field: error?.path || '/' };
  }
  const event = parsed as BehaviourEvent;
  if (key !== null && key !== event.sessionId) return { ok: false, reason: `key "${key}" is not the sessionId "${event.sessionId}"`, field: '/sessionId' };
  return { ok: true, event };
}
