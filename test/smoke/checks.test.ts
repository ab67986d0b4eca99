import { SMOKE_CHECK_NAMES } from '../../src/config/schema';
import type { SmokeResult, SmokeRun } from '../../src/engine/types';
import { createHttpChecks } from '../../src/smoke';
import { makeSelfSignedCert, type TestCert } from './fixtures/cert';
import {
  GOOD_SHA,
  json,
  SECURITY_HEADERS,
  serviceFor,
  startBackend,
  type Backend,
  type BackendOptions,
} from './fixtures/backend';

const http = createHttpChecks({ env: {} });
let cert: TestCert;
let good: Backend;

beforeAll(async () => {
  cert = makeSelfSignedCert();
  good = await startBackend(cert);
});
afterAll(async () => {
  await good.close();
  cert.cleanup();
});

/** Runs the suite against a backend variant and returns the named check's result. */
async function runAgainst(
  options: BackendOptions,
  smoke: Record<string, unknown> = {},
  expectSha?: string,
): Promise<SmokeRun> {
  const backend = await startBackend(cert, options);
  try {
    return await http.runSmoke(serviceFor(backend, cert, smoke), { expectSha });
  } finally {
    await backend.close();
  }
}
const pick = (run: SmokeRun, name: string): SmokeResult => run.results.find((r) => r.name === name)!;

describe('Function: runSmoke against a good backend', () => {
  it('passes all ten checks, in table order, each showing its severity', async () => {
    const run = await http.runSmoke(serviceFor(good, cert), { expectSha: GOOD_SHA.slice(0, 7) });

    expect(run.results.map((r) => r.name)).toEqual([...SMOKE_CHECK_NAMES]);
    expect(run.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(run.passed).toBe(true);
    expect(pick(run, 'cors').severity).toBe('warn');
    expect(pick(run, 'version').severity).toBe('fail');
    for (const r of run.results) expect(r.reason.length).toBeGreaterThan(0);
  });

  it('passes readiness for {success, ready: true}, the shape the original script never accepted', async () => {
    const run = await http.runSmoke(serviceFor(good, cert), {});

    expect(pick(run, 'readiness')).toMatchObject({ status: 'pass', reason: expect.stringContaining('ready = true') });
  });

  it('passes version without an expected SHA and says so', async () => {
    const run = await http.runSmoke(serviceFor(good, cert), {});

    expect(pick(run, 'version')).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('no expected SHA given'),
    });
  });

  it('matches the expected SHA as a prefix either way, case-insensitively', async () => {
    const full = await http.runSmoke(serviceFor(good, cert), { expectSha: GOOD_SHA.toUpperCase() });
    const short = await http.runSmoke(serviceFor(good, cert), { expectSha: GOOD_SHA.slice(0, 10) });

    expect(pick(full, 'version').status).toBe('pass');
    expect(pick(short, 'version').status).toBe('pass');
  });

  it('skips CORS with a reason when no origin is configured', async () => {
    const run = await http.runSmoke(serviceFor(good, cert, { corsOrigin: undefined }), {});

    expect(pick(run, 'cors')).toMatchObject({ status: 'skipped', reason: 'no corsOrigin configured' });
    expect(run.passed).toBe(true);
  });

  it('skips the checks listed in smoke.skip', async () => {
    const run = await http.runSmoke(serviceFor(good, cert, { skip: ['https', 'root'] }), {});

    expect(pick(run, 'https')).toMatchObject({ status: 'skipped', reason: expect.stringContaining('smoke.skip') });
    expect(pick(run, 'root').status).toBe('skipped');
    expect(pick(run, 'liveness').status).toBe('pass');
  });

  it('skips every check, and passes, for a service without baseUrl', async () => {
    const run = await http.runSmoke(serviceFor(null, null), {});

    expect(run.results).toHaveLength(10);
    expect(run.results.every((r) => r.status === 'skipped' && r.reason === 'no baseUrl configured')).toBe(true);
    expect(run.passed).toBe(true);
  });
});

describe('Function: runSmoke, each check failing on its own', () => {
  const cases: {
    check: string;
    options: BackendOptions;
    smoke?: Record<string, unknown>;
    expectSha?: string;
    status: string;
    reason: RegExp;
  }[] = [
    { check: 'version', options: {}, expectSha: 'deadbeef12', status: 'fail', reason: /expected deadbeef12/ },
    {
      check: 'version',
      options: { routes: { '/api/v1/version': (_q, s) => json(s, 200, { gitSha: 'unknown' }) } },
      status: 'fail',
      reason: /no git SHA in "gitSha"/,
    },
    {
      check: 'version',
      options: { routes: { '/api/v1/version': (_q, s) => json(s, 500, {}) } },
      status: 'fail',
      reason: /HTTP 500/,
    },
    {
      check: 'liveness',
      options: {
        routes: { '/api/v1/health/live': (_q, s) => json(s, 503, {}, { 'access-control-allow-origin': '*' }) },
      },
      status: 'fail',
      reason: /HTTP 503/,
    },
    {
      check: 'https',
      options: { plain: (_q, s) => json(s, 200, { status: 'alive' }) },
      status: 'fail',
      reason: /serves HTTP 200 over plain HTTP/,
    },
    {
      check: 'https',
      options: { plain: (_q, s) => s.writeHead(302, { location: 'http://elsewhere.example.com/' }).end() },
      status: 'fail',
      reason: /not https/,
    },
    {
      check: 'auth',
      options: { routes: { '/api/v1/clients': (_q, s) => json(s, 200, []) } },
      status: 'fail',
      reason: /answered 200 without credentials/,
    },
    {
      check: 'auth',
      options: { routes: { '/api/v1/clients': (_q, s) => json(s, 403, {}) } },
      status: 'warn',
      reason: /403, not 401/,
    },
    {
      check: 'cors',
      options: { routes: { '/api/v1/health/live': (_q, s) => json(s, 200, {}) } },
      status: 'warn',
      reason: /no Access-Control-Allow-Origin for https:\/\/app.example.com/,
    },
    {
      check: 'security_headers',
      options: {
        routes: {
          '/api/v1/health/live': (_q, s) => {
            s.writeHead(200, {
              'x-frame-options': SECURITY_HEADERS['x-frame-options'],
              'access-control-allow-origin': '*',
            });
            s.end('{}');
          },
        },
      },
      status: 'fail',
      reason: /missing 2 of 3: X-Content-Type-Options, Strict-Transport-Security/,
    },
    {
      check: 'response_time',
      options: {
        routes: { '/api/v1/version': (_q, s) => void setTimeout(() => json(s, 200, { gitSha: GOOD_SHA }), 800) },
      },
      smoke: { maxResponseTime: '100ms' },
      status: 'warn',
      reason: /no answer within the 100 ms limit/,
    },
    {
      check: 'root',
      options: { routes: { '/': (_q, s) => json(s, 502, {}) } },
      status: 'fail',
      reason: /answered HTTP 502/,
    },
  ];

  it.each(cases)('$check: $reason', async ({ check, options, smoke, expectSha, status, reason }) => {
    const run = await runAgainst(options, smoke, expectSha);

    const result = pick(run, check);
    expect(result.status).toBe(status);
    expect(result.reason).toMatch(reason);
    expect(run.passed).toBe(status !== 'fail');
    const others = run.results.filter((r) => r.name !== check);
    expect(others.filter((r) => r.status !== 'pass')).toEqual([]);
  });

  it('passes HTTPS enforcement when plain HTTP is refused', async () => {
    const run = await http.runSmoke(serviceFor({ ...good, httpUrl: 'http://127.0.0.1:1/' }, cert), {});

    expect(pick(run, 'https')).toMatchObject({ status: 'pass', reason: 'plain HTTP refused' });
  });
});

describe('Function: runSmoke, readiness', () => {
  it('fails after three tries when the backend reports not ready, and the deploy does not pass', async () => {
    const backend = await startBackend(cert, {
      routes: {
        '/api/v1/health/ready': (_q, s) => json(s, 503, { success: false, ready: false, database: 'disconnected' }),
      },
    });
    try {
      const run = await http.runSmoke(serviceFor(backend, cert), {});

      expect(pick(run, 'readiness')).toMatchObject({
        status: 'fail',
        reason: expect.stringContaining('(after 3 tries)'),
      });
      expect(backend.hits.get('/api/v1/health/ready')).toBe(3);
      expect(run.passed).toBe(false);
    } finally {
      await backend.close();
    }
  });

  it('passes when the service becomes ready during warm-up', async () => {
    let calls = 0;
    const run = await runAgainst({
      routes: {
        '/api/v1/health/ready': (_q, s) =>
          ++calls < 2 ? json(s, 503, { ready: false }) : json(s, 200, { ready: true }),
      },
    });

    expect(pick(run, 'readiness')).toMatchObject({ status: 'pass', reason: expect.stringContaining('after 2 tries') });
  });

  it('accepts database === "connected" by default and a configured dot path', async () => {
    const legacy = await runAgainst({
      routes: { '/api/v1/health/ready': (_q, s) => json(s, 200, { database: 'connected' }) },
    });
    const nested = await runAgainst(
      { routes: { '/api/v1/health/ready': (_q, s) => json(s, 200, { checks: { db: 'up' } }) } },
      { readyExpect: [{ field: 'checks.db', equals: 'up' }] },
    );

    expect(pick(legacy, 'readiness').status).toBe('pass');
    expect(pick(nested, 'readiness')).toMatchObject({ status: 'pass', reason: 'ready (checks.db = "up")' });
  });

  it('is an error, not a pass, when the answer is not JSON', async () => {
    const run = await runAgainst({
      routes: {
        '/api/v1/health/ready': (_q, s) => s.writeHead(200, { 'content-type': 'text/html' }).end('<html>ok</html>'),
      },
    });

    expect(pick(run, 'readiness')).toMatchObject({ status: 'error', reason: expect.stringContaining('is not JSON') });
    expect(run.passed).toBe(false);
  });
});

describe('Function: runSmoke, severities', () => {
  it('fails the run when a check made `fail` by config fails', async () => {
    const run = await runAgainst(
      { routes: { '/api/v1/health/live': (_q, s) => json(s, 200, {}) } },
      { severity: { cors: 'fail' } },
    );

    expect(pick(run, 'cors')).toMatchObject({ severity: 'fail', status: 'fail' });
    expect(run.passed).toBe(false);
  });

  it('only warns when a check made `warn` by config fails', async () => {
    const run = await runAgainst({ routes: { '/': (_q, s) => json(s, 500, {}) } }, { severity: { root: 'warn' } });

    expect(pick(run, 'root')).toMatchObject({ severity: 'warn', status: 'warn' });
    expect(run.passed).toBe(true);
  });
});
