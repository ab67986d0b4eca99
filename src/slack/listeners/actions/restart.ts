/** "Restart" on a stopped service: restores the desired count kept by the stop. */
import type { App } from '@slack/bolt';
import type { SlackDeps, StartChangeEngine } from '../../deps';
import { actorText } from '../../views/format';
import { actionHandler } from './action-handler';
import { runFromButton } from './run-from-button';

export function registerRestart(app: App, deps: SlackDeps<StartChangeEngine>): void {
  app.action(
    'restart',
    actionHandler(deps, async (ctx) => {
      const service = ctx.value;
      if (!deps.engine.services.some((s) => s.name === service))
        return ctx.refuse(
          'restart',
          null,
          'unknown service in the button',
          'That button is not valid any more; nothing was done.',
        );
      if (!(await ctx.authorise('restart', service))) return;
      await runFromButton(
        deps,
        ctx,
        `restart:${service}`,
        { kind: 'restart', service },
        `:arrow_forward: Restart of ${service} started by ${actorText(ctx.actor)}`,
      );
    }),
  );
}
