/**
 * Approve and Deny clicks. The approval flow gives the answer; this first records the refusals it
 * will give before reaching the engine (an unknown request, a self-approval, a clicker without
 * approver rights). Refusals the engine itself decides (expired, already decided) are written to
 * the audit log by the engine's `decideApproval`; here they are only logged.
 */
import type { SlackDeps } from '../../deps';
import { recordRefusal, type Refusal } from '../../refusals';
import type { ActionContext } from './action-handler';

type Decision = 'approved' | 'denied';

export async function handleApprovalClick(deps: SlackDeps, ctx: ActionContext, decision: Decision): Promise<void> {
  await noteRefusal(deps, ctx, decision);
  await deps.approvals.decide(ctx.value, decision, ctx.actor, ctx.message, ctx.reply);
}

async function noteRefusal(deps: SlackDeps, ctx: ActionContext, decision: Decision): Promise<void> {
  const id = ctx.value.slice(0, 100);
  const refusal = (service: string | null, why: string): Refusal => ({
    actor: ctx.actor,
    what: `approval.${decision}`,
    service,
    why,
    where: 'approval',
    details: { approvalId: id },
  });
  const request = await deps.engine.getApproval(ctx.value);
  if (!request) return recordRefusal(deps, refusal(null, 'unknown approval request'));
  const isRequester = ctx.actor.id === request.requester.id;
  if (decision === 'approved' && isRequester) return recordRefusal(deps, refusal(request.service, 'self-approval: the requester cannot approve'));
  if (!(decision === 'denied' && isRequester)) {
    const auth = await deps.auth.check(ctx.actor.id, 'approve', request.service);
    if (!auth.allowed) return recordRefusal(deps, refusal(request.service, auth.reason));
  }
  // The engine audits these itself when it refuses the decision.
  const late = request.status !== 'pending' ? `already ${request.status}` : Date.parse(request.expiresAt) <= Date.now() ? 'expired' : null;
  if (late) deps.logger.warn({ user: ctx.actor.id, what: `approval.${decision}`, service: request.service, where: 'approval', why: late, approvalId: id }, 'request refused');
}
