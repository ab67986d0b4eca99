/** "Roll back to this" in the release picker. */
import type { App } from '@slack/bolt';
import type { SlackDeps, StartChangeEngine } from '../../deps';
import { actorText, revisionOf } from '../../views/format';
import { decodeRollbackTo } from '../../views/releases';
import { actionHandler } from './action-handler';
import { runFromButton } from './run-from-button';

export function registerRollbackTo(app: App, deps: SlackDeps<StartChangeEngine>): void {
  app.action(
    'rollback_to',
    actionHandler(deps, async (ctx) => {
      const value = decodeRollbackTo(ctx.value);
      if (!value || !deps.engine.services.some((s) => s.name === value.service))
        return ctx.refuse(
          'rollback',
          null,
          'malformed button value',
          'That button is not valid any more; nothing was done.',
        );
      if (!(await ctx.authorise('rollback', value.service))) return;
      // Never trust the button: the release must still be one the engine knows.
      const release = (await deps.engine.releases(value.service, 100)).find((r) => r.deployId === value.deployId);
      if (!release)
        return ctx.refuse(
          'rollback',
          value.service,
          "release not among the service's releases",
          'That release is no longer available; use /rollback again.',
        );
      if (release.current) return ctx.reply(`${value.service} already runs that release; nothing was done.`);
      const revision = revisionOf(release.taskDefinition);
      await runFromButton(
        deps,
        ctx,
        `rollback:${value.service}`,
        { kind: 'rollback', service: value.service, target: { kind: 'revision', revision } },
        `:leftwards_arrow_with_hook: Rollback of ${value.service} to \`${revision}\` started by ${actorText(ctx.actor)}`,
      );
    }),
  );
}
