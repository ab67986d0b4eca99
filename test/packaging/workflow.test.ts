import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

const ROOT = join(__dirname, '..', '..');

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: {
    push: { branches: string[]; paths: string[] };
    workflow_dispatch: { inputs: Record<string, { type: string; default?: unknown }> };
  };
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  env: Record<string, string>;
  jobs: Record<string, { steps: Step[]; environment?: string }>;
}

const text = readFileSync(join(ROOT, 'examples', 'github-actions', 'deploy.yml'), 'utf8');
const workflow = parseYaml(text) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const byId = (id: string): Step => {
  const step = steps.find((s) => s.id === id);
  if (!step) throw new Error(`no step with id ${id}`);
  return step;
};
const uses = (action: string): Step | undefined => steps.find((s) => s.uses?.startsWith(`${action}@`));

/** Runs a step's script the way GitHub's default bash shell does; resolves with its exit code. */
function runStep(script: string, cwd: string, env: Record<string, string>): Promise<number> {
  const file = join(cwd, 'step.sh');
  writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd, env, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? -1));
  });
}

describe('examples/github-actions/deploy.yml', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecs-chatops-workflow-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs on pushes to master that touch the backend, and by hand with a skip_smoke switch', () => {
    expect(workflow.on.push.branches).toEqual(['master']);
    expect(workflow.on.push.paths).toEqual(['packages/backend/**']);
    expect(workflow.on.workflow_dispatch.inputs.skip_smoke).toMatchObject({ type: 'boolean', default: false });
  });

  it('gets AWS credentials through OIDC, never from stored keys', () => {
    expect(workflow.permissions['id-token']).toBe('write');
    expect(uses('aws-actions/configure-aws-credentials')?.uses).toBe('aws-actions/configure-aws-credentials@v4');
    expect(uses('aws-actions/configure-aws-credentials')?.with?.['role-to-assume']).toEqual(
      expect.stringMatching(/\$\{\{\s*vars\.\w+\s*\}\}/),
    );
    expect(uses('aws-actions/amazon-ecr-login')?.uses).toBe('aws-actions/amazon-ecr-login@v2');
    expect(text).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-secret-access-key/);
  });

  it('never runs two deploys of the service at once, and never cancels one halfway', () => {
    expect(workflow.concurrency.group).toMatch(/backend/);
    // A per-commit group would let two pushes deploy side by side.
    expect(workflow.concurrency.group).not.toMatch(/github\.(sha|run_id|ref)\b/);
    expect(workflow.concurrency['cancel-in-progress']).toBe(false);
  });

  it('passes expressions to scripts through env only (no ${{ }} inside a run script)', () => {
    for (const step of steps.filter((s) => s.run))
      expect({ step: step.name, run: step.run }).toEqual({ step: step.name, run: expect.not.stringContaining('${{') });
  });

  it('tags the image with the 7-character short SHA', async () => {
    const output = join(dir, 'output');
    const code = await runStep(byId('git').run!, dir, {
      PATH: process.env.PATH ?? '',
      GITHUB_SHA: 'abcdef1234567890abcdef1234567890abcdef12',
      GITHUB_OUTPUT: output,
    });
    expect(code).toBe(0);
    const lines = readFileSync(output, 'utf8');
    expect(lines).toMatch(/^short_sha=abcdef1$/m);
    expect(lines).toMatch(/^sha=abcdef1234567890abcdef1234567890abcdef12$/m);
    expect(lines).toMatch(/^build_time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
  });

  it('builds with GIT_SHA and BUILD_TIME and pushes the short-SHA tag', () => {
    const buildStep = steps.find((s) => (s.run ?? '').includes('docker build'))!;
    expect(buildStep.run).toMatch(/--build-arg GIT_SHA=/);
    expect(buildStep.run).toMatch(/--build-arg BUILD_TIME=/);
    expect(buildStep.run).toMatch(/--tag "\$IMAGE:\$SHORT_SHA"/);
    expect(buildStep.env?.SHORT_SHA).toMatch(/steps\.git\.outputs\.short_sha/);
    const pushStep = steps.find((s) => (s.run ?? '').includes('docker push'))!;
    expect(pushStep.run).toMatch(/"\$IMAGE:\$SHORT_SHA"/);
    expect(steps.indexOf(pushStep)).toBeLessThan(steps.indexOf(byId('deploy')));
  });

  it('installs ecs-chatops before using it', () => {
    const install = steps.findIndex((s) => /npm (install|i) (--global|-g)\b/.test(s.run ?? ''));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(install).toBeLessThan(steps.indexOf(byId('deploy')));
  });

  describe('the deploy step', () => {
    const deploy = byId('deploy');

    it('runs ecs-chatops deploy with the Slack thread and the JSON result', () => {
      expect(deploy.run).toMatch(/ecs-chatops deploy "\$SERVICE" "\$SHORT_SHA"/);
      expect(deploy.run).toMatch(/--notify-slack "\$DEPLOY_CHANNEL"/);
      expect(deploy.run).toMatch(/--json > deploy-result\.json/);
      expect(deploy.run).toMatch(/--config ecs-chatops\.yml/);
      expect(deploy.env?.SLACK_BOT_TOKEN).toBe('${{ secrets.SLACK_BOT_TOKEN }}');
      expect(deploy.env?.DEPLOY_CHANNEL).toBe('${{ vars.DEPLOY_CHANNEL }}');
      expect(workflow.env.SERVICE).toBe('backend');
    });

    it("deploys through the bot's DynamoDB table, waiting up to 10 minutes for its lock", () => {
      expect(deploy.env?.ECS_CHATOPS_STORE).toBe("dynamodb://${{ vars.ECS_CHATOPS_TABLE || 'ecs-chatops' }}");
      expect(deploy.env?.ECS_CHATOPS_DB).toBeUndefined();
      expect(deploy.run).toMatch(/--wait-for-lock 10m/);
    });

    async function runDeploy(exitCode: number, skipSmoke: string) {
      const bin = join(dir, 'bin');
      const argsFile = join(dir, 'args');
      mkdirSync(bin);
      // A stand-in CLI: records its arguments, prints a result, exits as told.
      writeFileSync(
        join(bin, 'ecs-chatops'),
        `#!/usr/bin/env bash\nprintf '%s\\n' "$@" > "${argsFile}"\necho '{"ok":false,"exitCode":${exitCode}}'\nexit ${exitCode}\n`,
      );
      chmodSync(join(bin, 'ecs-chatops'), 0o755);
      const output = join(dir, 'output');
      const code = await runStep(deploy.run!, dir, {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        SERVICE: 'backend',
        SHORT_SHA: 'abcdef1',
        DEPLOY_CHANNEL: 'C0DEPLOYS',
        SLACK_BOT_TOKEN: 'xoxb-test',
        SKIP_SMOKE: skipSmoke,
        GITHUB_OUTPUT: output,
      });
      return {
        code,
        args: readFileSync(argsFile, 'utf8').trim().split('\n'),
        output: readFileSync(output, 'utf8'),
        result: readFileSync(join(dir, 'deploy-result.json'), 'utf8'),
      };
    }

    it.each([
      [0, 'deploy verified'],
      [1, 'rolled back'],
      [3, 'a person must look'],
      [4, 'still locked after the wait'],
    ])(
      'ends the step with the CLI exit code %i (%s), which fails the job when not 0, and records it',
      async (exitCode) => {
        const run = await runDeploy(exitCode, '');
        expect(run.code).toBe(exitCode);
        expect(run.output).toContain(`exit_code=${exitCode}\n`);
        expect(JSON.parse(run.result)).toEqual({ ok: false, exitCode });
        expect(run.args).toEqual([
          'deploy',
          'backend',
          'abcdef1',
          '--config',
          'ecs-chatops.yml',
          '--notify-slack',
          'C0DEPLOYS',
          '--wait-for-lock',
          '10m',
          '--json',
        ]);
      },
    );

    it('adds --skip-smoke only when the dispatch asked for it', async () => {
      const run = await runDeploy(0, 'true');
      expect(run.args).toContain('--skip-smoke');
      expect(deploy.env?.SKIP_SMOKE).toMatch(/inputs\.skip_smoke/);
    });
  });

  it('writes the summary and uploads the report even when the deploy failed', () => {
    const summary = byId('summary');
    expect(summary.if).toMatch(/always\(\)/);
    expect(summary.env?.EXIT_CODE).toMatch(/steps\.deploy\.outputs\.exit_code/);
    const script = /node\s+\.ecs-chatops\/(\S+)/.exec(summary.run ?? '');
    expect(script).not.toBeNull();
    expect(existsSync(join(ROOT, script![1]))).toBe(true);
    const upload = uses('actions/upload-artifact')!;
    expect(upload.if).toMatch(/always\(\)/);
    expect(String(upload.with?.path)).toContain('deploy-result.json');
    expect(String(upload.with?.path)).toMatch(/steps\.summary\.outputs\.report_path/);
    expect(steps.indexOf(upload)).toBeGreaterThan(steps.indexOf(summary));
  });
});
