import { BEHAVIOUR_EVENT_TYPES, type BehaviourEvent, type Decoded, eventDecoder } from '@search-mesh/contracts';

const decode = eventDecoder<BehaviourEvent>(BEHAVIOUR_EVENT_TYPES, 'behaviour event');

/**
 * Parses and validates one behaviour message against its type's schema (so the reason names the field),
 * and checks that the message key is the event's session id (what keeps a session on one partition).
 */
export function decodeBehaviourEvent(key: string | null, value: Buffer | null): Decoded<BehaviourEvent> {
  const decoded = decode(value);
  if (decoded.ok && key !== null && key !== decoded.event.sessionId) {
    return { ok: false, reason: `key "${key}" is not the sessionId "${decoded.event.sessionId}"`, field: '/sessionId' };
  }
  return decoded;
}
