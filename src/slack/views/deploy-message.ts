/** The deploy's parent message: what, who, a phase checklist, counts, elapsed time and its buttons. */
import type { ChangeKind } from '../../engine/model';
import type { DeployViewState } from './deploy-view-state';
import {
  actions,
  button,
  context,
  fieldsSection,
  header,
  message,
  sanitise,
  section,
  type SlackBlock,
  type SlackMessage,
} from './blocks';
import { requesterField, scaleFields } from './scale-message';
import { pauseButtons, pauseLines, trafficText } from './pause';
import { freezeLines } from './freeze';

export type { DeployViewState } from './deploy-view-state';
import {
  actorText,
  digestPrefix,
  elapsedText,
  outcomeText,
  PHASE_TITLES,
  phaseMark,
  revisionOf,
  shaLink,
  shortSha,
  type PhaseMark,
} from './format';
import { EXPECTED_PHASES } from '../../engine/release-ref';
import { commitsRemovedByRollback } from '../../engine/changes';
import { changesText } from './changes';

/** Commits the parent message lists; the rest are in the report and behind the compare link. */
const PARENT_COMMITS = 5;

const KIND_VERB: Record<ChangeKind, string> = {
  deploy: 'Deploy',
  rollback: 'Rollback',
  restart: 'Restart',
  stop: 'Emergency stop',
};

/** Renders the parent message for `state` at time `now` (ms). Pure. */
export function deployMessageView(state: DeployViewState, now: number): SlackMessage {
  const title =
    state.kind === 'stop' || state.kind === 'restart'
      ? `${KIND_VERB[state.kind]} of ${state.service}`
      : `${KIND_VERB[state.kind]} ${state.service}${state.sha ? ` ${shortSha(state.sha)}` : ''}`;
  const status =
    state.statusText ?? (state.outcome === 'running' ? ':hourglass_flowing_sand: running' : outcomeText(state.outcome));
  const scale = state.kind === 'stop' || state.kind === 'restart';
  const blocks: SlackBlock[] = [
    header(title),
    fieldsSection(
      scale
        ? scaleFields(state, status)
        : [
            `*Service*\n${state.service}`,
            requesterField(state),
            `*Commit*\n${shaLink(state.sha, state.repositoryUrl)}`,
            `*Digest*\n\`${digestPrefix(state.digest)}\``,
            `*Revision*\n${revisionOf(state.fromTaskDefinition)} → ${revisionOf(state.toTaskDefinition)}`,
            `*Status*\n${status}`,
          ],
    ),
    ...(state.changes && !scale
      ? [section(changesText(state.changes, { max: PARENT_COMMITS, repositoryUrl: state.repositoryUrl }))]
      : []),
    section(checklist(state)),
    context([progressText(state, now)]),
  ];
  if (state.freezes?.length) blocks.push(section(frozenText(state)));
  if (state.pause && state.outcome === 'running' && state.changeId) {
    blocks.push(
      section(`*Waiting at ${state.pause.stage ?? 'a lifecycle hook'}*\n${pauseLines(state.pause).join('\n')}`),
    );
    if (!state.pause.autoContinue && state.pause.passed)
      blocks.push(pauseButtons(state.service, state.changeId, state.pause));
  }
  if (state.summary) blocks.push(section(sanitise(state.summary, 1500)));
  if (state.notes.length) blocks.push(context(state.notes.slice(-5)));
  const buttons = deployButtons(state);
  if (buttons) blocks.push(buttons);
  return message(`${title}: ${state.outcome === 'running' ? 'running' : state.outcome.replace('_', ' ')}`, blocks);
}

/** The freezes in force when the change began: why it was refused, or whose approval overrode them. */
function frozenText(state: DeployViewState): string {
  const title = state.freezeApprovedBy
    ? `*Frozen: overridden with ${actorText(state.freezeApprovedBy)}'s approval*`
    : '*Refused: the service is frozen*';
  return `${title}\n${freezeLines(state.freezes ?? [])}`;
}

function checklist(state: DeployViewState): string {
  const seen = new Map(state.phases.map((p) => [p.name, p]));
  const names = [...EXPECTED_PHASES[state.kind]];
  for (const p of state.phases) if (!names.includes(p.name)) names.push(p.name);
  const finished = state.outcome !== 'running';
  return names
    .filter((n) => n !== 'record' && n !== 'validate')
    .map((name) => {
      const p = seen.get(name);
      // Once finished, a phase that never started was not needed.
      const mark: PhaseMark = p?.mark ?? (finished ? 'skipped' : 'pending');
      const detail = p?.detail ? ` — ${sanitise(p.detail.replace(/\s+/g, ' '), 200)}` : '';
      return `${phaseMark(mark)} ${PHASE_TITLES[name] ?? name}${detail}`;
    })
    .join('\n');
}

function progressText(state: DeployViewState, now: number): string {
  const parts: string[] = [];
  if (state.progress) {
    const p = state.progress;
    parts.push(`running ${p.running}/${p.desired}${p.pending ? ` (${p.pending} pending)` : ''}`);
    if (p.rolloutState && !state.traffic) parts.push(`rollout ${p.rolloutState}`);
  }
  if (state.traffic) parts.push(trafficText(state.traffic));
  const end = state.finishedAt ? Date.parse(state.finishedAt) : now;
  parts.push(`elapsed ${elapsedText(state.startedAt, end)}`);
  if (state.changeId) parts.push(`id \`${state.changeId}\``);
  return parts.join(' · ');
}

function deployButtons(state: DeployViewState): SlackBlock | null {
  if (!state.changeId) return null;
  // A stop or restart only sets a count and takes seconds: there is nothing to cancel back to (a restart undoes a stop).
  if (state.outcome === 'running' && (state.kind === 'deploy' || state.kind === 'rollback')) {
    const back = state.fromTaskDefinition ? revisionOf(state.fromTaskDefinition) : 'the release it ran before';
    return actions(`change:${state.changeId}`, [
      button({
        text: 'Cancel',
        actionId: 'cancel_deploy',
        value: state.changeId,
        style: 'danger',
        confirm: {
          title: 'Cancel this change?',
          text: `Stop waiting on ${state.service} and roll back to ${back}.`,
          confirm: 'Cancel and roll back',
          deny: 'Keep going',
        },
      }),
    ]);
  }
  // Only a deploy that went through leaves something to roll back; a failed one already did.
  if (state.kind === 'deploy' && state.outcome === 'succeeded' && state.fromTaskDefinition) {
    return actions(`change:${state.changeId}`, [
      button({
        text: 'Roll back',
        actionId: 'rollback',
        value: state.changeId,
        style: 'danger',
        confirm: {
          title: `Roll back ${state.service}?`,
          text: `Return ${state.service} to ${revisionOf(state.fromTaskDefinition)}, the release before this deploy.${removedText(state)}`,
          confirm: 'Roll back',
        },
      }),
    ]);
  }
  return null;
}

/** " This removes 12 commits." when the deploy's changes are known. */
function removedText(state: DeployViewState): string {
  const n = commitsRemovedByRollback(state.changes);
  return n === null ? '' : ` This removes ${n} commit${n === 1 ? '' : 's'}.`;
}
