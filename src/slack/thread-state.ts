/**
 * What a change's Slack thread should show, as plain data: the parent message's state and the
 * thread replies still waiting to be posted. `reduceThread` folds engine events (and the
 * reporter's own notes) into it; `takeReply` hands the oldest reply to delivery. No I/O.
 *
 * Details (service events, target health, log findings, notes) that arrive while a reply waits
 * for its turn merge into that reply, so however far Slack lags, a thread catches up in one
 * message instead of many.
 */
import {
  approverOf,
  approverOfResult,
  type ChangeResult,
  type EngineEvent,
  type LogFindings,
  type PauseInfo,
  type PhaseName,
} from '../engine/model';
import type { Actor, ServiceEvent, SmokeResult, TargetHealth } from '../engine/types';
import { sanitise } from './views/blocks';
import { promotionNote } from './views/promotion';
import type { DeployViewState } from './views/deploy-message';
import { countTargets } from './views/thread-details';

/** One piece of a merged details reply. `targets` is filled in from the latest report when taken. */
export type DetailEntry =
  | { kind: 'events'; events: ServiceEvent[] }
  | { kind: 'targets'; targets: TargetHealth[] | null }
  | { kind: 'logs'; findings: LogFindings }
  | { kind: 'rollback'; reason: string; toTaskDefinition: string }
  | { kind: 'note'; text: string };

export type ThreadReply =
  | { kind: 'details'; entries: DetailEntry[] }
  | { kind: 'smoke'; title: string; results: SmokeResult[]; table: boolean }
  /** The outcome, also shown in the channel (`reply_broadcast`). */
  | { kind: 'outcome'; result: ChangeResult }
  /** A blue/green deployment waits at a PAUSE hook: the checks, the expiry and the buttons. */
  | { kind: 'pause'; service: string; changeId: string; pause: PauseInfo }
  | { kind: 'conclusion'; ok: boolean; summary: string; requester: Actor | null; approvedBy: Actor | null }
  /** The stored markdown report of the change. */
  | { kind: 'report'; changeId: string; result: ChangeResult };

export interface ThreadState {
  view: DeployViewState;
  /** A parent message is wanted: the change began (or was resumed). */
  started: boolean;
  /** The change ended (its outcome is known). */
  finished: boolean;
  /** Replies in the order they are to be posted. */
  replies: ThreadReply[];
  /** The latest target report, and the counts last handed to delivery (unchanged counts are not repeated). */
  targets: { latest: TargetHealth[] | null; sentKey: string };
}

/** What the reducer needs to know from the config. */
export interface ThreadSettings {
  /** Repository URL per service, to link commits. */
  repositoryUrls: Record<string, string | undefined>;
  /** Smoke results as a native table block. */
  tableBlocks: boolean;
}

export type ThreadAction =
  | { type: 'event'; event: EngineEvent }
  /** The engine gave the change its id (before any AWS write). */
  | { type: 'start'; changeId: string }
  /** A change resumed after a restart, in the thread it started in. */
  | { type: 'resume'; changeId: string; note: string }
  /** A line for the parent and the thread ("Cancel requested by …"). */
  | { type: 'note'; text: string }
  /** A change that ended without a `change_finished` event (stop, restart). */
  | { type: 'conclude'; ok: boolean; summary: string; at: string };

/** The state before the first event; `initial` is what the caller already knows. */
export function initialThreadState(
  initial: Partial<DeployViewState>,
  settings: ThreadSettings,
  at: string,
): ThreadState {
  const view: DeployViewState = {
    changeId: null,
    kind: 'deploy',
    service: '',
    sha: null,
    digest: null,
    fromTaskDefinition: null,
    toTaskDefinition: null,
    actor: null,
    startedAt: at,
    finishedAt: null,
    phases: [],
    progress: null,
    outcome: 'running',
    summary: null,
    notes: [],
    ...initial,
  };
  if (!view.repositoryUrl && view.service) view.repositoryUrl = settings.repositoryUrls[view.service];
  return { view, started: false, finished: false, replies: [], targets: { latest: null, sentKey: '' } };
}

const ROLLING_BACK = 'Rolling back: ';

/** The next state. Events of another change leave the state as it is. Pure. */
export function reduceThread(state: ThreadState, action: ThreadAction, settings: ThreadSettings): ThreadState {
  switch (action.type) {
    case 'start':
      return { ...state, started: true, view: { ...state.view, changeId: state.view.changeId ?? action.changeId } };
    case 'resume': {
      const s = {
        ...state,
        started: true,
        view: { ...state.view, changeId: action.changeId, notes: [...state.view.notes, action.note] },
      };
      return withDetail(s, { kind: 'note', text: action.note });
    }
    case 'note':
      return withDetail(
        { ...state, view: { ...state.view, notes: [...state.view.notes, action.text] } },
        { kind: 'note', text: action.text },
      );
    case 'conclude': {
      if (state.finished) return state;
      const view: DeployViewState = {
        ...state.view,
        outcome: action.ok ? 'succeeded' : 'interrupted',
        summary: action.summary,
        finishedAt: action.at,
      };
      if (!action.ok) view.statusText = ':x: failed';
      const conclusion: ThreadReply = {
        kind: 'conclusion',
        ok: action.ok,
        summary: action.summary,
        requester: view.actor,
        approvedBy: view.approvedBy ?? null,
      };
      return { ...state, finished: true, view, replies: [...state.replies, conclusion] };
    }
    case 'event':
      if (state.view.changeId && action.event.changeId !== state.view.changeId) return state;
      return applyEvent(state, action.event, settings);
  }
}

function applyEvent(state: ThreadState, event: EngineEvent, settings: ThreadSettings): ThreadState {
  const view = state.view;
  switch (event.type) {
    case 'change_started':
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
    case 'phase_started':
      return { ...state, view: withPhase(view, event.phase, 'running') };
    case 'phase_finished': {
      const approvedBy = approverOf([event.result]) ?? view.approvedBy;
      return {
        ...state,
        view: {
          ...withPhase(
            view,
            event.phase,
            event.result.status,
            event.result.status === 'ok' ? undefined : event.result.detail,
          ),
          approvedBy,
        },
      };
    }
    case 'progress':
      return {
        ...state,
        view: {
          ...view,
          progress: {
            running: event.running,
            desired: event.desired,
            pending: event.pending,
            rolloutState: event.rolloutState,
          },
        },
      };
    case 'plan':
      return {
        ...state,
        view: {
          ...view,
          digest: event.digest || view.digest,
          fromTaskDefinition: event.fromTaskDefinition,
          toTaskDefinition: event.toTaskDefinition ?? view.toTaskDefinition,
        },
      };
    case 'changes':
      return { ...state, view: { ...view, changes: event.changes } };
    case 'promotion':
      return { ...state, view: { ...view, notes: [...view.notes, promotionNote(event.check)] } };
    case 'service_event':
      return withDetail(state, { kind: 'events', events: [event.event] });
    case 'targets': {
      const s = { ...state, targets: { ...state.targets, latest: event.targets } };
      return targetsKey(event.targets) === state.targets.sentKey
        ? s
        : withDetail(s, { kind: 'targets', targets: null });
    }
    case 'smoke': {
      // The checks that verify a rollback are titled so, lest a passing table read as the deploy's.
      const after = view.phases.some((p) => p.name === 'rollback') ? ' after the rollback' : '';
      const reply: ThreadReply = {
        kind: 'smoke',
        title: `Smoke tests${after}: ${view.service}`,
        results: event.results,
        table: settings.tableBlocks,
      };
      return { ...state, replies: [...state.replies, reply] };
    }
    case 'logs':
      return withDetail(state, { kind: 'logs', findings: event.findings });
    case 'rollback_started': {
      const s = {
        ...state,
        view: { ...view, notes: [...view.notes, `${ROLLING_BACK}${sanitise(event.reason, 200)}`] },
      };
      return withDetail(s, { kind: 'rollback', reason: event.reason, toTaskDefinition: event.toTaskDefinition });
    }
    case 'change_finished':
      return finish(state, event.result);
    case 'traffic':
      return { ...state, view: { ...view, traffic: event.traffic } };
    case 'test_checks': {
      const text = `${event.passed ? ':white_check_mark: Checks on test traffic passed' : ':x: Checks on test traffic failed'}: ${sanitise(event.reason, 300)}`;
      const s = withDetail(state, { kind: 'note', text });
      if (!event.smoke.length) return s;
      return {
        ...s,
        replies: [
          ...s.replies,
          {
            kind: 'smoke',
            title: `Smoke tests on test traffic: ${view.service}`,
            results: event.smoke,
            table: settings.tableBlocks,
          },
        ],
      };
    }
    case 'paused':
      return {
        ...state,
        view: { ...view, pause: event.pause },
        replies: [
          ...state.replies,
          { kind: 'pause', service: event.service, changeId: event.changeId, pause: event.pause },
        ],
      };
    case 'hook_answered': {
      const verb =
        event.action === 'CONTINUE' ? 'production traffic shifts to green' : 'rolling back, production stays on blue';
      const who = event.by === 'timeout' ? 'the pause expired' : `answered by ${sanitise(event.by, 80)}`;
      const text = `:arrow_forward: Pause ${who}: ${verb}`;
      return withDetail(
        { ...state, view: { ...view, pause: null, notes: [...view.notes, text] } },
        { kind: 'note', text },
      );
    }
    default:
      return state;
  }
}

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
    notes: state.view.notes.filter((n) => !n.startsWith(ROLLING_BACK)),
  };
  for (const p of result.phases) view = withPhase(view, p.name, p.status, p.status === 'ok' ? undefined : p.detail);
  // Nothing to say in a thread nobody started (refused before it began).
  if (!state.started) return { ...state, finished: true, view };
  const replies: ThreadReply[] = [...state.replies, { kind: 'outcome', result }];
  if (result.deployId) replies.push({ kind: 'report', changeId: result.deployId, result });
  return { ...state, finished: true, view, replies };
}

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
function withDetail(state: ThreadState, entry: DetailEntry): ThreadState {
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

/**
 * Hands the oldest waiting reply to delivery, with target health filled in from the latest
 * report (and left out when its counts were already posted). Pure.
 */
export function takeReply(state: ThreadState): [ThreadState, ThreadReply | undefined] {
  const head = state.replies.at(0);
  if (!head) return [state, undefined];
  const rest = state.replies.slice(1);
  if (head.kind !== 'details') return [{ ...state, replies: rest }, head];
  let sentKey = state.targets.sentKey;
  const entries: DetailEntry[] = [];
  for (const entry of head.entries) {
    if (entry.kind !== 'targets') {
      entries.push(entry);
      continue;
    }
    const latest = state.targets.latest ?? [];
    const key = targetsKey(latest);
    if (key === sentKey) continue;
    sentKey = key;
    entries.push({ kind: 'targets', targets: latest });
  }
  const next = { ...state, replies: rest, targets: { ...state.targets, sentKey } };
  // Nothing new to say: the next reply goes instead.
  return entries.length ? [next, { kind: 'details', entries }] : takeReply(next);
}

function targetsKey(targets: TargetHealth[]): string {
  return JSON.stringify(countTargets(targets));
}
