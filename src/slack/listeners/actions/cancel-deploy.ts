/** "Cancel" on a running change, whichever replica runs it: stop waiting and roll back. */
import type { App } from '@slack/bolt';
import type { Changes } from '../../../engine/api';
import type { ReadEngine, SlackDeps } from '../../deps';
import { actorText } from '../../views/format';
import { actionHandler } from './action-handler';

export function registerCancelDeploy(app: App, deps: SlackDeps<ReadEngine & Pick<Changes, 'cancel'>>): void {
  app.action(
    'cancel_deploy',
    actionHandler(deps, async (ctx) => {
      const record = await deps.engine.getChange(ctx.value);
      if (!record)
        return ctx.refuse('cancel', null, 'unknown change id', 'I do not know that change; nothing was done.');
      const mayDeploy = await deps.auth.check(ctx.actor.id, 'deploy', record.service);
      if (!mayDeploy.allowed && !(await ctx.authorise('rollback', record.service))) return;
      if (record.outcome !== 'running')
        return ctx.reply(`That change already finished (${record.outcome.replace('_', ' ')}); nothing was done.`);
      if (!(await deps.engine.cancel(record.id, ctx.actor)))
        return ctx.reply('That change is already being cancelled, or it has just finished; nothing more was done.');
      const reporter = deps.changes.reporterFor(record.id);
      // Run by another replica: that one stops it when it next reads the change (within its lease renewal).
      const text = `:octagonal_sign: Cancel requested by ${actorText(ctx.actor)}; ${reporter ? 'rolling back' : 'the replica running it stops it within a few seconds and rolls back'}`;
      if (reporter) reporter.note(text);
      else await ctx.reply(text);
    }),
  );
}
