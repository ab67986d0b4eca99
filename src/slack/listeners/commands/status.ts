/** `/status <service>` */
import type { App } from '@slack/bolt';
import { parseServiceOnly } from '../../command-parse';
import type { ReadEngine, SlackDeps } from '../../deps';
import type { ReadGate } from '../../read-limits';
import { statusView } from '../../views/status';
import { commandHandler } from './command-handler';

export function registerStatus(app: App, deps: SlackDeps<ReadEngine>, reads: ReadGate): void {
  app.command(
    '/status',
    commandHandler(deps, async (ctx) => {
      const parsed = parseServiceOnly(
        ctx.command.text,
        deps.engine.services.map((s) => s.name),
      );
      if ((await ctx.answerUsage(parsed)) || parsed.kind !== 'ok') return;
      if (!(await ctx.authorise('read', parsed.args.service))) return;
      if (!(await ctx.admitRead(reads, parsed.args.service))) return;
      await ctx.show(statusView(await deps.statuses.get(parsed.args.service), Date.now()), 'in_channel');
    }),
  );
}
