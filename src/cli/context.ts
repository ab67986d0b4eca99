/**
 * What every verb shares: the streams, the global options, the config and, only when a verb
 * really needs AWS or the store, the runtime (built once, closed by `main`).
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { ResourceCheck } from '../aws/index';
import type { Config, NamedService } from '../config/schema';
import { loadConfig, resolveConfigPath } from '../config/load';
import type { EngineApi } from '../engine/api';
import type { Actor } from '../engine/types';
import type { StorePort } from '../engine/ports';
import type { Logger } from '../logger';
import type { StoreSpec } from '../store/open-store';
import type { CliIo } from './io';
import type { SlackNotifySettings, SlackThread, SlackThreadDeps } from './slack-notify';

/** The wired application: engine, store and the config they were built from. */
export interface Runtime {
  config: Config;
  engine: EngineApi;
  store: StorePort;
  /** Closes the store and the AWS clients' sockets. */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  configPath: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Already loaded and validated, to avoid reading the file twice. */
  config?: Config;
}

export type RuntimeFactory = (options: RuntimeOptions) => Promise<Runtime>;

export interface ServeOptions {
  runtime: Runtime;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  drainTimeoutMs: number;
  /** Resume changes left running by a stopped process. */
  recover: boolean;
}

/** The running Slack bot. */
export interface RunningBot {
  port: number | null;
  /** Refuses new commands, drains changes in flight, delivers the last messages. */
  stop(): Promise<void>;
}

/** What the composition root hands the verbs: ready objects, each built only when a verb asks. */
export interface AppServices {
  /** The engine and the store over real adapters. */
  createRuntime: RuntimeFactory;
  /** Read-only checks of a service's AWS resources, with clients built from `env`. */
  checkAwsResources(service: NamedService, env: NodeJS.ProcessEnv): Promise<ResourceCheck[]>;
  /** Read-only checks of the shared store (a DynamoDB table's status and key schema); none for SQLite. */
  checkStore(spec: StoreSpec): Promise<ResourceCheck[]>;
  /** The Slack thread of a change run from the terminal (`--notify-slack`). */
  openSlackThread(settings: SlackNotifySettings, deps: SlackThreadDeps): Promise<SlackThread>;
  /** The Slack bot over a runtime. */
  startSlackBot(options: ServeOptions): Promise<RunningBot>;
}

/** What a verb hands back to `main`: the exit code, its `--json` object and its human text. */
export interface CommandResult {
  exitCode: number;
  json: Record<string, unknown>;
  /** Printed on stdout when not `--json` (progress and banners go to stderr as they happen). */
  text?: string;
  /** The verb printed its own output (demo, sim): print nothing more. */
  printed?: boolean;
}

export interface GlobalOptions {
  config?: string;
  json: boolean;
}

export class CliContext {
  /** Set by the verb that ran; `main` prints it. */
  result: CommandResult | null = null;
  json = false;
  /** Whether the verb changes something (an unexpected error then means "a person must look"). */
  changing = false;
  private runtimePromise: Promise<Runtime> | null = null;
  private configCache: { path: string; config: Config } | null = null;

  constructor(
    readonly io: CliIo,
    readonly logger: Logger,
    readonly services: AppServices,
  ) {}

  /** Global options as given before or after the verb. */
  globals(cmd: Command): GlobalOptions {
    const all = cmd.optsWithGlobals<{ config?: string; json?: boolean }>();
    return { config: all.config, json: Boolean(all.json) };
  }

  configPath(cmd: Command): string {
    return resolveConfigPath(this.globals(cmd).config, this.io.env);
  }

  /**
   * Loads and validates the config (no AWS involved).
   * @throws CodedError `invalid_config` listing every problem.
   */
  config(cmd: Command): Config {
    const path = this.configPath(cmd);
    if (this.configCache?.path !== path) this.configCache = { path, config: loadConfig(path) };
    return this.configCache.config;
  }

  /** Builds the engine with real adapters; call only after the input has been validated. */
  runtime(cmd: Command): Promise<Runtime> {
    if (!this.runtimePromise) {
      const config = this.config(cmd);
      this.runtimePromise = this.services.createRuntime({
        configPath: this.configPath(cmd),
        env: this.io.env,
        logger: this.logger,
        config,
      });
    }
    return this.runtimePromise;
  }

  /** Closes the runtime if one was built. Never throws. */
  async close(): Promise<void> {
    if (!this.runtimePromise) return;
    // A runtime that could not be built has nothing to close, and its error was already reported.
    const runtime = await this.runtimePromise.catch(() => null);
    if (!runtime) return;
    try {
      await runtime.close();
    } catch (e) {
      this.logger.warn({ err: e }, 'closing the runtime failed');
    }
  }

  /** The person at the terminal, as the audit log records them. */
  actor(): Actor {
    return cliActor(this.io.env);
  }
}

/** `{ id: 'cli:<os user>', name: <os user>, via: 'cli' }`. */
export function cliActor(env: NodeJS.ProcessEnv): Actor {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    // Some containers run under a uid with no passwd entry.
    name = env.USER || env.LOGNAME || 'unknown';
  }
  return { id: `cli:${name}`, name, via: 'cli' };
}
