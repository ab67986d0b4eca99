/**
 * `deploy --notify-slack CHANNEL`: the same Slack thread the bot would post, driven from the
 * terminal. Slack code is loaded only when asked for, so the terminal never depends on it.
 */
import type { Config } from '../config/schema';
import type { EngineApi } from '../engine/api';
import type { ChangeResult, EngineEvent } from '../engine/model';
import type { Logger } from '../logger';
import { invalidInput } from './errors';
import { checkSlackChannel } from './validate';

export interface SlackNotifySettings {
  token: string;
  channel: string;
  apiUrl?: string;
}

export interface SlackThread {
  onEvent(event: EngineEvent): void;
  onStart(changeId: string): Promise<void>;
  /** Delivers what is queued (bounded in time), closing the thread with the result if no event did. */
  finish(result: ChangeResult | null): Promise<void>;
}

/** How long the terminal waits for Slack at the end before giving up on the remaining messages. */
const FLUSH_TIMEOUT_MS = 15_000;

/**
 * Checks the channel and that a bot token is available, without any network call.
 * @throws CodedError `invalid_input` when SLACK_BOT_TOKEN is missing or the channel is malformed.
 */
export function slackNotifySettings(channel: string, env: NodeJS.ProcessEnv): SlackNotifySettings {
  checkSlackChannel(channel);
  const token = env.SLACK_BOT_TOKEN?.trim();
  if (!token) throw invalidInput('--notify-slack needs SLACK_BOT_TOKEN in the environment');
  const apiUrl = env.SLACK_API_URL?.trim();
  return { token, channel, apiUrl: apiUrl ? (apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`) : undefined };
}

/**
 * Builds the thread reporter with the bot's WebClient. Once built, a Slack failure never fails the deploy.
 * @throws when the Slack module cannot be loaded (the caller deploys without a thread).
 */
export async function openSlackThread(
  settings: SlackNotifySettings,
  deps: { engine: EngineApi; config: Config; logger: Logger; initial?: { service: string; kind: 'deploy'; sha: string } },
): Promise<SlackThread> {
  const { createSlackWebClient, createThreadReporter } = await import('../slack/index');
  // The bot's own WebClient set-up: short retries, no 30-minute rate-limit queue, logs through ours.
  const client = createSlackWebClient({ token: settings.token, slackApiUrl: settings.apiUrl, logger: deps.logger });
  type ReporterClient = Parameters<typeof createThreadReporter>[0]['client'];
  const thread = createThreadReporter({
    // A WebClient; its method signatures are wider than the few calls the reporter declares.
    client: client as unknown as ReporterClient,
    channel: settings.channel,
    engine: deps.engine,
    config: deps.config,
    logger: deps.logger,
    initial: deps.initial,
  });
  const warn = (e: unknown) => deps.logger.warn({ err: e }, 'posting to Slack failed; the deploy goes on');
  return {
    onEvent(event) {
      try {
        thread.onEvent(event);
      } catch (e) {
        warn(e);
      }
    },
    async onStart(changeId) {
      await thread.onStart(changeId).catch(warn);
    },
    async finish(result) {
      if (result && !thread.finished) thread.conclude(result.ok, result.summary);
      await thread.flush(FLUSH_TIMEOUT_MS).catch(warn);
      thread.dispose();
    },
  };
}
