/** `history [service] [--limit N]`: recent deploys, rollbacks, stops and restarts. */
import type { Command } from 'commander';
import { getService } from '../config/load';
import type { CliContext } from './context';
import { createStyle } from './format-common';
import { formatHistory } from './format-history';
import { colorEnabled } from './io';
import { checkToken, parseInteger } from './validate';
import { answer, verbAction } from './verb';

export function registerHistory(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .description('recent changes with outcome, who, what and how long')
    .argument('[service]', 'only this service')
    .option('--limit <n>', 'at most this many rows', '20')
    .action(
      // Commander passes undefined for an optional argument left out.
      verbAction(ctx, async ([service]: (string | undefined)[], options, cmd) => {
        const limit = parseInteger('--limit', String(options.limit), 1, 1000);
        if (service !== undefined) {
          checkToken('service', service);
          getService(ctx.config(cmd), service);
        }
        const { engine } = await ctx.runtime(cmd);
        const records = await engine.history({ service, limit });
        const style = createStyle(colorEnabled(ctx.io.stdout, ctx.io.env));
        return answer({ service: service ?? null, deploys: records }, formatHistory(records, style));
      }),
    );
}
