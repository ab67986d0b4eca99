/**
 * Bad input typed at a real terminal (the CLI as a child process): exit 2, a message on stderr,
 * with --json exactly one JSON object on stdout, and not a single AWS call. Each case gets its own
 * simulated world so that any call is blamed on the right command line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { WRITE_OPERATIONS, callsOf, closeOpenWorlds, inE2eWorld, jsonOf, type E2eWorld } from './helpers';

afterAll(closeOpenWorlds);

const inWorld = <T>(body: (e: E2eWorld) => Promise<T>): Promise<T> => inE2eWorld({}, body);

const HUGE = 'a'.repeat(10 * 1024);
const GOOD_SHA = 'GOOD_SHA';

/** [what, argv]; GOOD_SHA stands for a tag that exists in the simulated ECR. */
const CASES: [string, string[]][] = [
  ['an unknown service', ['deploy', 'nope', GOOD_SHA]],
  ['a SHA that is not 7-40 hex', ['deploy', 'backend', 'xyz123']],
  ['a SHA with a shell command after it', ['deploy', 'backend', 'abc1234;rm -rf /']],
  ['a command substitution', ['deploy', 'backend', '$(id)']],
  ['an empty SHA', ['deploy', 'backend', '']],
  ['an empty service', ['deploy', '', GOOD_SHA]],
  ['a 10 KB SHA', ['deploy', 'backend', HUGE]],
  ['a 10 KB service', ['deploy', HUGE, GOOD_SHA]],
  ['a missing SHA', ['deploy', 'backend']],
  ['a rollback target with a backtick', ['rollback', 'backend', '--to', '`id`']],
  ['a stop of an unknown service', ['stop', 'nope', '--reason', 'x', '--yes']],
  ['a stop without --yes and without a terminal', ['stop', 'backend', '--reason', 'x']],
  ['a restart with no kept count', ['restart', 'backend', '--yes']],
  ['a restart with a count that is not a number', ['restart', 'backend', '--count', '2;reboot', '--yes']],
];

describe('bad input over the wire', () => {
  it.concurrent.each(CASES)('%s: exit 2, a message, one JSON object and zero AWS calls', async (_what, argv) => {
    await inWorld(async (e) => {
      // Prepare
      const args = argv.map((a) => (a === GOOD_SHA ? e.world.images[1].tag : a));

      // Act
      const run = await e.cli([...args, '--json']);

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^ecs-chatops: \S/m);
      // A huge argument is never echoed back whole.
      expect(run.stderr.length).toBeLessThan(2000);
      expect(run.stdout.length).toBeLessThan(4000);
      const result = jsonOf(run);
      expect(result).toMatchObject({ ok: false, exitCode: 2, outcome: 'invalid' });
      expect(typeof result.error.message).toBe('string');
      expect(e.world.calls()).toEqual([]);
    });
  });

  it.concurrent('without --json the same mistake prints nothing on stdout', async () => {
    await inWorld(async (e) => {
      const run = await e.cli(['deploy', 'backend', 'abc1234;rm -rf /']);

      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('shell metacharacter');
      expect(e.world.calls()).toEqual([]);
    });
  });

  it.concurrent('an image tag that is not in ECR: exit 2 naming repository and tag, no write', async () => {
    await inWorld(async (e) => {
      const run = await e.cli(['deploy', 'backend', 'deadbee', '--json']);

      expect(run.code).toBe(2);
      const result = jsonOf(run);
      expect(result).toMatchObject({ ok: false, exitCode: 2, outcome: 'invalid' });
      expect(result.error.code).toBe('image_not_found');
      expect(result.error.message).toContain('demo-backend');
      expect(result.error.message).toContain('deadbee');
      expect(e.world.calls().filter((c) => WRITE_OPERATIONS.includes(c.operation))).toEqual([]);
    });
  });

  it.concurrent(
    'a database file that is not a database: exit 2 naming the store, one log line, no AWS write',
    async () => {
      await inWorld(async (e) => {
        mkdirSync(dirname(e.env.ECS_CHATOPS_DB), { recursive: true });
        writeFileSync(e.env.ECS_CHATOPS_DB, 'not a database '.repeat(100));

        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);

        expect(run.code).toBe(2);
        expect(jsonOf(run)).toMatchObject({ ok: false, exitCode: 2, error: { code: 'store_error' } });
        expect(run.stderr).toContain('store: opening the database file failed: file is not a database');
        expect(run.stderr).not.toContain('closing the runtime failed');
        expect(e.world.calls().filter((c) => WRITE_OPERATIONS.includes(c.operation))).toEqual([]);
      });
    },
  );

  it.concurrent('--dry-run: exit 0, the plan, and no write call', async () => {
    await inWorld(async (e) => {
      // Prepare
      const image = e.world.images[1];

      // Act
      const run = await e.cli(['deploy', 'backend', image.tag, '--dry-run', '--json']);

      // Assess
      expect(run.code).toBe(0);
      const result = jsonOf(run);
      expect(result.ok).toBe(true);
      expect(result.dryRun).toMatchObject({
        digest: image.digest,
        fromTaskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:1',
      });
      expect(result.dryRun.diff.join('\n')).toContain(image.digest);
      const calls = e.world.calls();
      // One image lookup by tag (the target); the changes may also read the running digest's tags.
      const byTag = callsOf(calls, 'DescribeImages').filter((c) => JSON.stringify(c.params).includes('imageTag'));
      expect(byTag).toHaveLength(1);
      expect(calls.filter((c) => WRITE_OPERATIONS.includes(c.operation))).toEqual([]);
    });
  });
});
