/** `/deploys [service]` and `/deploys stats [service] [weeks]` */
import type { App } from '@slack/bolt';
import { parseHistory } from '../../command-parse';
import type { ReadEngine, SlackDeps } from '../../deps';
import { deliveryMetricsView } from '../../views/delivery-metrics';
import { historyView } from '../../views/history';
import { commandHandler, type CommandContext } from './command-handler';

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
      const { service, stats } = parsed.args;
      if (stats) return showStats(deps, ctx, service, stats.weeks);
      if (service) {
        if (!(await ctx.authorise('read', service))) return;
        return ctx.show(
          historyView(await deps.engine.history({ service, limit: 20 }), Date.now(), service),
          'in_channel',
        );
      }
      const readable = await readableServices(deps, ctx);
      if (!readable) return;
      const records = (await deps.engine.history({ limit: HISTORY_SCAN })).filter((r) => readable.includes(r.service));
      // Shown to the caller only: what one person may read is not for the whole channel.
      await ctx.show(historyView(records.slice(0, 20), Date.now()), visibility(deps, readable));
    }),
  );
}

/** Delivery metrics of one service, or of every service the caller may read. */
async function showStats(
  deps: SlackDeps<ReadEngine>,
  ctx: CommandContext,
  service: string | undefined,
  weeks: number,
): Promise<void> {
  if (service) {
    if (!(await ctx.authorise('read', service))) return;
    return ctx.show(deliveryMetricsView(await deps.engine.deliveryMetrics({ service, weeks })), 'in_channel');
  }
  const readable = await readableServices(deps, ctx);
  if (!readable) return;
  const metrics = await deps.engine.deliveryMetrics({ services: readable, weeks });
  await ctx.show(deliveryMetricsView(metrics), visibility(deps, readable));
}

/** The services the caller may read, never a word about the others; null (refused) when none. */
async function readableServices(deps: SlackDeps<ReadEngine>, ctx: CommandContext): Promise<string[] | null> {
  const readable = await deps.auth.readable(
    ctx.actor.id,
    deps.engine.services.map((s) => s.name),
  );
  if (readable.length) return readable;
  await ctx.refuse('read', null, 'you may not read any service');
  return null;
}

const visibility = (deps: SlackDeps<ReadEngine>, readable: string[]) =>
  readable.length === deps.engine.services.length ? 'in_channel' : 'ephemeral';
