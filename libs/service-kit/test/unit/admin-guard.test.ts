import { bearerRoles, bearerTokenGuard, HttpError } from '../../src';

const request = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } });
async function status(work: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await work;
    return 'ok';
  } catch (err) {
    if (err instanceof HttpError) return err.statusCode;
    throw err;
  }
}

describe('bearerRoles', () => {
  type Role = 'viewer' | 'editor';
  const roles = bearerRoles<Role, { name: string; role: Role }>(
    new Map([
      ['viewer-token-1234567890', { name: 'vic', role: 'viewer' }],
      ['editor-token-1234567890', { name: 'eve', role: 'editor' }],
    ]),
  );
  const edit = roles.require('editor');

  it('answers who holds the token', () => {
    expect(roles.operatorOf(request('Bearer editor-token-1234567890'))).toEqual({ name: 'eve', role: 'editor' });
  });

  it('401 without a token, with an unknown one or another scheme; 403 for a role not allowed', async () => {
    expect(await status(edit(request()))).toBe(401);
    expect(await status(edit(request('Bearer editor-token-123456789X')))).toBe(401);
    expect(await status(edit(request('Basic editor-token-1234567890')))).toBe(401);
    expect(await status(edit(request('Bearer ')))).toBe(401);
    expect(await status(edit(request('Bearer viewer-token-1234567890')))).toBe(403);
    expect(await status(edit(request('Bearer editor-token-1234567890')))).toBe('ok');
  });

  it('nobody gets in when no token is configured', async () => {
    expect(await status(bearerRoles(new Map()).require('x')(request('Bearer ')))).toBe(401);
  });
});

describe('bearerTokenGuard', () => {
  it('is off (403) without a token, 401 for a wrong one', async () => {
    expect(await status(bearerTokenGuard('', 'X')(request('Bearer a')))).toBe(403);
    expect(await status(bearerTokenGuard('secret', 'X')(request('Bearer wrong!')))).toBe(401);
    expect(await status(bearerTokenGuard('secret', 'X')(request('Bearer secret')))).toBe('ok');
  });
});
