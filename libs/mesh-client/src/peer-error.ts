/** Why a peer call failed; fallbacks and metrics switch on it. */
export type PeerErrorCode =
  | 'BREAKER_OPEN' // the breaker refused the call without sending it
  | 'DEADLINE_EXCEEDED' // no time left, or the call ran out of it
  | 'CONNECTION' // the connection failed or was reset
  | 'UPSTREAM_5XX' // the peer answered with a server error
  | 'UPSTREAM_4XX' // the peer rejected the request: our bug, not its outage
  | 'BAD_RESPONSE'; // the body was not JSON or broke the contract

export class PeerError extends Error {
  constructor(
    readonly peer: string,
    readonly code: PeerErrorCode,
    message: string,
    readonly statusCode?: number,
    readonly body?: unknown,
    options?: { cause?: unknown },
  ) {
    super(`${peer}: ${message}`, options);
    this.name = 'PeerError';
  }

  /** Worth another attempt (if the call is idempotent and budget and deadline allow). */
  get retryable(): boolean {
    if (this.code === 'CONNECTION') return true;
    return this.code === 'UPSTREAM_5XX' && (this.statusCode === 502 || this.statusCode === 503 || this.statusCode === 504);
  }

  /** Counts against the peer's health in its breaker; a 4xx is the caller's fault. */
  get isPeerFailure(): boolean {
    return this.code !== 'UPSTREAM_4XX' && this.code !== 'BREAKER_OPEN';
  }
}

/** A body in the mesh's one error shape (`{ "error": { "code", "message", ... } }`): the peer's own answer. */
export function isErrorShape(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'error' in body;
}
