/**
 * The two buttons of a paused blue/green deployment: "Shift production traffic" (`promote`,
 * ContinueServiceDeployment CONTINUE) and "Roll back" (`rollback_paused`, ROLLBACK: production
 * never leaves blue). Each is authorised again at click time (`access.promote`), then answered by
 * the engine, which checks that the pause the button names is ours and still waiting. Refusals (a
 * stale or double click, an expired pause) are told to the clicker only, and audited.
 */
import type { App } from '@slack/bolt';
import type { Promotions } from '../../../engine/api';
import type { HookAction } from '../../../engine/service-deployment';
import type { Actor } from '../../../engine/types';
import type { ReadEngine, SlackDeps } from '../../deps';
import { actorText } from '../../views/format';
import { parsePauseButtonValue } from '../../views/pause';
import { actionHandler } from './action-handler';

export function registerPauseAnswer(
  app: App,
  deps: SlackDeps<ReadEngine & Pick<Promotions, 'promote' | 'rollbackPaused'>>,
  actionId: 'promote' | 'rollback_paused',
): void {
  app.action(
    actionId,
    actionHandler(deps, async (ctx) => {
      const target = parsePauseButtonValue(ctx.value);
      if (!target || !Object.hasOwn(deps.config.services, target.service))
        return ctx.refuse(actionId, null, 'malformed button value', 'That button is not valid; nothing was done.');
      if (!(await ctx.authorise('promote', target.service))) return;
      const request = {
        service: target.service,
        actor: ctx.actor,
        changeId: target.changeId,
        hookId: target.hookId,
        ...(ctx.message ? { message: ctx.message } : {}),
      };
      const answer =
        actionId === 'promote' ? await deps.engine.promote(request) : await deps.engine.rollbackPaused(request);
      if (!answer.ok) {
        // The first of two people: the pause message says so in place, on whichever replica the second click lands.
        if (answer.pending) await ctx.annotate(pendingBlockId(actionId, target.changeId), firstOfTwo(answer.pending));
        return ctx.reply(`:information_source: ${answer.message}`);
      }
      const asked = answer.firstBy ? ` (asked by ${actorText(answer.firstBy)})` : '';
      const text =
        actionId === 'promote'
          ? `:arrow_forward: ${actorText(ctx.actor)} shifted production traffic to green${asked}`
          : `:leftwards_arrow_with_hook: ${actorText(ctx.actor)} rolled back at the pause; production stays on blue${asked}`;
      await ctx.markDone(text, [
        pendingBlockId('promote', target.changeId),
        pendingBlockId('rollback_paused', target.changeId),
      ]);
      const reporter = deps.changes.reporterFor(target.changeId);
      if (!reporter) await ctx.reply(answer.message);
    }),
  );
}

/** The pause message's line for a first click of `actionId`, one per answer so the two never overwrite each other. */
function pendingBlockId(actionId: 'promote' | 'rollback_paused', changeId: string): string {
  return `pause-pending:${actionId}:${changeId}`.slice(0, 255);
}

/** "1 of 2: @carol asked to shift production traffic". */
function firstOfTwo(pending: { by: Actor; action: HookAction }): string {
  const verb = pending.action === 'CONTINUE' ? 'shift production traffic' : 'roll back';
  return `:busts_in_silhouette: 1 of 2: ${actorText(pending.by)} asked to ${verb}; a second person in \`access.promote\` confirms by pressing the same button.`;
}
