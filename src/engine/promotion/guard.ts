/**
 * The promotion policy, checked by every deploy of a service that promotes from another once its
 * digest is known: is this release verified (a successful deploy) on the source? `verified`
 * refuses it unless forced with a second person's approval, `warn` says so and goes on, `off`
 * says nothing. Refusals, warnings and overrides are audited.
 */
import type { NamedService } from '../../config/schema';
import { CodedError, ErrorCodes } from '../../errors';
import { writeAudit } from '../change/audit';
import { useApprovedOverride } from '../change/override';
import type { ChangeRun } from '../change/change-run';
import type { EngineContext } from '../context';
import type { ApprovalRequest } from '../model';
import type { Actor } from '../types';
import type { PromotionCheck, PromotionSource, Sighting, Verification } from './model';
import { ago, lastSighting, releaseText, sightingText, verificationOn } from './verification';

export interface PromotionInput {
  source: NamedService;
  sha: string | null;
  digest: string;
  /** Set for `deploy --from`. */
  promoted: PromotionSource | null;
  /** What the source runs now, when it moved on from the release pinned at request time. */
  movedOn: PromotionSource | null;
  force: boolean;
  approvalId?: string;
  actor: Actor;
}

/**
 * Judges the release, tells the front ends (a `promotion` event) and returns the finding.
 * @throws CodedError `promotion_unverified` (refused, not forced), `approval_required` (forced
 * without an approval), `approval_invalid` (not an approved override of this release).
 */
export async function checkPromotion(
  ctx: EngineContext,
  run: ChangeRun,
  svc: NamedService,
  input: PromotionInput,
): Promise<PromotionCheck> {
  const ref = { sha: input.sha, digest: input.digest };
  const verified = await verificationOn(ctx, input.source.name, ref);
  const lastSeen = verified ? null : await lastSighting(ctx, ref, run.id);
  const policy = svc.promotion.require;
  const base = { source: input.source.name, policy, promoted: input.promoted, ...ref, verified, lastSeen };
  const facts = factsText(ctx, input, verified, lastSeen);
  if (verified || policy !== 'verified') {
    const verdict = verified ? 'ok' : policy === 'warn' ? 'warned' : 'silent';
    const check: PromotionCheck = { ...base, verdict, approvedBy: null, message: facts };
    if (verdict === 'warned') await audit(ctx, run, 'promotion.unverified_warned', check);
    if (verdict !== 'silent') run.emit({ type: 'promotion', check });
    return check;
  }
  const refused: PromotionCheck = { ...base, verdict: 'overridden', approvedBy: null, message: facts };
  if (!input.force || !input.approvalId) {
    await audit(ctx, run, input.force ? 'promotion.override_needs_approval' : 'promotion.refused', refused);
    const rule = `${svc.name} deploys only releases verified on ${input.source.name} (promotion.require: verified)`;
    if (!input.force)
      throw new CodedError(
        ErrorCodes.promotionUnverified,
        `${facts}. ${rule}. An override needs --force and a second person's approval.`,
        { details: { facts, rule, source: input.source.name, sha: input.sha, digest: input.digest, lastSeen } },
      );
    throw new CodedError(
      ErrorCodes.approvalRequired,
      `${facts}. ${rule}: a forced deploy needs a second person's approval first (in Slack: /deploy ${svc.name} from ${input.source.name} force)`,
    );
  }
  const approval = await useOverride(ctx, svc, input, input.approvalId);
  run.start('approval');
  run.finish('approval', 'ok', `promotion override approved by ${approval.decidedBy?.name ?? '?'}`, {
    ...(approval.decidedBy ? { approvedBy: approval.decidedBy } : {}),
  });
  const check: PromotionCheck = { ...refused, approvedBy: approval.decidedBy, message: `${facts}; forced` };
  await audit(ctx, run, 'promotion.override', check, { approvalId: approval.id });
  run.emit({ type: 'promotion', check });
  return check;
}

/** What is known of the release, plain text: "promoting abc1234 (digest …), verified on backend-staging 2 hours ago by alice". */
export function factsText(
  ctx: EngineContext,
  input: Pick<PromotionInput, 'source' | 'sha' | 'digest' | 'promoted' | 'movedOn'>,
  verified: Verification | null,
  lastSeen: Sighting | null,
): string {
  const release = releaseText({ sha: input.sha, digest: input.digest });
  const what = input.promoted ? `promoting ${release}` : release;
  const moved = input.movedOn
    ? `; ${input.source.name} has moved on to ${releaseText(input.movedOn)} since it was asked for: the release asked for is promoted`
    : '';
  if (verified)
    return `${what}, verified on ${input.source.name} ${ago(ctx, verified.at)} by ${verified.by.name}${moved}`;
  return `${what} has no verified deploy on ${input.source.name}: ${sightingText(ctx, lastSeen)}${moved}`;
}

async function audit(
  ctx: EngineContext,
  run: ChangeRun,
  action: string,
  check: PromotionCheck,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await writeAudit(ctx, {
    actor: run.actor,
    action,
    service: run.service,
    details: { changeId: run.id, source: check.source, sha: check.sha, digest: check.digest, ...extra },
  });
}

/** The approval must be an approved override of this very release (its digest), and is used up. */
function useOverride(
  ctx: EngineContext,
  svc: NamedService,
  input: PromotionInput,
  approvalId: string,
): Promise<ApprovalRequest> {
  return useApprovedOverride(ctx, {
    approvalId,
    service: svc.name,
    actor: input.actor,
    matches: (a) => a.params.promotionOverride === true && a.params.digest === input.digest,
    refusal: `approval ${approvalId.slice(0, 40)} is not an approved override of this release (${releaseText(input)}) for ${svc.name}`,
  });
}
