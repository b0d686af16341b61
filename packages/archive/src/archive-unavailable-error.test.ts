import { ArchiveUnavailableError, isUnavailable, unlessUnavailable } from './archive-unavailable-error';

function pgError(code: string, message = 'from the server'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isUnavailable', () => {
  it.each([
    ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', pgError('ECONNRESET')],
    ['an unknown host', pgError('ENOTFOUND')],
    ['a server shutting down', pgError('57P01', 'terminating connection due to administrator command')],
    ['a server starting up', pgError('57P03', 'the database system is starting up')],
    ['a statement past its timeout', pgError('57014', 'canceling statement due to statement timeout')],
    ['too many connections', pgError('53300')],
    ['a full disk', pgError('53100')],
    ['a wrong password', pgError('28P01')],
    ['a missing database', pgError('3D000')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a connect past its timeout', new Error('timeout exceeded when trying to connect')],
    ['a server that stopped answering', new Error('Query read timeout')],
  ])('is true for %s', (_, error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([
    ['a syntax error', pgError('42601')],
    ['a missing table (schema not migrated)', pgError('42P01')],
    ['a bad value', pgError('22P02')],
    ['a lock not granted in time', pgError('55P03')],
    ['a plain error', new Error('something else')],
    ['a string', 'ECONNREFUSED'],
  ])('is false for %s', (_, error) => {
    expect(isUnavailable(error)).toBe(false);
  });
});

describe('unlessUnavailable', () => {
  it('wraps an outage with its cause and passes any other error as it is', async () => {
    const refused = pgError('ECONNREFUSED');
    const wrapped = await unlessUnavailable(() => Promise.reject(refused)).catch((error: unknown) => error);
    expect(wrapped).toBeInstanceOf(ArchiveUnavailableError);
    expect(wrapped).toMatchObject({
      code: 'ARCHIVE_UNAVAILABLE',
      name: 'ArchiveUnavailableError',
      cause: refused,
    });

    const syntax = pgError('42601');
    await expect(unlessUnavailable(() => Promise.reject(syntax))).rejects.toBe(syntax);
  });
});
