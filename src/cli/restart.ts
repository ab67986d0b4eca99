/** `restart <service> [--count N] [--yes]`: restore the desired count kept by a stop, or the given one. */
import type { Command } from 'commander';
import { getService } from '../config/load';
import { CodedError, ErrorCodes } from '../errors';
import { confirmChange } from './confirm';
import type { CliContext } from './context';
import { simpleChangeResult } from './simple-change';
import { createTerminalReporter } from './terminal-reporter';
import { checkToken, parseInteger } from './validate';
import { verbAction } from './verb';

export function registerRestart(program: Command, ctx: CliContext): void {
  program
    .command('restart')
    .description('restore the desired count kept by the last stop (or set --count)')
    .argument('<service>', 'service name from the config')
    .option('--count <n>', 'desired count to set')
    .option('--yes', 'do not ask for confirmation')
    .action(
      verbAction(
        ctx,
        async ([service], options, cmd) => {
          checkToken('service', service);
          const given = typeof options.count === 'string' ? parseInteger('--count', options.count, 1, 1000) : undefined;
          getService(ctx.config(cmd), service);
          const { engine, store } = await ctx.runtime(cmd);
          const count = given ?? (await store.getKeptCount(service));
          if (count === undefined) {
            throw new CodedError(
              ErrorCodes.nothingToRestore,
              `no desired count of ${service} was kept by a stop: pass --count N`,
            );
          }
          await confirmChange(ctx.io, Boolean(options.yes), `Restart ${service} with desired count ${count}?`);
          const reporter = createTerminalReporter(ctx.io.stderr, ctx.io.env);
          try {
            return simpleChangeResult(
              await engine.restart({ service, count: given, actor: ctx.actor(), onEvent: reporter.onEvent }),
            );
          } finally {
            reporter.close();
          }
        },
        true,
      ),
    );
}
