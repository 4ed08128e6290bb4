import { freePort, runTs, waitForHttp } from '@search-mesh/testing';
import { envSegment } from '@search-mesh/contracts';
import { request } from 'undici';

const SERVICES = ['orchestrator', 'query-understanding', 'autocomplete', 'facet', 'ranking', 'storefront'];
const envPrefix = (service: string) => `SEARCH_MESH_${envSegment(service)}`;

describe.each(SERVICES)('%s process', (service) => {
  it('refuses to start on a bad environment variable and names it', async () => {
    const proc = runTs(`services/${service}/src/server.ts`, {
      [`${envPrefix(service)}_PORT`]: 'eighty',
      [`${envPrefix(service)}_SHUTDOWN_TIMEOUT_MS`]: '-5',
    });
    expect(await proc.exited).toBe(78);
    expect(proc.output()).toContain(`${envPrefix(service)}_PORT="eighty" is invalid`);
    expect(proc.output()).toContain(`${envPrefix(service)}_SHUTDOWN_TIMEOUT_MS="-5" is invalid`);
  });

  it('starts, answers its probes and metrics, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const proc = runTs(`services/${service}/src/server.ts`, {
      [`${envPrefix(service)}_PORT`]: String(port),
      [`${envPrefix(service)}_LOG_LEVEL`]: 'warn',
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`);
      // Ready only once its dependencies (the real ones the test script started) answer.
      await waitForHttp(`http://127.0.0.1:${port}/readyz`);
      const metrics = await request(`http://127.0.0.1:${port}/metrics`);
      expect(await metrics.body.text()).toContain(`service="${service}"`);
    } finally {
      expect(await proc.stop('SIGTERM')).toBe(0);
    }
  });
});
