/** `/version <service>` */
import type { App } from '@slack/bolt';
import { parseServiceOnly } from '../../command-parse';
import type { ReadEngine, SlackDeps } from '../../deps';
import { versionView } from '../../views/version';
import { commandHandler } from './command-handler';

export function registerVersion(app: App, deps: SlackDeps<ReadEngine>): void {
  app.command(
    '/version',
    commandHandler(deps, async (ctx) => {
      const parsed = parseServiceOnly(
        ctx.command.text,
        deps.engine.services.map((s) => s.name),
      );
      if ((await ctx.answerUsage(parsed)) || parsed.kind !== 'ok') return;
      if (!(await ctx.authorise('read', parsed.args.service))) return;
      await ctx.show(versionView(await deps.engine.version(parsed.args.service)), 'in_channel');
    }),
  );
}
