/**
 * The CI path end to end against the simulated AWS world: the CLI as the workflow calls it,
 * its JSON turned into the job summary, and every AWS call it made checked against the policy.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/main';
import { startSimWorld, type SimWorld } from '../../src/sim/index';

interface JobSummaryModule {
  main(argv: string[], env: Record<string, string | undefined>): number;
}
// Plain JavaScript run by `node` in CI, so it is loaded, not imported.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script without types
const summary = require('../../examples/github-actions/job-summary.js') as JobSummaryModule;

const ROOT = join(__dirname, '..', '..');
const policy = JSON.parse(readFileSync(join(ROOT, 'deploy', 'iam-policy.json'), 'utf8')) as {
  Statement: { Effect: string; Action: string[] }[];
};
/** The simulator's service names as IAM prefixes. */
const IAM_PREFIX: Record<string, string> = { ecs: 'ecs', ecr: 'ecr', logs: 'logs', elbv2: 'elasticloadbalancing' };

function sink(): { text: string; write(chunk: string): boolean } {
  return {
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe('the CI deploy path against the simulated AWS world', () => {
  const saved = { ...process.env };
  let world: SimWorld;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  /** Runs the CLI the way the workflow's deploy step does, from `dir`, with `--json`. */
  async function cli(argv: string[]): Promise<{ code: number; stdout: string }> {
    const stdout = sink();
    const code = await main([...argv, '--config', join(dir, 'ecs-chatops.yml')], {
      env,
      stdout,
      stderr: sink(),
      stdin: new PassThrough(),
    });
    return { code, stdout: stdout.text };
  }

  /** Writes the result where the workflow does and runs the job-summary step on it. */
  function summarise(stdout: string, code: number): { markdown: string; output: string } {
    const result = join(dir, 'deploy-result.json');
    writeFileSync(result, stdout);
    const files = { GITHUB_STEP_SUMMARY: join(dir, `summary-${code}`), GITHUB_OUTPUT: join(dir, `output-${code}`) };
    writeFileSync(files.GITHUB_OUTPUT, '');
    expect(summary.main([result], { ...files, EXIT_CODE: String(code) })).toBe(0);
    return {
      markdown: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
      output: readFileSync(files.GITHUB_OUTPUT, 'utf8'),
    };
  }

  beforeAll(async () => {
    world = await startSimWorld({ paceMs: 20 });
    // The AWS SDK reads its endpoint and dummy credentials from the process environment.
    Object.assign(process.env, world.env);
    dir = mkdtempSync(join(tmpdir(), 'ecs-chatops-ci-'));
    env = { ...world.env, ECS_CHATOPS_DB: join(dir, 'ci.db'), NO_COLOR: '1' };
    const config = world.configYaml.replace(
      /^reportsDir: .*$/m,
      `reportsDir: ${JSON.stringify(join(dir, 'deployment-reports'))}`,
    );
    writeFileSync(join(dir, 'ecs-chatops.yml'), config);
  });

  afterAll(async () => {
    process.env = saved;
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('summarises a verified deploy and hands its report to the artifact upload', async () => {
    const tag = world.images[1].tag;
    const run = await cli(['deploy', 'backend', tag, '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { reportPath: string };
    const { markdown, output } = summarise(run.stdout, run.code);
    expect(markdown.split('\n')[0]).toBe(`## ✅ Deploy succeeded: backend ${tag}`);
    expect(markdown).toMatch(/^\| rollout \| ok \| /m);
    expect(markdown).toMatch(/^\| smoke \| ok \| /m);
    expect(output).toBe(`report_path=${result.reportPath}\n`);
  });

  it('summarises a deploy the circuit breaker rolled back, with exit code 1', async () => {
    world.setScenario('circuit-breaker');
    const run = await cli(['deploy', 'backend', world.images[2].tag, '--json']);
    expect(run.code).toBe(1);
    const { markdown } = summarise(run.stdout, run.code);
    expect(markdown.split('\n')[0]).toBe(`## ↩️ Deploy rolled_back: backend ${world.images[2].tag}`);
    expect(markdown).toContain('(exit 1: failed; the automatic rollback restored the previous release (verified))');
  });

  it('made only AWS calls that deploy/iam-policy.json allows (config check --aws included)', async () => {
    world.setScenario('healthy');
    expect((await cli(['config', 'check', '--aws'])).code).toBe(0);
    const allowed = new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action));
    const made = new Set(world.calls().map((c) => `${IAM_PREFIX[c.service]}:${c.operation}`));
    expect(made.size).toBeGreaterThanOrEqual(11);
    expect([...made].filter((action) => !allowed.has(action))).toEqual([]);
  });
});
