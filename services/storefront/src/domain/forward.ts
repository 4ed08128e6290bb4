import { ErrorCode, type ErrorCode as ErrorCodeType } from '@search-mesh/contracts';
import { type PeerErrorCode, isErrorShape } from '@search-mesh/mesh-client';

/** What the page gets when the orchestrator did not answer with a 2xx. */
export type Forwarded =
  /** The orchestrator's own error answer (400 naming the parameter, 429, its 503), passed on as it is. */
  | { kind: 'upstream'; status: number; body: unknown }
  /** The orchestrator could not be reached or answered nonsense: an error of our own, in the one shape. */
  | { kind: 'own'; status: number; code: ErrorCodeType; message: string };

/**
 * How a failed call to the orchestrator reaches the page. Its own error bodies (the one error shape) pass
 * through so the page shows the real reason; a breaker, deadline or connection failure becomes a 503/504
 * naming the orchestrator, never an internal message.
 */
export function forwardFailure(code: PeerErrorCode, statusCode: number | undefined, body: unknown): Forwarded {
  if ((code === 'UPSTREAM_4XX' || code === 'UPSTREAM_5XX') && statusCode !== undefined && isErrorShape(body)) {
    return { kind: 'upstream', status: statusCode, body };
  }
  if (code === 'DEADLINE_EXCEEDED') return { kind: 'own', status: 504, code: ErrorCode.DeadlineExceeded, message: 'the search service did not answer in time; please retry' };
  return { kind: 'own', status: 503, code: ErrorCode.Unavailable, message: 'the search service is unavailable right now; please retry' };
}
