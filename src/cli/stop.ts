/** `stop <service> --reason TEXT [--yes]`: emergency stop (desired count 0, the previous count kept). */
import type { Command } from 'commander';
import { getService } from '../config/load';
import { confirmChange } from './confirm';
import type { CliContext } from './context';
import { simpleChangeResult } from './simple-change';
import { createTerminalReporter } from './terminal-reporter';
import { checkText, checkToken } from './validate';
import { verbAction } from './verb';

export function registerStop(program: Command, ctx: CliContext): void {
  program
    .command('stop')
    .description('emergency stop: set the desired count to 0 (the previous count is kept for restart)')
    .argument('<service>', 'service name from the config')
    .requiredOption('--reason <text>', 'why (recorded in the audit log)')
    .option('--yes', 'do not ask for confirmation')
    .action(
      verbAction(
        ctx,
        async ([service], options, cmd) => {
          checkToken('service', service);
          const reason = checkText('--reason', String(options.reason));
          const named = getService(ctx.config(cmd), service);
          await confirmChange(
            ctx.io,
            Boolean(options.yes),
            `Stop ${service} (${named.service} in ${named.cluster}): set its desired count to 0?`,
          );
          const { engine } = await ctx.runtime(cmd);
          const reporter = createTerminalReporter(ctx.io.stderr, ctx.io.env);
          try {
            return simpleChangeResult(
              await engine.stop({ service, reason, actor: ctx.actor(), onEvent: reporter.onEvent }),
            );
          } finally {
            reporter.close();
          }
        },
        true,
      ),
    );
}
