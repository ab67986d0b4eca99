/**
 * `demo` and `sim`: the simulated AWS world. Loaded only when asked for, so a build without
 * the simulator still runs every other verb, and says so cleanly here.
 */
import type { Command } from 'commander';
import { CodedError, ErrorCodes } from '../errors';
import type { CliContext, CommandResult } from './context';
import { parseInteger } from './validate';
import { verbAction } from './verb';

type SimEntry = (options: Record<string, unknown>) => Promise<number | { exitCode: number } | undefined>;

/** Loads `modulePath` relative to this file and returns its `exportName`, or throws a clean error. */
export async function loadEntry(modulePath: string, exportName: string, verb: string): Promise<SimEntry> {
  let mod: Record<string, unknown>;
  try {
    // A computed specifier: the simulator is an optional part of the build.
    mod = (await import(modulePath)) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    throw new CodedError(ErrorCodes.invalidInput, `${verb} is not available in this build (the simulator is missing)`, {
      cause: e,
    });
  }
  const entry = mod[exportName];
  if (typeof entry !== 'function')
    throw new CodedError(ErrorCodes.invalidInput, `${verb} is not available in this build`);
  return entry as SimEntry;
}

function toResult(value: number | { exitCode: number } | undefined): CommandResult {
  const exitCode = typeof value === 'number' ? value : (value?.exitCode ?? 0);
  // The simulator prints its own output, JSON included.
  return { exitCode, json: { ok: exitCode === 0, exitCode, error: null }, printed: true };
}

function register(
  program: Command,
  ctx: CliContext,
  verb: 'demo' | 'sim',
  description: string,
  entry: [string, string],
): void {
  const command = program.command(verb);
  if (verb === 'sim')
    command
      .option(
        '--freeze <window>',
        'write a freeze window into the config, e.g. "Fri 16:00..Mon 08:00 America/New_York"',
      )
      .option('--staging', 'also a staging service, backend-staging, that backend promotes from');
  command
    .description(description)
    .option('--scenario <name>', 'scenario of the simulated world')
    .option('--pace <ms>', 'milliseconds between simulated steps')
    .option('--port <n>', 'port of the simulated AWS endpoint')
    .argument('[args...]', 'passed on to the simulator')
    .allowUnknownOption()
    .action(
      verbAction(ctx, async (positional, options, cmd) => {
        const args = (positional[0] as unknown as string[] | undefined) ?? [];
        const run = await loadEntry(entry[0], entry[1], verb);
        const { json, config } = ctx.globals(cmd);
        return toResult(
          await run({
            ...options,
            paceMs: typeof options.pace === 'string' ? parseInteger('--pace', options.pace, 1, 60_000) : undefined,
            port: typeof options.port === 'string' ? parseInteger('--port', options.port, 0, 65_535) : undefined,
            args,
            json,
            configPath: config,
            stdout: ctx.io.stdout,
            stderr: ctx.io.stderr,
            stdin: ctx.io.stdin,
            env: ctx.io.env,
          }),
        );
      }),
    );
}

export function registerSimVerbs(program: Command, ctx: CliContext): void {
  register(program, ctx, 'demo', 'run a deploy against a simulated AWS world, start to finish', [
    '../sim/demo',
    'runDemo',
  ]);
  register(program, ctx, 'sim', 'start the simulated AWS world and print how to point the CLI at it', [
    '../sim/run',
    'runSim',
  ]);
}
