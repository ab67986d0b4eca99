/** Starts a change from a command: through an approval request when the service wants one, or to override a freeze. */
import type { SlackDeps, StartChangeEngine } from '../../deps';
import type { ChangeSpec } from '../../change-runner';
import { refusalText } from '../../refused-change';
import { freezeNames } from '../../../engine/freeze/model';
import type { CommandContext } from './command-handler';

export async function startChange(
  deps: SlackDeps<StartChangeEngine>,
  ctx: CommandContext,
  spec: ChangeSpec,
  reason: string,
): Promise<void> {
  // A forced deploy into a freeze is an override: a second person approves it first. Unforced, the
  // engine refuses it, and its thread shows the freeze.
  const freezes = spec.kind === 'deploy' && spec.force ? await deps.engine.activeFreezes(spec.service) : [];
  const override = freezes.length > 0;
  if (override || deps.engine.requiresApproval(spec.service, spec.kind)) {
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
