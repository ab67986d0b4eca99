/**
 * Promotion between environments, end to end: the built CLI on the simulator, whose world has a
 * staging service (its own cluster) that `backend` promotes from, and a fake GitHub with the
 * images' commits. What production ends up running is read back from ECS (the simulator).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { jsonOf, startE2eWorld, WRITE_OPERATIONS, type E2eWorld } from './helpers';

describe('promotion from staging to production, on the simulator', () => {
  let e: E2eWorld;
  let original: string;
  const image = (i: number) => e.world.images[i];

  /** The configured container's image, as the service's running task definition has it. */
  const runningImage = async (service: string): Promise<string> => {
    const status = jsonOf(await e.cli(['status', service, '--json']));
    return status.image as string;
  };

  /** Sets `services.backend.promotion.require` in the config file. */
  const requirePolicy = (policy: string) => {
    const doc = parseDocument(original);
    doc.setIn(['services', 'backend', 'promotion'], { require: policy });
    writeFileSync(e.configPath, doc.toString());
  };

  beforeAll(async () => {
    e = await startE2eWorld({ staging: true, edit: (backend) => (backend.promotion = { require: 'verified' }) });
    original = readFileSync(e.configPath, 'utf8');
    // Staging verifies release 2: a successful deploy there.
    const staged = await e.cli(['deploy', 'backend-staging', image(1).tag, '--json']);
    expect(staged.code).toBe(0);
  });
  afterAll(async () => {
    await e.close();
  });
  afterEach(() => {
    writeFileSync(e.configPath, original);
    e.world.setScenario('healthy');
  });

  it('deploy --from promotes the exact digest staging runs, with its changes and who verified it', async () => {
    // Act
    const run = await e.cli(['deploy', 'backend', '--from', 'backend-staging', '--json']);

    // Assess
    expect(run.code).toBe(0);
    const result = jsonOf(run);
    const staging = await runningImage('backend-staging');
    expect(staging).toContain(`@${image(1).digest}`);
    expect(await runningImage('backend')).toBe(staging);
    expect(result.digest).toBe(image(1).digest);
    expect(result.sha).toBe(image(1).tag);
    expect(result.promotion).toMatchObject({ source: 'backend-staging', verdict: 'ok', digest: image(1).digest });
    expect(result.promotion.message).toMatch(
      new RegExp(
        `^promoting ${image(1).tag} \\(digest ${image(1).digest.slice(7, 19)}\\), verified on backend-staging .+ ago by `,
      ),
    );
    expect(result.changes).toMatchObject({ status: 'ahead', baseSha: image(0).tag, headSha: image(1).tag, aheadBy: 4 });
    expect(run.stderr).toContain('promoting');
  });

  it('a freeze refuses a promotion like any deploy (exit 4, frozen)', async () => {
    expect((await e.cli(['freeze', 'set', 'backend', '--for', '1h', '--reason', 'launch day'])).code).toBe(0);
    try {
      const run = await e.cli(['deploy', 'backend', '--from', 'backend-staging', '--json']);

      expect(run.code).toBe(4);
      expect(jsonOf(run).error.code).toBe('frozen');
    } finally {
      await e.cli(['freeze', 'clear', 'backend']);
    }
  });

  it('require: verified refuses a SHA staging never verified (exit 4), saying where it was last seen', async () => {
    // Arrange: release 3 reached staging, but its deploy there failed and was rolled back.
    e.world.setScenario('circuit-breaker');
    const failed = await e.cli(['deploy', 'backend-staging', image(2).tag, '--force']);
    e.world.setScenario('healthy');
    expect(failed.code).toBe(1);
    const before = await runningImage('backend');
    e.world.clearCalls();

    // Act
    const run = await e.cli(['deploy', 'backend', image(2).tag, '--json']);

    // Assess
    expect(run.code).toBe(4);
    const result = jsonOf(run);
    expect(result.outcome).toBe('refused');
    expect(result.error.code).toBe('promotion_unverified');
    expect(result.error.message).toMatch(
      /has no verified deploy on backend-staging: last seen on backend-staging .+ ago \(rolled back\)/,
    );
    expect(result.error.message).toContain('An override needs --force and a second person');
    expect(e.world.calls().filter((c) => WRITE_OPERATIONS.includes(c.operation))).toEqual([]);
    expect(await runningImage('backend')).toBe(before);
  });

  it('--force without a second person is refused too (exit 4), pointing at the approval', async () => {
    const run = await e.cli(['deploy', 'backend', image(2).tag, '--force', '--json']);

    expect(run.code).toBe(4);
    expect(jsonOf(run).error.code).toBe('approval_required');
    expect(jsonOf(run).error.message).toContain('/deploy backend from backend-staging force');
  });

  it('require: warn says the same and deploys', async () => {
    requirePolicy('warn');

    const run = await e.cli(['deploy', 'backend', image(2).tag, '--json']);

    expect(run.code).toBe(0);
    expect(jsonOf(run).promotion).toMatchObject({ verdict: 'warned', verified: null });
    expect(run.stderr).toContain(
      `${image(2).tag} (digest ${image(2).digest.slice(7, 19)}) has no verified deploy on backend-staging`,
    );
    expect(await runningImage('backend')).toContain(image(2).digest);
  });

  it('require: off says nothing', async () => {
    requirePolicy('off');

    // Release 1 was seeded, never deployed by ecs-chatops: unverified.
    const run = await e.cli(['deploy', 'backend', image(0).tag, '--json']);

    expect(run.code).toBe(0);
    expect(jsonOf(run).promotion.verdict).toBe('silent');
    expect(run.stderr).not.toContain('backend-staging');
  });
  it('status shows the pipeline: each environment, who verified it, and how far production lags', async () => {
    // Staging verifies release 3 at last; production runs release 1 (the off test deployed it).
    expect((await e.cli(['deploy', 'backend-staging', image(2).tag])).code).toBe(0);

    const run = await e.cli(['status', 'backend']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`backend-staging\\s+${image(2).tag}\\s+digest ${image(2).digest.slice(7, 19)}\\s+verified`),
    );
    expect(run.stdout).toMatch(new RegExp(`backend\\s+${image(0).tag}\\s+digest`));
    expect(run.stdout).toContain('backend is behind backend-staging by 7 commits');

    const offline = await e.start(['status', 'backend'], { env: { GITHUB_API_URL: 'http://127.0.0.1:1' } }).done;
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/backend is behind backend-staging by unknown \(GitHub unreachable/);
  });
});
