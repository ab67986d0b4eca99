/**
 * `/deploy <service> from <source> [force]`: reads what the source runs now and fixes it in the
 * change (and in any approval request), so what is approved is what is promoted. A release the
 * source never verified is refused by the engine under `promotion.require: verified`; `force`
 * asks a second person to approve the override instead.
 */
import type { Queries } from '../../../engine/api';
import { describeError } from '../../../errors';
import type { ChangeSpec } from '../../change-runner';
import type { PromoteArgs } from '../../command-parse';
import type { SlackDeps, StartChangeEngine } from '../../deps';
import { sanitise } from '../../views/blocks';
import type { CommandContext } from './command-handler';
import { startChange } from './start-change';

export type PromoteEngine = Pick<Queries, 'promotionCandidate'>;

export async function startPromotion(
  deps: SlackDeps<StartChangeEngine & PromoteEngine>,
  ctx: CommandContext,
  args: PromoteArgs,
): Promise<void> {
  let candidate;
  try {
    candidate = await deps.engine.promotionCandidate(args.service, args.from);
  } catch (e) {
    // Nothing started: the person is told why (an unknown source, an image not pinned by digest, AWS).
    deps.logger.info({ err: describeError(e), service: args.service }, 'promotion not started');
    return ctx.reply(`:x: ${sanitise(describeError(e), 500)}`);
  }
  const { release } = candidate;
  const spec: ChangeSpec = {
    kind: 'deploy',
    service: args.service,
    sha: release.sha ?? '',
    skipSmoke: args.skipSmoke,
    promotion: { from: args.from, image: release.image, digest: release.digest, force: args.force },
  };
  const reason = `promote ${release.sha?.slice(0, 7) ?? release.digest.slice(0, 19)} from ${args.from}`;
  const override = args.force && !candidate.verified && candidate.policy === 'verified';
  if (!override) return startChange(deps, ctx, spec, reason);
  await deps.approvals.request(spec, {
    requester: ctx.actor,
    reason: `override: ${reason} (not verified there)`,
    channel: ctx.channel,
  });
  return ctx.reply(
    `:raised_hand: ${sanitise(candidate.message, 400)}. Overriding promotion.require: verified needs a second person: approval requested in <#${ctx.channel}>.`,
  );
}
