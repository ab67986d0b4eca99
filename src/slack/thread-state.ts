/**
 * What a change's Slack thread should show, as plain data: the parent message's state and the
 * thread replies still waiting to be posted. `reduceThread` folds engine events (and the
 * reporter's own notes) into it; `takeReply` hands the oldest reply to delivery. No I/O.
 *
 * Details (service events, target health, log findings, notes) that arrive while a reply waits
 * for its turn merge into that reply, so however far Slack lags, a thread catches up in one
 * message instead of many.
 */
import type { ChangeResult, EngineEvent, LogFindings, PauseInfo } from '../engine/model';
import type { Actor, ServiceEvent, SmokeResult, TargetHealth } from '../engine/types';
import { applyEvent, targetsKey, withDetail } from './thread-events';
import type { DeployViewState } from './views/deploy-message';

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
  /** The notes that were news only while the change ran ("Rolling back: …"): the outcome replaces them. */
  whileRunning: string[];
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
  return {
    view,
    started: false,
    finished: false,
    replies: [],
    targets: { latest: null, sentKey: '' },
    whileRunning: [],
  };
}

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
