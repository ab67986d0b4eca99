/** The target-health phase: errors reading it are waited out like the rollout's, and never judged as targets. */
import { CodedError, ErrorCodes } from '../../src/errors';
import { waitForHealthyTargets } from '../../src/engine/watch/targets';
import type { TargetHealth } from '../../src/engine/types';
import { FakeClock } from '../fakes/fake-clock';

const healthy = (n: number): TargetHealth[] =>
  Array.from({ length: n }, (_, i) => ({ id: `10.0.0.${i}`, port: 80, state: 'healthy' }));
const unhealthy: TargetHealth[] = [
  { id: '10.0.0.9', port: 80, state: 'unhealthy', reason: 'Target.ResponseCodeMismatch' },
];
const serverError = () =>
  new CodedError(ErrorCodes.awsError, 'InternalFailure: We encountered an internal error', {
    details: { transient: true },
  });

/** Reads that fail with `error` until `failForMs` of clock time passed, then answer `then`. */
function flakyRead(clock: FakeClock, failForMs: number, then: TargetHealth[], error: () => unknown = serverError) {
  const start = clock.now();
  let calls = 0;
  return {
    calls: () => calls,
    read: async () => {
      calls += 1;
      if (clock.now() - start < failForMs) throw error();
      return then;
    },
  };
}

describe('waitForHealthyTargets', () => {
  const options = (clock: FakeClock, read: () => Promise<TargetHealth[]>) => ({
    read,
    expected: 2,
    clock,
    timeoutMs: 300_000,
    pollMs: 2000,
    onChange: () => undefined,
  });

  it('waits out 30 s of 5xx from ELB and then judges the targets it reads', async () => {
    const clock = new FakeClock();
    const reads = flakyRead(clock, 30_000, healthy(2));
    const verdict = await waitForHealthyTargets(options(clock, reads.read));
    expect(verdict).toMatchObject({ ok: true });
    expect(reads.calls()).toBeGreaterThan(4);
  });

  it('counts no unhealthy round on a read that failed: the last answer is not read again as news', async () => {
    const clock = new FakeClock();
    let n = 0;
    // One unhealthy answer, then a long spell of errors, then healthy targets.
    const read = async () => {
      n += 1;
      if (n === 1) return unhealthy;
      if (n < 10) throw serverError();
      return healthy(2);
    };
    await expect(waitForHealthyTargets(options(clock, read))).resolves.toMatchObject({ ok: true });
  });

  it('says it could not read target health, and for how long, when the errors outlast the timeout', async () => {
    const clock = new FakeClock();
    const reads = flakyRead(clock, Infinity, []);
    const started = clock.now();
    const verdict = await waitForHealthyTargets({ ...options(clock, reads.read), timeoutMs: 60_000 });
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(
      /^targets not confirmed healthy within 60s; could not read target health for \d+s: .*InternalFailure/,
    );
    // The backoff never runs past the timeout.
    expect(clock.now() - started).toBeLessThanOrEqual(60_000);
  });

  it('gives up on a definite answer (access denied) after a few tries, without waiting for the timeout', async () => {
    const clock = new FakeClock();
    const denied = () =>
      new CodedError(ErrorCodes.accessDenied, 'not authorized to perform elasticloadbalancing:DescribeTargetHealth');
    const reads = flakyRead(clock, Infinity, [], denied);
    const verdict = await waitForHealthyTargets(options(clock, reads.read));
    expect(!verdict.ok && verdict.reason).toMatch(/could not read target health for \d+s: .*not authorized/);
    expect(reads.calls()).toBe(4);
  });
});
