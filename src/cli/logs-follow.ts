/** `logs <service> --follow [--for D]`: matching lines as they arrive, until the time is up or Ctrl-C. */
import type { EngineApi } from '../engine/api';
import type { CliContext, CommandResult } from './context';
import { createStyle, formatTimestamp, oneLine } from './format-common';
import { colorEnabled, writeLine } from './io';
import type { SignalSource } from './serve';
import { answer } from './verb';

export interface FollowOptions {
  service: string;
  pattern?: string;
  /** How long to follow; unset: until a signal. */
  forMs?: number;
}

/** Streams lines to stdout (one JSON object a line with `--json`); the fallback is said once, on stderr. */
export async function followLogs(
  ctx: CliContext,
  engine: EngineApi,
  signals: SignalSource,
  options: FollowOptions,
): Promise<CommandResult> {
  const style = createStyle(colorEnabled(ctx.io.stdout, ctx.io.env));
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  const timer = options.forMs === undefined ? undefined : setTimeout(onSignal, options.forMs);
  let lines = 0;
  let mode: 'live' | 'polling' = 'live';
  try {
    for await (const item of engine.tailLogs({
      service: options.service,
      pattern: options.pattern,
      signal: stop.signal,
    })) {
      if (item.kind === 'started') {
        mode = item.mode;
        if (!ctx.json)
          writeLine(ctx.io.stderr, style.dim(`following ${item.logGroup} matching ${JSON.stringify(item.pattern)}…`));
      } else if (item.kind === 'polling') {
        mode = 'polling';
        writeLine(
          ctx.io.stderr,
          style.yellow(
            `live tail unavailable (${oneLine(item.reason, 200)}); polling every ${String(item.everyMs / 1000)} s`,
          ),
        );
      } else {
        for (const e of item.events) {
          lines += 1;
          if (ctx.json)
            writeLine(
              ctx.io.stdout,
              JSON.stringify({
                timestamp: e.timestamp.toISOString(),
                logStream: e.logStream ?? null,
                message: e.message,
              }),
            );
          else writeLine(ctx.io.stdout, `${style.dim(formatTimestamp(e.timestamp))}  ${oneLine(e.message, 500)}`);
        }
      }
    }
  } finally {
    clearTimeout(timer);
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
  }
  const result = answer({ service: options.service, mode, lines }, []);
  // The lines are already out: with --json, the summary would break the one-object-per-line stream.
  return { ...result, printed: true };
}
