/** `/logs <service> [30m] [pattern]`, and `/logs <service> follow [5m] [pattern]`: a live tail in a thread. */
import type { App } from '@slack/bolt';
import { parseLogs } from '../../command-parse';
import type { ReadEngine, SlackDeps } from '../../deps';
import type { ReadGate } from '../../read-limits';
import { sanitise } from '../../views/blocks';
import { logsView } from '../../views/logs';
import { commandHandler, type CommandContext } from './command-handler';

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
      const { followMs } = parsed.args;
      if (followMs !== undefined) return follow(deps, reads, ctx, { ...parsed.args, followMs });
      if (!(await ctx.admitRead(reads, parsed.args.service))) return;
      // Log lines can hold personal data: only the caller sees them.
      await ctx.show(logsView(await deps.engine.logs({ ...parsed.args, limit: 200 })), 'ephemeral');
    }),
  );
}

/** Starts a tail in a thread of the channel the command came from; one per service, charged like any read. */
async function follow(
  deps: SlackDeps<ReadEngine>,
  reads: ReadGate,
  ctx: CommandContext,
  args: { service: string; pattern?: string; followMs: number },
): Promise<void> {
  const svc = deps.engine.services.find((s) => s.name === args.service);
  if (!svc?.logGroup) return ctx.reply(`${args.service} has no logGroup configured: there are no logs to follow.`);
  const running = deps.tails.runningFor(args.service);
  // Checked before the read is charged: a refused read costs nothing.
  if (running !== undefined)
    return ctx.refuse(
      'read',
      args.service,
      'a log tail of this service is already running',
      `:no_entry: A log tail of ${args.service} is already running (started by ${sanitise(running, 80)}); stop it first or follow its thread.`,
    );
  if (!(await ctx.admitRead(reads, args.service))) return;
  const started = await deps.tails.start({
    service: args.service,
    // Named on the parent before the tail starts: the service's error pattern unless one was given.
    pattern: args.pattern ?? svc.logs.errorPattern,
    forMs: args.followMs,
    channel: ctx.command.channel_id,
    startedBy: ctx.actor.name,
  });
  if (!started.ok) await ctx.reply(started.text);
}
