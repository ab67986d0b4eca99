/**
 * The Slack bot: `startSlackBot` for `ecs-chatops serve`, `createThreadReporter` for anyone who
 * wants a change reported in a Slack thread (the CLI's `--notify-slack`).
 */
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import type { Config } from '../config/schema';
import type { EngineApi } from '../engine/api';
import type { Logger } from '../logger';
import { ApprovalFlow } from './approval-flow';
import { BotIdentitySource, buildSlackApp } from './app';
import { Authorizer } from './auth';
import { ChangeRunner, type ReporterTuning } from './change-runner';
import type { SlackDeps } from './deps';
import { startHealthServer } from './health';
import { register as registerActions } from './listeners/actions';
import { register as registerCommands } from './listeners/commands';
import { register as registerEvents } from './listeners/events';
import { createSlackWebClient, SlackHealth } from './slack-client';
import { readSlackEnv } from './slack-env';
import { SharedStatus } from './shared-status';

export { createThreadReporter, type ThreadReporter, type ThreadReporterOptions } from './thread-reporter';
export { createSlackWebClient, SlackHealth } from './slack-client';

export interface SlackBotOptions {
  engine: EngineApi;
  config: Config;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  storeHealthy?: () => boolean;
  /** How long `stop()` lets in-flight changes reach a safe point (default 30 s). */
  drainTimeoutMs?: number;
  /** For tests: faster thread updates and retries. */
  reporter?: ReporterTuning;
  /** How long the Home tab waits for one service's status (default 3 s). */
  homeStatusTimeoutMs?: number;
  /** Resume changes left running by a stopped process (engine.recover), reporting in their threads. */
  recover?: boolean;
}

export interface SlackBot {
  /** The HTTP port (the receiver's, or the health server's in Socket Mode). */
  port: number | null;
  /** Stops taking commands, drains in-flight changes, delivers the last messages, closes the servers. */
  stop(): Promise<void>;
}

/**
 * Starts the bot in HTTP mode on PORT, or in Socket Mode when SLACK_APP_TOKEN is set.
 * @throws CodedError `invalid_config` when a Slack variable is missing or the bot token is rejected.
 */
export async function startSlackBot(options: SlackBotOptions): Promise<SlackBot> {
  const { engine, config } = options;
  const logger = options.logger.child({ component: 'slack' });
  const env = readSlackEnv(options.env ?? process.env);
  const slackHealth = new SlackHealth();
  const client = createSlackWebClient({ token: env.botToken, slackApiUrl: env.apiUrl, logger, health: slackHealth });
  const identity = new BotIdentitySource(client, logger);
  await identity.verify();

  const auth = new Authorizer(config, client, logger);
  const changes = new ChangeRunner(engine, config, client, logger, options.reporter);
  const approvals = new ApprovalFlow({ engine, client, auth, changes, logger });
  const deps: SlackDeps = {
    engine,
    config,
    logger,
    client,
    auth,
    changes,
    approvals,
    statuses: new SharedStatus(engine),
    lifecycle: { accepting: true },
    homeStatusTimeoutMs: options.homeStatusTimeoutMs ?? 3000,
  };
  const health = { slack: slackHealth, storeHealthy: options.storeHealthy };
  const { app, mode } = buildSlackApp({ env, logger, health, identity });
  registerCommands(app, deps);
  registerActions(app, deps);
  registerEvents(app, deps);

  let healthServer: Server | null = null;
  let port: number | null;
  if (mode === 'http') {
    const server = (await app.start(env.port)) as Server;
    port = (server.address() as AddressInfo).port;
  } else {
    await app.start();
    healthServer = await startHealthServer(env.port, health);
    port = (healthServer.address() as AddressInfo).port;
  }
  logger.info({ mode, port }, 'Slack bot started');
  // Changes left running by a stopped process resume in the background, in their own threads:
  // the bot answers commands meanwhile.
  const recovering = options.recover
    ? changes
        .recover(hostname())
        .then((results) => {
          for (const r of results) logger.warn({ changeId: r.deployId, service: r.service, outcome: r.outcome }, `resumed change: ${r.summary}`);
        })
        .catch((e: unknown) => logger.error({ err: e }, 'resuming changes left in flight failed'))
    : Promise.resolve();

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      deps.lifecycle.accepting = false;
      await engine.drain(options.drainTimeoutMs ?? 30_000);
      await Promise.race([recovering, new Promise((r) => setTimeout(r, 1000).unref())]);
      approvals.dispose();
      await changes.close(5000);
      await app.stop().catch((e: unknown) => logger.warn({ err: e }, 'stopping the receiver failed'));
      if (healthServer) await new Promise<void>((resolve) => healthServer?.close(() => resolve()));
      logger.info('Slack bot stopped');
    })();
    return stopping;
  };
  return { port, stop };
}
