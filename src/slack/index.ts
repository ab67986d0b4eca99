/**
 * The Slack bot: `runSlackBot` starts Bolt with the listeners over objects the composition root
 * built (client, authoriser, change runner, approvals); `createThreadReporter` for anyone who
 * wants a change reported in a Slack thread.
 */
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import { buildSlackApp, type BotIdentitySource } from './app';
import type { SlackDeps } from './deps';
import { systemClock } from '../engine/clock';
import { LEASE_RENEW_MS, type Clock } from '../engine/ports';
import { LogTails } from './log-tails';
import { startRecoveryLoop } from './recovery-loop';
import { startHealthServer, type StoreHealthSource } from './health';
import { register as registerActions } from './listeners/actions';
import { register as registerCommands } from './listeners/commands';
import { register as registerEvents } from './listeners/events';
import type { SlackHealth } from './slack-client';
import type { SlackEnv } from './slack-env';

export { createThreadReporter, type ThreadReporter, type ThreadReporterOptions } from './thread-reporter';
export { createSlackWebClient, SlackHealth } from './slack-client';

/** The bot's ready parts, built by the composition root. */
export interface SlackBotParts {
  env: SlackEnv;
  /** What every listener gets; `lifecycle` and `tails` are the bot's own. */
  deps: Omit<SlackDeps, 'lifecycle' | 'tails'>;
  /** Time for the log tails' batches and ends (default the system clock). */
  clock?: Clock;
  identity: BotIdentitySource;
  slackHealth: SlackHealth;
  /** The store `/healthz` pings and names. */
  store?: StoreHealthSource;
  /** How long `stop()` lets in-flight changes reach a safe point (default 30 s). */
  drainTimeoutMs?: number;
  /** Resume changes left running by a stopped process (engine.recover), reporting in their threads. */
  recover?: boolean;
  /** How often to look again for changes whose lease ran out (default LEASE_RENEW_MS; 0: at start only). */
  recoverEveryMs?: number;
}

export interface SlackBot {
  /** The HTTP port (the receiver's, or the health server's in Socket Mode). */
  port: number | null;
  /** Stops taking commands, drains in-flight changes, delivers the last messages, closes the servers. */
  stop(): Promise<void>;
}

/** Starts the bot in HTTP mode on PORT, or in Socket Mode when SLACK_APP_TOKEN is set. */
export async function runSlackBot(parts: SlackBotParts): Promise<SlackBot> {
  const { env, identity } = parts;
  const { client, logger: baseLogger } = parts.deps;
  const tails = new LogTails({
    engine: parts.deps.engine,
    client,
    logger: baseLogger,
    clock: parts.clock ?? systemClock,
  });
  const deps: SlackDeps = { ...parts.deps, lifecycle: { accepting: true }, tails };
  const { engine, logger, changes, approvals } = deps;
  const health = { slack: parts.slackHealth, store: parts.store, logger };
  const { app, mode } = buildSlackApp({
    env,
    logger,
    health,
    identity,
    teamIds: deps.config.slack.teamId,
    audit: engine,
  });
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
  // Changes left running by a stopped process (or another replica that died) resume in the
  // background, in their own threads: the bot answers commands meanwhile.
  const recovery = parts.recover
    ? startRecoveryLoop(() => changes.recover(hostname()), logger, parts.recoverEveryMs ?? LEASE_RENEW_MS)
    : null;

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      deps.lifecycle.accepting = false;
      // Each live tail ends with its one closing message while Slack is still reachable.
      await tails.stopAll();
      await engine.drain(parts.drainTimeoutMs ?? 30_000);
      await recovery?.stop(1000);
      approvals.dispose();
      await changes.close(5000);
      await app.stop().catch((e: unknown) => logger.warn({ err: e }, 'stopping the receiver failed'));
      if (healthServer) await new Promise<void>((resolve) => healthServer.close(() => resolve()));
      logger.info('Slack bot stopped');
    })();
    return stopping;
  };
  return { port, stop };
}
