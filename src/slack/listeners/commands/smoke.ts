/** `/smoke <service> [git-sha]` */
import type { App } from '@slack/bolt';
import { parseSmoke } from '../../command-parse';
import type { SlackDeps } from '../../deps';
import { smokeRunView } from '../../views/smoke-run';
import { commandHandler } from './command-handler';

export function registerSmoke(app: App, deps: SlackDeps): void {
  app.command(
    '/smoke',
    commandHandler(deps, async (ctx) => {
      const parsed = parseSmoke(ctx.command.text, deps.engine.services.map((s) => s.name));
      if ((await ctx.answerUsage(parsed)) || parsed.kind !== 'ok') return;
      const { service, sha } = parsed.args;
      if (!(await ctx.authorise('read', service))) return;
      const run = await deps.engine.smoke(service, sha);
      await ctx.show(smokeRunView(service, run, deps.config.slack.tableBlocks), 'in_channel');
    }),
  );
}
