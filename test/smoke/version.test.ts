import { createHttpChecks, isGitSha, shaMatches } from '../../src/smoke';
import { makeSelfSignedCert, type TestCert } from './fixtures/cert';
import { GOOD_SHA, json, serviceFor, startBackend, type Backend } from './fixtures/backend';

describe('Function: shaMatches', () => {
  it.each([
    [GOOD_SHA, GOOD_SHA, true],
    [GOOD_SHA.slice(0, 7), GOOD_SHA, true],
    [GOOD_SHA, GOOD_SHA.slice(0, 12), true],
    [GOOD_SHA.slice(0, 7).toUpperCase(), GOOD_SHA, true],
    ['3f9c2a0', GOOD_SHA, false],
    [GOOD_SHA.slice(0, 6), GOOD_SHA, false],
    ['unknown', 'unknown', false],
    ['', GOOD_SHA, false],
  ])('%s against %s is %s', (expected, actual, match) => {
    expect(shaMatches(expected, actual)).toBe(match);
  });

  it('accepts 7 to 40 hex characters as a git SHA', () => {
    expect([isGitSha('abcdef0'), isGitSha('a'.repeat(40)), isGitSha('a'.repeat(41)), isGitSha('abcdefg')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('Function: fetchVersion', () => {
  let cert: TestCert;
  let backend: Backend;
  const http = createHttpChecks({ env: {} });

  beforeAll(async () => {
    cert = makeSelfSignedCert();
    backend = await startBackend(cert, {
      routes: { '/broken/api/v1/version': (_q, s) => json(s, 500, { error: 'x' }) },
    });
  });
  afterAll(async () => {
    await backend.close();
    cert.cleanup();
  });

  it('reads the fields of the version endpoint', async () => {
    const info = await http.fetchVersion(serviceFor(backend, cert));

    expect(info).toEqual({
      url: `${backend.baseUrl}/api/v1/version`,
      status: 200,
      gitSha: GOOD_SHA,
      buildTime: '2025-01-21T14:25:00Z',
      version: '2.1.0',
      nodeEnv: 'production',
      service: 'mentalspace-backend',
    });
  });

  it('returns the HTTP status as an error instead of throwing', async () => {
    const service = { ...serviceFor(backend, cert), baseUrl: `${backend.baseUrl}/broken` };

    const info = await http.fetchVersion(service);

    expect(info).toMatchObject({ status: 500, error: 'HTTP 500' });
    expect(info.gitSha).toBeUndefined();
  });

  it('returns a TLS failure as an error instead of throwing', async () => {
    const info = await http.fetchVersion(serviceFor(backend, null));

    expect(info.error).toMatch(/^TLS certificate not trusted/);
    expect(info.status).toBeUndefined();
  });

  it('says so when the service has no baseUrl', async () => {
    expect(await http.fetchVersion(serviceFor(null, null))).toEqual({ url: '', error: 'no baseUrl configured' });
  });
});
