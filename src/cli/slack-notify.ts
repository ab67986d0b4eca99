/**
 * `deploy --notify-slack CHANNEL`: the same Slack thread the bot would post, driven from the
 * terminal. Slack code is loaded only when asked for, so the terminal never depends on it.
 */
import type { Config } from '../config/schema';
import type { EngineApi } from '../engine/api';
import type { EngineEvent } from '../engine/model';
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
  flush(): Promise<void>;
}

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

/** Slack's client logs through ours, so nothing of it lands on stdout. */
function slackLogger(logger: Logger) {
  let level = 'warn';
  return {
    debug: (...m: unknown[]) => logger.debug({ slack: m.map(String).join(' ') }),
    info: (...m: unknown[]) => logger.debug({ slack: m.map(String).join(' ') }),
    warn: (...m: unknown[]) => logger.warn({ slack: m.map(String).join(' ') }),
    error: (...m: unknown[]) => logger.error({ slack: m.map(String).join(' ') }),
    setLevel: (l: string) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** Builds the thread reporter with a WebClient; a Slack failure never fails the deploy. */
export async function openSlackThread(
  settings: SlackNotifySettings,
  deps: { engine: EngineApi; config: Config; logger: Logger },
): Promise<SlackThread> {
  const { WebClient } = await import('@slack/web-api');
  const { createThreadReporter } = await import('../slack/index');
  const client = new WebClient(settings.token, {
    slackApiUrl: settings.apiUrl,
    // A deploy must not wait half an hour behind Slack's rate limits.
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5000 },
    logger: slackLogger(deps.logger) as never,
  });
  const thread = createThreadReporter({ client, channel: settings.channel, engine: deps.engine, config: deps.config, logger: deps.logger });
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
    async flush() {
      await thread.flush().catch(warn);
    },
  };
}
