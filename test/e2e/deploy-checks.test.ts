/**
 * Deploys whose rollout completes but whose verification (logs, smoke tests) decides the outcome,
 * and deploys through a misbehaving AWS (throttling, 5xx bursts) that must still succeed.
 * The CLI runs as a child process; one simulated world per scenario, side by side.
 */
import type { SimCall } from '../../src/sim/index';
import { answered, callsOf, closeOpenWorlds, inE2eWorld, jsonOf, type CliRun, type E2eWorldOptions } from './helpers';
import type { JsonDoc } from '../json';

const REV1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:1';
const REV2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:2';

afterAll(closeOpenWorlds);

/** Deploys the second seeded image in a fresh world and hands over the run, its JSON and the calls. */
function deployIn(options: E2eWorldOptions): Promise<{ run: CliRun; result: JsonDoc; calls: SimCall[] }> {
  return inE2eWorld(options, async (e) => {
    const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);
    return { run, result: jsonOf(run), calls: e.world.calls() };
  });
}

/** The rollout back that follows a failed verification. */
function expectRolledBack(run: CliRun, result: JsonDoc, calls: SimCall[]): void {
  expect(run.code).toBe(1);
  expect(result).toMatchObject({
    ok: false,
    outcome: 'rolled_back',
    exitCode: 1,
    toTaskDefinition: REV2,
    finalTaskDefinition: REV1,
  });
  expect(callsOf(calls, 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([REV2, REV1]);
}

function smokeCheck(result: JsonDoc, name: string): { status: string; severity: string; reason: string } {
  return result.smoke.find((s: { name: string }) => s.name === name);
}

/** Every failed attempt of an operation is followed by another attempt of it that was answered. */
function expectRetried(calls: SimCall[], failedStatus: (status: number) => boolean): SimCall[] {
  const failed = calls.filter((c) => failedStatus(c.status));
  for (const f of failed) {
    const later = calls.slice(calls.indexOf(f) + 1);
    expect(later.some((c) => c.operation === f.operation && c.status === 200)).toBe(true);
  }
  return failed;
}

describe('deploy verification over the wire', () => {
  it.concurrent('error-logs with logs.failOver: exit 1, failure in the logs phase', async () => {
    // Act (the generated config fails a deploy over 10 error lines)
    const { run, result, calls } = await deployIn({ scenario: 'error-logs' });

    // Assess
    expectRolledBack(run, result, calls);
    expect(result.failure.phase).toBe('logs');
    expect(result.logs.count).toBeGreaterThanOrEqual(10);
    expect(answered(calls, 'FilterLogEvents').length).toBeGreaterThan(0);
  });

  it.concurrent('error-logs without logs.failOver: exit 0, the error lines reported', async () => {
    // Act
    const { run, result, calls } = await deployIn({
      scenario: 'error-logs',
      edit: (s) => delete (s.logs as Record<string, unknown>).failOver,
    });

    // Assess
    expect(run.code).toBe(0);
    expect(result).toMatchObject({ ok: true, outcome: 'succeeded', finalTaskDefinition: REV2 });
    expect(result.logs.count).toBeGreaterThan(0);
    expect(result.logs.sample[0].message).toContain('ERROR');
    expect(callsOf(calls, 'UpdateService')).toHaveLength(1);
  });

  it.concurrent('wrong-version: exit 1, the version smoke check failed', async () => {
    const { run, result, calls } = await deployIn({ scenario: 'wrong-version' });

    expectRolledBack(run, result, calls);
    expect(result.failure.phase).toBe('smoke');
    expect(smokeCheck(result, 'version')).toMatchObject({ status: 'fail', severity: 'fail' });
    expect(smokeCheck(result, 'version').reason).toContain(`expected ${String(result.sha)}`);
  });

  it.concurrent('leaky-errors: exit 1, the error_format smoke check failed', async () => {
    const { run, result, calls } = await deployIn({ scenario: 'leaky-errors' });

    expectRolledBack(run, result, calls);
    expect(result.failure.phase).toBe('smoke');
    expect(smokeCheck(result, 'error_format')).toMatchObject({ status: 'fail' });
    expect(smokeCheck(result, 'error_format').reason).toMatch(/stack trace/);
    // What the app leaked is named, never echoed into the result.
    expect(run.stdout).not.toContain('jane.doe@example.com');
  });

  it.concurrent('no-https-redirect: exit 1, the https smoke check failed', async () => {
    const { run, result, calls } = await deployIn({ scenario: 'no-https-redirect' });

    expectRolledBack(run, result, calls);
    expect(result.failure.phase).toBe('smoke');
    expect(smokeCheck(result, 'https')).toMatchObject({ status: 'fail' });
  });

  it.concurrent('slow-app: exit 0 with a response_time warning', async () => {
    // Prepare: the app answers after 600 ms; the limit is 300 ms.
    const edit = (s: JsonDoc) => (s.smoke = { ...s.smoke, maxResponseTime: '300ms' });

    // Act
    const { run, result, calls } = await deployIn({ scenario: 'slow-app', slowAppMs: 600, edit });

    // Assess
    expect(run.code).toBe(0);
    expect(result).toMatchObject({ ok: true, outcome: 'succeeded', finalTaskDefinition: REV2 });
    expect(smokeCheck(result, 'response_time')).toMatchObject({ status: 'warn', severity: 'warn' });
    expect(result.smoke.filter((s: { status: string }) => s.status === 'fail')).toEqual([]);
    expect(callsOf(calls, 'UpdateService')).toHaveLength(1);
  });

  it.concurrent('throttling: exit 0; the SDK retried every throttled call', async () => {
    const { run, result, calls } = await deployIn({ scenario: 'throttling' });

    expect(run.code).toBe(0);
    expect(result).toMatchObject({ ok: true, outcome: 'succeeded', finalTaskDefinition: REV2 });
    const throttled = expectRetried(calls, (s) => s === 400);
    expect(throttled.length).toBeGreaterThan(0);
    expect(
      throttled.every((c) => ['DescribeServices', 'DescribeTargetHealth', 'FilterLogEvents'].includes(c.operation)),
    ).toBe(true);
    expect(answered(calls, 'RegisterTaskDefinition')).toHaveLength(1);
    expect(callsOf(calls, 'UpdateService')).toHaveLength(1);
  });

  it.concurrent('server-errors: exit 0; the SDK retried every 500 and 503', async () => {
    const { run, result, calls } = await deployIn({ scenario: 'server-errors' });

    expect(run.code).toBe(0);
    expect(result).toMatchObject({ ok: true, outcome: 'succeeded', finalTaskDefinition: REV2 });
    const failed = expectRetried(calls, (s) => s >= 500);
    expect(failed.map((c) => c.status)).toEqual(expect.arrayContaining([500, 503]));
    // A retried registration still makes exactly one revision, and the service is updated once.
    expect(answered(calls, 'RegisterTaskDefinition')).toHaveLength(1);
    expect(answered(calls, 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([REV2]);
  });
});
