/** `logs <service> [--since 30m] [--pattern P] [--limit N]`: recent matching log lines. */
import type { Command } from 'commander';
import { getService } from '../config/load';
import type { CliContext } from './context';
import { createStyle } from './format-common';
import { formatLogs } from './format-logs';
import { colorEnabled } from './io';
import { checkText, checkToken, parseInteger, parseSince } from './validate';
import { answer, verbAction } from './verb';

export function registerLogs(program: Command, ctx: CliContext): void {
  program
    .command('logs')
    .description("recent log lines matching a pattern (default: the service's error pattern in the last 30 minutes)")
    .argument('<service>', 'service name from the config')
    .option('--since <duration>', 'how far back, e.g. 30m, 2h', '30m')
    .option('--pattern <pattern>', 'CloudWatch filter pattern, e.g. "?ERROR ?Exception"')
    .option('--limit <n>', 'at most this many lines', '100')
    .action(
      verbAction(ctx, async ([service], options, cmd) => {
        checkToken('service', service);
        const sinceMs = parseSince(String(options.since));
        const pattern = typeof options.pattern === 'string' ? checkText('--pattern', options.pattern, 200) : undefined;
        const limit = parseInteger('--limit', String(options.limit), 1, 10_000);
        getService(ctx.config(cmd), service);
        const { engine } = await ctx.runtime(cmd);
        const report = await engine.logs({ service, sinceMs, pattern, limit });
        const style = createStyle(colorEnabled(ctx.io.stdout, ctx.io.env));
        return answer({ ...report }, formatLogs(report, style));
      }),
    );
}
