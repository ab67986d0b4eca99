/** "Roll back" on a finished deploy: back to the release it replaced. */
import type { App } from '@slack/bolt';
import type { SlackDeps, StartChangeEngine } from '../../deps';
import { actorText, revisionOf } from '../../views/format';
import { actionHandler } from './action-handler';
import { runFromButton } from './run-from-button';

export function registerRollback(app: App, deps: SlackDeps<StartChangeEngine>): void {
  app.action(
    'rollback',
    actionHandler(deps, async (ctx) => {
      const record = await deps.engine.getChange(ctx.value);
      if (!record)
        return ctx.refuse('rollback', null, 'unknown change id', 'I do not know that deploy; nothing was done.');
      if (!(await ctx.authorise('rollback', record.service))) return;
      if (record.outcome === 'running') return ctx.reply('That deploy is still running; use Cancel to stop it.');
      if (!record.fromTaskDefinition)
        return ctx.reply('That deploy has no earlier release recorded; use /rollback to pick one.');
      const latest = (await deps.engine.history({ service: record.service, limit: 1 })).at(0);
      if (latest && latest.id !== record.id) {
        return ctx.reply(
          `This message is stale: ${record.service} has changed since (${latest.kind} by ${actorText(latest.actor)}). Use \`/rollback ${record.service}\` to pick a release.`,
        );
      }
      const revision = revisionOf(record.fromTaskDefinition);
      await runFromButton(
        deps,
        ctx,
        `rollback:${record.service}`,
        { kind: 'rollback', service: record.service, target: { kind: 'revision', revision } },
        `:leftwards_arrow_with_hook: Rollback to \`${revision}\` started by ${actorText(ctx.actor)}`,
      );
    }),
  );
}
