import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface JobSummaryModule {
  renderJobSummary(result: unknown, exitCode?: number): string;
  main(argv: string[], env: Record<string, string | undefined>): number;
}
// Plain JavaScript run by `node` in CI, so it is loaded, not imported.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script without types
const { renderJobSummary, main } = require('../../examples/github-actions/job-summary.js') as JobSummaryModule;

/** A deploy that failed its smoke tests and was rolled back, as `--json` prints it. */
const ROLLED_BACK = {
  ok: false,
  kind: 'deploy',
  outcome: 'rolled_back',
  exitCode: 1,
  deployId: 'd-42',
  service: 'backend',
  sha: 'abc1234',
  digest: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  fromTaskDefinition: 'mentalspace-backend-prod:41',
  toTaskDefinition: 'mentalspace-backend-prod:42',
  finalTaskDefinition: 'mentalspace-backend-prod:41',
  phases: [
    {
      name: 'rollout',
      status: 'ok',
      startedAt: '2025-01-21T14:30:00Z',
      finishedAt: '2025-01-21T14:33:12Z',
      detail: '2/2 on rev 42',
    },
    {
      name: 'smoke',
      status: 'failed',
      startedAt: '2025-01-21T14:33:12Z',
      finishedAt: '2025-01-21T14:33:20Z',
      detail: 'readiness | expected ready=true\ngot false',
    },
    {
      name: 'rollback',
      status: 'ok',
      startedAt: '2025-01-21T14:33:20Z',
      finishedAt: '2025-01-21T14:35:00Z',
      detail: 'back on rev 41, verified',
    },
  ],
  smoke: [{ name: 'readiness', severity: 'fail', status: 'fail', ms: 120, reason: 'ready was false' }],
  failure: { phase: 'smoke', reason: 'readiness failed' },
  summary: 'backend abc1234 failed smoke tests; rolled back to rev 41 (verified)',
  startedAt: '2025-01-21T14:30:00Z',
  finishedAt: '2025-01-21T14:35:00Z',
  error: null,
  reportPath: 'deployment-reports/deploy-d-42.md',
};

describe('examples/github-actions/job-summary.js', () => {
  describe('renderJobSummary', () => {
    it('leads with the outcome and explains the exit code', () => {
      const md = renderJobSummary(ROLLED_BACK, 1);
      expect(md.split('\n')[0]).toBe('## ↩️ Deploy rolled_back: backend abc1234');
      expect(md).toContain(
        '| Outcome | rolled_back (exit 1: failed; the automatic rollback restored the previous release (verified)) |',
      );
      expect(md).toContain('> backend abc1234 failed smoke tests; rolled back to rev 41 (verified)');
      expect(md).toContain('| Task definition | mentalspace-backend-prod:41 → mentalspace-backend-prod:42 |');
      expect(md).toContain('| Running now | mentalspace-backend-prod:41 |');
      expect(md).toContain('| Took | 5m00s |');
      expect(md).toContain('| Image digest | sha256:0123456789ab… |');
      expect(md).toContain('**Failed in smoke:** readiness failed');
    });

    it('lists the phases and smoke checks as tables a pipe or newline cannot break', () => {
      const md = renderJobSummary(ROLLED_BACK, 1);
      expect(md).toContain('| rollout | ok | 3m12s | 2/2 on rev 42 |');
      expect(md).toContain('| smoke | failed | 8s | readiness \\| expected ready=true got false |');
      expect(md).toContain('| readiness | fail | fail | 120 | ready was false |');
      expect(md).toContain('`deployment-reports/deploy-d-42.md`');
    });

    it('calls for a person when the rollback failed', () => {
      const md = renderJobSummary({ ...ROLLED_BACK, outcome: 'rollback_failed', exitCode: 3 }, 3);
      expect(md.split('\n')[0]).toBe('## 🚨 Deploy rollback_failed: backend abc1234');
      expect(md).toContain('a person must look now');
    });

    it('bounds long text', () => {
      const md = renderJobSummary({ ...ROLLED_BACK, summary: 'x'.repeat(5000) }, 1);
      expect(md.split('\n').every((line) => line.length < 1000)).toBe(true);
    });

    it('says so when the CLI printed no result', () => {
      const md = renderJobSummary(null, 3);
      expect(md).toContain('ecs-chatops printed no result (exit 3');
    });
  });

  describe('main', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'ecs-chatops-summary-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('appends the summary and hands on the report path when the report exists', () => {
      const report = join(dir, 'report.md');
      writeFileSync(report, '# report\n');
      const resultFile = join(dir, 'deploy-result.json');
      writeFileSync(resultFile, JSON.stringify({ ...ROLLED_BACK, reportPath: report }));
      const env = { GITHUB_STEP_SUMMARY: join(dir, 'summary'), GITHUB_OUTPUT: join(dir, 'output'), EXIT_CODE: '1' };
      expect(main([resultFile], env)).toBe(0);
      expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toMatch(/^## ↩️ Deploy rolled_back/);
      expect(readFileSync(env.GITHUB_OUTPUT, 'utf8')).toBe(`report_path=${report}\n`);
    });

    it('writes no output for a report path that would forge another output', () => {
      const resultFile = join(dir, 'deploy-result.json');
      writeFileSync(resultFile, JSON.stringify({ ...ROLLED_BACK, reportPath: `${dir}\nevil=1` }));
      const env = { GITHUB_STEP_SUMMARY: join(dir, 'summary'), GITHUB_OUTPUT: join(dir, 'output'), EXIT_CODE: '1' };
      expect(main([resultFile], env)).toBe(0);
      expect(() => readFileSync(env.GITHUB_OUTPUT, 'utf8')).toThrow();
    });

    it('never fails the job on an empty result file', () => {
      const resultFile = join(dir, 'deploy-result.json');
      writeFileSync(resultFile, '');
      const env = { GITHUB_STEP_SUMMARY: join(dir, 'summary'), EXIT_CODE: '3' };
      expect(main([resultFile], env)).toBe(0);
      expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toContain('printed no result (exit 3');
    });
  });
});
