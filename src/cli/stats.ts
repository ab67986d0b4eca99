/** `stats [service] --weeks N`: the four DORA delivery measures from the history, with a text chart. */
import type { Command } from 'commander';
import { getService } from '../config/load';
import type { CliContext } from './context';
import { createStyle } from './format-common';
import { formatStats } from './format-stats';
import { colorEnabled } from './io';
import { checkToken, parseInteger } from './validate';
import { answer, verbAction } from './verb';

export function registerStats(program: Command, ctx: CliContext): void {
  program
    .command('stats')
    .description('delivery metrics (DORA): deploys per week, change failure rate, time to restore, lead time')
    .argument('[service]', 'only this service (default: all)')
    .option('--weeks <n>', 'weeks of history, 1 to 52', '8')
    .action(
      // Commander passes undefined for an optional argument left out.
      verbAction(ctx, async ([service]: (string | undefined)[], options, cmd) => {
        const weeks = parseInteger('--weeks', String(options.weeks), 1, 52);
        if (service !== undefined) {
          checkToken('service', service);
          getService(ctx.config(cmd), service);
        }
        const { engine } = await ctx.runtime(cmd);
        const metrics = await engine.deliveryMetrics({ service, weeks });
        const style = createStyle(colorEnabled(ctx.io.stdout, ctx.io.env));
        return answer({ ...metrics }, formatStats(metrics, style));
      }),
    );
}
