/** "Cancel" on a running change: stop waiting and roll back. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { actorText } from '../../views/format';
import { actionHandler } from './action-handler';

export function registerCancelDeploy(app: App, deps: SlackDeps): void {
  app.action(
    'cancel_deploy',
    actionHandler(deps, async (ctx) => {
      const record = await deps.engine.getChange(ctx.value);
      if (!record) return ctx.refuse('cancel', null, 'unknown change id', 'I do not know that change; nothing was done.');
      const mayDeploy = await deps.auth.check(ctx.actor.id, 'deploy', record.service);
      if (!mayDeploy.allowed && !(await ctx.authorise('rollback', record.service))) return;
      if (record.outcome !== 'running') return ctx.reply(`That change already finished (${record.outcome.replace('_', ' ')}); nothing was done.`);
      if (!(await deps.engine.cancel(record.id, ctx.actor))) return ctx.reply('That change is already being cancelled, or it is not run by this bot; nothing more was done.');
      const text = `:octagonal_sign: Cancel requested by ${actorText(ctx.actor)}; rolling back`;
      const reporter = deps.changes.reporterFor(record.id);
      if (reporter) reporter.note(text);
      else await ctx.reply(text);
    }),
  );
}
