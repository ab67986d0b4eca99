/** The one rule for using a second person's approval to override a guard (a freeze, an unverified promotion). */
import { CodedError, ErrorCodes } from '../../errors';
import type { EngineContext } from '../context';
import type { ApprovalRequest } from '../model';
import type { Actor } from '../types';

export interface OverrideUse {
  approvalId: string;
  service: string;
  actor: Actor;
  /** What else this guard's override must say (its kind, the release it was approved for). */
  matches: (approval: ApprovalRequest) => boolean;
  /** The refusal when the approval is not such an override. */
  refusal: string;
}

/**
 * Checks the approval is an approved deploy override of this service that `matches` accepts, and
 * uses it up (single use).
 * @throws CodedError `approval_invalid` when it is not, or when it was used or decided meanwhile.
 */
export async function useApprovedOverride(ctx: EngineContext, o: OverrideUse): Promise<ApprovalRequest> {
  const a = await ctx.store.getApproval(o.approvalId);
  if (a?.service !== o.service || a.action !== 'deploy' || a.status !== 'approved' || !o.matches(a))
    throw new CodedError(ErrorCodes.approvalInvalid, o.refusal);
  const used = await ctx.store.decideApproval(a.id, 'used', o.actor, new Date(ctx.clock.now()));
  if (!used.ok) throw new CodedError(ErrorCodes.approvalInvalid, `approval ${a.id} cannot be used: ${used.reason}`);
  return a;
}
