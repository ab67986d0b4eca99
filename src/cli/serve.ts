/** `serve`: the Slack bot, until SIGTERM or SIGINT. */
import type { Command } from 'commander';
import type { CliContext } from './context';
import { verbAction } from './verb';

/** Where the signals come from: the process, or a test's own emitter. */
export type SignalSource = Pick<NodeJS.EventEmitter, 'on' | 'off'>;

/** Resolves on the first SIGTERM or SIGINT. */
export function waitForShutdown(signals: SignalSource): Promise<string> {
  return new Promise((resolve) => {
    const done = (signal: string) => {
      signals.off('SIGTERM', onTerm);
      signals.off('SIGINT', onInt);
      resolve(signal);
    };
    const onTerm = () => done('SIGTERM');
    const onInt = () => done('SIGINT');
    signals.on('SIGTERM', onTerm);
    signals.on('SIGINT', onInt);
  });
}

/** How long in-flight changes may run on after a signal before the bot stops anyway. */
const DRAIN_MS = 20_000;

export function registerServe(program: Command, ctx: CliContext, signals: SignalSource): void {
  program
    .command('serve')
    .description('run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT)')
    .action(
      verbAction(ctx, async (_args, _options, cmd) => {
        const runtime = await ctx.runtime(cmd);
        const bot = await ctx.services.startSlackBot({
          runtime,
          logger: ctx.logger,
          env: ctx.io.env,
          drainTimeoutMs: DRAIN_MS,
          // Changes left running by a dead process resume in the background, reported in their
          // Slack threads: the bot must not wait up to a rollout timeout before it answers again.
          recover: true,
        });
        ctx.logger.info({ port: bot.port }, 'ecs-chatops is serving');
        const signal = await waitForShutdown(signals);
        ctx.logger.info({ signal }, 'shutting down: letting changes in flight reach a safe point');
        // stop() refuses new commands, drains changes in flight and delivers the last messages.
        await bot.stop();
        return { exitCode: 0, json: { ok: true, exitCode: 0, error: null, signal } };
      }),
    );
}
