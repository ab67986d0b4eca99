/** Second-person approvals: who needs one, asking, deciding, and using one inside a change. */
import { randomBytes } from 'node:crypto';
import type { ChangeAction, NamedService } from '../../config/schema';
import { getService } from '../../config/load';
import { CodedError, ErrorCodes } from '../../errors';
import type { ApprovalRequestInput, Approvals } from '../api';
import { writeAudit } from './audit';
import type { ChangeRun } from './change-run';
import type { EngineContext } from '../context';
import type { ApprovalRequest } from '../model';
import type { ApprovalDecision } from '../ports';
import { invalidInput } from './results';
import { changesHeadline, forApproval, lookupChanges, type DeployChanges } from '../changes';
import { parseSha } from '../release-ref';
import { releaseText } from '../promotion/verification';
import { runningTaskDefinition } from '../watch/rollout';
import type { Actor } from '../types';

export class EngineApprovals implements Approvals {
  constructor(private readonly ctx: EngineContext) {}

  requiresApproval(service: string, action: ChangeAction): boolean {
    const svc = getService(this.ctx.config, service);
    return action === 'stop' || svc.requireApproval.includes(action);
  }

  async requestApproval(input: ApprovalRequestInput): Promise<ApprovalRequest> {
    const svc = getService(this.ctx.config, input.service);
    const reason = input.reason.trim();
    if (!reason) throw invalidInput('a reason is required');
    const changes = await this.changesOf(svc, input);
    const impact = `${await this.impactOf(svc, input)}${changes ? `; ${changesHeadline(changes)}` : ''}`;
    const now = this.ctx.clock.now();
    const request: ApprovalRequest = {
      id: `a-${randomBytes(6).toString('hex')}`,
      service: svc.name,
      action: input.action,
      params: { ...input.params, ...(changes ? { changes: forApproval(changes) } : {}) },
      requester: input.requester,
      reason: reason.slice(0, 500),
      impact,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + svc.timeouts.approval).toISOString(),
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      slack: null,
    };
    await this.ctx.store.insertApproval(request);
    await writeAudit(this.ctx, {
      actor: input.requester,
      action: 'approval.requested',
      service: svc.name,
      details: { approvalId: request.id, action: input.action, reason: request.reason, impact },
    });
    return request;
  }

  async decideApproval(id: string, decision: 'approved' | 'denied', by: Actor): Promise<ApprovalDecision> {
    const result = await this.ctx.store.decideApproval(id, decision, by, new Date(this.ctx.clock.now()));
    const action = result.ok ? `approval.${decision}` : `approval.${decision}.refused`;
    await writeAudit(this.ctx, {
      actor: by,
      action,
      service: result.request?.service ?? null,
      details: { approvalId: id, ...(result.ok ? {} : { reason: result.reason }) },
    });
    return result;
  }

  getApproval(id: string): Promise<ApprovalRequest | undefined> {
    return Promise.resolve(this.ctx.store.getApproval(id));
  }

  async setApprovalSlack(id: string, slack: { channel: string; ts: string }): Promise<void> {
    await this.ctx.store.setApprovalSlack(id, slack);
  }

  /**
   * The `approval` phase of a change: skipped when not needed, else uses up the granted approval.
   * @throws CodedError `approval_required` / `approval_invalid`.
   */
  async usePhase(
    run: ChangeRun,
    svc: NamedService,
    action: ChangeAction,
    req: { actor: Actor; approvalId?: string },
  ): Promise<void> {
    // An override (promotion, freeze) already took a second person's approval for this change.
    if (run.phases.some((p) => p.name === 'approval' && p.status === 'ok')) return;
    const needed = this.requiresApproval(svc.name, action) && req.actor.via === 'slack';
    if (!needed) {
      run.skip(
        'approval',
        req.actor.via === 'slack'
          ? 'not required for this service'
          : `${req.actor.via} user; recorded in the audit log`,
      );
      return;
    }
    run.start('approval');
    if (!req.approvalId)
      throw new CodedError(ErrorCodes.approvalRequired, `${action} of ${svc.name} needs a second person's approval`);
    const a = await this.ctx.store.getApproval(req.approvalId);
    if (a?.service !== svc.name || a.action !== action || a.status !== 'approved') {
      throw new CodedError(
        ErrorCodes.approvalInvalid,
        `approval ${req.approvalId} is not an approved ${action} of ${svc.name}`,
      );
    }
    const used = await this.ctx.store.decideApproval(a.id, 'used', req.actor, new Date(this.ctx.clock.now()));
    if (!used.ok) throw new CodedError(ErrorCodes.approvalInvalid, `approval ${a.id} cannot be used: ${used.reason}`);
    run.finish(
      'approval',
      'ok',
      `approved by ${a.decidedBy?.name ?? '?'}`,
      a.decidedBy ? { approvedBy: a.decidedBy } : {},
    );
  }

  /** A deploy's changes, for the approvers to read; null for other actions or when there is nothing to show. */
  private async changesOf(svc: NamedService, input: ApprovalRequestInput): Promise<DeployChanges | null> {
    const sha = parseSha(input.params?.sha);
    if (input.action !== 'deploy' || !sha || !svc.repositoryUrl) return null;
    try {
      const [state] = await this.ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
      const current = await this.ctx.ecs.describeTaskDefinition(svc.region, runningTaskDefinition(state));
      return await lookupChanges(this.ctx, svc, current, sha);
    } catch (e) {
      // The request goes out without them: the approvers still see the SHA, and the deploy reads them again.
      this.ctx.logger.warn({ err: e, service: svc.name }, 'could not read the changes for an approval request');
      return null;
    }
  }

  private async impactOf(svc: NamedService, input: ApprovalRequestInput): Promise<string> {
    if (input.action === 'stop') {
      const [state] = await this.ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
      return `desired ${state.desiredCount} → 0 (${state.runningCount} running tasks stop)`;
    }
    if (input.action === 'deploy' && typeof input.params?.from === 'string')
      return promotionImpact(svc, input.params.from, input.params);
    if (input.action === 'deploy' && typeof input.params?.sha === 'string')
      return `deploy ${input.params.sha.slice(0, 12)} to ${svc.name}${input.params.freezeOverride === true ? ' during a freeze' : ''}`;
    if (input.action === 'restart' && typeof input.params?.count === 'number') return `desired → ${input.params.count}`;
    return `${input.action} ${svc.name}`;
  }
}

/** "promote abc1234 (digest …) from backend-staging to backend", and an override says what it overrides. */
function promotionImpact(svc: NamedService, source: string, params: Record<string, unknown>): string {
  const from = source.slice(0, 40);
  const release = releaseText({
    sha: parseSha(params.sha),
    digest: typeof params.digest === 'string' ? params.digest : null,
  });
  const override =
    params.promotionOverride === true
      ? `; OVERRIDE: not verified on ${from}, and ${svc.name} requires promotion.require: verified`
      : '';
  return `promote ${release} from ${from} to ${svc.name}${override}`;
}
