/**
 * `/smoke <service> [git-sha]`: rate limited; a second `/smoke` of a service while one runs joins
 * it (one set of requests to production, one table in the channel, a copy for the joiner).
 */
import type { App } from '@slack/bolt';
import type { SmokeRun } from '../../../engine/types';
import { parseSmoke } from '../../command-parse';
import type { ReadEngine, SlackDeps } from '../../deps';
import type { ReadGate } from '../../read-limits';
import { context, message } from '../../views/blocks';
import { smokeRunView } from '../../views/smoke-run';
import { commandHandler } from './command-handler';

export function registerSmoke(app: App, deps: SlackDeps<ReadEngine>, reads: ReadGate): void {
  app.command(
    '/smoke',
    commandHandler(deps, async (ctx) => {
      const parsed = parseSmoke(
        ctx.command.text,
        deps.engine.services.map((s) => s.name),
      );
      if ((await ctx.answerUsage(parsed)) || parsed.kind !== 'ok') return;
      const { service, sha } = parsed.args;
      if (!(await ctx.authorise('read', service))) return;
      const key = `${service} ${sha ?? ''}`;
      const running = reads.inFlight<SmokeRun>(key);
      if (!(await ctx.admitRead(reads, service, !running))) return;
      if (running) {
        const view = smokeRunView(service, await running.promise, deps.config.slack.tableBlocks);
        const note = context([`You joined the run <@${running.startedBy}> started; its table is in the channel too.`]);
        return ctx.show(message(view.text, [note, ...view.blocks]), 'ephemeral');
      }
      const run = await reads.start(key, ctx.actor.id, () => deps.engine.smoke(service, sha));
      await ctx.show(smokeRunView(service, run, deps.config.slack.tableBlocks), 'in_channel');
    }),
  );
}
