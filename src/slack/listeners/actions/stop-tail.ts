/** "Stop" on a live log tail: anyone who may read the service ends it (its thread then gets one closing message). */
import type { App } from '@slack/bolt';
import type { ReadEngine, SlackDeps } from '../../deps';
import { STOP_TAIL_ACTION } from '../../views/log-tail';
import { actionHandler } from './action-handler';

export function registerStopTail(app: App, deps: SlackDeps<ReadEngine>): void {
  app.action(
    STOP_TAIL_ACTION,
    actionHandler(deps, async (ctx) => {
      const service = deps.tails.serviceOf(ctx.value);
      // Ended already (its time, another click) or run by another replica: nothing to stop here.
      if (service === undefined) return ctx.reply('That log tail has already stopped.');
      if (!(await ctx.authorise('read', service))) return;
      if (!deps.tails.stop(ctx.value, ctx.actor.name)) await ctx.reply('That log tail has already stopped.');
    }),
  );
}
