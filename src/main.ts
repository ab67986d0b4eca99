/**
 * The terminal's entry point: `main(argv)` runs one command line over the services the
 * composition root (compose/) builds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliContext, type RuntimeFactory } from './cli/context';
import type { CliIo } from './cli/io';
import { printError, printResult, printUsageError } from './cli/output';
import { buildProgram, UsageError } from './cli/program';
import type { SignalSource } from './cli/serve';
import { createServices } from './compose/index';
import { ExitCode } from './engine/model';
import { createLogger } from './logger';

export type { Runtime, RuntimeOptions } from './cli/context';

export interface MainOptions extends CliIo {
  /** Replaces the real engine and store (tests wire fakes here). */
  createRuntime: RuntimeFactory;
  /** Where `serve` listens for SIGTERM/SIGINT. */
  signals: SignalSource;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // Only `--version` reads it: a package.json left out of an unusual install is no reason to fail.
    return 'unknown';
  }
}

/**
 * Runs one command line and returns its exit code (0 done, 1 rolled back, 2 bad input,
 * 3 rollback failed, 4 refused, 5 done but its outcome could not be recorded). Never calls process.exit and never throws.
 */
export async function main(argv: string[], options: Partial<MainOptions> = {}): Promise<number> {
  const io: CliIo = {
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    stdin: options.stdin ?? process.stdin,
    env: options.env ?? process.env,
  };
  const level = io.env.LOG_LEVEL ?? (argv.includes('serve') ? 'info' : 'warn');
  const logger = createLogger({ level, destination: { write: (s: string) => void io.stderr.write(s) } });
  const services = createServices();
  if (options.createRuntime) services.createRuntime = options.createRuntime;
  const ctx = new CliContext(io, logger, services);
  const program = buildProgram(ctx, { version: packageVersion(), signals: options.signals ?? process });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return printResult(ctx, ctx.result ?? { exitCode: ExitCode.ok, json: { ok: true, exitCode: 0, error: null } });
  } catch (error) {
    if (error instanceof UsageError) return printUsageError(io, error, argv.includes('--json'));
    return printError(ctx, error);
  } finally {
    await ctx.close();
  }
}
