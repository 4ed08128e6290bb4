import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openLoop } from '../../src/open-loop';

describe('openLoop', () => {
  let server: Server;
  let url: string;
  const arrivals: number[] = [];

  beforeAll(async () => {
    server = createServer((_req, res) => {
      arrivals.push(performance.now());
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the requests evenly at the rate, and sleeps between them instead of spinning a core', async () => {
    arrivals.length = 0;
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    const run = await openLoop({ url, rate: 40, seconds: 2, requests: [{ method: 'GET', path: '/' }] });
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = performance.now() - wallBefore;

    expect(run.sent).toBe(80);
    expect(run.statuses).toEqual({ 200: 80 });
    expect(run.latencies).toHaveLength(80);
    // 25 ms apart: the 80 arrivals span about 2 s, and no more than a few ever arrive together.
    expect(arrivals[79]! - arrivals[0]!).toBeGreaterThan(1800);
    const bunched = arrivals.filter((t, i) => i >= 3 && t - arrivals[i - 3]! < 10).length;
    expect(bunched).toBeLessThan(8);
    // The generator spun a core before (CPU ≈ wall time); sleeping, it needs a small part of it.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(0.3 * wallMs);
  });
});
