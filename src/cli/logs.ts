/** `logs <service> [--since 30m] [--pattern P] [--limit N] [--follow [--for D]]`: recent matching log lines, or new ones as they arrive. */
import type { Command } from 'commander';
import { getService } from '../config/load';
import type { CliContext } from './context';
import { createStyle } from './format-common';
import { formatLogs } from './format-logs';
import { colorEnabled } from './io';
import { CodedError, ErrorCodes } from '../errors';
import { followLogs } from './logs-follow';
import type { SignalSource } from './serve';
import { checkText, checkToken, parseDurationOption, parseInteger, parseSince } from './validate';
import { answer, verbAction } from './verb';

/** The longest `--for`: a day. */
const MAX_FOLLOW_MS = 24 * 3_600_000;

export function registerLogs(program: Command, ctx: CliContext, signals: SignalSource): void {
  program
    .command('logs')
    .description("recent log lines matching a pattern (default: the service's error pattern in the last 30 minutes)")
    .argument('<service>', 'service name from the config')
    .option('--since <duration>', 'how far back, e.g. 30m, 2h', '30m')
    .option('--pattern <pattern>', 'CloudWatch filter pattern, e.g. "?ERROR ?Exception"')
    .option('--limit <n>', 'at most this many lines', '100')
    .option('--follow', 'print new matching lines as they arrive (CloudWatch live tail, else polling every 2 s)')
    .option('--for <duration>', 'with --follow: stop after this long, e.g. 10m (default: until Ctrl-C)')
    .action(
      verbAction(ctx, async ([service], options, cmd) => {
        checkToken('service', service);
        if (options.follow === true) {
          const pattern =
            typeof options.pattern === 'string' ? checkText('--pattern', options.pattern, 200) : undefined;
          const forMs =
            typeof options.for === 'string'
              ? parseDurationOption('--for', options.for, 1000, MAX_FOLLOW_MS, 'such as 10m or 90s, at most 24h')
              : undefined;
          getService(ctx.config(cmd), service);
          const { engine } = await ctx.runtime(cmd);
          return followLogs(ctx, engine, signals, { service, pattern, forMs });
        }
        if (options.for !== undefined) throw new CodedError(ErrorCodes.invalidInput, '--for needs --follow');
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
