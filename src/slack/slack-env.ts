/** The Slack part of the environment, checked once at start-up. */
import { CodedError, ErrorCodes } from '../errors';

export interface SlackEnv {
  botToken: string;
  /** Set: Socket Mode. */
  appToken?: string;
  signingSecret?: string;
  port: number;
  apiUrl?: string;
}

/**
 * Reads SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, PORT and SLACK_API_URL.
 * @throws CodedError `invalid_config` naming the missing or malformed variable.
 */
export function readSlackEnv(env: NodeJS.ProcessEnv): SlackEnv {
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  if (!botToken) throw new CodedError(ErrorCodes.invalidConfig, 'SLACK_BOT_TOKEN is not set (the bot token, xoxb-…)');
  const appToken = env.SLACK_APP_TOKEN?.trim() || undefined;
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() || undefined;
  if (!appToken && !signingSecret) {
    throw new CodedError(
      ErrorCodes.invalidConfig,
      'SLACK_SIGNING_SECRET is not set (required in HTTP mode; set SLACK_APP_TOKEN for Socket Mode instead)',
    );
  }
  const rawPort = env.PORT?.trim() || '3000';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535)
    throw new CodedError(
      ErrorCodes.invalidConfig,
      `PORT must be a port number (got ${JSON.stringify(rawPort.slice(0, 20))})`,
    );
  const apiUrl = env.SLACK_API_URL?.trim() || undefined;
  if (apiUrl && !/^https?:\/\/\S+$/.test(apiUrl))
    throw new CodedError(ErrorCodes.invalidConfig, 'SLACK_API_URL must be an http(s) URL');
  return { botToken, appToken, signingSecret, port, apiUrl };
}
