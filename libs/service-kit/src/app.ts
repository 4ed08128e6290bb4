import { randomUUID } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
  type FastifyInstance,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import underPressure from '@fastify/under-pressure';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type ErrorBody, ErrorCode, REQUEST_ID_HEADER } from '@search-mesh/contracts';
import type { KitConfig } from './config';
import { deadlinePlugin } from './plugins/deadline';
import { errorsPlugin } from './plugins/errors';
import { healthPlugin } from './plugins/health';
import { metricsPlugin } from './plugins/metrics';
import { type Span, endServerSpan, markRequestLogger, otelContext, ROOT_CONTEXT_FOR_REQUESTS, serverSpanOf, setupTracing, startServerSpan, trace, traceMixin } from './tracing';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's server span (recording or not, it has the trace id); undefined with OTEL_SDK_DISABLED. */
    readonly span: Span | undefined;
  }
  interface FastifyContextConfig {
    /** Probes and metrics: never shed, never access-logged. */
    operational?: boolean;
  }
}

export type ServiceApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface ServiceAppOptions {
  /** The service's name: the `service` label on metrics and logs. */
  name: string;
  config: KitConfig;
  /** Extra pino options, e.g. a destination stream in tests. */
  logger?: FastifyServerOptions['logger'];
}

/** One access-log line per request (Fastify's default is two), none for probes and metrics. */
class AccessLog extends LogController {
  constructor(enabled: boolean) {
    super({ requestIdLogLabel: 'requestId', disableRequestLogging: !enabled });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (request.routeOptions.config?.operational) return;
    const line = { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 };
    if (error) reply.log.error({ ...line, err: error }, 'request');
    else reply.log.info(line, 'request');
  }
}

const OVERLOADED: ErrorBody = { error: { code: ErrorCode.Overloaded, message: 'service is overloaded, retry later' } };

/**
 * Builds the Fastify instance every service starts from: JSON logs with request ids, the one error
 * shape, deadlines, RED metrics, health and readiness, load shedding. The service's `app.ts` adds its
 * routes and adapters to it.
 */
export async function createServiceApp(opts: ServiceAppOptions): Promise<ServiceApp> {
  const { config } = opts;
  const tracing = setupTracing(opts.name);
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel, base: { service: opts.name }, ...(tracing.recording ? { mixin: traceMixin } : {}) },
    requestIdHeader: REQUEST_ID_HEADER,
    genReqId: () => randomUUID(),
    // The request's server span starts where its logger is made, so every line of the request has the trace id.
    ...(tracing.propagating
      ? {
          childLoggerFactory: (logger: FastifyBaseLogger, bindings: Record<string, unknown>, loggerOpts: object, raw: RawRequestDefaultExpression) =>
            markRequestLogger(logger.child({ ...bindings, traceId: startServerSpan(raw).spanContext().traceId }, loggerOpts)),
        }
      : {}),
    logController: new AccessLog(config.accessLog),
    bodyLimit: config.bodyLimitBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  if (tracing.propagating) {
    app.decorateRequest('span', {
      getter(this: FastifyRequest) {
        return serverSpanOf(this.raw);
      },
    });
  }
  if (tracing.recording) {
    // Handlers run in the request's trace context, so backend clients' spans (Elasticsearch, Cassandra,
    // Kafka) find their parent.
    app.addHook('onRoute', (route) => {
      const handler = route.handler as (this: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;
      route.handler = function tracedHandler(this: unknown, request: FastifyRequest, reply: FastifyReply) {
        const span = serverSpanOf(request.raw);
        if (span === undefined) return handler.call(this, request, reply);
        return otelContext.with(trace.setSpan(ROOT_CONTEXT_FOR_REQUESTS, span), handler, this, request, reply);
      } as typeof route.handler;
    });
    const end = async (request: FastifyRequest, reply: FastifyReply) => {
      const span = serverSpanOf(request.raw);
      if (span !== undefined) endServerSpan(span, request.method, request.routeOptions.url, reply.statusCode);
    };
    app.addHook('onResponse', end);
    app.addHook('onRequestAbort', async (request) => {
      const span = serverSpanOf(request.raw);
      if (span !== undefined) endServerSpan(span, request.method, request.routeOptions.url, 499);
    });
    app.addHook('onClose', async () => tracing.flush());
  }

  // One line at start listing every route: what operators (and the bad-input suite) read to know the API.
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push(`${method} ${route.url}`);
  });
  app.addHook('onReady', async () => app.log.info({ routes }, 'routes'));

  await app.register(errorsPlugin);
  await app.register(metricsPlugin, { service: opts.name });
  await app.register(healthPlugin);
  await app.register(deadlinePlugin, { defaultBudgetMs: config.requestBudgetMs, maxBudgetMs: config.maxRequestBudgetMs });
  await app.register(underPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    maxEventLoopUtilization: config.maxEventLoopUtilization,
    maxHeapUsedBytes: config.maxHeapUsedBytes,
    // Probes and metrics must answer under load, or an orchestrator kills a busy pod. A shed request costs
    // as little as possible: answered here, with no Error (stack trace) and no error log line each (a log
    // storm would deepen the overload); the request metrics count the 503s.
    // (under-pressure sends what the handler returns; its types only declare void.)
    pressureHandler: (request, reply) => {
      if (request.routeOptions.config.operational) return;
      reply.code(503).header('retry-after', '1');
      return OVERLOADED as unknown as void;
    },
  });
  return app;
}
