import { Writable } from 'node:stream';
import { callerContext, createServiceApp, kitSettings, loadConfig, propagation, type ServiceApp } from '../../src';

/** Tracing with no exporter configured (the default): context propagates, nothing is recorded. */
describe('trace context', () => {
  let app: ServiceApp;
  let lines: string[];

  beforeEach(async () => {
    lines = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter((l) => l !== ''));
        done();
      },
    });
    const config = loadConfig('test', kitSettings(0), {});
    app = await createServiceApp({ name: 'test', config, logger: { level: 'info', stream } });
    app.get('/work', async (request) => {
      await new Promise((resolve) => setImmediate(resolve));
      request.log.info('from the request logger');
      const carrier: Record<string, string> = {};
      propagation.inject(callerContext(request.span), carrier);
      return { traceId: request.span?.spanContext().traceId, outgoing: carrier.traceparent };
    });
  });
  afterEach(async () => app.close());

  it("continues the caller's trace: every log line and every outgoing call carry its trace id", async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await app.inject({ method: 'GET', url: '/work', headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    expect(res.json().traceId).toBe(traceId);
    expect(res.json().outgoing).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    const ofRequest = lines.filter((l) => l.includes('from the') || l.includes('"msg":"request"'));
    expect(ofRequest).toHaveLength(2);
    for (const line of ofRequest) {
      expect(JSON.parse(line).traceId).toBe(traceId);
      expect(line.split('"traceId"').length).toBe(2); // once, not repeated by the mixin
    }
  });

  it('starts a trace when the caller sent none, and ignores a forged traceparent', async () => {
    const fresh = await app.inject({ method: 'GET', url: '/work' });
    expect(fresh.json().traceId).toMatch(/^[0-9a-f]{32}$/);
    const other = await app.inject({ method: 'GET', url: '/work' });
    expect(other.json().traceId).not.toBe(fresh.json().traceId);
    for (const forged of ['00-00000000000000000000000000000000-b7ad6b7169203331-01', 'ff-zz', `00-${'a'.repeat(5000)}-b7ad6b7169203331-01`]) {
      const res = await app.inject({ method: 'GET', url: '/work', headers: { traceparent: forged } });
      expect(res.statusCode).toBe(200);
      expect(res.json().traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(res.json().traceId).not.toBe('00000000000000000000000000000000');
    }
  });
});
