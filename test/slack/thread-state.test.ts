/** The thread's state from a sequence of engine events: plain data in, plain data out. */
import type { ChangeResult, EngineEvent } from '../../src/engine/model';
import type { TargetHealth } from '../../src/engine/types';
import {
  initialThreadState,
  reduceThread,
  takeReply,
  type ThreadAction,
  type ThreadSettings,
  type ThreadState,
} from '../../src/slack/thread-state';

const SETTINGS: ThreadSettings = {
  repositoryUrls: { backend: 'https://github.com/example/backend' },
  tableBlocks: true,
};
const AT = '2026-11-25T10:00:00.000Z';
const base = { changeId: 'd-1', service: 'backend', at: AT };
const ALICE = { id: 'U1', name: 'alice', via: 'slack' as const };
const CAROL = { id: 'U3', name: 'carol', via: 'slack' as const };

const STARTED: EngineEvent = {
  ...base,
  type: 'change_started',
  kind: 'deploy',
  actor: ALICE,
  sha: 'abc1234',
  fromTaskDefinition: 'backend:41',
};
const eventNo = (i: number): EngineEvent => ({
  ...base,
  type: 'service_event',
  event: { id: `e${i}`, createdAt: new Date(AT), message: `(service backend) event ${i}` },
});
const targets = (...states: TargetHealth['state'][]): EngineEvent => ({
  ...base,
  type: 'targets',
  targets: states.map((state, i) => ({ id: `10.0.0.${i}`, port: 80, state })),
});

const SUCCEEDED: ChangeResult = {
  ok: true,
  kind: 'deploy',
  outcome: 'succeeded',
  exitCode: 0,
  deployId: 'd-1',
  service: 'backend',
  sha: 'abc1234',
  digest: 'sha256:abababababababab',
  fromTaskDefinition: 'backend:41',
  toTaskDefinition: 'backend:42',
  finalTaskDefinition: 'backend:42',
  phases: [{ name: 'rollout', status: 'ok', startedAt: AT, finishedAt: AT, detail: 'completed' }],
  smoke: [],
  targets: [],
  logs: null,
  failure: null,
  summary: 'backend abc1234 deployed (backend:42) in 3s',
  actor: ALICE,
  startedAt: AT,
  finishedAt: '2026-11-25T10:00:03.000Z',
  error: null,
  reportPath: null,
};

const REPORTER_ACTIONS = new Set(['start', 'resume', 'note', 'conclude']);

/** Folds engine events (and the reporter's own actions) into a fresh state. */
function run(...actions: (EngineEvent | ThreadAction)[]): ThreadState {
  let state = initialThreadState({ kind: 'deploy', service: 'backend' }, SETTINGS, AT);
  for (const a of actions)
    state = reduceThread(
      state,
      REPORTER_ACTIONS.has(a.type) ? (a as ThreadAction) : { type: 'event', event: a as EngineEvent },
      SETTINGS,
    );
  return state;
}

describe('Thread state: reduceThread', () => {
  it('wants a parent once the change starts, and fills it from the start, plan, phases and progress', () => {
    // Act
    const state = run(
      STARTED,
      {
        ...base,
        type: 'plan',
        digest: 'sha256:abab',
        image: 'repo@sha256:abab',
        fromTaskDefinition: 'backend:41',
        toTaskDefinition: 'backend:42',
      },
      { ...base, type: 'phase_started', phase: 'rollout' },
      {
        ...base,
        type: 'progress',
        phase: 'rollout',
        taskDefinition: 'backend:42',
        running: 1,
        desired: 2,
        pending: 1,
        rolloutState: 'IN_PROGRESS',
      },
    );

    // Assess
    expect(state.started).toBe(true);
    expect(state.view).toMatchObject({
      changeId: 'd-1',
      sha: 'abc1234',
      actor: ALICE,
      digest: 'sha256:abab',
      fromTaskDefinition: 'backend:41',
      toTaskDefinition: 'backend:42',
      repositoryUrl: 'https://github.com/example/backend',
      phases: [{ name: 'rollout', mark: 'running' }],
      progress: { running: 1, desired: 2, pending: 1, rolloutState: 'IN_PROGRESS' },
      outcome: 'running',
    });
    expect(state.replies).toEqual([]);
  });

  it('merges service events, target health and notes into the one details reply still waiting, in order', () => {
    const state = run(STARTED, eventNo(1), eventNo(2), targets('healthy'), targets('healthy', 'healthy'), {
      type: 'note',
      text: 'Cancel requested by bob',
    });
    expect(state.replies).toEqual([
      {
        kind: 'details',
        entries: [
          { kind: 'events', events: [expect.objectContaining({ id: 'e1' }), expect.objectContaining({ id: 'e2' })] },
          { kind: 'targets', targets: null },
          { kind: 'note', text: 'Cancel requested by bob' },
        ],
      },
    ]);
    expect(state.view.notes).toEqual(['Cancel requested by bob']);
  });

  it('starts a new details reply after a reply of its own (the smoke table)', () => {
    const state = run(STARTED, eventNo(1), { ...base, type: 'smoke', results: [] }, eventNo(2));
    expect(state.replies.map((r) => r.kind)).toEqual(['details', 'smoke', 'details']);
    expect(state.replies[1]).toEqual({ kind: 'smoke', title: 'Smoke tests: backend', results: [], table: true });
  });

  it('ends with the outcome (broadcast) and the report, and marks every phase of the result', () => {
    const state = run(
      STARTED,
      { ...base, type: 'phase_started', phase: 'rollout' },
      { ...base, type: 'change_finished', result: SUCCEEDED },
    );
    expect(state.finished).toBe(true);
    expect(state.view).toMatchObject({
      outcome: 'succeeded',
      summary: SUCCEEDED.summary,
      finishedAt: SUCCEEDED.finishedAt,
      phases: [{ name: 'rollout', mark: 'ok' }],
    });
    expect(state.replies).toEqual([
      { kind: 'outcome', result: SUCCEEDED },
      { kind: 'report', changeId: 'd-1', result: SUCCEEDED },
    ]);
  });

  it('says nothing in a thread nobody started (a change refused before it began)', () => {
    const state = run({ ...base, type: 'change_finished', result: { ...SUCCEEDED, ok: false, outcome: 'refused' } });
    expect(state.started).toBe(false);
    expect(state.view.outcome).toBe('refused');
    expect(state.replies).toEqual([]);
  });

  it('ignores the events of another change once it knows its own', () => {
    const before = run(STARTED);
    const after = reduceThread(before, { type: 'event', event: { ...eventNo(1), changeId: 'd-2' } }, SETTINGS);
    expect(after).toBe(before);
  });

  it('concludes a stop or restart once, with a failed status when it failed', () => {
    const state = run(
      { type: 'start', changeId: 's-1' },
      { type: 'conclude', ok: false, summary: 'no kept count', at: AT },
      { type: 'conclude', ok: true, summary: 'again', at: AT },
    );
    expect(state.view).toMatchObject({
      changeId: 's-1',
      outcome: 'interrupted',
      statusText: ':x: failed',
      summary: 'no kept count',
    });
    expect(state.replies).toEqual([
      { kind: 'conclusion', ok: false, summary: 'no kept count', requester: null, approvedBy: null },
    ]);
  });

  it('takes the approver from the approval phase and the reason from the start of a stop, and keeps them to the end', () => {
    // Prepare
    const stopStarted: EngineEvent = {
      ...base,
      changeId: 's-1',
      type: 'change_started',
      kind: 'stop',
      actor: ALICE,
      sha: null,
      fromTaskDefinition: null,
      reason: 'memory leak',
    };
    const approved: EngineEvent = {
      ...base,
      changeId: 's-1',
      type: 'phase_finished',
      phase: 'approval',
      ms: 5,
      result: {
        name: 'approval',
        status: 'ok',
        startedAt: AT,
        finishedAt: AT,
        detail: 'approved by carol',
        approvedBy: CAROL,
      },
    };
    const stopped: ChangeResult = {
      ...SUCCEEDED,
      kind: 'stop',
      deployId: 's-1',
      summary: 'backend stopped',
      phases: [],
      approvedBy: CAROL,
    };

    // Act
    const running = run(stopStarted, approved);
    const done = run(stopStarted, approved, { ...base, changeId: 's-1', type: 'change_finished', result: stopped });

    // Assess
    expect(running.view).toMatchObject({ kind: 'stop', actor: ALICE, approvedBy: CAROL, reason: 'memory leak' });
    expect(done.view).toMatchObject({ outcome: 'succeeded', actor: ALICE, approvedBy: CAROL, reason: 'memory leak' });
    expect(done.replies[0]).toEqual({ kind: 'outcome', result: stopped });
  });

  it('names no approver when the approval phase was skipped', () => {
    const skipped: EngineEvent = {
      ...base,
      type: 'phase_finished',
      phase: 'approval',
      ms: 0,
      result: {
        name: 'approval',
        status: 'skipped',
        startedAt: AT,
        finishedAt: AT,
        detail: 'not required for this service',
      },
    };
    const state = run(STARTED, skipped, { ...base, type: 'change_finished', result: SUCCEEDED });
    expect(state.view.actor).toEqual(ALICE);
    expect(state.view.approvedBy ?? null).toBeNull();
  });

  it('continues a resumed change with a note in its thread', () => {
    const state = run({ type: 'resume', changeId: 'd-9', note: 'Resumed by host-b' });
    expect(state.started).toBe(true);
    expect(state.view.changeId).toBe('d-9');
    expect(state.replies).toEqual([{ kind: 'details', entries: [{ kind: 'note', text: 'Resumed by host-b' }] }]);
  });
});

describe('Thread state: takeReply', () => {
  it('hands replies over oldest first, target health from the latest report', () => {
    // Prepare
    const state = run(STARTED, eventNo(1), targets('initial'), targets('healthy', 'healthy'), {
      ...base,
      type: 'smoke',
      results: [],
    });

    // Act
    const [afterFirst, first] = takeReply(state);
    const [afterSecond, second] = takeReply(afterFirst);

    // Assess
    expect(first).toEqual({
      kind: 'details',
      entries: [
        expect.objectContaining({ kind: 'events' }),
        {
          kind: 'targets',
          targets: [expect.objectContaining({ state: 'healthy' }), expect.objectContaining({ state: 'healthy' })],
        },
      ],
    });
    expect(second?.kind).toBe('smoke');
    expect(takeReply(afterSecond)[1]).toBeUndefined();
  });

  it('does not repeat target health whose counts were already handed over', () => {
    const [taken] = takeReply(run(STARTED, targets('healthy', 'healthy')));
    const again = reduceThread(taken, { type: 'event', event: targets('healthy', 'healthy') }, SETTINGS);
    expect(again.replies).toEqual([]);
    // A report queued before the counts settled is dropped at take time, and the next reply goes instead.
    let settled = taken;
    for (const event of [
      targets('unhealthy', 'healthy'),
      targets('healthy', 'healthy'),
      { ...base, type: 'smoke', results: [] } as EngineEvent,
    ]) {
      settled = reduceThread(settled, { type: 'event', event }, SETTINGS);
    }
    expect(settled.replies.map((r) => r.kind)).toEqual(['details', 'smoke']);
    expect(takeReply(settled)[1]?.kind).toBe('smoke');
  });
});
