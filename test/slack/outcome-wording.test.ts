import type { ChangeResult, Outcome } from '../../src/engine/model';
import { outcomeView } from '../../src/slack/views/thread-details';
import { messageText } from './helpers/harness';

function result(outcome: Outcome, summary: string): ChangeResult {
  return {
    ok: outcome === 'succeeded',
    kind: 'restart',
    outcome,
    exitCode: outcome === 'succeeded' ? 0 : 1,
    deployId: 'c-1',
    service: 'backend',
    sha: null,
    digest: null,
    fromTaskDefinition: null,
    toTaskDefinition: null,
    finalTaskDefinition: null,
    phases: [],
    smoke: [],
    targets: [],
    logs: null,
    failure: null,
    summary,
    actor: null,
    startedAt: '2026-11-25T10:00:00.000Z',
    finishedAt: '2026-11-25T10:01:00.000Z',
    error: null,
    reportPath: null,
  };
}

describe('Slack: the outcome line broadcast when a change ends', () => {
  it('a failed change reads as failed, not as still running', () => {
    const text = messageText(outcomeView(result('failed', 'backend restart failed: tasks never started')));
    expect(text).toContain('*backend*: :x: failed');
    expect(text).not.toMatch(/running/);
  });

  it('every finished outcome has words of its own; only a running change says running', () => {
    const finished: Outcome[] = [
      'succeeded',
      'rolled_back',
      'rollback_failed',
      'failed',
      'refused',
      'invalid',
      'interrupted',
    ];
    for (const outcome of finished) expect(messageText(outcomeView(result(outcome, 'done')))).not.toMatch(/running/);
    expect(messageText(outcomeView(result('running', 'under way')))).toMatch(/running/);
  });
});
