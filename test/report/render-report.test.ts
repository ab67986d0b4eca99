import { renderReport } from '../../src/report';
import type { ChangeResult } from '../../src/engine/model';
import type { TargetHealth } from '../../src/engine/types';
import { REV_41, REV_42, ROLLED_BACK_DEPLOY, SUCCEEDED_DEPLOY, recordFor } from './fixtures';

/** The text of one `## ` section, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const next = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, next < 0 ? undefined : next);
}

/** The lines between the first pair of ``` fences in `text`. */
function fencedLines(text: string): string[] {
  const lines = text.split('\n');
  const open = lines.findIndex((l) => l.startsWith('```'));
  const close = lines.findIndex((l, i) => i > open && l.startsWith('```'));
  return lines.slice(open + 1, close);
}

describe('Function: renderReport', () => {
  describe('for a deploy rolled back after a failed smoke check', () => {
    const markdown = renderReport(ROLLED_BACK_DEPLOY, recordFor(ROLLED_BACK_DEPLOY));

    it('titles the report with kind, service and outcome, and quotes the summary', () => {
      expect(markdown.split('\n')[0]).toBe('# Deploy of backend: ↩ failed, rolled back');
      expect(markdown).toContain('> backend def5678 failed smoke tests; rolled back to rev 42 (verified)');
    });

    it('says who, when, what SHA and digest, and the task-definition path', () => {
      const details = section(markdown, 'Details');
      expect(details).toContain('| **Requested by** | Alice Moreau (`U0ALICE`, via slack) |');
      expect(details).toContain('| **Started** | 2025-01-21 15:04:05 UTC |');
      expect(details).toContain('| **Duration** | 5m05s |');
      expect(details).toContain('| **Git SHA** | `def5678` |');
      expect(details).toContain('`sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae`');
      expect(details).toContain(
        '`mentalspace-backend-prod:42` → `mentalspace-backend-prod:43` → `mentalspace-backend-prod:42`',
      );
      expect(details).toContain('| **Slack thread** | `C0DEPLOYS` `1737471022.000100` |');
    });

    it('names the approver beside the requester only when someone approved', () => {
      expect(section(markdown, 'Details')).not.toContain('Approved by');
      const carol = { id: 'U0CAROL', name: 'Carol', via: 'slack' as const };
      const approved = renderReport({ ...ROLLED_BACK_DEPLOY, approvedBy: carol }, recordFor(ROLLED_BACK_DEPLOY));
      expect(section(approved, 'Details')).toContain(
        '| **Requested by** | Alice Moreau (`U0ALICE`, via slack) |\n| **Approved by** | Carol (`U0CAROL`, via slack) |',
      );
    });

    it('lists every phase with its mark, duration and detail', () => {
      const phases = section(markdown, 'Phases');
      expect(phases).toContain('| `smoke` | ✗ failed | 3s | readiness failed: database: disconnected |');
      expect(phases).toContain('| `rollout` | ✓ ok | 2m33s | COMPLETED, 2/2 on :43 |');
      expect(phases.match(/^\| `/gm)).toHaveLength(ROLLED_BACK_DEPLOY.phases.length);
    });

    it('counts targets by state and lists them', () => {
      const targets = section(markdown, 'Target health');
      expect(targets).toContain('3 targets: healthy 2, draining 1.');
      expect(targets).toContain('| `10.0.1.15` | 3001 | draining | Target.DeregistrationInProgress |');
    });

    it('shows the failed smoke check with severity, result, time and an escaped reason', () => {
      const smoke = section(markdown, 'Smoke tests');
      expect(smoke).toContain('2 passed, 1 warned, 1 failed, 1 skipped');
      expect(smoke).toContain(
        '| Database connectivity (`readiness`) | fail | ✗ fail | 3s | ready: false \\| database: disconnected |',
      );
      expect(smoke).toContain('| Root endpoint (`root`) | fail | – skipped | – | not configured |');
    });

    it('gives the log count and the sample lines in a fenced block', () => {
      const logs = section(markdown, 'Log findings');
      expect(logs).toContain('At least 12 lines matched `ERROR` since the change began');
      expect(fencedLines(logs)[0]).toBe(
        "2025-01-21T15:06:53.120Z ERROR PrismaClientInitializationError: Can't reach database server",
      );
    });

    it('says what failed and that the service runs the previous revision again', () => {
      const outcome = section(markdown, 'Outcome');
      expect(outcome).toContain('**Failed in `smoke`:** readiness failed: database: disconnected');
      expect(outcome).toContain('restored the previous release');
      expect(outcome).toContain(
        'The service runs `mentalspace-backend-prod:42`, the revision it ran before this change.',
      );
    });

    it('ends with a summary of the evidence', () => {
      const summary = section(markdown, 'Summary');
      expect(summary).toContain('- Phases: 9 ok, 1 failed, 0 skipped');
      expect(summary).toContain('- Targets: 2/3 healthy');
      expect(summary).toContain('- Log lines matching `ERROR`: at least 12');
    });
  });

  describe('with hostile text', () => {
    const markdown = renderReport(ROLLED_BACK_DEPLOY);
    const logLines = fencedLines(section(markdown, 'Log findings'));

    it('keeps a log line from closing the fence, and cuts it to 300 characters', () => {
      expect(markdown.match(/^```/gm)).toHaveLength(2);
      expect(logLines).toHaveLength(2);
      expect(logLines[1]).not.toContain('`');
      expect(logLines[1]).toHaveLength(300);
      expect(logLines[1].endsWith('…')).toBe(true);
    });

    it('removes terminal escapes and keeps HTML only inside the code block', () => {
      expect(markdown).not.toContain('\u001b');
      expect(logLines[1]).toContain('<script>');
      const outsideFence = markdown.replace(/```text[\s\S]*?```/g, '');
      expect(outsideFence).not.toContain('<script');
    });

    it('keeps pipes, newlines and HTML in a cell from breaking the table', () => {
      // Prepare
      const result: ChangeResult = {
        ...ROLLED_BACK_DEPLOY,
        targets: [
          { id: '10.0.9.9', port: 80, state: 'unhealthy', reason: 'Bad | reason\n| injected | row <img src=x>' },
        ],
      };

      // Act
      const targets = section(renderReport(result), 'Target health');

      // Assess
      const row = targets.split('\n').find((l) => l.startsWith('| `10.0.9.9`'))!;
      expect(row.match(/(?<!\\)\|/g)).toHaveLength(5);
      expect(row).toContain('Bad \\| reason \\| injected \\| row &lt;img src=x&gt;');
    });
  });

  describe('bounds', () => {
    it('shows at most 50 targets and says how many more there are', () => {
      const targets: TargetHealth[] = Array.from({ length: 60 }, (_, i) => ({
        id: `10.0.0.${i}`,
        port: 80,
        state: 'healthy',
      }));
      const text = section(renderReport({ ...SUCCEEDED_DEPLOY, targets }), 'Target health');
      expect(text.match(/^\| `10\.0\.0\./gm)).toHaveLength(50);
      expect(text).toContain('…and 10 more targets not shown.');
    });

    it('shows at most 10 sample log lines', () => {
      const sample = Array.from({ length: 14 }, (_, i) => ({
        timestamp: `2025-01-21T15:00:${10 + i}.000Z`,
        message: `ERROR ${i}`,
      }));
      const text = section(
        renderReport({ ...ROLLED_BACK_DEPLOY, logs: { pattern: 'ERROR', count: 14, sample, truncated: false } }),
        'Log findings',
      );
      expect(fencedLines(text)).toHaveLength(10);
      expect(text).toContain('14 lines matched `ERROR` since the change began.');
    });
  });

  describe('other outcomes', () => {
    it('reports a verified deploy as running the new revision, with no failure', () => {
      const markdown = renderReport(SUCCEEDED_DEPLOY);
      expect(markdown.split('\n')[0]).toBe('# Deploy of backend: ✓ succeeded');
      expect(markdown).not.toContain('Failed in');
      expect(section(markdown, 'Outcome')).toContain('the new revision');
      expect(section(markdown, 'Log findings')).toContain('No lines matched `ERROR`');
    });

    it('asks a person to look when the rollback failed', () => {
      const markdown = renderReport({
        ...ROLLED_BACK_DEPLOY,
        outcome: 'rollback_failed',
        exitCode: 3,
        finalTaskDefinition: REV_41.replace(':41', ':43'),
      });
      expect(markdown.split('\n')[0]).toContain('rollback did not restore health');
      expect(section(markdown, 'Outcome')).toContain('**A person must look:**');
      expect(section(markdown, 'Outcome')).toContain(
        'The service runs `mentalspace-backend-prod:43`, the new revision.',
      );
    });

    it('says so when phases, targets, smoke and logs did not run (a refused change)', () => {
      const markdown = renderReport({
        ...SUCCEEDED_DEPLOY,
        ok: false,
        outcome: 'refused',
        exitCode: 4,
        phases: [],
        targets: [],
        smoke: [],
        logs: null,
        finalTaskDefinition: REV_42,
        toTaskDefinition: null,
        error: { code: 'lock_held', message: 'backend is locked by dep_x (deploy by Bob Tan)' },
      });
      expect(markdown).toContain('No phase ran.');
      expect(markdown).toContain('No load-balancer targets were checked.');
      expect(markdown).toContain('Smoke tests did not run.');
      expect(markdown).toContain('Logs were not scanned.');
      expect(section(markdown, 'Outcome')).toContain(
        '**Error** `lock_held`: backend is locked by dep_x (deploy by Bob Tan)',
      );
    });

    it('takes every time from the result, so an unfinished change shows no made-up end', () => {
      // Prepare
      const interrupted: ChangeResult = { ...ROLLED_BACK_DEPLOY, outcome: 'interrupted', finishedAt: null };

      // Act
      const first = renderReport(interrupted);
      const second = renderReport(structuredClone(interrupted));

      // Assess
      expect(first).toBe(second);
      expect(section(first, 'Details')).toContain('| **Finished** | – |');
      expect(section(first, 'Details')).toContain('| **Duration** | – |');
      expect(section(first, 'Outcome')).toContain('stopped before it finished');
    });
  });
});
