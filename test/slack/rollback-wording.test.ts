/** How a rolled-back deploy and an emergency stop read in the thread and the parent, as a person sees them. */
import type { ChangeResult, EngineEvent } from '../../src/engine/model';
import { deployMessageView } from '../../src/slack/views/deploy-message';
import { outcomeView } from '../../src/slack/views/thread-details';
import { releasesPickerView } from '../../src/slack/views/releases';
import { initialThreadState, reduceThread, type ThreadSettings, type ThreadState } from '../../src/slack/thread-state';
import { buttonsOf, messageText } from './helpers/harness';
import { ROLLED_BACK as CLI_ROLLED_BACK } from '../cli/fixtures';

const SETTINGS: ThreadSettings = { repositoryUrls: {}, tableBlocks: true };
const AT = '2026-11-25T10:00:00.000Z';
const base = { changeId: 'd-1', service: 'backend', at: AT };
const ALICE = { id: 'U1', name: 'alice', via: 'slack' as const };
const REASON = 'ECS rolled back to backend:41 (deployment failed: tasks failed to start.)';

const ROLLED_BACK: ChangeResult = {
  ...CLI_ROLLED_BACK,
  deployId: 'd-1',
  service: 'backend',
  fromTaskDefinition: 'backend:41',
  toTaskDefinition: 'backend:42',
  finalTaskDefinition: 'backend:41',
  phases: [
    {
      name: 'rollout',
      status: 'failed',
      startedAt: AT,
      finishedAt: AT,
      detail: `${REASON} (judged by the deployments array)`,
    },
    { name: 'rollback', status: 'ok', startedAt: AT, finishedAt: AT, detail: 'backend:41 verified' },
  ],
  failure: { phase: 'rollout', reason: REASON },
  summary: `backend failed at rollout: ${REASON}. Rolled back to backend:41 and verified; the service runs backend:41. (8s)`,
  actor: ALICE,
};

function fold(kind: 'deploy' | 'stop', events: EngineEvent[]): ThreadState {
  let state = initialThreadState({ kind, service: 'backend' }, SETTINGS, AT);
  for (const event of events) state = reduceThread(state, { type: 'event', event }, SETTINGS);
  return state;
}

const SMOKE: EngineEvent = {
  ...base,
  type: 'smoke',
  results: [{ name: 'version', severity: 'fail', status: 'pass', ms: 12, reason: 'gitSha 5eed5ee' }],
} as EngineEvent;

describe('Slack wording: a deploy that was rolled back', () => {
  const started: EngineEvent = {
    ...base,
    type: 'change_started',
    kind: 'deploy',
    actor: ALICE,
    sha: 'abc1234',
    fromTaskDefinition: 'backend:41',
  };
  const rollback: EngineEvent = {
    ...base,
    type: 'rollback_started',
    reason: `rollout: ${REASON}`,
    toTaskDefinition: 'backend:41',
  };
  const rollbackPhase: EngineEvent = { ...base, type: 'phase_started', phase: 'rollback' };

  it('titles the smoke checks that verify the rollback as such, and the deploy’s own plainly', () => {
    const titles = (s: ThreadState) =>
      s.replies.filter((r) => r.kind === 'smoke').map((r) => (r as { title: string }).title);
    expect(titles(fold('deploy', [started, SMOKE]))).toEqual(['Smoke tests: backend']);
    expect(titles(fold('deploy', [started, rollback, rollbackPhase, SMOKE]))).toEqual([
      'Smoke tests after the rollback: backend',
    ]);
  });

  it('says "Rolling back" on the parent while it rolls back, and no longer once it has ended', () => {
    const rolling = fold('deploy', [started, rollback, rollbackPhase]);
    expect(messageText(deployMessageView(rolling.view, Date.parse(AT)))).toContain(
      'Rolling back: rollout: ECS rolled back',
    );
    const ended = fold('deploy', [
      started,
      rollback,
      rollbackPhase,
      { ...base, type: 'change_finished', result: ROLLED_BACK },
    ]);
    const text = messageText(deployMessageView(ended.view, Date.parse(AT)));
    expect(text).not.toContain('Rolling back:');
    expect(text).toContain('Rolled back to backend:41 and verified');
  });

  it('gives the outcome once: the reason is not repeated, nor the service name in the notification text', () => {
    const view = outcomeView(ROLLED_BACK);
    const text = messageText({ blocks: view.blocks });
    expect(text.split(REASON)).toHaveLength(2);
    expect(text).toContain('Now running `backend:41`');
    expect(view.text.startsWith('backend failed at rollout')).toBe(true);
    // Which source judged belongs to the report's phase list, not to the sentence people read.
    expect(text).not.toContain('judged by');
  });

  it('still names the failed phase when the summary does not quote it', () => {
    const text = messageText(
      outcomeView({ ...ROLLED_BACK, summary: 'backend failed; rolled back to backend:41 and verified' }),
    );
    expect(text).toContain(`Failed at *rollout*: ${REASON}`);
  });

  it('names the failed phase as people read it, not by its key', () => {
    const text = messageText(
      outcomeView({
        ...ROLLED_BACK,
        summary: 'backend: deploy not done, nothing was changed',
        failure: { phase: 'read_service', reason: REASON },
      }),
    );
    expect(text).toContain(`Failed at *read service*: ${REASON}`);
    expect(text).not.toContain('read_service');
  });

  it('offers a Cancel that says where it goes back to, even before the current revision was read', () => {
    const early = fold('deploy', [{ ...started, fromTaskDefinition: null }]);
    const cancel = deployMessageView(early.view, Date.parse(AT)).blocks.flatMap((b) =>
      b.type === 'actions' ? b.elements : [],
    ) as { confirm?: { text: { text: string } } }[];
    expect(cancel[0].confirm!.text.text).toBe('Stop waiting on backend and roll back to the release it ran before.');
  });
});

describe('Slack wording: an emergency stop', () => {
  const started: EngineEvent = {
    ...base,
    changeId: 's-1',
    type: 'change_started',
    kind: 'stop',
    actor: ALICE,
    sha: null,
    fromTaskDefinition: null,
    reason: 'memory leak',
  };
  const STOPPED: ChangeResult = {
    ...ROLLED_BACK,
    ok: true,
    kind: 'stop',
    outcome: 'succeeded',
    exitCode: 0,
    deployId: 's-1',
    sha: null,
    digest: null,
    phases: [],
    failure: null,
    summary: 'backend stopped: desired 2 → 0 (kept 2 for restart). Reason: memory leak (2s)',
  };

  it('has no Cancel button (a restart undoes a stop) and shows the counts still unknown as …', () => {
    const state = fold('stop', [started]);
    const view = deployMessageView(state.view, Date.parse(AT));
    expect(buttonsOf(view)).toEqual([]);
    expect(messageText(view)).toContain('*Desired count*\\n… → 0');
  });

  it('does not claim a revision is running once it stopped, nor name the service twice', () => {
    const view = outcomeView(STOPPED);
    expect(messageText(view)).not.toContain('Now running');
    expect(view.text).toBe(STOPPED.summary);
  });
});

describe('Slack wording: the releases picker', () => {
  it('says so when the running release is the only one recorded', () => {
    const only = [
      {
        deployId: 'd-1',
        taskDefinition: 'backend:41',
        sha: '5eed5ee',
        digest: 'sha256:cdcd',
        actor: ALICE,
        at: AT,
        current: true,
      },
    ];
    expect(messageText(releasesPickerView('backend', only))).toContain('No earlier release of backend is recorded');
    const two = [...only, { ...only[0], deployId: 'd-0', taskDefinition: 'backend:40', current: false }];
    expect(messageText(releasesPickerView('backend', two))).not.toContain('No earlier release');
  });
});
