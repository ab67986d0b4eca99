/** "Stop" on a live log tail: anyone who may read the service ends it (its thread then gets one closing message). */
import type { App } from '@slack/bolt';
import type { ReadEngine, SlackDeps } from '../../deps';
import { STOP_TAIL_ACTION } from '../../views/log-tail';
import { actionHandler } from './action-handler';

const NOT_HERE =
  'That log tail is not running here: it has already stopped (or another replica of the bot runs it, and it stops at its time).';

export function registerStopTail(app: App, deps: SlackDeps<ReadEngine>): void {
  app.action(
    STOP_TAIL_ACTION,
    actionHandler(deps, async (ctx) => {
      const service = deps.tails.serviceOf(ctx.value);
      // Ended already (its time, another click) or run by another replica: nothing to stop here.
      if (service === undefined) return ctx.reply(NOT_HERE);
      if (!(await ctx.authorise('read', service))) return;
      if (!deps.tails.stop(ctx.value, ctx.actor.name)) await ctx.reply(NOT_HERE);
    }),
  );
}
