/** `/logs <service> [30m] [pattern]` */
import type { App } from '@slack/bolt';
import { parseLogs } from '../../command-parse';
import type { ReadEngine, SlackDeps } from '../../deps';
import type { ReadGate } from '../../read-limits';
import { logsView } from '../../views/logs';
import { commandHandler } from './command-handler';

export function registerLogs(app: App, deps: SlackDeps<ReadEngine>, reads: ReadGate): void {
  app.command(
    '/logs',
    commandHandler(deps, async (ctx) => {
      const parsed = parseLogs(
        ctx.command.text,
        deps.engine.services.map((s) => s.name),
      );
      if ((await ctx.answerUsage(parsed)) || parsed.kind !== 'ok') return;
      if (!(await ctx.authorise('read', parsed.args.service))) return;
      if (!(await ctx.admitRead(reads, parsed.args.service))) return;
      // Log lines can hold personal data: only the caller sees them.
      await ctx.show(logsView(await deps.engine.logs({ ...parsed.args, limit: 200 })), 'ephemeral');
    }),
  );
}
