/**
 * `deploy --notify-slack CHANNEL`: the same Slack thread the bot would post, driven from the
 * terminal. The composition root builds it (loading Slack code only then); this checks the settings.
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

export interface SlackThreadDeps {
  engine: EngineApi;
  config: Config;
  logger: Logger;
  initial?: { service: string; kind: 'deploy'; sha: string };
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
