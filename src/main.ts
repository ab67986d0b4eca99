/**
 * The composition root: the only place that builds real adapters and wires them to the engine,
 * and the terminal's entry point.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from './config/load';
import { CliContext, type Runtime, type RuntimeFactory, type RuntimeOptions } from './cli/context';
import type { CliIo } from './cli/io';
import { printError, printResult, printUsageError } from './cli/output';
import { buildProgram, UsageError } from './cli/program';
import { ExitCode } from './engine/model';
import { createLogger } from './logger';

export type { Runtime, RuntimeOptions } from './cli/context';

/** Where the SQLite file lives unless ECS_CHATOPS_DB says otherwise. */
export const DEFAULT_DB_PATH = './data/ecs-chatops.db';

/**
 * Builds the real engine: config → AWS adapters → store → HTTP checks → report sink → Engine.
 * Adapters are loaded here on demand, so commands that need none (help, config check, bad
 * input) start fast and never touch AWS.
 * @throws CodedError `invalid_config` for a bad config, `store_error` when the store cannot be opened.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const config = options.config ?? loadConfig(options.configPath);
  const { createAwsAdapters } = await import('./aws/index');
  const { createAwsClients } = await import('./aws/client-factory');
  const { openStore } = await import('./store/index');
  const { createHttpChecks } = await import('./smoke/index');
  const { FileReportSink, reportOnFinish } = await import('./report/index');
  const { Engine } = await import('./engine/engine');

  const clients = createAwsClients(options.env);
  const aws = createAwsAdapters({ logger: options.logger, clients });
  const store = openStore(options.env.ECS_CHATOPS_DB ?? DEFAULT_DB_PATH);
  const engine = new Engine({
    config,
    ...aws,
    http: createHttpChecks({ logger: options.logger, env: options.env }),
    store,
    onFinished: [reportOnFinish({ store, sink: new FileReportSink(config.reportsDir), logger: options.logger })],
    logger: options.logger,
  });
  return {
    config,
    engine,
    store,
    async close() {
      await store.close();
      // Closes the SDK clients' sockets.
      clients.destroy();
    },
  };
}

export interface MainOptions extends CliIo {
  /** Replaces the real runtime (tests wire fakes here). */
  createRuntime: RuntimeFactory;
  /** Where `serve` listens for SIGTERM/SIGINT. */
  signals: NodeJS.EventEmitter;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Runs one command line and returns its exit code (0 done, 1 rolled back, 2 bad input,
 * 3 rollback failed, 4 refused). Never calls process.exit and never throws.
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
  const ctx = new CliContext(io, logger, options.createRuntime ?? createRuntime);
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
