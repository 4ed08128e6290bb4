import { forwardFailure } from '../../src/domain/forward';

describe('forwardFailure', () => {
  const errorBody = { error: { code: 'BAD_REQUEST', message: 'querystring.size must be <= 100', field: 'querystring.size' } };

  it("passes the orchestrator's own 4xx and 5xx answers through unchanged", () => {
    expect(forwardFailure('UPSTREAM_4XX', 400, errorBody)).toEqual({ kind: 'upstream', status: 400, body: errorBody });
    expect(forwardFailure('UPSTREAM_5XX', 503, errorBody)).toEqual({ kind: 'upstream', status: 503, body: errorBody });
  });

  it('answers 504 when the orchestrator ran out of time', () => {
    expect(forwardFailure('DEADLINE_EXCEEDED', undefined, undefined)).toMatchObject({ kind: 'own', status: 504, code: 'DEADLINE_EXCEEDED' });
  });

  it('answers 503 for a breaker, a connection failure, or a body outside the error shape', () => {
    expect(forwardFailure('BREAKER_OPEN', undefined, undefined)).toMatchObject({ kind: 'own', status: 503, code: 'UNAVAILABLE' });
    expect(forwardFailure('CONNECTION', undefined, undefined)).toMatchObject({ kind: 'own', status: 503 });
    expect(forwardFailure('UPSTREAM_5XX', 502, '<html>bad gateway</html>')).toMatchObject({ kind: 'own', status: 503 });
    expect(forwardFailure('BAD_RESPONSE', 200, 'not json')).toMatchObject({ kind: 'own', status: 503 });
  });
});
