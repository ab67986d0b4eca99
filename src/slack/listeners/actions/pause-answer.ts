/**
 * The two buttons of a paused blue/green deployment: "Shift production traffic" (`promote`,
 * ContinueServiceDeployment CONTINUE) and "Roll back" (`rollback_paused`, ROLLBACK: production
 * never leaves blue). Each is authorised again at click time (`access.promote`), then answered by
 * the engine, which checks that the pause the button names is ours and still waiting. Refusals (a
 * stale or double click, an expired pause) are told to the clicker only, and audited.
 */
import type { App } from '@slack/bolt';
import type { Promotions } from '../../../engine/api';
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
      const request = { service: target.service, actor: ctx.actor, changeId: target.changeId, hookId: target.hookId };
      const answer =
        actionId === 'promote' ? await deps.engine.promote(request) : await deps.engine.rollbackPaused(request);
      if (!answer.ok) return ctx.reply(`:information_source: ${answer.message}`);
      const text =
        actionId === 'promote'
          ? `:arrow_forward: ${actorText(ctx.actor)} shifted production traffic to green`
          : `:leftwards_arrow_with_hook: ${actorText(ctx.actor)} rolled back at the pause; production stays on blue`;
      await ctx.markDone(text);
      const reporter = deps.changes.reporterFor(target.changeId);
      if (!reporter) await ctx.reply(answer.message);
    }),
  );
}
