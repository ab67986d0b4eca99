/** `/deploys [service]` */
import type { App } from '@slack/bolt';
import { parseHistory } from '../../command-parse';
import type { SlackDeps } from '../../deps';
import { historyView } from '../../views/history';
import { commandHandler } from './command-handler';

export function registerDeploys(app: App, deps: SlackDeps): void {
  app.command(
    '/deploys',
    commandHandler(deps, async (ctx) => {
      const parsed = parseHistory(ctx.command.text, deps.engine.services.map((s) => s.name));
      if ((await ctx.answerUsage(parsed)) || parsed.kind !== 'ok') return;
      if (!(await ctx.authorise('read', parsed.args.service))) return;
      const records = await deps.engine.history({ service: parsed.args.service, limit: 20 });
      await ctx.show(historyView(records, Date.now(), parsed.args.service), 'in_channel');
    }),
  );
}
