/**
 * The rules of an approval decision, apart from storage: the store applies the verdict
 * inside one transaction, so two people clicking at once cannot both decide.
 */
import type { ApprovalRequest, ApprovalStatus } from '../engine/model';
import type { Actor } from '../engine/types';

export type ApprovalVerdict =
  | { kind: 'apply'; status: ApprovalStatus; from: ApprovalStatus; recordDecider: boolean }
  | { kind: 'expire' }
  | { kind: 'refuse'; reason: 'self_approval' | 'already_decided' };

/**
 * What deciding `request` with `decision` by `by` at `now` leads to.
 * - `approved`: only a pending, unexpired request, and never by its requester.
 * - `denied`: only a pending, unexpired request; the requester may deny (withdraw) their own.
 * - `used`: only an approved request (consumes it; the approver stays recorded).
 * - `expired`: only a pending request.
 * A pending request past `expiresAt` is expired instead of approved or denied.
 */
export function judgeApproval(
  request: Pick<ApprovalRequest, 'status' | 'requester' | 'expiresAt'>,
  decision: 'approved' | 'denied' | 'used' | 'expired',
  by: Actor,
  now: Date,
): ApprovalVerdict {
  if (decision === 'used') {
    return request.status === 'approved'
      ? { kind: 'apply', status: 'used', from: 'approved', recordDecider: false }
      : { kind: 'refuse', reason: 'already_decided' };
  }
  if (request.status !== 'pending') return { kind: 'refuse', reason: 'already_decided' };
  if (decision === 'expired') return { kind: 'apply', status: 'expired', from: 'pending', recordDecider: true };
  if (decision === 'approved' && by.id === request.requester.id) return { kind: 'refuse', reason: 'self_approval' };
  if (isExpired(request, now)) return { kind: 'expire' };
  return { kind: 'apply', status: decision, from: 'pending', recordDecider: true };
}

/** True at or after the request's deadline; an unreadable deadline counts as expired. */
export function isExpired(request: Pick<ApprovalRequest, 'expiresAt'>, now: Date): boolean {
  const deadline = Date.parse(request.expiresAt);
  return Number.isNaN(deadline) || now.getTime() >= deadline;
}
