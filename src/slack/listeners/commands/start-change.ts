/** Starts a change from a command: through an approval request when the service wants one, or to override a freeze. */
import type { SlackDeps, StartChangeEngine } from '../../deps';
import type { ChangeSpec } from '../../change-runner';
import { refusalText } from '../../refused-change';
import { freezeNames } from '../../../engine/freeze/model';
import type { CommandContext } from './command-handler';

/**
 * `refusedBeforeApproval`: the caller knows the engine refuses this change before its approval
 * phase (an unverified promotion under `promotion.require: verified`), so approvers are not asked.
 */
export async function startChange(
  deps: SlackDeps<StartChangeEngine>,
  ctx: CommandContext,
  spec: ChangeSpec,
  reason: string,
  refusedBeforeApproval = false,
): Promise<void> {
  // A forced deploy into a freeze is an override: a second person approves it first. Unforced, the
  // engine refuses it, and its thread shows the freeze, so nobody is asked to approve it first.
  const deploy = spec.kind === 'deploy';
  const freezes = deploy ? await deps.engine.activeFreezes(spec.service) : [];
  // `force` on a promotion is kept with the release it pins (`/deploy backend from backend-staging force`).
  const forced = deploy && (spec.force === true || spec.promotion?.force === true);
  const override = freezes.length > 0 && forced;
  const refused = refusedBeforeApproval || (freezes.length > 0 && !override);
  // The engine still checks the approval: should the freeze lift meanwhile, the change is refused as unapproved.
  if (override || (!refused && deps.engine.requiresApproval(spec.service, spec.kind))) {
    const asked = override ? { ...spec, freezeOverride: true } : spec;
    const why = override ? `freeze override (${freezeNames(freezes)}): ${reason}` : reason;
    await deps.approvals.request(asked, { requester: ctx.actor, reason: why, channel: ctx.channel });
    return ctx.reply(
      override
        ? `:raised_hand: ${spec.service} is frozen (${freezeNames(freezes)}): your override needs a second person, approval requested in <#${ctx.channel}>.`
        : `:raised_hand: ${spec.kind} of ${spec.service} needs a second person: approval requested in <#${ctx.channel}>.`,
    );
  }
  const outcome = await deps.changes.run(spec, {
    actor: ctx.actor,
    channel: ctx.channel,
    onThreadRefused: (why) =>
      void ctx.reply(
        `:warning: I cannot post the progress thread here (${why}); the ${spec.kind} goes on. Invite me or set \`channel\` in the config.`,
      ),
  });
  const r = outcome.result;
  if (r.outcome === 'refused' || r.outcome === 'invalid') await ctx.reply(await refusalText(deps.engine, r));
}
