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
  | { ok: true; action: HookAction; service: string; hookId: string; changeId: string; message: string }
  | { ok: false; code: PromotionRefusal; service: string; message: string };

export interface PromotionRequest {
  service: string;
  actor: Actor;
  action: HookAction;
  /** The change and hook the person saw (a Slack button); without them, whatever of ours waits now. */
  changeId?: string;
  hookId?: string;
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
  /** First clicks of services that need a second person, by hook id. */
  private readonly firstClicks = new Map<string, { actor: Actor; action: HookAction }>();

  constructor(private readonly ctx: EngineContext) {}

  /**
   * Answers the pause. Refusals are values (and audited); AWS errors other than "not paused" throw.
   * @throws CodedError `unknown_service`.
   */
  async decide(req: PromotionRequest): Promise<PromotionResult> {
    const svc = getService(this.ctx.config, req.service);
    const verb = req.action === 'CONTINUE' ? 'shift production traffic' : 'roll back';
    const refuse = async (code: PromotionRefusal, message: string): Promise<PromotionResult> => {
      await writeAudit(this.ctx, {
        actor: req.actor,
        action: `${PROMOTE_AUDIT}.refused`,
        service: svc.name,
        details: { action: req.action, code, changeId: req.changeId ?? null, hookId: req.hookId ?? null },
      });
      return { ok: false, code, service: svc.name, message };
    };
    const found = await this.find(svc, req.changeId);
    if ('refusal' in found) {
      // A button names its pause: when ECS has moved on, that pause is over however it ended.
      const over =
        req.hookId && found.refusal === 'not_paused' ? `That pause is over (it expired or was answered). ` : '';
      return refuse(over ? 'moved_on' : found.refusal, `${over}${found.message}`);
    }
    const { record, deployment } = found;
    const hook = pausedHook(deployment);
    const seen = req.hookId ? deployment.hooks.find((h) => h.hookId === req.hookId) : undefined;
    if (!hook || (req.hookId && hook.hookId !== req.hookId)) {
      if (seen?.status === 'TIMED_OUT')
        return refuse(
          'expired',
          `That pause expired${expiry(seen)}; ECS applied its timeout action ${seen.timeoutAction ?? ''}. Nothing was done.`,
        );
      if (seen)
        return refuse(
          'moved_on',
          `That pause was already answered (hook ${seen.status ?? 'done'}); the deployment is at ${deployment.lifecycleStage ?? deployment.status}. Nothing was done.`,
        );
      return refuse(
        hook ? 'moved_on' : 'not_paused',
        hook
          ? 'That button is for an earlier pause; use the latest message. Nothing was done.'
          : `${svc.name} is not waiting at a pause hook (it is at ${deployment.lifecycleStage ?? deployment.status}). Nothing was done.`,
      );
    }
    if (hook.expiresAt && this.ctx.clock.now() >= hook.expiresAt.getTime()) {
      return refuse(
        'expired',
        `That pause expired${expiry(hook)}; ECS applies its timeout action ${hook.timeoutAction ?? ''}. Nothing was done.`,
      );
    }
    if (this.answering.has(hook.hookId))
      return refuse('in_progress', `Someone is answering this pause right now; nothing more was done.`);
    if (svc.requireApproval.includes('promote') && req.actor.via === 'slack') {
      const first = this.firstClicks.get(hook.hookId);
      if (first?.actor.id === req.actor.id && first.action === req.action)
        return refuse(
          'same_person',
          `You already asked to ${verb}; ${svc.name} needs a second person to confirm. Nothing more was done.`,
        );
      if (first?.action !== req.action) {
        this.firstClicks.set(hook.hookId, { actor: req.actor, action: req.action });
        await writeAudit(this.ctx, {
          actor: req.actor,
          action: `${PROMOTE_AUDIT}.requested`,
          service: svc.name,
          details: { action: req.action, changeId: record.id, hookId: hook.hookId },
        });
        return {
          ok: false,
          code: 'needs_second_person',
          service: svc.name,
          message: `Recorded: ${req.actor.name} asks to ${verb} for ${svc.name}. It needs a second person in access.promote to press the same button.`,
        };
      }
    }
    this.answering.add(hook.hookId);
    try {
      await this.ctx.ecs.continueServiceDeployment(svc.region, deployment.arn, hook.hookId, req.action);
    } catch (error) {
      if (isCodedError(error) && error.code === ServiceDeploymentErrorCodes.noPausedHook)
        return await refuse('moved_on', 'That pause was already answered; nothing more was done.');
      return await refuse('failed', `ECS did not take the answer: ${describeError(error)}. Nothing was done.`);
    } finally {
      this.answering.delete(hook.hookId);
    }
    this.firstClicks.delete(hook.hookId);
    await writeAudit(this.ctx, {
      actor: req.actor,
      action: PROMOTE_AUDIT,
      service: svc.name,
      details: { action: req.action, changeId: record.id, hookId: hook.hookId, serviceDeploymentArn: deployment.arn },
    });
    const message =
      req.action === 'CONTINUE'
        ? `${req.actor.name} shifted production traffic of ${svc.name} to green; ecs-chatops keeps watching through the bake.`
        : `${req.actor.name} rolled ${svc.name} back at the pause; production traffic stays on blue.`;
    return { ok: true, action: req.action, service: svc.name, hookId: hook.hookId, changeId: record.id, message };
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
