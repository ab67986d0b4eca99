/**
 * The built CLI against the simulator's blue/green service: a deploy whose process is SIGKILLed
 * right after its UpdateService is resumed by `recover` once its lease ran out, and followed stage
 * by stage: the checks on test traffic, the pause (autoContinue), the bake, or a rollback at the
 * pause that never lets production reach green.
 */
import {
  answered,
  callsOf,
  closeOpenWorlds,
  inE2eWorld,
  jsonOf,
  productionSha,
  waitForCall,
  watchProductionSha,
  type E2eWorld,
} from './helpers';
import type { JsonDoc } from '../json';

jest.setTimeout(90_000);

const REV1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:1';
const REV2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:2';
const LEASE_TTL_MS = 2_000;

afterAll(closeOpenWorlds);

const autoContinue = (s: JsonDoc) => {
  s.blueGreen = { autoContinue: true };
};

/** Starts a deploy and kills its process as soon as it has updated the service; waits out its lease. */
async function deployKilledAfterUpdate(e: E2eWorld): Promise<void> {
  e.env.ECS_CHATOPS_LEASE_TTL = `${LEASE_TTL_MS / 1000}s`;
  // One machine, one clock: no skew to allow for before a takeover.
  e.env.ECS_CHATOPS_CLOCK_SKEW = '0s';
  const killed = e.start(['deploy', 'backend', e.world.images[1].tag]);
  await waitForCall(e.world, (c) => c.operation === 'UpdateService');
  killed.child.kill('SIGKILL');
  expect((await killed.done).signal).toBe('SIGKILL');
  await new Promise((r) => setTimeout(r, LEASE_TTL_MS + 500));
}

describe('e2e: a blue/green deploy resumed by `recover` after its process was killed', () => {
  it.concurrent(
    'blue-green: the resumed deploy checks test traffic, continues at the pause by itself and ends on green',
    async () => {
      await inE2eWorld({ scenario: 'blue-green', minuteMs: 3000, edit: autoContinue }, async (e) => {
        // Prepare
        await deployKilledAfterUpdate(e);

        // Act
        const run = await e.cli(['recover', '--json']);

        // Assess
        expect(run.code).toBe(0);
        expect(jsonOf(run).resumed).toEqual([
          expect.objectContaining({ outcome: 'succeeded', finalTaskDefinition: REV2 }),
        ]);
        expect(run.stderr).toContain('checks on test traffic');
        expect(
          answered(e.world.calls(), 'ContinueServiceDeployment').map((c) => c.params.action ?? 'CONTINUE'),
        ).toEqual(['CONTINUE']);
        expect(callsOf(e.world.calls(), 'UpdateService')).toHaveLength(1);
        expect(await productionSha(e)).toBe(e.world.images[1].sha);
      });
    },
  );

  it.concurrent(
    'blue-green-test-fail: the resumed deploy fails green on test traffic and rolls back; production never serves green',
    async () => {
      await inE2eWorld({ scenario: 'blue-green-test-fail', minuteMs: 3000, edit: autoContinue }, async (e) => {
        // Prepare
        await deployKilledAfterUpdate(e);
        const production = watchProductionSha(e);

        // Act
        const run = await e.cli(['recover', '--json']);
        const seen = await production.stop();

        // Assess
        const [result] = jsonOf(run).resumed as JsonDoc[];
        expect(result).toMatchObject({ outcome: 'rolled_back', finalTaskDefinition: REV1 });
        expect(result.failure.reason).toContain('production traffic never moved to green');
        expect(seen.has(e.world.images[1].sha)).toBe(false);
        // ROLLBACK at the pause; StopServiceDeployment when the checks failed before the hook showed as waiting.
        const calls = e.world.calls();
        const rollbacks = [
          ...answered(calls, 'ContinueServiceDeployment').map((c) => c.params.action),
          ...answered(calls, 'StopServiceDeployment').map((c) => c.params.stopType),
        ];
        expect(rollbacks).toEqual(['ROLLBACK']);
        expect(callsOf(calls, 'UpdateService')).toHaveLength(1);
      });
    },
  );
});
