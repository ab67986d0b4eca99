/** `/restart <service> [count]` */
import type { App } from '@slack/bolt';
import { parseRestart } from '../../command-parse';
import type { SlackDeps, StartChangeEngine } from '../../deps';
import { commandHandler } from './command-handler';
import { startChange } from './start-change';

export function registerRestart(app: App, deps: SlackDeps<StartChangeEngine>): void {
  app.command(
    '/restart',
    commandHandler(deps, async (ctx) => {
      const parsed = parseRestart(
        ctx.command.text,
        deps.engine.services.map((s) => s.name),
      );
      if ((await ctx.answerUsage(parsed)) || parsed.kind !== 'ok') return;
      const { service, count } = parsed.args;
      if (!(await ctx.authorise('restart', service))) return;
      await startChange(
        deps,
        ctx,
        { kind: 'restart', service, count },
        count ? `restart with ${count} tasks` : 'restart',
      );
    }),
  );
}
