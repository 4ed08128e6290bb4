// kafkajs 2.2.4 re-arms a 1 ms timer after every check of its request queue, forever, on every broker
// connection (kafkajs#1556): an idle consumer burned ~47 ms of CPU a second. patches/kafkajs+2.2.4.patch
// (applied by patch-package on install) schedules a check only while requests are pending.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: Record<string, unknown>) => {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
};

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const queue = () => new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'test', broker: 'localhost:9092', logger });

describe('kafkajs request queue (patched)', () => {
  it('schedules no check while nothing is pending', () => {
    const q = queue();
    q.checkPendingRequests();
    const scheduled = q.throttleCheckTimeoutId !== null;
    // Unpatched, the timer re-arms itself for ever: stopped here so that a failure does not hang the run.
    clearTimeout(q.throttleCheckTimeoutId ?? undefined);
    expect(scheduled).toBe(false);
  });

  it('still checks again for a request held back by throttling', () => {
    const q = queue();
    q.throttledUntil = Date.now() + 50;
    q.pending.push({});
    q.checkPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(q.throttleCheckTimeoutId!);
  });
});
