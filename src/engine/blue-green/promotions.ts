/**
 * Answers a deployment paused at a PAUSE hook: CONTINUE (shift production traffic to green) or
 * ROLLBACK. Works from any process: it finds our deploy in the store, checks that ECS's paused
 * deployment is that deploy's and still waits at the hook the person saw, then calls
 * ContinueServiceDeployment. The change that follows the deployment sees the answer on its next read.
 */
import { writeAudit } from '../change/audit';
import { getService } from '../../config/load';
import type { NamedService } from '../../config/schema';
import { describeError, isCodedError } from '../../errors';
import type { EngineContext } from '../context';
import type { DeployRecord } from '../model';
import {
  isInFlight,
  pausedHook,
  ServiceDeploymentErrorCodes,
  type HookAction,
  type LifecycleHookState,
  type ServiceDeployment,
} from '../service-deployment';
import type { Actor } from '../types';
import { claimAnswer, confirmSecond, type PauseClick } from './two-person';

export type PromotionRefusal =
  /** No deploy of ours waits at a hook. */
  | 'not_paused'
  /** The deployment in flight was not started by ecs-chatops (or not by that change). */
  | 'not_ours'
  /** The button's change or hook is not the one waiting now (finished, answered, replaced). */
  | 'moved_on'
  | 'expired'
  /** Another click of the same pause is being answered right now. */
  | 'in_progress'
  /** The service needs a second person: this click is recorded, waiting for another one. */
  | 'needs_second_person'
  | 'same_person'
  | 'failed';

export type PromotionResult =
  | {
      ok: true;
      action: HookAction;
      service: string;
      hookId: string;
      changeId: string;
      message: string;
      /** The first of two people, when this answer completed their request. */
      firstBy?: Actor;
    }
  | {
      ok: false;
      code: PromotionRefusal;
      service: string;
      message: string;
      /** With `needs_second_person`: the recorded first click, for the pause message ("1 of 2: …"). */
      pending?: { by: Actor; action: HookAction };
    };

export interface PromotionRequest {
  service: string;
  actor: Actor;
  action: HookAction;
  /** The change and hook the person saw (a Slack button); without them, whatever of ours waits now. */
  changeId?: string;
  hookId?: string;
  /** The pause message clicked (Slack), kept with a first click. */
  message?: { channel: string; ts: string };
}

/** A deploy of ours waiting at a PAUSE hook. */
export interface PausedDeployment {
  record: DeployRecord;
  deployment: ServiceDeployment;
  hook: LifecycleHookState;
}

export const PROMOTE_AUDIT = 'promote';

export class Promotions {
  /** Hooks being answered in this process (a double click waits for nothing and does nothing). */
  private readonly answering = new Set<string>();

  constructor(private readonly ctx: EngineContext) {}

  /**
   * Answers the pause. Refusals are values (and audited); AWS errors other than "not paused" throw.
   * @throws CodedError `unknown_service`.
   */
  async decide(req: PromotionRequest): Promise<PromotionResult> {
    const svc = getService(this.ctx.config, req.service);
    const refuse = async (code: PromotionRefusal, message: string): Promise<PromotionResult> => {
      await writeAudit(this.ctx, {
        actor: req.actor,
        action: `${PROMOTE_AUDIT}.refused`,
        service: svc.name,
        details: { action: req.action, code, changeId: req.changeId ?? null, hookId: req.hookId ?? null },
      });
      return { ok: false, code, service: svc.name, message };
    };
    const waiting = await this.waitingHook(svc, req);
    if ('refusal' in waiting) return refuse(waiting.refusal, waiting.message);
    const { record, deployment, hook } = waiting;
    if (this.answering.has(hook.hookId))
      return refuse('in_progress', `Someone is answering this pause right now; nothing more was done.`);
    const click: PauseClick = { svc, changeId: record.id, hook, actor: req.actor, action: req.action };
    let firstBy: Actor | undefined;
    if (svc.requireApproval.includes('promote') && req.actor.via === 'slack') {
      const second = await confirmSecond(this.ctx, { ...click, message: req.message });
      if ('refusal' in second) return refuse(second.refusal, second.message);
      if ('pending' in second) return second.pending;
      firstBy = second.firstBy;
    }
    // One answer per hook, whichever replicas the clicks reach: claimed by one conditional write.
    const claim = await claimAnswer(this.ctx, click);
    if ('refusal' in claim) return refuse(claim.refusal, claim.message);
    this.answering.add(hook.hookId);
    try {
      await this.ctx.ecs.continueServiceDeployment(svc.region, deployment.arn, hook.hookId, req.action);
    } catch (error) {
      if (isCodedError(error) && error.code === ServiceDeploymentErrorCodes.noPausedHook)
        return await refuse('moved_on', 'That pause was already answered; nothing more was done.');
      return await refuse(
        'failed',
        `ECS did not take the answer: ${describeError(error)}. Nothing was done; answer it in the ECS console, or ECS applies its timeout action${expiry(hook)}.`,
      );
    } finally {
      this.answering.delete(hook.hookId);
    }
    return this.answered(req, svc, { record, deployment, hook }, firstBy);
  }

  /** The pause the request names, still waiting and not expired; or why not. */
  private async waitingHook(
    svc: NamedService,
    req: PromotionRequest,
  ): Promise<PausedDeployment | { refusal: PromotionRefusal; message: string }> {
    const found = await this.find(svc, req.changeId);
    if ('refusal' in found) {
      // A button names its pause: when ECS has moved on, that pause is over however it ended.
      const over =
        req.hookId && found.refusal === 'not_paused' ? `That pause is over (it expired or was answered). ` : '';
      return { refusal: over ? 'moved_on' : found.refusal, message: `${over}${found.message}` };
    }
    const { deployment } = found;
    const hook = pausedHook(deployment);
    const seen = req.hookId ? deployment.hooks.find((h) => h.hookId === req.hookId) : undefined;
    const at = deployment.lifecycleStage ?? deployment.status;
    if (!hook || (req.hookId && hook.hookId !== req.hookId)) {
      if (seen?.status === 'TIMED_OUT')
        return {
          refusal: 'expired',
          message: `That pause expired${expiry(seen)}; ECS applied its timeout action ${seen.timeoutAction ?? ''}. Nothing was done.`,
        };
      if (seen)
        return {
          refusal: 'moved_on',
          message: `That pause was already answered (hook ${seen.status ?? 'done'}); the deployment is at ${at}. Nothing was done.`,
        };
      return hook
        ? {
            refusal: 'moved_on',
            message: 'That button is for an earlier pause; use the latest message. Nothing was done.',
          }
        : {
            refusal: 'not_paused',
            message: `${svc.name} is not waiting at a pause hook (it is at ${at}). Nothing was done.`,
          };
    }
    if (hook.expiresAt && this.ctx.clock.now() >= hook.expiresAt.getTime())
      return {
        refusal: 'expired',
        message: `That pause expired${expiry(hook)}; ECS applies its timeout action ${hook.timeoutAction ?? ''}. Nothing was done.`,
      };
    return { ...found, hook };
  }

  /** Audits an answer ECS took, and says what happens now. */
  private async answered(
    req: PromotionRequest,
    svc: NamedService,
    { record, deployment, hook }: PausedDeployment,
    firstBy: Actor | undefined,
  ): Promise<PromotionResult> {
    await writeAudit(this.ctx, {
      actor: req.actor,
      action: PROMOTE_AUDIT,
      service: svc.name,
      details: {
        action: req.action,
        changeId: record.id,
        hookId: hook.hookId,
        serviceDeploymentArn: deployment.arn,
        ...(firstBy ? { requestedBy: firstBy.name } : {}),
      },
    });
    const message =
      req.action === 'CONTINUE'
        ? `${req.actor.name} shifted production traffic of ${svc.name} to green; ecs-chatops keeps watching through the bake.`
        : `${req.actor.name} rolled ${svc.name} back at the pause; production traffic stays on blue.`;
    return {
      ok: true,
      action: req.action,
      service: svc.name,
      hookId: hook.hookId,
      changeId: record.id,
      message,
      ...(firstBy ? { firstBy } : {}),
    };
  }

  /** Our deploy of `service` waiting at a hook, or null. Never throws for an unreadable API. */
  async paused(service: string): Promise<PausedDeployment | null> {
    const svc = getService(this.ctx.config, service);
    try {
      const found = await this.find(svc, undefined);
      if ('refusal' in found) return null;
      const hook = pausedHook(found.deployment);
      return hook ? { ...found, hook } : null;
    } catch (error) {
      // Asked for a button's or a status line's sake: an unreadable API means no pause to show, as documented.
      this.ctx.logger.debug({ err: error, service }, 'could not read whether the deployment is paused');
      return null;
    }
  }

  /** Who answered `hookId` through ecs-chatops, from the audit log (any process). */
  async answeredBy(service: string, hookId: string): Promise<{ name: string; action: HookAction } | null> {
    const entries = await this.ctx.store.listAudit({ service, limit: 50 });
    const hit = entries.find((e) => e.action === PROMOTE_AUDIT && e.details.hookId === hookId);
    if (!hit) return null;
    return {
      name: hit.details.autoContinue ? 'blueGreen.autoContinue' : hit.actor.name,
      action: hit.details.action === 'ROLLBACK' ? 'ROLLBACK' : 'CONTINUE',
    };
  }

  /** The running deploy of ours (`changeId` when given) and ECS's in-flight deployment of its revision. */
  private async find(
    svc: NamedService,
    changeId: string | undefined,
  ): Promise<{ record: DeployRecord; deployment: ServiceDeployment } | { refusal: PromotionRefusal; message: string }> {
    const record = changeId
      ? await this.ctx.store.getDeploy(changeId)
      : (await this.ctx.store.listDeploys({ service: svc.name, kind: 'deploy', limit: 1 }))[0];
    if (changeId && record?.service !== svc.name)
      return { refusal: 'moved_on', message: 'I do not know that deploy; nothing was done.' };
    if (record && record.outcome !== 'running') {
      return {
        refusal: changeId ? 'moved_on' : 'not_paused',
        message: `${changeId ? 'That deploy' : `The last deploy of ${svc.name}`} already finished (${record.outcome.replace('_', ' ')}); nothing was done.`,
      };
    }
    const listed = await this.ctx.ecs.listServiceDeployments(svc.region, svc.cluster, svc.service, {
      status: ['PENDING', 'IN_PROGRESS'],
    });
    const described = listed.length
      ? await this.ctx.ecs.describeServiceDeployments(
          svc.region,
          listed.slice(0, 10).map((d) => d.arn),
        )
      : [];
    const inFlight = described.filter(isInFlight);
    if (!record?.toTaskDefinition) {
      return inFlight.length
        ? {
            refusal: 'not_ours',
            message: `The deployment in progress on ${svc.name} was not started by ecs-chatops; answer it where it was started. Nothing was done.`,
          }
        : { refusal: 'not_paused', message: `No deploy of ${svc.name} is in progress; nothing was done.` };
    }
    const deployment = inFlight.find((d) => d.targetTaskDefinition === record.toTaskDefinition);
    if (!deployment) {
      return inFlight.length
        ? {
            refusal: 'not_ours',
            message: `The deployment in progress on ${svc.name} is not the one ecs-chatops started (${record.id}); nothing was done.`,
          }
        : { refusal: 'not_paused', message: `ECS shows no deployment of ${svc.name} in progress; nothing was done.` };
    }
    return { record, deployment };
  }
}

function expiry(hook: LifecycleHookState): string {
  return hook.expiresAt ? ` at ${hook.expiresAt.toISOString().replace('T', ' ').slice(0, 19)}Z` : '';
}
