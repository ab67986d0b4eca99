import type { SmokeRun } from '../../src/engine/types';
import { compileSensitivePatterns, createHttpChecks, findSensitiveKinds } from '../../src/smoke';
import { makeSelfSignedCert, type TestCert } from './fixtures/cert';
import { json, serviceFor, startBackend, type Handler } from './fixtures/backend';

const http = createHttpChecks({ env: {} });
let cert: TestCert;
beforeAll(() => {
  cert = makeSelfSignedCert();
});
afterAll(() => cert.cleanup());

async function errorFormat(routes: Record<string, Handler>, smoke: Record<string, unknown> = {}) {
  const backend = await startBackend(cert, { routes });
  try {
    const run: SmokeRun = await http.runSmoke(serviceFor(backend, cert, smoke), {});
    return run.results.find((r) => r.name === 'error_format')!;
  } finally {
    await backend.close();
  }
}

const STACK =
  'Error: boom\n    at getClient (/app/dist/routes/clients.js:42:13)\n    at Layer.handle (/app/node_modules/express/lib/router/layer.js:95:5)';

describe('Check: error_format', () => {
  it('passes when the 401 and 404 bodies are plain messages', async () => {
    const result = await errorFormat({});

    expect(result).toMatchObject({ status: 'pass', reason: expect.stringContaining('HTTP 401, 404') });
  });

  it('fails on a stack trace in the 404 body, naming the kind and never the data', async () => {
    const result = await errorFormat({
      '/api/v1/__smoke_not_found__': (_q, s) => json(s, 404, { error: 'boom', stack: STACK }),
    });

    expect(result.status).toBe('fail');
    expect(result.reason).toContain('stack trace');
    expect(result.reason).toContain('/api/v1/__smoke_not_found__');
    expect(result.reason).not.toContain('clients.js');
  });

  it('fails on a patient email and an SSN-like number in the 401 body without repeating them', async () => {
    const body = { error: 'Unauthorized', lastClient: 'jane.doe@example.org', ssn: '123-45-6789' };
    const result = await errorFormat({ '/api/v1/clients': (_q, s) => json(s, 401, body) });

    expect(result.status).toBe('fail');
    expect(result.reason).toContain('email address');
    expect(result.reason).toContain('SSN-like number');
    expect(result.reason).not.toMatch(/jane|123-45/);
  });

  it('fails on ORM and SQL details', async () => {
    const body = { error: 'PrismaClientKnownRequestError: SELECT "id" FROM "Client" WHERE ...' };
    const result = await errorFormat({ '/api/v1/clients': (_q, s) => json(s, 401, body) });

    expect(result).toMatchObject({ status: 'fail', reason: expect.stringContaining('SQL/ORM details') });
  });

  it('uses configured patterns and lets a default be turned off', async () => {
    const routes = {
      '/api/v1/clients': (_q: unknown, s: Parameters<Handler>[1]) =>
        json(s, 401, { hint: 'password required', host: 'db-internal-7' }),
    };

    const custom = await errorFormat(routes, { sensitivePatterns: ['!password', 'db-internal-\\d+'] });
    const relaxed = await errorFormat(routes, { sensitivePatterns: ['!password'] });

    expect(custom).toMatchObject({ status: 'fail', reason: expect.stringContaining('custom pattern 2') });
    expect(custom.reason).not.toContain('password');
    expect(relaxed.status).toBe('pass');
  });

  it('is an error when a configured pattern is not a valid regular expression', async () => {
    const result = await errorFormat({}, { sensitivePatterns: ['(unclosed'] });

    expect(result).toMatchObject({
      status: 'error',
      reason: 'sensitivePatterns entry 1 is not a valid regular expression',
    });
  });
});

describe('Function: findSensitiveKinds', () => {
  const patterns = compileSensitivePatterns();

  it.each([
    ['a Node stack frame', STACK, 'stack trace'],
    ['a Python traceback', 'Traceback (most recent call last):', 'stack trace'],
    ['Sequelize', 'SequelizeDatabaseError: relation missing', 'SQL/ORM details'],
    ['SQLSTATE', 'SQLSTATE[23000]: Integrity constraint violation', 'SQL/ORM details'],
    ['an email', 'contact a.b+c@mail.example.co.uk', 'email address'],
    ['an SSN', 'ssn 078-05-1120', 'SSN-like number'],
    ['password', 'Invalid PASSWORD', 'password'],
  ])('finds %s', (_label, text, kind) => {
    expect(findSensitiveKinds(text, patterns)).toEqual([kind]);
  });

  it('does not flag ordinary error messages', () => {
    const text =
      '{"success":false,"message":"Please select a client from the list","code":"NOT_FOUND","requestId":"req-1234-56-789"}';

    expect(findSensitiveKinds(text, patterns)).toEqual([]);
  });

  it('scans a hostile 64 KiB body without catastrophic backtracking', () => {
    const hostile = 'a'.repeat(32 * 1024) + ' at '.repeat(4 * 1024) + '1'.repeat(12 * 1024);

    expect(findSensitiveKinds(hostile, patterns)).toEqual([]);
  });
});
