/**
 * The built CLI against the simulator's blue/green service (test listener, PAUSE hook after the
 * test-traffic shift): production moves only after our checks pass and someone promotes; a
 * failure on test traffic never reaches production; a failure during the bake switches back to
 * blue; a pause nobody answers times out.
 */
import { answered, callsOf, closeOpenWorlds, inE2eWorld, jsonOf, productionSha, watchProductionSha } from './helpers';
import type { JsonDoc } from '../json';

const REV1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:1';
const REV2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:2';
const MINUTE_MS = 3000;

afterAll(closeOpenWorlds);

const autoContinue = (on: boolean) => (s: JsonDoc) => {
  s.blueGreen = { autoContinue: on };
};

describe('blue/green deploys through the CLI', () => {
  it.concurrent(
    'blue-green: waits at the pause with production on blue, `promote` shifts it, the bake passes, exit 0 on green',
    async () => {
      await inE2eWorld({ scenario: 'blue-green', minuteMs: MINUTE_MS }, async (e) => {
        // Prepare
        const [oldSha, newSha] = [e.world.images[0].sha, e.world.images[1].sha];
        const deploy = e.start(['deploy', 'backend', e.world.images[1].tag, '--wait-for-promotion', '--json']);
        for (let i = 0; i < 300 && !deploy.stderr().includes('ecs-chatops promote backend'); i += 1)
          await new Promise((r) => setTimeout(r, 50));
        expect(deploy.stderr()).toContain('checks on test traffic');
        expect(await productionSha(e)).toBe(oldSha);
        const status = await e.cli(['status', 'backend']);
        expect(status.stdout).toMatch(/paused: .* at POST_TEST_TRAFFIC_SHIFT/);
        expect(status.stdout).toMatch(/hook expires: +\d{4}-/);

        // Act
        const promote = await e.cli(['promote', 'backend']);

        // Assess
        expect(promote.code).toBe(0);
        const run = await deploy.done;
        expect(run.code).toBe(0);
        expect(jsonOf(run)).toMatchObject({ outcome: 'succeeded', finalTaskDefinition: REV2 });
        expect(await productionSha(e)).toBe(newSha);
        expect(
          answered(e.world.calls(), 'ContinueServiceDeployment').map((c) => c.params.action ?? 'CONTINUE'),
        ).toEqual(['CONTINUE']);
        expect(run.stderr).toMatch(/BAKE_TIME/);
      });
    },
  );

  it.concurrent(
    'blue-green-test-fail: green fails on test traffic; the hook is answered ROLLBACK and production never serves green',
    async () => {
      await inE2eWorld(
        { scenario: 'blue-green-test-fail', minuteMs: MINUTE_MS, edit: autoContinue(true) },
        async (e) => {
          const newSha = e.world.images[1].sha;
          const production = watchProductionSha(e);
          const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);
          const seen = await production.stop();
          const result = jsonOf(run);
          expect(run.code).toBe(1);
          expect(result).toMatchObject({ outcome: 'rolled_back', finalTaskDefinition: REV1 });
          expect(result.failure.reason).toContain('production traffic never moved to green');
          expect(seen.has(newSha)).toBe(false);
          // Exactly one rollback asked of ECS: the hook's ROLLBACK when the checks ran at the pause, or a
          // stop with rollback when they ran at POST_TEST_TRAFFIC_SHIFT before the hook showed as waiting.
          const rollbacks = [
            ...answered(e.world.calls(), 'ContinueServiceDeployment').map((c) => `continue ${String(c.params.action)}`),
            ...callsOf(e.world.calls(), 'StopServiceDeployment').map(
              (c) => `stop ${(c.params.stopType as string | undefined) ?? 'ROLLBACK'}`,
            ),
          ];
          expect(rollbacks.length === 1 && rollbacks[0].endsWith('ROLLBACK')).toBe(true);
          expect(callsOf(e.world.calls(), 'UpdateService')).toHaveLength(1);
        },
      );
    },
  );

  it.concurrent(
    'blue-green-bake-fail: green goes bad in the bake; ecs-chatops switches production back to blue and says for how long it served green',
    async () => {
      await inE2eWorld({ scenario: 'blue-green-bake-fail', minuteMs: 20_000, edit: autoContinue(true) }, async (e) => {
        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);
        const result = jsonOf(run);
        expect(run.code).toBe(1);
        expect(result).toMatchObject({ outcome: 'rolled_back', finalTaskDefinition: REV1 });
        expect(result.failure.reason).toMatch(/production traffic was on the failed release for \d+s/);
        expect(callsOf(e.world.calls(), 'StopServiceDeployment').map((c) => c.params.stopType)).toEqual(['ROLLBACK']);
        expect(await productionSha(e)).toBe(e.world.images[0].sha);
      });
    },
  );

  it.concurrent(
    'blue-green-hook-timeout: nobody answers; ECS applies ROLLBACK at expiry; exit 1 saying so',
    async () => {
      await inE2eWorld({ scenario: 'blue-green-hook-timeout', minuteMs: MINUTE_MS }, async (e) => {
        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);
        const result = jsonOf(run);
        expect(run.code).toBe(1);
        expect(result).toMatchObject({ outcome: 'rolled_back', finalTaskDefinition: REV1 });
        expect(result.failure.reason).toContain('nobody answered the pause before it expired');
        expect(callsOf(e.world.calls(), 'ContinueServiceDeployment')).toHaveLength(0);
        expect(await productionSha(e)).toBe(e.world.images[0].sha);
      });
    },
  );
});
