import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** The service's Prometheus registry; every library registers its metrics here. */
    metrics: Registry;
  }
}

/** Latency buckets in seconds, dense where a millisecond mesh lives. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface MetricsOptions {
  service: string;
}

/**
 * RED metrics per route (rate and errors from the histogram's count by status, duration from its buckets),
 * plus Node's defaults: event-loop lag, heap, GC, CPU. A registry per app, so tests can build many apps.
 */
export const metricsPlugin = fp<MetricsOptions>(
  async function metricsPlugin(app: FastifyInstance, opts: MetricsOptions) {
    const registry = new Registry();
    registry.setDefaultLabels({ service: opts.service });
    collectDefaultMetrics({ register: registry });
    const duration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'HTTP requests served, by route and status: rate, errors and latency',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    app.decorate('metrics', registry);

    app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      duration.observe({ method: request.method, route, status_code: reply.statusCode }, reply.elapsedTime / 1000);
    });

    app.get('/metrics', { logLevel: 'warn', config: { operational: true } }, async (_request, reply) => {
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'search-mesh-metrics' },
);
