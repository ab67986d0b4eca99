/** What the deploy's parent message shows: the state the thread reducer keeps and the view renders. */
import type { DeployChanges } from '../../engine/changes';
import type { ChangeKind, Outcome, PauseInfo, PhaseName, TrafficProgress } from '../../engine/model';
import type { ActiveFreeze } from '../../engine/freeze/model';
import type { Actor } from '../../engine/types';
import type { PhaseMark } from './format';

export interface DeployViewState {
  changeId: string | null;
  kind: ChangeKind;
  service: string;
  sha: string | null;
  digest: string | null;
  fromTaskDefinition: string | null;
  toTaskDefinition: string | null;
  actor: Actor | null;
  startedAt: string | null;
  finishedAt: string | null;
  phases: { name: PhaseName; mark: PhaseMark; detail?: string }[];
  progress: { running: number; desired: number; pending: number; rolloutState: string | null } | null;
  outcome: Outcome;
  summary: string | null;
  /** Lines such as "Cancel requested by @ana". */
  notes: string[];
  repositoryUrl?: string;
  /** Replaces the outcome's wording in the Status field (e.g. for a restart that failed). */
  statusText?: string;
  /** A stop's reason, when known (else read from the summary). */
  reason?: string;
  /** Who approved the change, where someone had to. */
  approvedBy?: Actor | null;
  /** Blue/green, linear, canary: the stage and the traffic on green. */
  traffic?: TrafficProgress | null;
  /** The PAUSE hook our deployment waits at, until answered. */
  pause?: PauseInfo | null;
  /** A deploy: the commits it ships, once read. */
  changes?: DeployChanges | null;
  /** Freezes that held the service when the change began: it was refused, or overridden. */
  freezes?: ActiveFreeze[] | null;
  /** Who approved overriding them. */
  freezeApprovedBy?: Actor | null;
}
