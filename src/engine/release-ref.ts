/**
 * The one home of the rules about what names a release: the git SHA, the rollback target, and the
 * phases a change goes through. Slack, the terminal and the engine all use these, so every front
 * end accepts exactly what the engine accepts.
 */
import type { ChangeKind, PhaseName } from './model';

// ---------- git SHA ----------

/** A git SHA as users type it: 7 to 40 hex characters. */
export const SHA_PATTERN = /^[0-9a-f]{7,40}$/i;

/** True for a git SHA, full or abbreviated (7 to 40 hex characters). */
export function isValidSha(value: unknown): boolean {
  return typeof value === 'string' && SHA_PATTERN.test(value);
}

/** The SHA lower-cased, or null when `value` is not 7 to 40 hex characters. */
export function parseSha(value: unknown): string | null {
  return typeof value === 'string' && isValidSha(value) ? value.toLowerCase() : null;
}

/** Two SHAs match when one is a prefix of the other (case-insensitive, both 7–40 hex). */
export function shaMatches(a: string | null | undefined, b: string | null | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || !isValidSha(a) || !isValidSha(b)) return false;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x.startsWith(y) || y.startsWith(x);
}

// ---------- rollback targets ----------

export type RollbackTarget =
  { kind: 'previous' } | { kind: 'revision'; revision: string } | { kind: 'sha'; sha: string };

const REVISION_NUMBER = /^\d{1,6}$/;
const FAMILY_REVISION = /^[A-Za-z0-9_-]{1,255}:\d{1,9}$/;
const TASK_DEFINITION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d{1,9}$/;

/** What a rollback target may look like, for usage lines and refusals. */
export const ROLLBACK_TARGET_HELP =
  'a revision (41, family:41 or a task-definition ARN) or a git SHA of 7 to 40 hex characters';

/**
 * A typed rollback target: a revision number (up to 6 digits), `family:N`, a full task-definition
 * ARN, or a git SHA (7–40 hex). Null when it is none of these.
 */
export function parseRollbackTarget(value: string): Exclude<RollbackTarget, { kind: 'previous' }> | null {
  if (REVISION_NUMBER.test(value)) return { kind: 'revision', revision: value };
  if (SHA_PATTERN.test(value)) return { kind: 'sha', sha: value.toLowerCase() };
  if (FAMILY_REVISION.test(value) || TASK_DEFINITION_ARN.test(value)) return { kind: 'revision', revision: value };
  return null;
}

/** Whether a revision target is one of the accepted shapes (number, `family:N`, ARN). */
export function isRevisionRef(value: string): boolean {
  return REVISION_NUMBER.test(value) || FAMILY_REVISION.test(value) || TASK_DEFINITION_ARN.test(value);
}

// ---------- phases ----------

export { PHASE_ORDER } from './model';

/** The phases that move the service and verify it, once a deploy or rollback has its target. */
export const VERIFY_PHASES = ['rollout', 'targets', 'smoke', 'logs'] as const satisfies readonly PhaseName[];

/**
 * The phases a change of each kind goes through, in order: shown as pending until they start, and
 * where an error stopped it (the first one not done). A deploy and a rollback pass `validate` first.
 */
export const EXPECTED_PHASES: Record<ChangeKind, readonly PhaseName[]> = {
  deploy: ['read_service', 'resolve_image', 'approval', 'register', ...VERIFY_PHASES],
  rollback: ['read_service', 'resolve_image', 'approval', ...VERIFY_PHASES],
  restart: ['read_service', 'approval', 'rollout'],
  stop: ['read_service', 'approval', 'rollout'],
};

/** Each phase's heading (checklists, reports) and its short word (terminal lines). */
export const PHASE_TITLES: Record<PhaseName, { heading: string; short: string }> = {
  validate: { heading: 'Validate', short: 'validate' },
  resolve_image: { heading: 'Resolve image', short: 'resolve image' },
  read_service: { heading: 'Read service', short: 'read service' },
  approval: { heading: 'Approval', short: 'approval' },
  register: { heading: 'Register revision', short: 'register revision' },
  rollout: { heading: 'Roll out', short: 'rollout' },
  targets: { heading: 'Target health', short: 'target health' },
  smoke: { heading: 'Smoke tests', short: 'smoke tests' },
  logs: { heading: 'Logs', short: 'log scan' },
  rollback: { heading: 'Roll back', short: 'rollback' },
  record: { heading: 'Record', short: 'record' },
};

/** The first phase of `order` that `done` does not hold yet: where a change stopped. */
export function firstOpenPhase<P extends PhaseName>(
  order: readonly P[],
  done: readonly { name: PhaseName }[],
): P | null {
  const seen = new Set(done.map((p) => p.name));
  return order.find((p) => !seen.has(p)) ?? null;
}
