/**
 * Headers the mesh reads and writes on every hop. Only service-kit (incoming) and mesh-client (outgoing)
 * touch them; handlers see `request.id` and `request.deadline`.
 */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * The caller's remaining budget for this request, in whole milliseconds, relative to when the request
 * was sent. Relative (like gRPC's grpc-timeout), not an absolute time, so clock skew between hosts does
 * not matter; each hop sends what is left of its own budget, so the value shrinks hop by hop.
 */
export const DEADLINE_HEADER = 'x-request-budget-ms';
