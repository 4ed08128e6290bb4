export * from './config';
export * from './http-error';
export * from './app';
export * from './server';
export type { Readiness, ReadinessCheck } from './plugins/health';
export { LATENCY_BUCKETS } from './plugins/metrics';
export { bearerRoles, bearerTokenGuard } from './admin-guard';
export * from './worker';
export { callerContext, setupTracing, tracer, tracingRecording, withSpan, withSpanSync, SpanKind, SpanStatusCode, otelContext, propagation, trace, ROOT_CONTEXT_FOR_REQUESTS, type Context, type Span, type Link } from './tracing';
