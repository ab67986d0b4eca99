import type { SmokeRun } from '../../src/engine/types';
import { createHttpChecks } from '../../src/smoke';
import { makeSelfSignedCert, type TestCert } from './fixtures/cert';
import { serviceFor, startBackend, type BackendOptions, type Handler } from './fixtures/backend';

const http = createHttpChecks({ env: {} });
let cert: TestCert;
beforeAll(() => {
  cert = makeSelfSignedCert();
});
afterAll(() => cert.cleanup());

async function runAgainst(options: BackendOptions, smoke: Record<string, unknown>, signal?: AbortSignal) {
  const backend = await startBackend(cert, options);
  try {
    const run: SmokeRun = await http.runSmoke(serviceFor(backend, cert, smoke), { signal });
    return { run, hits: backend.hits };
  } finally {
    await backend.close();
  }
}
const byName = (run: SmokeRun) => Object.fromEntries(run.results.map((r) => [r.name, r]));

const hang: Handler = () => undefined;
const reset: Handler = (req) => req.socket.destroy();
const tenMegabytes: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(Buffer.alloc(10 * 1024 * 1024, 'a'));
};
const endless: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(16 * 1024, 'x');
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
};
const loop: Handler = (req, res) => {
  res.writeHead(302, { location: req.url ?? '/' });
  res.end();
};

describe('Function: runSmoke against a misbehaving target', () => {
  it('turns a hanging target into errors at the per-check timeout, never a pass', async () => {
    const { run } = await runAgainst({ all: hang, plain: hang }, { checkTimeout: '300ms' });

    expect(run.results.map((r) => r.status)).toEqual(Array(10).fill('error'));
    expect(run.results.every((r) => r.reason.includes('no complete answer within 300 ms'))).toBe(true);
    expect(run.passed).toBe(false);
  });

  it('holds the overall deadline: every unfinished check becomes "deadline exceeded"', async () => {
    const { run } = await runAgainst(
      { all: hang, plain: hang },
      { checkTimeout: '10s', deadline: '300ms', corsOrigin: undefined },
    );

    const results = byName(run);
    expect(results.cors.status).toBe('skipped');
    const others = run.results.filter((r) => r.name !== 'cors');
    expect(others.every((r) => r.status === 'error' && r.reason === 'deadline exceeded (300 ms)')).toBe(true);
    expect(run.passed).toBe(false);
  });

  it('marks unfinished checks as cancelled when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    const { run } = await runAgainst({ all: hang, plain: hang }, { checkTimeout: '10s' }, controller.signal);

    expect(run.results.every((r) => r.status === 'error' && r.reason === 'cancelled')).toBe(true);
  });

  it('reports connection resets as errors', async () => {
    const { run } = await runAgainst({ all: reset, plain: reset }, {});

    expect(run.results.map((r) => r.status)).toEqual(Array(10).fill('error'));
    expect(byName(run).liveness.reason).toMatch(/connection reset or closed/);
  });

  it('reads only the first 64 KiB of a 10 MB body and still finishes every check', async () => {
    const { run } = await runAgainst({ all: tenMegabytes }, {});

    const results = byName(run);
    expect(results.liveness).toMatchObject({ status: 'pass', reason: 'HTTP 200' });
    expect(results.version).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('larger than the read limit'),
    });
    expect(results.readiness.status).toBe('error');
    expect(results.error_format.status).toBe('pass');
  });

  it('stops reading an endless body instead of waiting for its end', async () => {
    const { run } = await runAgainst({ all: endless }, { checkTimeout: '5s' });

    const results = byName(run);
    // Had the body been read to its end, these would be timeouts (errors), not answers.
    expect(results.liveness).toMatchObject({ status: 'pass', reason: 'HTTP 200' });
    expect(results.root.status).toBe('pass');
    expect(results.auth).toMatchObject({
      status: 'fail',
      reason: expect.stringContaining('answered 200 without credentials'),
    });
  });

  it('never follows a redirect loop', async () => {
    const { run, hits } = await runAgainst({ all: loop, plain: loop }, {});

    const results = byName(run);
    expect(results.liveness).toMatchObject({ status: 'fail', reason: expect.stringContaining('HTTP 302') });
    expect(results.root).toMatchObject({ status: 'pass', reason: 'HTTP 302 (redirect, not followed)' });
    expect(results.https).toMatchObject({ status: 'fail', reason: expect.stringContaining('not https') });
    expect(hits.get('/')).toBe(1);
  });
});

describe('Function: runSmoke and TLS', () => {
  it('fails every HTTPS check as an error when the certificate is not trusted', async () => {
    const backend = await startBackend(cert);
    try {
      const run = await http.runSmoke(serviceFor(backend, null), {});

      const results = byName(run);
      expect(results.version).toMatchObject({
        status: 'error',
        reason: expect.stringMatching(/^TLS certificate not trusted/),
      });
      expect(run.results.filter((r) => r.name !== 'https').every((r) => r.status === 'error')).toBe(true);
      expect(run.passed).toBe(false);
    } finally {
      await backend.close();
    }
  });

  it('trusts a CA named by NODE_EXTRA_CA_CERTS', async () => {
    const backend = await startBackend(cert);
    try {
      const run = await createHttpChecks({ env: { NODE_EXTRA_CA_CERTS: cert.certPath } }).runSmoke(
        serviceFor(backend, null),
        {},
      );

      expect(run.results.every((r) => r.status === 'pass')).toBe(true);
    } finally {
      await backend.close();
    }
  });

  it('reports an unreadable caFile on every check', async () => {
    const backend = await startBackend(cert);
    try {
      const run = await http.runSmoke(serviceFor(backend, null, { caFile: '/nonexistent/ca.pem' }), {});

      expect(run.results.every((r) => r.status === 'error' && r.reason.startsWith('cannot read CA file'))).toBe(true);
    } finally {
      await backend.close();
    }
  });
});
