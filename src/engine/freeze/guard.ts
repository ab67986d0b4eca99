/**
 * The freeze guard every deploy (and any change that puts a new release in front of users) passes
 * before it touches AWS. A frozen service refuses it, unless it is forced and a second person
 * approved the override; the refusal, the override and its approval are audited. It runs once,
 * at the start: a deploy already running when a freeze begins finishes.
 */
import { TZDate, tzName } from '@date-fns/tz';
import { format } from 'date-fns';
import type { NamedService } from '../../config/schema';
import { CodedError, ErrorCodes } from '../../errors';
import { writeAudit } from '../change/audit';
import { useApprovedOverride } from '../change/override';
import type { ChangeRun } from '../change/change-run';
import type { EngineContext } from '../context';
import type { ApprovalRequest } from '../model';
import type { Actor } from '../types';
import { freezesOf } from './freezes';
import { freezeNames, type ActiveFreeze } from './model';

export interface GuardedRequest {
  actor: Actor;
  /** Asks to override a freeze (with `approvalId`). */
  force?: boolean;
  approvalId?: string;
}

/** `Mon 2026-03-09 08:00 EDT`: in the window's zone (its short name from Intl), else UTC. */
export function freezeEndText(freeze: Pick<ActiveFreeze, 'until' | 'timeZone'>): string {
  const zone = freeze.timeZone ?? 'UTC';
  const until = new TZDate(Date.parse(freeze.until), zone);
  return `${format(until, 'EEE yyyy-MM-dd HH:mm')} ${tzName(zone, until, 'short')}`;
}

/** One freeze for a terminal line: `weekend ("weekend", window in America/New_York) until Mon 2026-03-09 08:00 EDT`. */
export function describeFreeze(freeze: ActiveFreeze): string {
  const source =
    freeze.kind === 'window' ? `window in ${freeze.timeZone ?? 'UTC'}` : `set by ${freeze.setBy?.name ?? 'someone'}`;
  return `${freeze.name} ("${freeze.reason}", ${source}) until ${freezeEndText(freeze)}`;
}

/** The refusal of a change during `freezes`, for the terminal and the record. */
export function frozenMessage(service: string, what: string, freezes: readonly ActiveFreeze[]): string {
  return `${service} is frozen: ${freezes.map(describeFreeze).join('; ')}. No ${what} until it lifts; rollbacks, stops and restarts go through. An override needs --force and a second person's approval.`;
}

/**
 * Passes when `svc` is not frozen, or when the request forces it with an approved override (used up here).
 * @throws CodedError `frozen` (not forced), `approval_required` (forced without an approval),
 * `approval_invalid` (not an approved override of this change).
 */
export async function guardFreeze(
  ctx: EngineContext,
  run: ChangeRun,
  svc: NamedService,
  req: GuardedRequest & { sha: string | null },
): Promise<void> {
  const freezes = await freezesOf(ctx, svc.name);
  if (freezes.length === 0) return;
  const names = freezes.map((f) => ({ name: f.name, kind: f.kind, reason: f.reason, until: f.until }));
  if (!req.force || !req.approvalId) {
    run.emit({ type: 'frozen', freezes, approvedBy: null });
    await writeAudit(ctx, {
      actor: req.actor,
      action: 'freeze.refused',
      service: svc.name,
      details: { kind: run.kind, changeId: run.id, freezes: names, forced: Boolean(req.force) },
    });
    const message = frozenMessage(svc.name, `${run.kind}s`, freezes);
    if (!req.force) throw new CodedError(ErrorCodes.frozen, message);
    throw new CodedError(
      ErrorCodes.approvalRequired,
      `${svc.name} is frozen (${freezeNames(freezes)}): a forced ${run.kind} needs a second person's approval of the override first`,
    );
  }
  const approval = await useOverride(ctx, svc, req, req.approvalId);
  const approvedBy = approval.decidedBy;
  run.start('approval');
  run.finish(
    'approval',
    'ok',
    `freeze override (${freezeNames(freezes)}) approved by ${approvedBy?.name ?? '?'}`,
    approvedBy ? { approvedBy } : {},
  );
  run.emit({ type: 'frozen', freezes, approvedBy });
  await writeAudit(ctx, {
    actor: req.actor,
    action: 'freeze.override',
    service: svc.name,
    details: { changeId: run.id, approvalId: approval.id, approvedBy, freezes: names },
  });
}

/** Checks the approval is an approved override of this very change, and uses it up (single use). */
function useOverride(
  ctx: EngineContext,
  svc: NamedService,
  req: GuardedRequest & { sha: string | null },
  approvalId: string,
): Promise<ApprovalRequest> {
  return useApprovedOverride(ctx, {
    approvalId,
    service: svc.name,
    actor: req.actor,
    matches: (a) => a.params.freezeOverride === true && (req.sha === null || a.params.sha === req.sha),
    refusal: `approval ${approvalId.slice(0, 40)} is not an approved freeze override of this deploy of ${svc.name}`,
  });
}
