/**
 * How each engine event changes a change's thread state: `applyEvent` dispatches on the event's
 * type to one small step per event, grouped by family (the change and its phases, the rollout,
 * blue/green traffic, changes and freezes, the outcome). Pure, like the reducer that calls it.
 */
import { approverOf, approverOfResult, type ChangeResult, type EngineEvent, type PhaseName } from '../engine/model';
import type { TargetHealth } from '../engine/types';
import type { DetailEntry, ThreadReply, ThreadSettings, ThreadState } from './thread-state';
import { sanitise } from './views/blocks';
import { promotionNote } from './views/promotion';
import type { DeployViewState } from './views/deploy-message';
import { countTargets } from './views/thread-details';

/** The engine event of one type. */
type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

/** The state after one event of this change. Exhaustive: a new event type fails to compile here. */
export function applyEvent(state: ThreadState, event: EngineEvent, settings: ThreadSettings): ThreadState {
  switch (event.type) {
    case 'change_started':
      return changeStarted(state, event, settings);
    case 'phase_started':
      return { ...state, view: withPhase(state.view, event.phase, 'running') };
    case 'phase_finished':
      return phaseFinished(state, event);
    case 'plan':
      return plan(state, event);
    case 'progress':
      return progress(state, event);
    case 'service_event':
      return withDetail(state, { kind: 'events', events: [event.event] });
    case 'targets':
      return targets(state, event);
    case 'smoke':
      return smoke(state, event, settings);
    case 'logs':
      return withDetail(state, { kind: 'logs', findings: event.findings });
    case 'rollback_started':
      return rollbackStarted(state, event);
    case 'traffic':
      return { ...state, view: { ...state.view, traffic: event.traffic } };
    case 'test_checks':
      return testChecks(state, event, settings);
    case 'paused':
      return paused(state, event);
    case 'hook_answered':
      return hookAnswered(state, event);
    case 'changes':
      return { ...state, view: { ...state.view, changes: event.changes } };
    case 'promotion':
      return { ...state, view: { ...state.view, notes: [...state.view.notes, promotionNote(event.check)] } };
    case 'frozen':
      return { ...state, view: { ...state.view, freezes: event.freezes, freezeApprovedBy: event.approvedBy } };
    case 'change_finished':
      return finish(state, event.result);
  }
}

// The change and its phases.

function changeStarted(state: ThreadState, event: EventOf<'change_started'>, settings: ThreadSettings): ThreadState {
  const view = state.view;
  return {
    ...state,
    started: true,
    view: {
      ...view,
      changeId: event.changeId,
      kind: event.kind,
      service: event.service,
      actor: event.actor,
      startedAt: event.at,
      sha: event.sha ?? view.sha,
      fromTaskDefinition: event.fromTaskDefinition ?? view.fromTaskDefinition,
      reason: event.reason ?? view.reason,
      repositoryUrl: view.repositoryUrl ?? settings.repositoryUrls[event.service],
    },
  };
}

function phaseFinished(state: ThreadState, event: EventOf<'phase_finished'>): ThreadState {
  const view = state.view;
  const approvedBy = approverOf([event.result]) ?? view.approvedBy;
  const detail = event.result.status === 'ok' ? undefined : event.result.detail;
  return { ...state, view: { ...withPhase(view, event.phase, event.result.status, detail), approvedBy } };
}

// The rollout: what is deployed, how far it got, what ECS, the targets, the checks and the logs say.

function plan(state: ThreadState, event: EventOf<'plan'>): ThreadState {
  const view = state.view;
  return {
    ...state,
    view: {
      ...view,
      digest: event.digest || view.digest,
      fromTaskDefinition: event.fromTaskDefinition,
      toTaskDefinition: event.toTaskDefinition ?? view.toTaskDefinition,
    },
  };
}

function progress(state: ThreadState, event: EventOf<'progress'>): ThreadState {
  const { running, desired, pending, rolloutState } = event;
  return { ...state, view: { ...state.view, progress: { running, desired, pending, rolloutState } } };
}

function targets(state: ThreadState, event: EventOf<'targets'>): ThreadState {
  const s = { ...state, targets: { ...state.targets, latest: event.targets } };
  return targetsKey(event.targets) === state.targets.sentKey ? s : withDetail(s, { kind: 'targets', targets: null });
}

function smoke(state: ThreadState, event: EventOf<'smoke'>, settings: ThreadSettings): ThreadState {
  // The checks that verify a rollback are titled so, lest a passing table read as the deploy's.
  const after = state.view.phases.some((p) => p.name === 'rollback') ? ' after the rollback' : '';
  const reply: ThreadReply = {
    kind: 'smoke',
    title: `Smoke tests${after}: ${state.view.service}`,
    results: event.results,
    table: settings.tableBlocks,
  };
  return { ...state, replies: [...state.replies, reply] };
}

function rollbackStarted(state: ThreadState, event: EventOf<'rollback_started'>): ThreadState {
  const note = `Rolling back: ${sanitise(event.reason, 200)}`;
  const s = {
    ...state,
    view: { ...state.view, notes: [...state.view.notes, note] },
    whileRunning: [...state.whileRunning, note],
  };
  return withDetail(s, { kind: 'rollback', reason: event.reason, toTaskDefinition: event.toTaskDefinition });
}

// Blue/green: checks on test traffic, the pause and its answer.

function testChecks(state: ThreadState, event: EventOf<'test_checks'>, settings: ThreadSettings): ThreadState {
  const text = `${event.passed ? ':white_check_mark: Checks on test traffic passed' : ':x: Checks on test traffic failed'}: ${sanitise(event.reason, 300)}`;
  const s = withDetail(state, { kind: 'note', text });
  if (!event.smoke.length) return s;
  const reply: ThreadReply = {
    kind: 'smoke',
    title: `Smoke tests on test traffic: ${state.view.service}`,
    results: event.smoke,
    table: settings.tableBlocks,
  };
  return { ...s, replies: [...s.replies, reply] };
}

function paused(state: ThreadState, event: EventOf<'paused'>): ThreadState {
  return {
    ...state,
    view: { ...state.view, pause: event.pause },
    replies: [
      ...state.replies,
      { kind: 'pause', service: event.service, changeId: event.changeId, pause: event.pause },
    ],
  };
}

function hookAnswered(state: ThreadState, event: EventOf<'hook_answered'>): ThreadState {
  const verb =
    event.action === 'CONTINUE' ? 'production traffic shifts to green' : 'rolling back, production stays on blue';
  const who = event.by === 'timeout' ? 'the pause expired' : `answered by ${sanitise(event.by, 80)}`;
  const text = `:arrow_forward: Pause ${who}: ${verb}`;
  return withDetail(
    { ...state, view: { ...state.view, pause: null, notes: [...state.view.notes, text] } },
    {
      kind: 'note',
      text,
    },
  );
}

// The outcome.

function finish(state: ThreadState, result: ChangeResult): ThreadState {
  let view: DeployViewState = {
    ...state.view,
    outcome: result.outcome,
    summary: result.summary,
    finishedAt: result.finishedAt ?? state.view.finishedAt,
    sha: result.sha ?? state.view.sha,
    digest: result.digest ?? state.view.digest,
    fromTaskDefinition: result.fromTaskDefinition ?? state.view.fromTaskDefinition,
    toTaskDefinition: result.toTaskDefinition ?? state.view.toTaskDefinition,
    approvedBy: approverOfResult(result) ?? state.view.approvedBy,
    changes: result.changes ?? state.view.changes,
    // "Rolling back: …" was news while it ran; the summary now says how it ended.
    notes: state.view.notes.filter((n) => !state.whileRunning.includes(n)),
  };
  for (const p of result.phases) view = withPhase(view, p.name, p.status, p.status === 'ok' ? undefined : p.detail);
  // Nothing to say in a thread nobody started (refused before it began).
  if (!state.started) return { ...state, finished: true, view };
  const replies: ThreadReply[] = [...state.replies, { kind: 'outcome', result }];
  if (result.deployId) replies.push({ kind: 'report', changeId: result.deployId, result });
  return { ...state, finished: true, view, replies };
}

// Shared by the steps above and by the reducer.

function withPhase(
  view: DeployViewState,
  name: PhaseName,
  mark: DeployViewState['phases'][number]['mark'],
  detail?: string,
): DeployViewState {
  const found = view.phases.some((p) => p.name === name);
  const phases = found
    ? view.phases.map((p) => (p.name === name ? { ...p, mark, detail } : p))
    : [...view.phases, { name, mark, detail }];
  return { ...view, phases };
}

/** Adds a detail to the last reply when it is a details reply still waiting, else starts one. */
export function withDetail(state: ThreadState, entry: DetailEntry): ThreadState {
  const last = state.replies.at(-1);
  if (last?.kind !== 'details') return { ...state, replies: [...state.replies, { kind: 'details', entries: [entry] }] };
  const entries = [...last.entries];
  const tail = entries.at(-1);
  if (entry.kind === 'events' && tail?.kind === 'events')
    entries[entries.length - 1] = { kind: 'events', events: [...tail.events, ...entry.events] };
  // Target health is rendered from the latest report once, however many arrived.
  else if (entry.kind === 'targets' && entries.some((e) => e.kind === 'targets')) return state;
  else entries.push(entry);
  return { ...state, replies: [...state.replies.slice(0, -1), { kind: 'details', entries }] };
}

/** The target counts as a key, to tell a report with news from one without. */
export function targetsKey(targets: TargetHealth[]): string {
  return JSON.stringify(countTargets(targets));
}
