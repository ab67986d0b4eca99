/**
 * The shared part of answering a blue/green pause: the first click of a pause that needs two
 * people, kept in the store (single use, expiring with the hook) so the second click may reach
 * any replica, even after a restart; and the hook's one answer, claimed by one conditional write
 * so ContinueServiceDeployment goes out once per pause however many clicks reach however many
 * replicas.
 */
import type { NamedService } from '../../config/schema';
import type { EngineContext } from '../context';
import type { PromoteRequest } from '../store-port';
import type { HookAction, LifecycleHookState } from '../service-deployment';
import type { Actor } from '../types';
import { writeAudit } from '../change/audit';
import { PROMOTE_AUDIT, type PromotionRefusal, type PromotionResult } from './promotions';

export interface PauseClick {
  svc: NamedService;
  changeId: string;
  hook: LifecycleHookState;
  actor: Actor;
  action: HookAction;
  /** The pause message clicked, updated in place by the second click. */
  message?: { channel: string; ts: string };
}

export type SecondPerson =
  /** This click is the first: recorded, waiting for a second person. */
  | { kind: 'first'; request: PromoteRequest }
  /** This click completes the request of `first`. */
  | { kind: 'complete'; first: Actor }
  | { kind: 'same_person' }
  /** Completed already (by `by`), or the hook's pause expired. */
  | { kind: 'done'; by: Actor | null }
  | { kind: 'expired' };

/** The store's id of the request for `action` at `hookId`: one per hook and action, so ROLLBACK never completes CONTINUE. */
export const requestId = (hookId: string, action: HookAction) => `${hookId}:${action}`;
/** The store's id of the hook's one answer. */
export const answerId = (hookId: string) => `answer:${hookId}`;

function request(ctx: EngineContext, click: PauseClick, id: string, status: PromoteRequest['status']): PromoteRequest {
  const now = ctx.clock.now();
  const expires = click.hook.expiresAt?.getTime() ?? now + click.svc.timeouts.approval;
  return {
    id,
    service: click.svc.name,
    changeId: click.changeId,
    hookId: click.hook.hookId,
    action: click.action,
    requester: click.actor,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(expires).toISOString(),
    status,
    decidedBy: null,
    decidedAt: null,
    slack: click.message ?? null,
  };
}

/** Records the first click, or completes another person's first click for the same hook and action. */
export async function secondPerson(ctx: EngineContext, click: PauseClick): Promise<SecondPerson> {
  const id = requestId(click.hook.hookId, click.action);
  const first = request(ctx, click, id, 'pending');
  if (await ctx.store.insertPromoteRequest(first)) return { kind: 'first', request: first };
  const done = await ctx.store.completePromoteRequest(id, click.actor, new Date(ctx.clock.now()));
  if (done.ok) return { kind: 'complete', first: done.request.requester };
  switch (done.reason) {
    case 'self_approval':
      return { kind: 'same_person' };
    case 'expired':
      return { kind: 'expired' };
    case 'already_decided':
    case 'not_found':
      return { kind: 'done', by: done.request?.decidedBy ?? null };
  }
}

interface Refusal {
  refusal: PromotionRefusal;
  message: string;
}

/**
 * The two-person rule at a click: the first click is recorded (and `pending` says so), the same
 * person twice is refused, and a second person's click goes on (`firstBy` names the first).
 */
export async function confirmSecond(
  ctx: EngineContext,
  click: PauseClick,
): Promise<{ firstBy: Actor } | { pending: PromotionResult } | Refusal> {
  const { svc, actor, action, hook } = click;
  const verb = action === 'CONTINUE' ? 'shift production traffic' : 'roll back';
  const second = await secondPerson(ctx, click);
  switch (second.kind) {
    case 'first':
      await writeAudit(ctx, {
        actor,
        action: `${PROMOTE_AUDIT}.requested`,
        service: svc.name,
        details: { action, changeId: click.changeId, hookId: hook.hookId },
      });
      return {
        pending: {
          ok: false,
          code: 'needs_second_person',
          service: svc.name,
          pending: { by: actor, action },
          message: `Recorded: ${actor.name} asks to ${verb} for ${svc.name}. It needs a second person in access.promote to press the same button.`,
        },
      };
    case 'complete':
      return { firstBy: second.first };
    case 'same_person':
      return {
        refusal: 'same_person',
        message: `You already asked to ${verb}; ${svc.name} needs a second person to confirm. Nothing more was done.`,
      };
    case 'expired':
      return { refusal: 'expired', message: 'That pause expired; nothing was done.' };
    case 'done':
      return {
        refusal: 'moved_on',
        message: `That request was already confirmed${second.by ? ` by ${second.by.name}` : ''}; nothing more was done.`,
      };
  }
}

/**
 * Claims the hook's one answer; a refusal when another click (on any replica) claimed it first,
 * naming who and what they answered.
 */
export async function claimAnswer(ctx: EngineContext, click: PauseClick): Promise<{ ok: true } | Refusal> {
  const claim = request(ctx, click, answerId(click.hook.hookId), 'used');
  if (await ctx.store.insertPromoteRequest(claim)) return { ok: true };
  const held = await ctx.store.getPromoteRequest(claim.id);
  const by = held ? ` by ${held.requester.name} (${held.action === 'CONTINUE' ? 'shift traffic' : 'roll back'})` : '';
  return { refusal: 'moved_on', message: `That pause was already answered${by}; nothing more was done.` };
}
