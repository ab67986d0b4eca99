import {
  formatLogFindings,
  formatPhaseFinished,
  formatPhaseStarted,
  formatProgress,
  formatRollbackBanner,
  formatSummary,
  formatTargets,
} from '../../src/cli/format-progress';
import { createStyle, stripAnsi } from '../../src/cli/format-common';
import { progress, ROLLBACK_FAILED, ROLLED_BACK, SUCCEEDED } from './fixtures';

describe('Terminal formatting: phases and progress', () => {
  it('marks a finished phase ✓, ✗ or – with its elapsed time and detail', () => {
    const [ok, failed, skipped] = [SUCCEEDED.phases[1], ROLLED_BACK.phases[0], SUCCEEDED.phases[3]];
    expect(formatPhaseFinished(ok, 192_000)).toBe('✓ rollout  3m12s  COMPLETED, 2/2 on backend-prod:2');
    expect(formatPhaseFinished(failed, 239_000)).toBe('✗ rollout  3m59s  circuit breaker rolled the deployment back');
    expect(formatPhaseFinished(skipped, 0)).toBe('– smoke tests  --skip-smoke');
  });

  it('names a phase when it starts', () => {
    expect(formatPhaseStarted('resolve_image')).toBe('▸ resolve image …');
  });

  it('shows rollout progress as running/desired, pending and rollout state', () => {
    expect(formatProgress(progress(1, 2, 1) as never)).toBe('running 1/2 (pending 1) IN_PROGRESS  backend-prod:2');
  });

  it('counts target states exactly (unhealthy is not healthy) and details the ones not healthy', () => {
    const lines = formatTargets([
      { id: '10.0.1.5', port: 3000, state: 'healthy' },
      {
        id: '10.0.1.6',
        port: 3000,
        state: 'unhealthy',
        reason: 'Target.ResponseCodeMismatch',
        description: 'Health checks failed with these codes: [502]',
      },
    ]);
    expect(lines[0]).toBe('targets: 1 healthy, 1 unhealthy');
    expect(lines[1]).toBe(
      '  10.0.1.6:3000  unhealthy  Target.ResponseCodeMismatch Health checks failed with these codes: [502]',
    );
  });

  it('shows how many log lines matched and a sample, one line each', () => {
    const lines = formatLogFindings({
      pattern: 'ERROR',
      count: 2,
      truncated: false,
      sample: [{ timestamp: '2026-11-25T10:02:03Z', message: 'ERROR db timeout\n  at Pool.connect' }],
    });
    expect(lines).toEqual(['logs: 2 lines matching "ERROR"', '  10:02:03  ERROR db timeout at Pool.connect']);
  });

  it('announces a rollback with its reason and target revision', () => {
    const banner = formatRollbackBanner(
      'smoke: version mismatch',
      'arn:aws:ecs:us-east-1:1:task-definition/backend-prod:1',
    );
    expect(banner.join('\n')).toContain('ROLLING BACK to backend-prod:1');
    expect(banner.join('\n')).toContain('reason: smoke: version mismatch');
  });

  it('colours only when asked to', () => {
    const coloured = formatPhaseFinished(SUCCEEDED.phases[1], 1000, createStyle(true));
    expect(coloured).toContain('\u001b[32m✓');
    expect(stripAnsi(coloured)).toBe(formatPhaseFinished(SUCCEEDED.phases[1], 1000));
  });
});

describe('Terminal formatting: final summary', () => {
  it('says a verified deploy succeeded, what runs now, each phase’s time and the report', () => {
    const text = formatSummary(SUCCEEDED).join('\n');
    expect(text).toContain('✓ Deploy succeeded');
    expect(text).toMatch(/outcome:\s+succeeded \(exit 0\)/);
    expect(text).toMatch(/revision:\s+backend-prod:1 → backend-prod:2/);
    expect(text).toMatch(/running now:\s+backend-prod:2/);
    expect(text).toMatch(/took:\s+3m20s/);
    expect(text).toMatch(/rollout\s+ok\s+3m12s\s+COMPLETED/);
    expect(text).toMatch(/smoke tests\s+skipped\s+--skip-smoke/);
    expect(text).toContain('report: reports/deployment-20261125-100000.md');
    expect(text).not.toMatch(/failed:/);
  });

  it('names who asked for the change and, only where there was one, who approved it', () => {
    const carol = { id: 'U0CAROL', name: 'carol', via: 'slack' as const };
    const approval = {
      name: 'approval' as const,
      status: 'ok' as const,
      startedAt: SUCCEEDED.startedAt,
      finishedAt: SUCCEEDED.startedAt,
      ms: 5000,
      detail: 'approved by carol',
      approvedBy: carol,
    };
    const approved = formatSummary({ ...SUCCEEDED, phases: [approval, ...SUCCEEDED.phases] }).join('\n');
    expect(approved).toMatch(new RegExp(`requested by:\\s+${SUCCEEDED.actor!.name}`));
    expect(approved).toMatch(/approved by:\s+carol/);
    expect(formatSummary(SUCCEEDED).join('\n')).not.toContain('approved by');
  });

  it('says a rolled-back deploy failed, why, and that the previous release runs again', () => {
    const text = formatSummary(ROLLED_BACK).join('\n');
    expect(text).toContain('Deploy failed; the previous release was restored and verified');
    expect(text).toMatch(/outcome:\s+rolled_back \(exit 1\)/);
    expect(text).toMatch(/running now:\s+backend-prod:1/);
    expect(text).toMatch(/failed:\s+rollout: ECS deployment circuit breaker/);
    expect(text).toMatch(/rollback\s+ok\s+1m30s/);
    expect(text).not.toContain('succeeded');
  });

  it('says plainly when the rollback failed and a person must look', () => {
    const text = formatSummary(ROLLBACK_FAILED).join('\n');
    expect(text).toContain('the service is NOT healthy: a person must look');
    expect(text).toMatch(/outcome:\s+rollback_failed \(exit 3\)/);
    expect(text).toMatch(/running now:\s+backend-prod:2/);
    expect(text).toMatch(/failed:\s+rollback: rollback to backend-prod:1 did not stabilise/);
    expect(text).toMatch(/rollback\s+failed\s+15m00s/);
  });
});
