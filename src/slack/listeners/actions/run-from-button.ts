/** Starts a change from a click: guarded against double clicks, busy services and missing approvals. */
import type { ChangeSpec } from '../../change-runner';
import type { SlackDeps, StartChangeEngine } from '../../deps';
import { refusalText } from '../../refused-change';
import { actorText } from '../../views/format';
import type { ActionContext } from './action-handler';

export async function runFromButton(
  deps: SlackDeps<StartChangeEngine>,
  ctx: ActionContext,
  key: string,
  spec: ChangeSpec,
  doneText: string,
): Promise<void> {
  if (!deps.changes.claim(key))
    return ctx.reply('Already on it: someone clicked this a moment ago. Nothing more was done.');
  try {
    const lock = await deps.engine.getLock(spec.service);
    if (lock) {
      await ctx.reply(
        `${spec.service} is busy: a ${lock.action} by ${actorText(lock.actor)} holds it. Nothing was done.`,
      );
      return;
    }
    const channel = ctx.channel ?? deps.config.channel;
    if (!channel) {
      await ctx.reply('I cannot tell which channel to report in; use the slash command instead.');
      return;
    }
    if (deps.engine.requiresApproval(spec.service, spec.kind)) {
      await deps.approvals.request(spec, { requester: ctx.actor, reason: `${spec.kind} from a button`, channel });
      await ctx.markDone(`:raised_hand: ${spec.kind} requested by ${actorText(ctx.actor)}; waiting for approval`);
      return;
    }
    await ctx.markDone(doneText);
    const outcome = await deps.changes.run(spec, { actor: ctx.actor, channel });
    const r = outcome.result;
    if (r.outcome === 'refused' || r.outcome === 'invalid') await ctx.reply(await refusalText(deps.engine, r));
  } finally {
    deps.changes.release(key);
  }
}
