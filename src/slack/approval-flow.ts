/**
 * Two-person approvals in Slack: post the request, take Approve/Deny clicks, run the approved
 * change once, and keep the message telling the truth (decided by whom, outcome, expired).
 * The engine enforces single use, expiry and approver ≠ requester; this checks them first only
 * to give a clear answer. The refusals it gives before reaching the engine (an unknown request, a
 * self-approval, a clicker without approver rights) are audited here; those the engine decides
 * (expired, already decided) are audited by the engine and only logged here.
 */
import type { Approvals, Locks } from '../engine/api';
import type { ApprovalRequest } from '../engine/model';
import type { Actor } from '../engine/types';
import type { Logger } from '../logger';
import type { Authorizer } from './auth';
import type { BotClient } from './bot-client';
import type { ChangeOutcome, ChangeRunner, ChangeSpec } from './change-runner';
import { promotionOf, promotionParams } from './promotion-params';
import { recordRefusal, type AuditLog } from './refusals';
import type { Reply } from './reply';
import { slackErrorCode } from './slack-client';
import type { MessageRef } from './slack-outbox';
import { refusalText } from './refused-change';
import { approvalView } from './views/approval';
import { actorText } from './views/format';
import { restartActions } from './views/status';
import { asBlocks, type SlackBlock } from './views/blocks';

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ApprovalFlowDeps {
  engine: Approvals & Pick<Locks, 'getLock'> & AuditLog;
  client: BotClient;
  auth: Authorizer;
  changes: ChangeRunner;
  logger: Logger;
}

export class ApprovalFlow {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: ApprovalFlowDeps) {}

  /**
   * Asks for a second person's approval of `spec` and posts the request in `channel`.
   * @throws CodedError from the engine (e.g. `unknown_service`), or a Slack error when posting fails.
   */
  async request(
    spec: ChangeSpec,
    input: { requester: Actor; reason: string; channel: string },
  ): Promise<ApprovalRequest> {
    const request = await this.deps.engine.requestApproval({
      service: spec.service,
      action: spec.kind,
      params: paramsOf(spec),
      requester: input.requester,
      reason: input.reason,
    });
    const msg = approvalView(request);
    const res = await this.deps.client.chat.postMessage({
      channel: input.channel,
      text: msg.text,
      blocks: asBlocks(msg.blocks),
    });
    const ref = { channel: res.channel ?? input.channel, ts: String(res.ts) };
    await this.deps.engine.setApprovalSlack(request.id, ref);
    this.scheduleExpiry({ ...request, slack: ref });
    return request;
  }

  /** Handles an Approve or Deny click by `user` on the message at `where`. Never throws. */
  async decide(
    id: string,
    decision: 'approved' | 'denied',
    user: Actor,
    where: MessageRef | null,
    reply: Reply,
  ): Promise<void> {
    const request = await this.deps.engine.getApproval(id);
    if (!request) {
      await this.noteRefusal(id, decision, user, null, 'unknown approval request');
      return reply('This approval request no longer exists; nothing was done.');
    }
    const ref = request.slack ?? where;
    const refusal = await this.refusal(request, decision, user);
    if (refusal) return reply(refusal);
    const decided = await this.deps.engine.decideApproval(id, decision, user);
    if (!decided.ok) {
      const current = decided.request ?? request;
      // The engine audits these refusals itself.
      const late =
        decided.reason === 'expired'
          ? 'expired'
          : decided.reason === 'already_decided'
            ? `already ${current.status}`
            : null;
      if (late)
        this.deps.logger.warn(
          {
            user: user.id,
            what: `approval.${decision}`,
            service: request.service,
            where: 'approval',
            why: late,
            approvalId: id.slice(0, 100),
          },
          'request refused',
        );
      if (decided.reason === 'expired') {
        await this.show(ref, { ...current, status: 'expired' });
        return reply('This request has expired; nothing was done. Ask again if it is still needed.');
      }
      if (decided.reason === 'already_decided') {
        return reply(
          `Already ${current.status}${current.decidedBy ? ` by ${actorText(current.decidedBy)}` : ''}; nothing more was done.`,
        );
      }
      if (decided.reason === 'self_approval') return reply('You asked for this; someone else must approve it.');
      return reply('This approval request no longer exists; nothing was done.');
    }
    this.clearTimer(id);
    if (decision === 'denied') {
      await this.show(ref, decided.request);
      return;
    }
    await this.show(ref, decided.request, ':hourglass_flowing_sand: Running…');
    await this.runApproved(decided.request, ref, reply);
  }

  /** Stops the expiry timers. */
  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Records and words a refusal the engine need not be asked about. @returns undefined when the click may go on. */
  private async refusal(
    request: ApprovalRequest,
    decision: 'approved' | 'denied',
    user: Actor,
  ): Promise<string | undefined> {
    const isRequester = user.id === request.requester.id;
    if (decision === 'approved' && isRequester) {
      await this.noteRefusal(
        request.id,
        decision,
        user,
        request.service,
        'self-approval: the requester cannot approve',
      );
      return 'You asked for this; someone else in the approvers list must approve it.';
    }
    // The requester may withdraw (deny) their own request; anyone else needs approver rights.
    if (decision === 'denied' && isRequester) return undefined;
    const auth = await this.deps.auth.check(user.id, 'approve', request.service);
    if (auth.allowed) return undefined;
    await this.noteRefusal(request.id, decision, user, request.service, auth.reason);
    return `:no_entry: ${auth.reason}.`;
  }

  private noteRefusal(
    id: string,
    decision: 'approved' | 'denied',
    user: Actor,
    service: string | null,
    why: string,
  ): Promise<void> {
    return recordRefusal(this.deps, {
      actor: user,
      what: `approval.${decision}`,
      service,
      why,
      where: 'approval',
      details: { approvalId: id.slice(0, 100) },
    });
  }

  private async runApproved(request: ApprovalRequest, ref: MessageRef | null, reply: Reply): Promise<void> {
    const spec = specOf(request);
    if (!spec) return this.show(ref, request, ':warning: This request cannot be run (unknown parameters).');
    let outcome: ChangeOutcome;
    try {
      outcome = await this.deps.changes.run(spec, {
        actor: request.requester,
        channel: ref?.channel ?? '',
        approvalId: request.id,
        onThreadRefused: (why) =>
          void reply(`The progress thread could not be posted here (${why}); the change goes on.`),
      });
    } catch (e) {
      this.deps.logger.error({ err: e, approvalId: request.id }, 'approved change failed unexpectedly');
      return this.show(ref, request, ':x: The approved change failed unexpectedly; see the bot logs.');
    }
    const r = outcome.result;
    const icon = r.ok ? ':white_check_mark:' : ':x:';
    const trailing: SlackBlock[] = [];
    if (outcome.kind === 'stop' && r.ok)
      trailing.push(restartActions(request.service, outcome.result.previousDesired ?? null));
    // A refusal (the service busy since the approval) is told as the commands tell it.
    await this.show(
      ref,
      request,
      r.outcome === 'refused' ? await refusalText({}, r) : `${icon} ${r.summary}`,
      trailing,
    );
  }

  private async show(
    ref: MessageRef | null,
    request: ApprovalRequest,
    outcome?: string,
    trailing?: SlackBlock[],
  ): Promise<void> {
    if (!ref) return;
    const msg = approvalView(request, { outcome, trailing });
    try {
      await this.deps.client.chat.update({
        channel: ref.channel,
        ts: ref.ts,
        text: msg.text,
        blocks: asBlocks(msg.blocks),
      });
    } catch (e) {
      this.deps.logger.warn({ err: slackErrorCode(e), approvalId: request.id }, 'cannot update the approval message');
    }
  }

  private scheduleExpiry(request: ApprovalRequest): void {
    const wait = Date.parse(request.expiresAt) - Date.now();
    // setTimeout fires at once beyond ~24.8 days; onExpiry re-checks the time anyway.
    const timer = setTimeout(() => void this.onExpiry(request), Math.min(Math.max(0, wait) + 250, MAX_TIMER_MS));
    timer.unref();
    this.timers.set(request.id, timer);
  }

  private async onExpiry(request: ApprovalRequest): Promise<void> {
    this.timers.delete(request.id);
    const current = await this.deps.engine.getApproval(request.id);
    if (!current || (current.status !== 'pending' && current.status !== 'expired')) return;
    if (current.status === 'pending' && Date.parse(current.expiresAt) > Date.now()) {
      this.scheduleExpiry(current);
      return;
    }
    await this.show(current.slack ?? request.slack, { ...current, status: 'expired' });
  }

  private clearTimer(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }
}

function paramsOf(spec: ChangeSpec): Record<string, unknown> {
  switch (spec.kind) {
    case 'deploy':
      return {
        sha: spec.sha,
        skipSmoke: spec.skipSmoke ?? false,
        ...(spec.force ? { force: true } : {}),
        ...(spec.freezeOverride ? { freezeOverride: true } : {}),
        ...promotionParams(spec.promotion),
      };
    case 'rollback':
      return { target: spec.target };
    case 'restart':
      return spec.count === undefined ? {} : { count: spec.count };
    case 'stop':
      return {};
  }
}

/** Rebuilds the change from a stored request. @returns undefined when its parameters are not ours. */
export function specOf(request: ApprovalRequest): ChangeSpec | undefined {
  const p = request.params;
  switch (request.action) {
    case 'deploy':
      return typeof p.sha === 'string'
        ? {
            kind: 'deploy',
            service: request.service,
            sha: p.sha,
            skipSmoke: p.skipSmoke === true,
            force: p.force === true,
            ...promotionOf(p),
          }
        : undefined;
    case 'rollback': {
      const t = p.target as { kind?: unknown; revision?: unknown; sha?: unknown } | undefined;
      if (t?.kind === 'previous') return { kind: 'rollback', service: request.service, target: { kind: 'previous' } };
      if (t?.kind === 'revision' && typeof t.revision === 'string')
        return { kind: 'rollback', service: request.service, target: { kind: 'revision', revision: t.revision } };
      if (t?.kind === 'sha' && typeof t.sha === 'string')
        return { kind: 'rollback', service: request.service, target: { kind: 'sha', sha: t.sha } };
      return undefined;
    }
    case 'restart':
      return { kind: 'restart', service: request.service, count: typeof p.count === 'number' ? p.count : undefined };
    case 'stop':
      return { kind: 'stop', service: request.service, reason: request.reason };
  }
}
