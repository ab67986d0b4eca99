/** Starts a change from a command: through an approval request when the service wants one. */
import type { SlackDeps, StartChangeEngine } from '../../deps';
import type { ChangeSpec } from '../../change-runner';
import { refusalText } from '../../refused-change';
import type { CommandContext } from './command-handler';

export async function startChange(
  deps: SlackDeps<StartChangeEngine>,
  ctx: CommandContext,
  spec: ChangeSpec,
  reason: string,
): Promise<void> {
  if (deps.engine.requiresApproval(spec.service, spec.kind)) {
    await deps.approvals.request(spec, { requester: ctx.actor, reason, channel: ctx.channel });
    return ctx.reply(
      `:raised_hand: ${spec.kind} of ${spec.service} needs a second person: approval requested in <#${ctx.channel}>.`,
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
  if (r.outcome === 'refused' || r.outcome === 'invalid') await ctx.reply(refusalText(r));
}
