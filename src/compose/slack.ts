/**
 * The Slack side of the composition root: one place that builds the Web API client, the
 * authoriser, the change runner and the approval flow, for the bot and for `--notify-slack`.
 * Loaded on demand, so the terminal never loads Slack code it does not use.
 */
import type { SlackNotifySettings, SlackThread, SlackThreadDeps } from '../cli/slack-notify';
import type { Config } from '../config/schema';
import type { ChangeResult, EngineEvent } from '../engine/model';
import type { Clock } from '../engine/ports';
import type { Logger } from '../logger';
import { BotIdentitySource } from '../slack/app';
import type { StoreHealthSource } from '../slack/health';
import { Authorizer } from '../slack/auth';
import { ApprovalFlow } from '../slack/approval-flow';
import { ChangeRunner, type ReporterTuning } from '../slack/change-runner';
import { runSlackBot, type SlackBot } from '../slack/index';
import { createSlackWebClient, SlackHealth } from '../slack/slack-client';
import { readSlackEnv } from '../slack/slack-env';
import type { SlackEngine } from '../slack/deps';
import { SharedStatus } from '../slack/shared-status';
import type { ReportReader } from '../slack/thread-replies';
import { createThreadReporter } from '../slack/thread-reporter';

export interface SlackBotOptions {
  engine: SlackEngine;
  config: Config;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Reads a change's stored report for the end of its thread (default: the engine's). */
  getReport?: ReportReader;
  /** The store `/healthz` pings and names. */
  store?: StoreHealthSource;
  /** How long `stop()` lets in-flight changes reach a safe point (default 30 s). */
  drainTimeoutMs?: number;
  /** For tests: faster thread updates and retries. */
  reporter?: ReporterTuning;
  /** How long the Home tab waits for one service's status (default 3 s). */
  homeStatusTimeoutMs?: number;
  /** Resume changes left running by a stopped process (engine.recover), reporting in their threads. */
  recover?: boolean;
  /** How often to look again for changes whose lease ran out (default LEASE_RENEW_MS). */
  recoverEveryMs?: number;
  /** For tests: the time the log tails batch and end by (default the system clock). */
  clock?: Clock;
}

/**
 * Builds the bot's parts and starts it (HTTP mode on PORT, or Socket Mode with SLACK_APP_TOKEN).
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
  const getReport = options.getReport ?? ((changeId) => engine.report(changeId));
  const changes = new ChangeRunner(engine, config, client, logger, getReport, options.reporter);
  const approvals = new ApprovalFlow({ engine, client, auth, changes, logger });
  return runSlackBot({
    env,
    identity,
    slackHealth,
    deps: {
      engine,
      config,
      logger,
      client,
      auth,
      changes,
      approvals,
      statuses: new SharedStatus(engine),
      homeStatusTimeoutMs: options.homeStatusTimeoutMs ?? 3000,
    },
    store: options.store,
    drainTimeoutMs: options.drainTimeoutMs,
    recover: options.recover,
    recoverEveryMs: options.recoverEveryMs,
    clock: options.clock,
  });
}

/** How long the terminal waits for Slack at the end before giving up on the remaining messages. */
const FLUSH_TIMEOUT_MS = 15_000;

/** The thread reporter with the bot's WebClient set-up. Once built, a Slack failure never fails the change. */
export function openSlackThread(settings: SlackNotifySettings, deps: SlackThreadDeps): SlackThread {
  // Short retries, no 30-minute rate-limit queue, logs through ours.
  const client = createSlackWebClient({ token: settings.token, slackApiUrl: settings.apiUrl, logger: deps.logger });
  const thread = createThreadReporter({
    client,
    channel: settings.channel,
    engine: deps.engine,
    config: deps.config,
    getReport: (changeId) => deps.engine.report(changeId),
    logger: deps.logger,
    initial: deps.initial,
  });
  const warn = (e: unknown) => deps.logger.warn({ err: e }, 'posting to Slack failed; the deploy goes on');
  return {
    onEvent(event: EngineEvent) {
      try {
        thread.onEvent(event);
      } catch (e) {
        warn(e);
      }
    },
    async onStart(changeId: string) {
      await thread.onStart(changeId).catch(warn);
    },
    async finish(result: ChangeResult | null) {
      if (result && !thread.finished) thread.conclude(result.ok, result.summary);
      await thread.flush(FLUSH_TIMEOUT_MS).catch(warn);
      thread.dispose();
    },
  };
}
