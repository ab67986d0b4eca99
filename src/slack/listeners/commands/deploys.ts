/** `/deploys [service]` */
import type { App } from '@slack/bolt';
import { parseHistory } from '../../command-parse';
import type { ReadEngine, SlackDeps } from '../../deps';
import { historyView } from '../../views/history';
import { commandHandler } from './command-handler';

/** How many recent changes are read to find 20 of the services the caller may read. */
const HISTORY_SCAN = 500;

export function registerDeploys(app: App, deps: SlackDeps<ReadEngine>): void {
  app.command(
    '/deploys',
    commandHandler(deps, async (ctx) => {
      const parsed = parseHistory(
        ctx.command.text,
        deps.engine.services.map((s) => s.name),
      );
      if ((await ctx.answerUsage(parsed)) || parsed.kind !== 'ok') return;
      const { service } = parsed.args;
      if (service) {
        if (!(await ctx.authorise('read', service))) return;
        return ctx.show(
          historyView(await deps.engine.history({ service, limit: 20 }), Date.now(), service),
          'in_channel',
        );
      }
      // Without a service: only the services the caller may read, never a word about the others.
      const readable = await deps.auth.readable(
        ctx.actor.id,
        deps.engine.services.map((s) => s.name),
      );
      if (!readable.length) return ctx.refuse('read', null, 'you may not read any service');
      const records = (await deps.engine.history({ limit: HISTORY_SCAN })).filter((r) => readable.includes(r.service));
      // Shown to the caller only: what one person may read is not for the whole channel.
      await ctx.show(
        historyView(records.slice(0, 20), Date.now()),
        readable.length === deps.engine.services.length ? 'in_channel' : 'ephemeral',
      );
    }),
  );
}
