import type { IncomingMessage } from 'node:http';
import {
  type Attributes,
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * OpenTelemetry for the mesh. Always on (and nearly free): W3C trace context read from `traceparent` into the
 * request's span, so every log line of a request and every peer call carry its trace id. Spans are recorded
 * and exported over OTLP/HTTP, and carried in async context to the backends' clients, only when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set; `OTEL_SDK_DISABLED=true`
 * turns all of it off.
 */
export interface TracingState {
  /** Context propagation is installed (false only with OTEL_SDK_DISABLED=true). */
  readonly propagating: boolean;
  /** Spans are recorded and exported. */
  readonly recording: boolean;
  flush(): Promise<void>;
}

let state: TracingState | undefined;

/** Installs tracing once per process (the first service app decides); later calls return the same state. */
export function setupTracing(service: string, env: NodeJS.ProcessEnv = process.env): TracingState {
  if (state) return state;
  if (env.OTEL_SDK_DISABLED === 'true') {
    state = { propagating: false, recording: false, flush: async () => undefined };
    return state;
  }
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) {
    // No async context either: AsyncLocalStorage costs ~30 µs of CPU per request through Node 20's promise
    // hooks (bench/tracing-overhead.ts); the request's span travels explicitly (`request.span`, CallContext).
    state = { propagating: true, recording: false, flush: async () => undefined };
    return state;
  }
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // The exporter and batch processor read their own OTEL_* settings (endpoint, headers, batch delay).
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || service }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  trace.setGlobalTracerProvider(provider);
  state = { propagating: true, recording: true, flush: () => provider.forceFlush() };
  return state;
}

/** The mesh's tracer (a no-op until a provider is registered). */
export const tracer = trace.getTracer('search-mesh');

/** The context a call made for `span`'s request continues: the active one when recording, else the span's. */
export function callerContext(span: Span | undefined): Context {
  const active = context.active();
  if (span === undefined || trace.getSpan(active) !== undefined) return active;
  return trace.setSpan(ROOT_CONTEXT, span);
}

const kRequestLogger = Symbol('search-mesh.requestLogger');

/**
 * pino `mixin`: lines written inside a traced context by a logger that is not a request's own (a consumer,
 * an adapter using `app.log`) get the active trace id; request loggers carry it as a binding already.
 */
export function traceMixin(_merge: object, _level: number, logger: unknown): object {
  if ((logger as Record<symbol, unknown>)[kRequestLogger]) return {};
  const span = trace.getActiveSpan();
  return span === undefined ? {} : { traceId: span.spanContext().traceId };
}

/** Marks a request's child logger, so the mixin does not repeat its traceId binding. */
export function markRequestLogger<T extends object>(logger: T): T {
  (logger as Record<symbol, unknown>)[kRequestLogger] = true;
  return logger;
}

/** Random hex ids like the SDK's own generator (Math.random: ids need to be unique, not secret). */
const HEX = '0123456789abcdef';
function randomHex(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += HEX[(Math.random() * 16) | 0];
  // An all-zero id is invalid in W3C trace context.
  return /^0+$/.test(out) ? randomHex(length) : out;
}

const kSpan = Symbol('search-mesh.span');
type Traced = IncomingMessage & { [kSpan]?: Span };

/**
 * The server span of an incoming request, made where Fastify makes the request's logger (the first thing it
 * does), so the trace id is in every line. Parent: the caller's `traceparent` when valid. Not recording, a
 * span still has a trace id (the caller's, or a fresh one), so logs and peer calls carry one either way.
 */
export function startServerSpan(raw: IncomingMessage): Span {
  const parent = propagation.extract(ROOT_CONTEXT, raw.headers);
  let span: Span;
  if (state?.recording) {
    span = tracer.startSpan(`${raw.method ?? 'HTTP'}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': raw.method ?? '' } }, parent);
  } else {
    const caller = trace.getSpanContext(parent);
    if (caller !== undefined) span = trace.wrapSpanContext(caller);
    else span = trace.wrapSpanContext({ traceId: randomHex(32), spanId: randomHex(16), traceFlags: TraceFlags.NONE });
  }
  (raw as Traced)[kSpan] = span;
  return span;
}

export function serverSpanOf(raw: IncomingMessage): Span | undefined {
  return (raw as Traced)[kSpan];
}

/** Ends a server span with the response status (5xx is an error, 4xx is the caller's). */
export function endServerSpan(span: Span, method: string, route: string | undefined, status: number): void {
  if (!span.isRecording()) return;
  if (route !== undefined) {
    span.setAttribute('http.route', route);
    span.updateName(`${method} ${route}`);
  }
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

const NOT_RECORDING = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Whether spans are recorded (adapters skip building span attributes when not). */
export function tracingRecording(): boolean {
  return state?.recording ?? false;
}

/** Runs `work` in a child span of the active context; the span records an exception and ends either way. */
export async function withSpan<T>(name: string, kind: SpanKind, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  // Not recording: no span, no context switch (the caller's context, with its trace id, stays active).
  if (!state?.recording) return work(NOT_RECORDING);
  return tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (err) {
      if (span.isRecording()) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      }
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Synchronous `withSpan`, for work that never awaits (e.g. a model's forward pass). */
export function withSpanSync<T>(name: string, attributes: Attributes, work: () => T): T {
  if (!state?.recording) return work();
  const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes });
  try {
    return context.with(trace.setSpan(context.active(), span), work);
  } catch (err) {
    if (span.isRecording()) span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}

export type { Context, Span };
export type { Link } from '@opentelemetry/api';
export { SpanKind, SpanStatusCode, context as otelContext, propagation, trace, ROOT_CONTEXT as ROOT_CONTEXT_FOR_REQUESTS };
